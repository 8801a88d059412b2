import { CorrelationAlertsService } from '../../src/correlation-alerts/correlation-alerts.service';
import { send } from '../sharing/support';
import type { SignedIn } from '../support/http';
import { taskForce, TaskForce } from '../support/scenario';
import { createTestApp, TestApp } from '../support/test-app';

/**
 * A correlation found while the case's country cannot read both sides is told to nobody
 * (test/security/probe-presend-correlations). It was also marked handled for good: when the country
 * later read both sides, the alert never came. Now it is withheld and checked again by the sweep.
 *
 * KR arrests CHEA (a KH person KH shared with KR) under a KR case; KH revokes the share and gives CHEA a
 * phone; KH then sends KR a request naming that phone. KR reads the request but not CHEA: no alert. KH
 * shares the case again: KR reads CHEA's phone in its own case's arrest, and hears of KH's request.
 */
describe('A correlation withheld for want of access is told once access comes', () => {
  let t: TestApp;
  let tf: TaskForce;
  beforeAll(async () => {
    t = await createTestApp();
    tf = await taskForce(t);
  });
  afterAll(() => t?.close());

  const alertsAbout = async (who: SignedIn, recordId: string) =>
    (
      (await who.get('/notifications?limit=200').expect(200)).body.items as Array<{
        eventType: string;
        recordId: string;
        payload: { caseId: string; identifier: { value: string } };
      }>
    ).filter((n) => n.eventType === 'identifier.correlation' && n.recordId === recordId);
  const auditAbout = async (who: SignedIn, recordId: string) =>
    (
      (await who.get('/audit-events?action=case.identifier_correlation&limit=200').expect(200)).body
        .items as Array<{ details: { recordId: string } }>
    ).filter((e) => e.details.recordId === recordId);

  it('says nothing while KR cannot read the number in its case, and tells it after KH shares the case again', async () => {
    const { chea, khCase, krCase } = await krArrestsKhPersonThenKhRevokes('CHEA Withheld');
    const phone = '+85517440021';
    await tf['kh.officer']
      .patch(`/persons/${chea.id}`, {
        names: [{ full: 'CHEA Withheld', script: 'latin', kind: 'primary' }],
        phones: [phone],
        version: chea.version,
      })
      .expect(200);
    const draft = (
      await tf['kh.officer']
        .post('/information-requests', {
          frameworkId: tf.cambodiaKoreaFramework,
          targetCountry: 'KR',
          priority: 'routine',
          handlingCode: 'AMBER',
          subject: 'A number',
          questions: ['Whose is it?'],
          identifiers: { phones: [phone] },
        })
        .expect(201)
    ).body as { id: string; version: number };
    await send(tf['kh.officer'], tf['kh.liaison'], '/information-requests', draft);
    const sweeper = t.app.get(CorrelationAlertsService);
    await sweeper.sweep();
    expect(await alertsAbout(tf['kr.officer'], draft.id)).toEqual([]);
    expect(await auditAbout(tf['kr.auditor'], draft.id)).toEqual([]);

    // KH shares the case again: KR reads CHEA, phone included, as its own case's arrested person.
    await tf['kh.liaison'].post(`/cases/${khCase.id}/shares`, { countryCode: 'KR' }).expect(201);
    expect((await tf['kr.officer'].get(`/persons/${chea.id}`).expect(200)).body.phones).toEqual([phone]);
    await sweeper.sweep();
    const alerts = await alertsAbout(tf['kr.officer'], draft.id);
    expect(alerts.map((a) => [a.payload.caseId, a.payload.identifier.value])).toEqual([[krCase.id, phone]]);
    expect(await auditAbout(tf['kr.auditor'], draft.id)).toHaveLength(1);
    // Told once: a later sweep says nothing again.
    await sweeper.sweep();
    expect(await alertsAbout(tf['kr.officer'], draft.id)).toHaveLength(1);
  });

  it('tells it too when the request names a person carrying the number, not the number itself', async () => {
    const phone = '+85517440022';
    const { chea, khCase, krCase } = await krArrestsKhPersonThenKhRevokes('CHEA Named');
    await tf['kh.officer']
      .patch(`/persons/${chea.id}`, {
        names: [{ full: 'CHEA Named', script: 'latin', kind: 'primary' }],
        phones: [phone],
        version: chea.version,
      })
      .expect(200);
    // KH's request names SOK, a person of its own with the same phone; the request lists no numbers.
    const sok = (
      await tf['kh.officer']
        .post('/persons', {
          names: [{ full: 'SOK Contact', script: 'latin', kind: 'primary' }],
          phones: [phone],
        })
        .expect(201)
    ).body as { id: string };
    const draft = (
      await tf['kh.officer']
        .post('/information-requests', {
          frameworkId: tf.cambodiaKoreaFramework,
          targetCountry: 'KR',
          priority: 'routine',
          handlingCode: 'AMBER',
          subject: 'A contact',
          questions: ['Who is SOK?'],
          personIds: [sok.id],
        })
        .expect(201)
    ).body as { id: string; version: number };
    await send(tf['kh.officer'], tf['kh.liaison'], '/information-requests', draft);
    const sweeper = t.app.get(CorrelationAlertsService);
    await sweeper.sweep();
    expect(await alertsAbout(tf['kr.officer'], draft.id)).toEqual([]);

    await tf['kh.liaison'].post(`/cases/${khCase.id}/shares`, { countryCode: 'KR' }).expect(201);
    await sweeper.sweep();
    const alerts = await alertsAbout(tf['kr.officer'], draft.id);
    expect(alerts.map((a) => [a.payload.caseId, a.payload.identifier.value])).toEqual([[krCase.id, phone]]);
    expect(await auditAbout(tf['kr.auditor'], draft.id)).toHaveLength(1);
  });

  /** KR arrests a KH person (shared through a KH case) under a KR case; KH then revokes the share. */
  async function krArrestsKhPersonThenKhRevokes(full: string) {
    const chea = (
      await tf['kh.officer']
        .post('/persons', { names: [{ full, script: 'latin', kind: 'primary' }] })
        .expect(201)
    ).body as { id: string; version: number };
    const khCase = (
      await tf['kh.officer']
        .post('/cases', { title: 'Compound raid', persons: [{ personId: chea.id, role: 'suspect' }] })
        .expect(201)
    ).body as { id: string };
    await tf['kh.liaison'].post(`/cases/${khCase.id}/shares`, { countryCode: 'KR' }).expect(201);
    const krCase = (await tf['kr.officer'].post('/cases', { title: 'Returned suspects' }).expect(201))
      .body as { id: string };
    await tf['kr.officer']
      .post('/arrests', {
        arrestedAt: '2026-11-21T02:30:00Z',
        place: 'Incheon airport',
        grounds: 'Online fraud',
        arrestingAgency: 'KNP',
        nationality: 'KH',
        personId: chea.id,
        caseId: krCase.id,
      })
      .expect(201);
    await tf['kh.liaison'].delete(`/cases/${khCase.id}/shares/KR`).expect(200);
    return { chea, khCase, krCase };
  }
});
