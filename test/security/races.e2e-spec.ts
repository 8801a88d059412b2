import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { createTestApp, TestApp } from '../support/test-app';
import { aDraft, taskForce, TaskForce } from '../support/scenario';

/** Issue 10, suite 5: plain concurrency on one request, and an Idempotency-Key storm. */
describe('Races', () => {
  let t: TestApp;
  let tf: TaskForce;
  beforeAll(async () => {
    t = await createTestApp();
    tf = await taskForce(t);
  });
  afterAll(() => t?.close());

  const base = '/information-requests';

  async function submitted() {
    const r = (await tf['kr.officer'].post(base, aDraft(tf.cambodiaKoreaFramework)).expect(201)).body;
    const s = (await tf['kr.officer'].post(`${base}/${r.id}/submit`, { version: r.version }).expect(200))
      .body;
    return s as { id: string; version: number };
  }

  const successes = async (id: string) =>
    (
      await t.dataSource.query(
        `SELECT action FROM audit_event WHERE record_id = $1 AND outcome = 'success' ORDER BY id`,
        [id],
      )
    ).map((a: { action: string }) => a.action);

  it('approve, return and withdraw at once on a submitted request: exactly one wins', async () => {
    for (let round = 0; round < 3; round++) {
      const r = await submitted();
      const body = { version: r.version, reason: 'Outside our jurisdiction' };
      const [approve, ret, withdraw, reject] = await Promise.all([
        tf['kr.liaison'].post(`${base}/${r.id}/approve`, { version: r.version }),
        tf['kr.liaison2'].post(`${base}/${r.id}/return`, { version: r.version }),
        tf['kr.officer'].post(`${base}/${r.id}/withdraw`, { version: r.version }),
        tf['kh.liaison'].post(`${base}/${r.id}/reject`, body),
      ]);
      const statuses = [approve.status, ret.status, withdraw.status];
      expect(statuses.filter((s) => s === 200)).toHaveLength(1);
      expect(statuses.filter((s) => s !== 200).every((s) => s === 409)).toBe(true);
      expect(reject.status).toBe(404); // not yet visible to the target
      const winner = ['approve', 'return', 'withdraw'][statuses.indexOf(200)];
      const history = (await tf['kr.officer'].get(`${base}/${r.id}/history`).expect(200)).body;
      expect(history.map((h: { action: string }) => h.action)).toEqual(['create', 'submit', winner]);
      expect(await successes(r.id)).toEqual(['request.create', 'request.submit', `request.${winner}`]);
    }
  });

  it('accept, reject and withdraw at once on a sent request: exactly one wins', async () => {
    for (let round = 0; round < 3; round++) {
      const s = await submitted();
      const r = (await tf['kr.liaison'].post(`${base}/${s.id}/approve`, { version: s.version }).expect(200))
        .body;
      const [accept, reject, withdraw] = await Promise.all([
        tf['kh.liaison'].post(`${base}/${r.id}/accept`, { version: r.version }),
        tf['kh.liaison2'].post(`${base}/${r.id}/reject`, { version: r.version, reason: 'No grounds' }),
        tf['kr.officer'].post(`${base}/${r.id}/withdraw`, { version: r.version }),
      ]);
      const statuses = [accept.status, reject.status, withdraw.status];
      expect(statuses.filter((x) => x === 200)).toHaveLength(1);
      expect(statuses.filter((x) => x !== 200).every((x) => x === 409)).toBe(true);
      const winner = ['accept', 'reject', 'withdraw'][statuses.indexOf(200)];
      const history = (await tf['kr.officer'].get(`${base}/${r.id}/history`).expect(200)).body;
      expect(history.map((h: { action: string }) => h.action)).toEqual([
        'create',
        'submit',
        'approve',
        winner,
      ]);
      expect(await successes(r.id)).toEqual([
        'request.create',
        'request.submit',
        'request.approve',
        `request.${winner}`,
      ]);
    }
  });

  it('20 parallel creates with one Idempotency-Key and body create one record', async () => {
    const key = randomUUID();
    const title = `Idempotency storm ${key}`;
    const responses = await Promise.all(
      Array.from({ length: 20 }, () =>
        request(t.server)
          .post('/api/v1/persons')
          .set('Authorization', `Bearer ${tf['kr.officer'].tokens.accessToken}`)
          .set('Idempotency-Key', key)
          .send({ names: [{ full: title, script: 'latin', kind: 'primary' }] }),
      ),
    );
    const statuses = responses.map((r) => r.status);
    expect(statuses.every((s) => s === 201 || s === 409)).toBe(true);
    const ids = new Set(responses.filter((r) => r.status === 201).map((r) => r.body.id));
    expect(ids.size).toBe(1);
    const [row] = await t.dataSource.query(
      `SELECT count(*)::int AS n FROM person WHERE names::text LIKE '%' || $1 || '%'`,
      [key],
    );
    expect(row.n).toBe(1);
  });
});
