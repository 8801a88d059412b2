import { signIn } from '../support/http';
import { taskForce, TaskForce } from '../support/scenario';
import type { StreamingPair } from '../support/streaming-standby';
import type { TestApp } from '../support/test-app';
import { appOnPrimaryAndStandby, waitUntil, whileStandbyPaused } from './lagging-standby';

/**
 * Probe (round 13): a suspended framework still shows a partner the arrests shared under it, from a
 * standby that has not replayed the suspension. KH arrests a person and shares the arrest with KR under
 * the Cambodia–Korea Joint Task Force, their only framework; KR lists it. The platform administrator
 * suspends the framework (`PATCH /frameworks/:id { active: false }`): an arrest share ends with the
 * framework (`arrestScope`'s `cooperatesWith`), and `GET /arrests/:id` on the primary answers KR 404.
 * But `GET /arrests` reads from a standby (`@ReadsFromReplica()`), and the suspension is not a
 * `@ReducesVisibility()` command — only `PUT /frameworks/:id/members/:countryCode` is
 * (src/reference-data/reference-data.controller.ts `updateFramework`) — so a standby that has not
 * replayed it keeps serving KR's list, with the arrest in it, for up to `DATABASE_REPLICA_MAX_LAG_MS`
 * (README "Read replicas": "Nothing shown after it was taken away"). The arrest's audit events
 * (`GET /audit-events`, `cooperatesWith` too) and the inbox read the same standby.
 * Fix: mark `PATCH /frameworks/:id` `@ReducesVisibility()` (a suspension takes away whatever the end of
 * a membership does).
 */
describe('Probe r13: a framework suspension is not waited for by standby reads (arrests still listed)', () => {
  let pair: StreamingPair;
  let t: TestApp;
  let tf: TaskForce;
  let arrestId: string;
  let listedBefore: string[];
  let readAlone: number;
  let listedAfter: string[];

  const listed = async () =>
    ((await tf['kr.officer'].get('/arrests?limit=200').expect(200)).body.items as Array<{ id: string }>).map(
      (a) => a.id,
    );

  beforeAll(async () => {
    ({ pair, t } = await appOnPrimaryAndStandby());
    tf = await taskForce(t);
    const admin = await signIn(t.server, 'platform.admin');
    arrestId = (
      await tf['kh.officer']
        .post('/arrests', {
          arrestedAt: '2026-03-03T02:30:00Z',
          place: 'Sihanoukville',
          grounds: 'Online fraud',
          arrestingAgency: 'GDNP',
          nationality: 'KR',
          person: {
            names: [{ full: 'KIM Suspended', script: 'latin', kind: 'primary' }],
            nationalities: ['KR'],
          },
        })
        .expect(201)
    ).body.id;
    await tf['kh.liaison'].post(`/arrests/${arrestId}/shares`, { countryCode: 'KR' }).expect(200);
    await waitUntil(() => pair.caughtUp(), 30_000);
    listedBefore = await listed();
    await whileStandbyPaused(pair, async () => {
      await admin.patch(`/frameworks/${tf.cambodiaKoreaFramework}`, { active: false }).expect(200);
      readAlone = (await tf['kr.officer'].get(`/arrests/${arrestId}`)).status;
      listedAfter = await listed();
    });
  }, 180_000);
  afterAll(async () => {
    await t?.close();
    await pair?.stop();
  });

  it('KR listed the shared arrest, and reads it no more on the primary once the framework is suspended', () => {
    expect(listedBefore).toContain(arrestId);
    expect(readAlone).toBe(404);
  });

  it('nor in its list, whatever the standby has replayed', () => {
    expect(listedAfter).not.toContain(arrestId);
  });
});
