import { taskForce, TaskForce } from '../support/scenario';
import { createTestApp, TestApp } from '../support/test-app';

/**
 * Probe input 8 (held): an Idempotency-Key reused on another route, after a refused first request, after
 * its record changed, and sent with a raid batch three times at once or with two bodies at once. Each
 * answer is the documented one (README "Idempotency-Key"): a replay, a 422 `idempotency-key-reused`, or
 * a fresh request when nothing was stored; never two writes.
 */
describe('Probe input 8: one Idempotency-Key, many requests', () => {
  let t: TestApp;
  let tf: TaskForce;
  beforeAll(async () => {
    t = await createTestApp();
    tf = await taskForce(t);
  }, 120_000);
  afterAll(() => t?.close());

  type Res = { status: number; body: { type?: string }; headers: Record<string, string> };
  const said = (r: Res) =>
    `${r.status}${r.headers['idempotent-replayed'] ? ' replayed' : ''}${r.status >= 400 ? ` ${r.body.type?.replace('urn:case-desk:problem:', '')}` : ''}`;
  const personsLike = async (pattern: string) =>
    (await t.dataSource.query(`SELECT count(*)::int AS n FROM person WHERE names::text LIKE $1`, [pattern]))[0]
      .n as number;
  const raid = (n: number, tag: string) => ({
    arrests: Array.from({ length: n }, (_, i) => ({
      arrestedAt: '2026-03-01T02:30:00Z',
      place: 'Busan',
      grounds: 'Online fraud',
      arrestingAgency: 'KNP',
      nationality: 'KR',
      person: {
        names: [{ full: `RAID ${tag} ${i}`, script: 'latin', kind: 'primary' }],
        documents: [{ type: 'passport', number: `M${tag}${i}`, issuingCountry: 'KR' }],
      },
    })),
  });

  it('a key is one request: another route is a 422; a refused first request stores nothing; a replay is the first answer', async () => {
    const o = tf['kr.officer'];
    const first = await o.post('/cases', { title: 'Keyed case' }).set('Idempotency-Key', 'k1');
    const person = { names: [{ full: 'KEYED Person', script: 'latin', kind: 'primary' }] };
    const seen = {
      first: said(first),
      otherRoute: said(await o.post('/persons', person).set('Idempotency-Key', 'k1')),
      emptyQuery: said(await o.post('/cases?', { title: 'Keyed case' }).set('Idempotency-Key', 'k1')),
      refused: said(await o.post('/cases', { title: '' }).set('Idempotency-Key', 'k2')),
      thenValid: said(await o.post('/cases', { title: 'Keyed case 2' }).set('Idempotency-Key', 'k2')),
      refusedAgain: said(await o.post('/cases', { title: '' }).set('Idempotency-Key', 'k2')),
    };
    expect(seen).toEqual({
      first: '201',
      otherRoute: '422 idempotency-key-reused',
      emptyQuery: '201 replayed',
      refused: '400 validation-failed',
      thenValid: '201',
      refusedAgain: '422 idempotency-key-reused',
    });
    expect(await personsLike('%KEYED Person%')).toBe(0);
    // The record changed since: the replay is still the first answer (Stripe's semantics), and no second case.
    await o.patch(`/cases/${first.body.id}`, { title: 'Keyed case renamed', version: first.body.version }).expect(200);
    const replay = await o.post('/cases', { title: 'Keyed case' }).set('Idempotency-Key', 'k1');
    expect({ status: said(replay), body: replay.body }).toEqual({ status: '201 replayed', body: first.body });
    const [{ n }] = await t.dataSource.query(`SELECT count(*)::int AS n FROM case_file WHERE title LIKE 'Keyed case%'`);
    expect(n).toBe(2);
  });

  it('a raid batch three times at once with one key: one raid, two replays; two bodies at once: one raid, one 422', async () => {
    const o = tf['kr.officer'];
    for (const n of [50, 400]) {
      const body = raid(n, `S${n}`);
      const same = await Promise.all([0, 1, 2].map(() => o.post('/arrests/batch', body).set('Idempotency-Key', `raid-${n}`)));
      expect(same.map(said).sort()).toEqual(['201', '201 replayed', '201 replayed']);
      expect(await personsLike(`%RAID S${n} %`)).toBe(n);
      const two = await Promise.all(
        ['D', 'E'].map((tag) => o.post('/arrests/batch', raid(n, `${tag}${n}`)).set('Idempotency-Key', `two-${n}`)),
      );
      expect(two.map(said).sort()).toEqual(['201', '422 idempotency-key-reused']);
      expect((await personsLike(`%RAID D${n} %`)) + (await personsLike(`%RAID E${n} %`))).toBe(n);
      // A keyed retry of a raid refused as a duplicate stored nothing: with allowDuplicates it is recorded.
      const dup = await o.post('/arrests/batch', body).set('Idempotency-Key', `dup-${n}`);
      const allowed = await o.post('/arrests/batch?allowDuplicates=true', body).set('Idempotency-Key', `dup-${n}`);
      expect([said(dup), said(allowed)]).toEqual(['409 duplicate-arrests', '201']);
      expect(await personsLike(`%RAID S${n} %`)).toBe(2 * n);
    }
  }, 300_000);
});
