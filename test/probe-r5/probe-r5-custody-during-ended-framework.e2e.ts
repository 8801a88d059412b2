import { signIn, SignedIn } from '../support/http';
import { taskForce, TaskForce } from '../support/scenario';
import { createTestApp, TestApp } from '../support/test-app';
import { frameworkId } from '../sharing/support';

/**
 * Probe (round 5): custody changes the arresting country made while the framework had ended reach the
 * partner, with their times, once the framework is renewed. KR records an arrest and shares it with MY;
 * the Korea–Malaysia framework ends (MY reads nothing of the arrest: 404, as the README says — "an arrest
 * share ... ends with the framework"); KR changes the custody status; the framework is renewed. MY then
 * reads:
 *  - the arrest's `updatedAt`: the moment of KR's change during the gap (`timesAsRead` takes the
 *    arrest's `updated_at` as the last change, `seenSince` being the first share);
 *  - `GET /arrests/:id/custody`: the step taken during the gap, with its `at`, its reason and who took it
 *    (`custodyHistory` keeps every step since `arrestSeenSince`, the first share);
 * So MY learns when (and why, and by whom) KR worked on the arrest while it had no access — the class of
 * round 4 (a case edited while its share was revoked reads as made at the new share), for arrests.
 * Fix: src/arrests/arrests.service.ts `custodyHistory` and src/arrests/arrest-view.ts `toArrestView`
 * (with src/access/scopes.ts `arrestSeenSince`): for another country, a step taken while no framework
 * joined it to the arresting country reads as of the renewal (or is folded into the status it reached
 * it in), and the arrest's `updatedAt` is no earlier than the renewal. This needs when the framework was
 * renewed (not only `framework.active`). (MY's auditor does not read the gap's `arrest.custody.change`
 * event: that part holds.)
 */
describe('Probe r5: custody changes made while the framework had ended show with their times after renewal', () => {
  let t: TestApp;
  let tf: TaskForce;
  let admin: SignedIn;
  let krMy: string;
  let arrestId: string;
  let gapStepAt: string;
  let arrestRead: Record<string, unknown>;
  let history: Array<{ at: string; toStatus: string; reason: string | null; actorUsername: string | null }>;
  const pause = () => new Promise((resolve) => setTimeout(resolve, 50));
  const setActive = (framework: string, active: boolean) =>
    admin.patch(`/frameworks/${framework}`, { active }).expect(200);

  beforeAll(async () => {
    t = await createTestApp();
    tf = await taskForce(t);
    admin = await signIn(t.server, 'platform.admin');
    krMy = await frameworkId(t, 'Korea–Malaysia');
    const person = (
      await tf['kr.officer']
        .post('/persons', { names: [{ full: 'HAN Gapstep', script: 'latin', kind: 'primary' }] })
        .expect(201)
    ).body;
    const arrest = (
      await tf['kr.officer']
        .post('/arrests', {
          arrestedAt: '2026-03-02T02:30:00Z',
          place: 'Busan',
          grounds: 'Online fraud',
          arrestingAgency: 'KNP',
          nationality: 'KR',
          personId: person.id,
        })
        .expect(201)
    ).body;
    arrestId = arrest.id;
    await tf['kr.liaison'].post(`/arrests/${arrestId}/shares`, { countryCode: 'MY' }).expect(200);
    await tf['my.officer'].get(`/arrests/${arrestId}`).expect(200);

    await setActive(krMy, false);
    try {
      await tf['my.officer'].get(`/arrests/${arrestId}`).expect(404);
      await pause();
      // While MY reads nothing of the arrest, KR charges the person.
      const changed = (
        await tf['kr.officer']
          .post(`/arrests/${arrestId}/custody`, {
            status: 'charged',
            reason: 'Charged while MY had no access',
            version: arrest.version,
          })
          .expect((res) => expect(res.status).toBeLessThan(300))
      ).body;
      expect(changed.custodyStatus).toBe('charged');
      const own = (await tf['kr.officer'].get(`/arrests/${arrestId}/custody`).expect(200)).body as Array<{
        at: string;
        toStatus: string;
      }>;
      gapStepAt = own.find((h) => h.toStatus === 'charged')!.at;
      await pause();
    } finally {
      await setActive(krMy, true);
    }

    arrestRead = (await tf['my.officer'].get(`/arrests/${arrestId}`).expect(200)).body;
    history = (await tf['my.officer'].get(`/arrests/${arrestId}/custody`).expect(200)).body;
  }, 120_000);
  afterAll(() => t?.close());

  it('MY reads the arrest again after the renewal, in the status it now has', () => {
    expect(arrestRead.custodyStatus).toBe('charged');
  });

  it('but its updatedAt is not the time of KR’s change made while no framework joined them', () => {
    expect(arrestRead.updatedAt).not.toBe(gapStepAt);
    expect(Date.parse(arrestRead.updatedAt as string)).toBeGreaterThan(Date.parse(gapStepAt));
  });

  it('and its custody history shows no step at the time of the gap', () => {
    expect(history.map((h) => h.at)).not.toContain(gapStepAt);
  });
});
