import { givenIn } from '../support/given';
import { signIn, SignedIn } from '../support/http';
import { taskForce, TaskForce } from '../support/scenario';
import { createTestApp, TestApp } from '../support/test-app';

/**
 * Probe (round 5): the arrest a country reads through a repatriation request (the arrested person's
 * country of nationality, README "Who sees an arrest") shows, once the framework is renewed, the
 * custody changes made while it had ended, with their times. KH arrests a Korean national and sends KR a
 * repatriation request for that arrest; KR reads the arrest. The Cambodia–Korea framework ends: KR reads
 * neither the arrest (404: "seeing an arrest through a repatriation request ... ends with the
 * framework") nor its custody (the request's `custodyStatus: null`). KH changes the custody status;
 * the framework is renewed. KR then reads the arrest's `updatedAt` and its custody history step at the
 * moment of KH's change during the gap (`toArrestView` / `custodyHistory` floor only at
 * `arrestSeenSince`, the request's sending). Same root as probe-r5-custody-during-ended-framework (the
 * share path), here through the request path.
 * Fix: src/arrests/arrests.service.ts `custodyHistory` and src/arrests/arrest-view.ts `toArrestView`
 * (with src/access/scopes.ts `arrestSeenSince`): a change made while no framework joined the reader to
 * the arresting country reads as of the renewal, for both ways an arrest reaches another country.
 */
describe('Probe r5: custody changes during an ended framework reach the nationality country, timed, after renewal', () => {
  let t: TestApp;
  let tf: TaskForce;
  let admin: SignedIn;
  let arrestId: string;
  let requestId: string;
  let gapStepAt: string;
  let withheldDuringGap: unknown;
  let arrestRead: Record<string, unknown>;
  let history: Array<{ at: string; toStatus: string }>;
  const pause = () => new Promise((resolve) => setTimeout(resolve, 50));
  const setActive = (active: boolean) =>
    admin.patch(`/frameworks/${tf.cambodiaKoreaFramework}`, { active }).expect(200);

  beforeAll(async () => {
    t = await createTestApp();
    tf = await taskForce(t);
    admin = await signIn(t.server, 'platform.admin');
    const arrest = (
      await tf['kh.officer']
        .post('/arrests', {
          arrestedAt: '2026-03-03T02:30:00Z',
          place: 'Sihanoukville',
          grounds: 'Online fraud',
          arrestingAgency: 'GDNP',
          nationality: 'KR',
          person: {
            names: [{ full: 'PARK Gapcustody', script: 'latin', kind: 'primary' }],
            nationalities: ['KR'],
          },
        })
        .expect(201)
    ).body;
    arrestId = arrest.id;
    requestId = (
      await givenIn(tf)
        .aRequest('repatriation')
        .from('KH')
        .sentTo('KR')
        .with({ arrestIds: [arrestId], subject: 'Repatriation of one Korean national' })
        .sent()
    ).id;
    await tf['kr.officer'].get(`/arrests/${arrestId}`).expect(200);

    await setActive(false);
    try {
      await tf['kr.officer'].get(`/arrests/${arrestId}`).expect(404);
      const request = (await tf['kr.liaison'].get(`/repatriation-requests/${requestId}`).expect(200)).body;
      withheldDuringGap = request.persons[0].custodyStatus;
      await pause();
      await tf['kh.officer']
        .post(`/arrests/${arrestId}/custody`, {
          status: 'charged',
          reason: 'Charged locally',
          version: arrest.version,
        })
        .expect((res) => expect(res.status).toBeLessThan(300));
      const own = (await tf['kh.officer'].get(`/arrests/${arrestId}/custody`).expect(200)).body as Array<{
        at: string;
        toStatus: string;
      }>;
      gapStepAt = own.find((h) => h.toStatus === 'charged')!.at;
      await pause();
    } finally {
      await setActive(true);
    }
    arrestRead = (await tf['kr.officer'].get(`/arrests/${arrestId}`).expect(200)).body;
    history = (await tf['kr.officer'].get(`/arrests/${arrestId}/custody`).expect(200)).body;
  }, 120_000);
  afterAll(() => t?.close());

  it('during the gap KR read nothing of the custody, and after the renewal reads the status as it is', () => {
    expect(withheldDuringGap).toBeNull();
    expect(arrestRead.custodyStatus).toBe('charged');
  });

  it('but not when KH changed it during the gap: neither as the arrest’s updatedAt', () => {
    expect(arrestRead.updatedAt).not.toBe(gapStepAt);
  });

  it('nor as a custody history step', () => {
    expect(history.map((h) => h.at)).not.toContain(gapStepAt);
  });
});
