import { AuditSealerService } from '../../src/audit/audit-sealer.service';
import { khScreenerConfirmsParkMinho, proposedAndAccepted, threeSuspects } from '../support/blacklist-scenario';
import { signIn, SignedIn } from '../support/http';
import { taskForce, TaskForce } from '../support/scenario';
import { createTestApp, TestApp } from '../support/test-app';

/**
 * Probe (round 8): a counterpart's auditor learns who exactly, in the banning country, decided on its
 * blacklist entries. KR proposes three suspects for KH's blacklist; KH's second liaison (`kh.liaison2`)
 * rejects one with a reason and activates another. The events `blacklist.entry.reject` / `.activate`
 * are owned by KR (the proposing country), so KR's auditor reads them: `asReadBy` withholds the foreign
 * actor's `userId`, `agencyId`, address and agent ("another country's staff ... stay that country's: who
 * exactly"), but not `actor.username`, and the `actor=<username>` filter of `GET /audit-events` is not
 * limited to the auditor's own country (the UUID form is), so KR's auditor can also ask which KH user
 * decided what (`?actor=kh.liaison2`).
 * The same for KH's checkpoint screener who confirmed a hit on the entry (`screening.candidate.confirmed`,
 * counterpart KR): KR's auditor reads `actor.username: 'kh.screener'`, a name no shared channel (request
 * history, messages) ever gives KR. And on the hit/no-hit path: the partner's own `identifier_check.answer`
 * event names the asking officer (`kr.officer`) to the partner's auditors.
 * Fix: src/audit-trail/audit-trail.service.ts (`asReadBy`: null `actor_username` with the other staff
 * details; `conditions`: the username filter only among the auditor's own country's actors).
 */
describe('Probe r8: the banning country’s reviewer is named to the proposing country’s auditors', () => {
  let t: TestApp;
  let tf: TaskForce;
  let rejectedId: string;
  let activatedId: string;
  let screeningId: string;

  const events = async (who: SignedIn, query: string) =>
    (await who.get(`/audit-events?${query}`).expect(200)).body.items as Array<{
      action: string;
      recordId: string;
      actor: { username: string | null; userId: string | null; country: string | null };
      ownerCountry: string | null;
    }>;

  beforeAll(async () => {
    t = await createTestApp();
    tf = await taskForce(t);
    const { proposal } = await proposedAndAccepted(tf, threeSuspects(tf.cambodiaKoreaFramework));
    [rejectedId, activatedId] = [proposal.entries[0].id, proposal.entries[1].id];
    const reviewer = await signIn(t.server, 'kh.liaison2');
    await reviewer
      .post(`/blacklist-entries/${rejectedId}/reject`, { version: 1, reason: 'Insufficient evidence' })
      .expect(200);
    await reviewer
      .post(`/blacklist-entries/${activatedId}/activate`, {
        version: 1,
        legalBasis: 'Immigration Act s. 29',
        expiresOn: '2031-12-31',
      })
      .expect(200);
    // KH's checkpoint screener stops PARK Min-ho and confirms the hit: KR (the proposer) is told.
    const screener = await signIn(t.server, 'kh.screener');
    screeningId = await khScreenerConfirmsParkMinho(screener, activatedId);
    await t.app.get(AuditSealerService).sealNow({ drain: true });
  }, 180_000);
  afterAll(() => t?.close());

  it('control: KR’s auditor reads the decisions on its entries (owned by KR)', async () => {
    const [reject] = await events(tf['kr.auditor'], `action=blacklist.entry.reject&recordId=${rejectedId}`);
    expect(reject).toMatchObject({ ownerCountry: 'KR', actor: { country: 'KH', userId: null } });
  });

  it('KR’s auditor does not read the KH reviewer’s username on the reject and activate events', async () => {
    const [reject] = await events(tf['kr.auditor'], `action=blacklist.entry.reject&recordId=${rejectedId}`);
    const [activate] = await events(
      tf['kr.auditor'],
      `action=blacklist.entry.activate&recordId=${activatedId}`,
    );
    expect([reject!.actor.username, activate!.actor.username]).toEqual([null, null]);
    expect(JSON.stringify([reject, activate])).not.toContain('kh.liaison2');
  });

  it('KR’s auditor cannot pick out a KH reviewer’s decisions by filtering on its username', async () => {
    const found = await events(tf['kr.auditor'], `actor=kh.liaison2`);
    expect(found.map((e) => e.action)).toEqual([]);
  });

  it('KR’s auditor does not read which KH checkpoint screener confirmed the hit', async () => {
    const [confirmed] = await events(
      tf['kr.auditor'],
      `action=screening.candidate.confirmed&recordId=${screeningId}`,
    );
    expect(confirmed).toMatchObject({ actor: { country: 'KH', userId: null } });
    expect(confirmed!.actor.username).toBeNull();
    expect(await events(tf['kr.auditor'], 'actor=kh.screener')).toEqual([]);
  });

  it('KH’s auditor does not read which KR officer ran a hit/no-hit check against KH', async () => {
    const check = (
      await tf['kr.officer']
        .post('/identifier-checks', {
          partners: ['KH'],
          identifiers: [{ kind: 'phone', value: '+85512345001' }],
        })
        .expect(201)
    ).body;
    await t.app.get(AuditSealerService).sealNow({ drain: true });
    const [answer] = await events(tf['kh.auditor'], `action=identifier_check.answer&recordId=${check.id}`);
    expect(answer).toMatchObject({ ownerCountry: 'KH', actor: { country: 'KR', userId: null } });
    expect(answer!.actor.username).toBeNull();
  });

  it('control: KH’s own auditor reads its reviewer', async () => {
    const [reject] = await events(tf['kh.auditor'], `action=blacklist.entry.reject&recordId=${rejectedId}`);
    expect(reject!.actor.username).toBe('kh.liaison2');
  });
});
