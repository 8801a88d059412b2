import { taskForce, TaskForce } from '../support/scenario';
import { createTestApp, TestApp } from '../support/test-app';

/**
 * Probe r25: `Idempotency-Key`s are kept per user (`idempotency_key (user_id, key)`). A key KR's officer
 * used is, for KH's officer (and for KR's second officer), a key never used: a different body is created
 * afresh, with no replay of KR's answer and no "used with a different request" refusal; the same body
 * creates a record of the caller's own. Only the user who used the key gets the replay or the refusal.
 */
describe('Probe r25: another user’s Idempotency-Key is a fresh key', () => {
  let t: TestApp;
  let tf: TaskForce;
  beforeAll(async () => {
    t = await createTestApp();
    tf = await taskForce(t);
  }, 60_000);
  afterAll(() => t?.close());

  const aCase = (title: string) => ({ title, summary: `${title}: probe r25` });

  it('creates afresh for every other user, and replays or refuses only for the key’s user', async () => {
    const key = 'r25-shared-key-0001';
    const post = (who: keyof TaskForce & string, title: string) =>
      tf[who as 'kr.officer'].post('/cases', aCase(title)).set('Idempotency-Key', key);
    const kr = await post('kr.officer', 'KR case r25');
    expect(kr.status).toBe(201);
    for (const [who, title] of [
      ['kh.officer', 'KH case r25'],
      ['kh.officer2', 'KR case r25'],
      ['kr.officer2', 'KR case r25'],
    ] as const) {
      const res = await post(who, title);
      expect(res.status).toBe(201);
      expect(res.headers['idempotent-replayed']).toBeUndefined();
      expect(res.body.id).not.toBe(kr.body.id);
      expect(JSON.stringify(res.body)).not.toContain(kr.body.reference);
    }
    // Control: KR's officer gets the replay, or the refusal for another body.
    const replay = await post('kr.officer', 'KR case r25');
    expect(replay.status).toBe(201);
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(replay.body.id).toBe(kr.body.id);
    expect((await post('kr.officer', 'Another KR case r25')).status).toBe(422);
  });
});
