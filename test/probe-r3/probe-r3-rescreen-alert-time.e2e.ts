import { RescreeningService } from '../../src/screening/rescreening.service';
import { entryMalaysiaAskedKoreaToBan } from '../support/blacklist-scenario';
import { signIn, SignedIn } from '../support/http';
import { taskForce, TaskForce } from '../support/scenario';
import { createTestApp, TestApp } from '../support/test-app';

/**
 * Probe (round 3): a re-screening match is the banning country's lead until its screener confirms it
 * ("the proposing country hears of it once a screener confirms the hit"; README, screening). MY proposes
 * a person for KR's blacklist. A KR checkpoint screens the traveller before the entry is active; KR
 * activates, the re-screening job raises a `rescreen_match` alert for KR only. KR sits on it, then its
 * screener confirms. `ScreeningService.raiseAlert` turns the existing alert row into `confirmed_hit`
 * (`ON CONFLICT (candidate_id) DO UPDATE SET kind …`) but keeps its `created_at`: MY's
 * `GET /screenings/alerts` shows `createdAt` = when KR's re-screening found the match, earlier than the
 * confirmation MY was told of (its notification's time). MY so learns that the hit came from a past
 * screening found by re-screening, and how long KR held the lead before confirming it.
 * Fix: src/screening/screening.service.ts (`raiseAlert`/`alerts`): show the proposing country the time
 * it was told (`proposer_told_at`) and page its alerts by that, never the row's `created_at`.
 */
describe('Probe r3: a confirmed re-screening hit shows the proposing country when the banning country found it', () => {
  let t: TestApp;
  let tf: TaskForce;
  let entryId: string;
  let screener: SignedIn;
  let toldAt: string;

  beforeAll(async () => {
    t = await createTestApp();
    tf = await taskForce(t);
    screener = await signIn(t.server, 'kr.screener');
    const person = {
      names: [{ full: 'LEE Rescreenlead', script: 'latin', kind: 'primary' }],
      birthDate: '1979-05-06',
      nationalities: ['MY'],
    };
    // KR's checkpoint screens the traveller before any entry of them is active: no candidate.
    const earlier = (
      await screener
        .post('/screenings', {
          checkpoint: 'ICN T1',
          names: [{ full: 'LEE Rescreenlead' }],
          birthDate: '1979-05-06',
        })
        .expect(201)
    ).body;
    expect(earlier.candidates).toEqual([]);
    ({ entryId } = await entryMalaysiaAskedKoreaToBan(t, tf, {
      person,
      grounds: 'Recruiter for a compound.',
      groundsSummary: 'Recruiter',
    }));
    // The re-screening finds the past screening: an alert for KR's liaisons only.
    await t.app.get(RescreeningService).runPending();
    const krAlerts = (await tf['kr.liaison'].get('/screenings/alerts').expect(200)).body.items as Array<{
      kind: string;
      entryId: string;
    }>;
    expect(krAlerts.filter((a) => a.entryId === entryId).map((a) => a.kind)).toEqual(['rescreen_match']);
    expect(
      (
        (await tf['my.liaison'].get('/screenings/alerts').expect(200)).body.items as Array<{
          entryId: string;
        }>
      ).filter((a) => a.entryId === entryId),
    ).toEqual([]);
    // KR looks at it for a while (other work happens), then its screener confirms the hit.
    for (let i = 0; i < 3; i++)
      await tf['kr.officer'].post('/cases', { title: `Other work ${i}` }).expect(201);
    const revisited = (await screener.get(`/screenings/${earlier.id}`).expect(200)).body;
    const candidate = revisited.candidates.find(
      (c: { entry: { entryId: string } }) => c.entry.entryId === entryId,
    );
    await screener
      .post(`/screenings/${earlier.id}/candidates/${candidate.id}/decision`, { decision: 'confirmed' })
      .expect(200);
    const inbox = (await tf['my.liaison'].get('/notifications?limit=200').expect(200)).body.items as Array<{
      eventType: string;
      createdAt: string;
      payload: { entryId?: string };
    }>;
    const told = inbox.find(
      (n) => n.eventType === 'screening.hit_confirmed' && n.payload.entryId === entryId,
    );
    expect(told).toBeDefined();
    toldAt = told!.createdAt;
  }, 180_000);
  afterAll(() => t?.close());

  it('MY reads the hit as of when it was told, not as of KR’s re-screening', async () => {
    const mine = (
      (await tf['my.liaison'].get('/screenings/alerts').expect(200)).body.items as Array<{
        kind: string;
        entryId: string;
        createdAt: string;
      }>
    ).filter((a) => a.entryId === entryId);
    expect(mine.map((a) => a.kind)).toEqual(['confirmed_hit']);
    expect({ predatesTelling: Date.parse(mine[0]!.createdAt) < Date.parse(toldAt) }).toEqual({
      predatesTelling: false,
    });
  });
});
