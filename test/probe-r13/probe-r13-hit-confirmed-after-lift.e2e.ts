import {
  khScreenerScreensParkMinho,
  proposedAndAccepted,
  threeSuspects,
} from '../support/blacklist-scenario';
import { signIn } from '../support/http';
import { taskForce, TaskForce } from '../support/scenario';
import { createTestApp, TestApp } from '../support/test-app';

/**
 * Probe (round 13): a ban lifted still tells the proposing country of the person at a checkpoint. KR
 * proposes PARK Min-ho for Cambodia's blacklist; KH accepts and activates the entry. A KH screener
 * screens a traveller, PARK Min-ho: the entry is a candidate. KH's liaison then lifts the entry (the
 * ban no longer stands; `GET /blacklist-entries/:id` reads `lifted`). The screener confirms the candidate
 * afterwards: src/screening/screening.service.ts `decide` does not look at the entry's status, and
 * `raiseAlert` tells KR (`proposer_told_at`, an alert in KR's `GET /screenings/alerts`, a
 * `screening.hit_confirmed` notification to KR's liaisons and the event in KR's audit trail). The
 * re-screening job takes the opposite rule for the same situation (src/screening/rescreening.service.ts
 * `nextBatch`: "an entry lifted or expired since then alerts nobody"): a lifted or expired entry is no
 * longer the proposing country's lead at the banning country's checkpoints.
 * Fixed: confirming a hit on an entry no longer in force (lifted, expired) is refused (409
 * `entry-not-in-force`), as a lift leaves nothing to confirm; the screener clears the candidate instead.
 */
describe('Probe r13: a hit confirmed after the entry was lifted still alerts the proposing country', () => {
  let t: TestApp;
  let tf: TaskForce;
  let entryId: string;
  let entryStatus: string;
  let krAlerts: Array<{ entryId: string }>;
  let krNotified: string[];
  let confirmation: { status: number; body: { type?: string; entryStatus?: string } };
  let clearing: { status: number; body: { candidates: Array<{ id: string; decision: string }> } };

  beforeAll(async () => {
    t = await createTestApp();
    tf = await taskForce(t);
    const screener = await signIn(t.server, 'kh.screener');
    const { proposal } = await proposedAndAccepted(tf, threeSuspects(tf.cambodiaKoreaFramework));
    entryId = proposal.entries[1].id;
    const active = (
      await tf['kh.liaison']
        .post(`/blacklist-entries/${entryId}/activate`, {
          version: 1,
          legalBasis: 'Immigration Law art. 29',
          expiresOn: '2031-12-31',
        })
        .expect(200)
    ).body;
    const { screeningId, candidateId } = await khScreenerScreensParkMinho(screener, entryId);
    entryStatus = (
      await tf['kh.liaison']
        .post(`/blacklist-entries/${entryId}/lift`, { version: active.version, reason: 'Warrant withdrawn' })
        .expect(200)
    ).body.status;
    confirmation = await screener.post(`/screenings/${screeningId}/candidates/${candidateId}/decision`, {
      decision: 'confirmed',
    });
    clearing = await screener.post(`/screenings/${screeningId}/candidates/${candidateId}/decision`, {
      decision: 'cleared',
      reason: 'Ban lifted before the traveller was confirmed',
    });
    krAlerts = (await tf['kr.liaison'].get('/screenings/alerts').expect(200)).body.items;
    krNotified = (
      (await tf['kr.liaison'].get('/notifications').expect(200)).body.items as Array<{ eventType: string }>
    ).map((n) => n.eventType);
  }, 120_000);
  afterAll(() => t?.close());

  it('the entry was lifted before the hit was confirmed', () => {
    expect(entryStatus).toBe('lifted');
  });

  it('refuses the confirmation, naming why, and lets the screener clear the candidate instead', () => {
    expect(confirmation.status).toBe(409);
    expect(confirmation.body).toMatchObject({
      type: expect.stringContaining('entry-not-in-force'),
      entryStatus: 'lifted',
    });
    expect(clearing.status).toBe(200);
    expect(clearing.body.candidates.map((c) => c.decision)).toContain('cleared');
  });

  it('KR, whose lifted entry it was, is not told of the traveller', () => {
    expect(krAlerts.filter((a) => a.entryId === entryId)).toEqual([]);
    expect(krNotified).not.toContain('screening.hit_confirmed');
  });
});
