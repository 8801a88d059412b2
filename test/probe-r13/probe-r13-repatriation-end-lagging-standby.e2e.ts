import { givenIn } from '../support/given';
import { taskForce, TaskForce } from '../support/scenario';
import type { StreamingPair } from '../support/streaming-standby';
import type { TestApp } from '../support/test-app';
import { appOnPrimaryAndStandby, waitUntil, whileStandbyPaused } from './lagging-standby';

/**
 * Probe (round 13): an arrest seen through a repatriation request is still listed to the person's
 * country after the request is withdrawn, or the person dropped from it, from a standby that has not
 * replayed that step. KH arrests two Korean nationals and sends KR a repatriation request for each: KR
 * reads and lists both arrests (`arrestScope`: the nationality's country, while the request is under
 * way). KH withdraws the first request, and drops the second person from the other (accepted) request:
 * `repatriationUnderWay` no longer holds, and `GET /arrests/:id` on the primary answers KR 404 for both
 * (probe r7). But `GET /arrests` reads from a standby (`@ReadsFromReplica()`), and neither step is a
 * `@ReducesVisibility()` command (src/workflow/request-step-routes.ts `withdraw` and `reject`,
 * src/repatriations/repatriation-requests.controller.ts `drop`; only `assign` is marked), so a standby
 * that has not replayed them keeps listing both arrests to KR, for up to `DATABASE_REPLICA_MAX_LAG_MS`
 * (README "Read replicas": "Nothing shown after it was taken away"). A target's `reject` ends it the same way.
 * Fix: mark `withdraw`, `reject` and `drop` `@ReducesVisibility()` (at least for repatriation requests).
 */
describe('Probe r13: a repatriation withdrawn or a person dropped is not waited for by standby reads', () => {
  let pair: StreamingPair;
  let t: TestApp;
  let tf: TaskForce;
  const arrestIds: string[] = [];
  let listedBefore: string[];
  let readAlone: number[];
  let listedAfter: string[];

  const listed = async () =>
    ((await tf['kr.officer'].get('/arrests?limit=200').expect(200)).body.items as Array<{ id: string }>).map(
      (a) => a.id,
    );

  beforeAll(async () => {
    ({ pair, t } = await appOnPrimaryAndStandby());
    tf = await taskForce(t);
    const given = givenIn(tf);
    for (const name of ['PARK Withdrawn', 'PARK Dropped'])
      arrestIds.push(
        (
          await tf['kh.officer']
            .post('/arrests', {
              arrestedAt: '2026-03-03T02:30:00Z',
              place: 'Sihanoukville',
              grounds: 'Online fraud',
              arrestingAgency: 'GDNP',
              nationality: 'KR',
              person: { names: [{ full: name, script: 'latin', kind: 'primary' }], nationalities: ['KR'] },
            })
            .expect(201)
        ).body.id,
      );
    const withdrawn = await given
      .aRequest('repatriation')
      .from('KH')
      .sentTo('KR')
      .with({ arrestIds: [arrestIds[0]], subject: 'Repatriation, later withdrawn' })
      .sent();
    const dropped = await given
      .aRequest('repatriation')
      .from('KH')
      .sentTo('KR')
      .with({ arrestIds: [arrestIds[1]], subject: 'Repatriation, one person later dropped' })
      .accepted();
    await waitUntil(() => pair.caughtUp(), 30_000);
    listedBefore = await listed();
    await whileStandbyPaused(pair, async () => {
      await tf['kh.officer']
        .post(`/repatriation-requests/${withdrawn.id}/withdraw`, { version: withdrawn.version })
        .expect(200);
      await tf['kh.officer']
        .post(`/repatriation-requests/${dropped.id}/drop`, {
          version: dropped.version,
          arrestId: arrestIds[1],
          reason: 'charged_locally',
        })
        .expect(200);
      readAlone = [];
      for (const id of arrestIds) readAlone.push((await tf['kr.officer'].get(`/arrests/${id}`)).status);
      listedAfter = await listed();
    });
  }, 180_000);
  afterAll(async () => {
    await t?.close();
    await pair?.stop();
  });

  it('KR listed both arrests, and reads neither on the primary once the requests no longer carry them', () => {
    expect(listedBefore).toEqual(expect.arrayContaining(arrestIds));
    expect(readAlone).toEqual([404, 404]);
  });

  it('nor in its list, whatever the standby has replayed', () => {
    expect(listedAfter.filter((id) => arrestIds.includes(id))).toEqual([]);
  });
});
