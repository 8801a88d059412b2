import { AuditSealerService } from '../../src/audit/audit-sealer.service';
import { khScreenerConfirmsParkMinho, proposedAndAccepted, threeSuspects } from '../support/blacklist-scenario';
import { signIn, SignedIn } from '../support/http';
import { taskForce, TaskForce } from '../support/scenario';
import { createTestApp, TestApp } from '../support/test-app';

/**
 * Probe (round 8): the banning country's checkpoint note on a confirmed hit reaches the proposing
 * country's auditors, whole and unweighed. KR proposes three suspects for KH's blacklist, KH activates
 * PARK Min-ho; a KH screener stops him and confirms the hit with a reason (`POST
 * /screenings/:id/candidates/:cid/decision { decision: 'confirmed', reason }`). The event
 * `screening.candidate.confirmed` is owned by KH with KR as counterpart (KR was told), and its
 * `changes.after.reason` is read by KR's auditor (`GET /audit-events?action=screening.candidate.confirmed`):
 * the note is the checkpoint's internal note (no product channel gives it to KR: the alert carries no
 * reason), yet `asReadBy` withholds only `details.comment`, not a reason in `changes`, and the text was
 * never weighed by the release rule (a number in it — the traveller's passport, a third country's
 * tip-off phone — goes too). A cleared candidate's reason stays with KH (README), a step comment is
 * withheld from the counterpart's auditors (`commentWithheld`), and this note should be too.
 * Fix: src/screening/screening.service.ts (`decide`: keep the reason out of the event's counterpart
 * view, e.g. in `details.comment`, or owned/recorded for the banning country only) and/or
 * src/audit-trail/audit-trail.service.ts (`asReadBy`).
 */
describe('Probe r8: a KH screener’s confirm note is read by KR’s auditors', () => {
  let t: TestApp;
  let tf: TaskForce;
  let screeningId: string;
  const note = 'Tip-off from liaison Som: he uses phone +85569123456 and passport N88776655';

  const events = async (who: SignedIn, query: string) =>
    (await who.get(`/audit-events?${query}`).expect(200)).body.items as Array<Record<string, unknown>>;

  beforeAll(async () => {
    t = await createTestApp();
    tf = await taskForce(t);
    const { proposal } = await proposedAndAccepted(tf, threeSuspects(tf.cambodiaKoreaFramework));
    const entryId = proposal.entries[1].id as string;
    await tf['kh.liaison']
      .post(`/blacklist-entries/${entryId}/activate`, {
        version: 1,
        legalBasis: 'Immigration Act s. 29',
        expiresOn: '2031-12-31',
      })
      .expect(200);
    const screener = await signIn(t.server, 'kh.screener');
    screeningId = await khScreenerConfirmsParkMinho(screener, entryId, note);
    await t.app.get(AuditSealerService).sealNow({ drain: true });
  }, 180_000);
  afterAll(() => t?.close());

  it('control: KR was told (its liaison reads the alert) and its auditor reads the confirmation', async () => {
    const alerts = (await tf['kr.liaison'].get('/screenings/alerts').expect(200)).body.items;
    expect(alerts).toEqual([expect.objectContaining({ kind: 'confirmed_hit', screeningId })]);
    const confirmed = await events(tf['kr.auditor'], `action=screening.candidate.confirmed&recordId=${screeningId}`);
    expect(confirmed).toHaveLength(1);
  });

  it('KR’s auditor does not read the KH screener’s note, nor the numbers in it', async () => {
    const [confirmed] = await events(
      tf['kr.auditor'],
      `action=screening.candidate.confirmed&recordId=${screeningId}`,
    );
    const text = JSON.stringify(confirmed);
    expect({
      note: text.includes('Tip-off from liaison Som'),
      phone: text.includes('+85569123456'),
      passport: text.includes('N88776655'),
    }).toEqual({ note: false, phone: false, passport: false });
  });

  it('control: KH’s own auditor reads its screener’s note', async () => {
    const [confirmed] = await events(
      tf['kh.auditor'],
      `action=screening.candidate.confirmed&recordId=${screeningId}`,
    );
    expect(JSON.stringify(confirmed)).toContain('Tip-off from liaison Som');
  });
});
