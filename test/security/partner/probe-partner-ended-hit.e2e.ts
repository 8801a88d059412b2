import { entryMalaysiaAskedKoreaToBan } from '../../support/blacklist-scenario';
import { signIn, SignedIn } from '../../support/http';
import { taskForce, TaskForce } from '../../support/scenario';
import { createTestApp, TestApp } from '../../support/test-app';

/**
 * Probe (framework ended): "When a framework ends, what was given stays given and nothing more goes."
 * MY proposed a person for KR's blacklist; KR activated the entry. MY then leaves the only framework it
 * shared with KR. A KR checkpoint later confirms a hit on that entry: the confirmation (which checkpoint,
 * when, the screening's id) still goes to MY — alert list, inbox notification and MY's audit trail.
 * `ScreeningService.decide`/`raiseAlert` and `alerts()` ask no framework. Walks every path the hit
 * takes to MY (alert list, inbox, webhook outbox, audit trail), and that a hit told before the end stays.
 */
describe('Probe (framework ended): a confirmed hit still reaches the proposing country', () => {
  let t: TestApp;
  let tf: TaskForce;
  let entryId: string;
  let screener: SignedIn;
  /** Screening ids of the hit confirmed while the MOU joined KR and MY, and of the one after it ended. */
  let before: string;
  let after: string;
  /** Webhook subscriptions to `screening.hit_confirmed` of MY's and of KR's liaison. */
  const hooks: Record<'MY' | 'KR', string> = { MY: '', KR: '' };

  const confirmAt = async (checkpoint: string): Promise<string> => {
    const screening = (
      await screener
        .post('/screenings', { checkpoint, names: [{ full: 'LEE Endframe' }], birthDate: '1981-02-03' })
        .expect(201)
    ).body;
    const candidate = screening.candidates.find(
      (c: { entry: { entryId: string } }) => c.entry.entryId === entryId,
    );
    await screener
      .post(`/screenings/${screening.id}/candidates/${candidate.id}/decision`, { decision: 'confirmed' })
      .expect(200);
    return screening.id;
  };

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
    for (const country of ['MY', 'KR'] as const)
      [{ id: hooks[country] }] = await t.dataSource.query(
        `INSERT INTO webhook_subscription (country_code, url, event_types, secret, created_by)
         SELECT country_code, 'https://example.org/hook', '{screening.hit_confirmed}',
                'a-webhook-secret-of-at-least-32-characters', id
           FROM app_user WHERE username = $1 RETURNING id`,
        [`${country.toLowerCase()}.liaison`],
      );
    screener = await signIn(t.server, 'kr.screener');
    // While the MOU joins KR and MY, a confirmed hit is told to MY: that stays told.
    before = await confirmAt('ICN T1');
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

    after = await confirmAt('ICN T2');
  }, 180_000);
  afterAll(() => t?.close());

  /** What a country's liaison and auditor read of the hits on the entry, by screening. */
  const readBy = async (liaison: SignedIn, auditor: SignedIn, country: 'MY' | 'KR') => {
    const alerts = (await liaison.get('/screenings/alerts').expect(200)).body.items as Array<{
      id: string;
      entryId: string;
      screeningId: string;
      checkpoint: string;
    }>;
    const mine = alerts.filter((a) => a.entryId === entryId);
    const inbox = (await liaison.get('/notifications').expect(200)).body.items as Array<{
      eventType: string;
      recordId: string;
    }>;
    const events = (await auditor.get('/audit-events?recordType=screening').expect(200)).body.items as Array<{
      action: string;
      recordId: string;
    }>;
    // Alert ids as the banning country reads them (it reads both).
    const krAlerts = (await tf['kr.liaison'].get('/screenings/alerts').expect(200)).body.items as Array<{
      id: string;
      screeningId: string;
    }>;
    const alertOf = (screeningId: string) => krAlerts.find((a) => a.screeningId === screeningId)!.id;
    const deliveries: Array<{ record_id: string }> = await t.dataSource.query(
      `SELECT n.record_id::text FROM webhook_delivery d JOIN notification n ON n.id = d.notification_id
        WHERE d.subscription_id = $1`,
      [hooks[country]],
    );
    return (screeningId: string) => ({
      alerts: mine.filter((a) => a.screeningId === screeningId).length,
      notifications: inbox.filter(
        (n) => n.eventType === 'screening.hit_confirmed' && n.recordId === alertOf(screeningId),
      ).length,
      auditEvents: events.filter(
        (e) => e.action === 'screening.candidate.confirmed' && e.recordId === screeningId,
      ).length,
      webhooks: deliveries.filter((d) => d.record_id === alertOf(screeningId)).length,
    });
  };

  it('MY reads no alert, notification, webhook or audit event of the hit', async () => {
    const my = await readBy(tf['my.liaison'], tf['my.auditor'], 'MY');
    expect(my(after)).toEqual({ alerts: 0, notifications: 0, auditEvents: 0, webhooks: 0 });
  });

  it('what MY was told while the MOU joined the two stays', async () => {
    const my = await readBy(tf['my.liaison'], tf['my.auditor'], 'MY');
    expect(my(before)).toEqual({ alerts: 1, notifications: 1, auditEvents: 1, webhooks: 1 });
  });

  it('KR, the banning country, hears of both hits', async () => {
    const kr = await readBy(tf['kr.liaison'], tf['kr.auditor'], 'KR');
    expect([kr(before), kr(after)]).toEqual([
      { alerts: 1, notifications: 1, auditEvents: 1, webhooks: 1 },
      { alerts: 1, notifications: 1, auditEvents: 1, webhooks: 1 },
    ]);
  });
});
