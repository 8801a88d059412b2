import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { taskForce, TaskForce } from '../support/scenario';
import { createTestApp, TestApp } from '../support/test-app';

/**
 * Probe r54 (a nested body id's timing, as probe r51's download hold): `POST /blacklist-entries/activate`
 * took every listed entry's row `FOR NO KEY UPDATE` before asking whether the caller may see it. While
 * something held an entry's row (its banning country activating or lifting it), another country's
 * liaison listing its id waited for the hold, where an id that never existed answered 404 at once — and
 * its batch held the other country's entry for as long as it ran. Now only the entries the caller may
 * see are locked; an id it may not see answers 404 at once, as one that never existed.
 */
describe('Probe r54: a batch activation does not wait on, or hold, an entry the caller may not see', () => {
  let t: TestApp;
  let tf: TaskForce;
  let entry: string;
  beforeAll(async () => {
    t = await createTestApp();
    tf = await taskForce(t);
    // KR proposes LIM to MY; MY accepts: the entry awaits MY's activation. KH reads nothing of it.
    const proposal = (
      await tf['kr.officer']
        .post('/blacklist-entries', {
          frameworkId: (await tf.frameworkBetween('KR', 'MY'))!,
          banningCountry: 'MY',
          entry: {
            person: { names: [{ full: 'r54 held entry', script: 'latin', kind: 'primary' }] },
            grounds: 'Recruiter.',
            groundsSummary: 'Recruiter',
          },
        })
        .expect(201)
    ).body;
    let version = proposal.version;
    for (const [by, action] of [
      ['kr.officer', 'submit'],
      ['kr.liaison', 'approve'],
      ['my.liaison', 'accept'],
    ] as const)
      version = (await tf[by].post(`/blacklist-proposals/${proposal.id}/${action}`, { version }).expect(200))
        .body.version;
    entry = proposal.entries[0].id;
  }, 90_000);
  afterAll(() => t?.close());

  const activate = (who: 'kh.liaison' | 'my.liaison', id: string) =>
    request(t.server)
      .post('/api/v1/blacklist-entries/activate')
      .set('Authorization', `Bearer ${tf[who].tokens.accessToken}`)
      .send({ entries: [{ id, version: 1 }], legalBasis: 'Act s. 9', expiresOn: '2031-12-31' })
      .timeout(3000)
      .then(
        (res) => res.status,
        (err: Error & { timeout?: number }) => (err.timeout ? 'timed out' : err.message),
      );

  it('FINDING: while MY’s entry is held, KH’s liaison listing it gets 404 at once, as an id that never existed', async () => {
    expect(await activate('kh.liaison', entry)).toBe(404);
    const holder = t.dataSource.createQueryRunner();
    await holder.connect();
    await holder.startTransaction();
    try {
      // MY's liaison deciding on it, in flight: its row is held for update.
      await holder.query(`SELECT 1 FROM blacklist_entry WHERE id = $1 FOR UPDATE`, [entry]);
      expect(await activate('kh.liaison', randomUUID())).toBe(404);
      // On main: 'timed out' (waiting for the hold).
      expect(await activate('kh.liaison', entry)).toBe(404);
    } finally {
      await holder.rollbackTransaction();
      await holder.release();
    }
  });

  it('control: MY’s liaison activates it (the batch locks and activates its own entries)', async () => {
    expect(await activate('my.liaison', entry)).toBe(200);
  });
});
