import { entryMalaysiaAskedKoreaToBan } from '../support/blacklist-scenario';
import { signIn } from '../support/http';
import { taskForce, TaskForce } from '../support/scenario';
import { createTestApp, TestApp } from '../support/test-app';

/**
 * Probe (framework ended): "When a framework ends, what was given stays given and nothing more goes."
 * MY proposed a person for KR's blacklist; KR activated the entry. MY then leaves the only framework it
 * shared with KR. A KR checkpoint later confirms a hit on that entry: the confirmation (which checkpoint,
 * when, the screening's id) still goes to MY — alert list, inbox notification and MY's audit trail.
 * `ScreeningService.decide`/`raiseAlert` and `alerts()` ask no framework.
 */
describe('Probe (framework ended): a confirmed hit still reaches the proposing country', () => {
  let t: TestApp;
  let tf: TaskForce;
  let entryId: string;

  beforeAll(async () => {
    t = await createTestApp();
    tf = await taskForce(t);
    ({ entryId } = await entryMalaysiaAskedKoreaToBan(t, tf, {
      person: {
        names: [{ full: 'LEE Endframe', script: 'latin', kind: 'primary' }],
        birthDate: '1981-02-03',
        nationalities: ['MY'],
      },
      grounds: 'Recruiter for a compound.',
      groundsSummary: 'Recruiter',
    }));
    // MY leaves the Korea–Malaysia MOU today: no framework joins KR and MY any more.
    const [{ id: mou }] = await t.dataSource.query(
      `SELECT id FROM framework WHERE name = 'Korea–Malaysia Police Cooperation MOU'`,
    );
    const admin = await signIn(t.server, 'platform.admin');
    await admin
      .put(`/frameworks/${mou}/members/MY`, {
        joinedOn: '2026-02-01',
        leftOn: new Date().toISOString().slice(0, 10),
      })
      .expect(200);
    // Control: KR and MY no longer cooperate (a case share is refused).
    const kase = (await tf['kr.officer'].post('/cases', { title: 'After the MOU' }).expect(201)).body;
    await tf['kr.liaison'].post(`/cases/${kase.id}/shares`, { countryCode: 'MY' }).expect(400);

    const screener = await signIn(t.server, 'kr.screener');
    const screening = (
      await screener
        .post('/screenings', {
          checkpoint: 'ICN T2',
          names: [{ full: 'LEE Endframe' }],
          birthDate: '1981-02-03',
        })
        .expect(201)
    ).body;
    const candidate = screening.candidates.find(
      (c: { entry: { entryId: string } }) => c.entry.entryId === entryId,
    );
    await screener
      .post(`/screenings/${screening.id}/candidates/${candidate.id}/decision`, { decision: 'confirmed' })
      .expect(200);
  }, 180_000);
  afterAll(() => t?.close());

  it('MY reads no alert, notification or audit event of the hit', async () => {
    const alerts = (await tf['my.liaison'].get('/screenings/alerts').expect(200)).body as Array<{
      entryId: string;
    }>;
    const inbox = (await tf['my.liaison'].get('/notifications').expect(200)).body.items as Array<{
      eventType: string;
    }>;
    const events = (await tf['my.auditor'].get('/audit-events?recordType=screening').expect(200)).body
      .items as Array<{ action: string }>;
    expect({
      alerts: alerts.filter((a) => a.entryId === entryId).length,
      notifications: inbox.filter((n) => n.eventType === 'screening.hit_confirmed').length,
      auditEvents: events.filter((e) => e.action === 'screening.candidate.confirmed').length,
    }).toEqual({ alerts: 0, notifications: 0, auditEvents: 0 });
  });
});
