import { send } from '../sharing/support';
import type { SignedIn } from '../support/http';
import { taskForce, TaskForce } from '../support/scenario';
import { createTestApp, TestApp } from '../support/test-app';

/**
 * Probe r57, angle 2 (a guard, no finding): a correlation alert is told to a case's lead officer and to
 * the country's audit trail, and said only where the country "reads both sides"
 * (`CorrelationAlertStore.readsBothSides`), asked of the country as a whole — as its liaisons read, RED
 * requests included. Could a KR case carry a phone only through a KH person KR reads by a RED request
 * alone (its assignee arresting the person under the case, or naming it in a request back to KH), so
 * that an AMBER share of the same phone tells the case's lead officer and KR's auditors, who are no
 * recipients, that the RED person has it? No: both ways are refused by the release rule (409, RED), so
 * no case of KR carries it and nothing is found. With an AMBER request the same steps alert (control).
 */
describe('Probe r57: a correlation whose case side KR could read only through a RED request', () => {
  let t: TestApp;
  let tf: TaskForce;
  beforeAll(async () => {
    t = await createTestApp();
    tf = await taskForce(t);
  }, 120_000);
  afterAll(() => t?.close());

  const alertsAbout = async (who: SignedIn, recordId: string) =>
    (
      (await who.get('/notifications?limit=200').expect(200)).body.items as Array<{
        eventType: string;
        recordId: string;
      }>
    ).filter((n) => n.eventType === 'identifier.correlation' && n.recordId === recordId);
  const auditAbout = async (who: SignedIn, recordId: string) =>
    (
      (await who.get('/audit-events?action=case.identifier_correlation&limit=200').expect(200)).body
        .items as Array<{ details: { recordId: string } }>
    ).filter((e) => e.details.recordId === recordId);

  /**
   * KH sends KR a request (`code`) naming CHEA (phone `phone`); KR's liaison assigns it to `kr.officer`,
   * who tries to carry CHEA into a KR case led by `kr.officer2` (an arrest, a request back to KH); KH
   * then shares with KR a case whose person SOK has the same phone. The statuses of the two tries, and
   * the KH case.
   */
  async function scenario(code: 'RED' | 'AMBER', phone: string, name: string) {
    const person = async (full: string) =>
      (
        await tf['kh.officer']
          .post('/persons', {
            names: [{ full, script: 'latin', kind: 'primary' }],
            nationalities: ['KH'],
            phones: [phone],
          })
          .expect(201)
      ).body.id as string;
    const chea = await person(`CHEA ${name}`);
    const draft = (
      await tf['kh.officer']
        .post('/information-requests', {
          frameworkId: tf.cambodiaKoreaFramework,
          targetCountry: 'KR',
          priority: 'routine',
          handlingCode: code,
          subject: `Whereabouts of ${name}`,
          questions: ['Where is this person?'],
          personIds: [chea],
        })
        .expect(201)
    ).body as { id: string; version: number };
    const sent = await send(tf['kh.officer'], tf['kh.liaison'], '/information-requests', draft);
    const accepted = (
      await tf['kr.liaison']
        .post(`/information-requests/${sent.id}/accept`, { version: sent.version })
        .expect(200)
    ).body as { version: number };
    await tf['kr.liaison']
      .post(`/information-requests/${sent.id}/assign`, {
        version: accepted.version,
        assigneeId: await tf.userId('kr.officer'),
      })
      .expect(200);
    const krCase = (
      await tf['kr.officer']
        .post('/cases', { title: `Returned ${name}`, leadOfficerId: await tf.userId('kr.officer2') })
        .expect(201)
    ).body.id as string;
    const arrest = await tf['kr.officer'].post('/arrests', {
      arrestedAt: '2026-11-21T02:30:00Z',
      place: 'Incheon airport',
      grounds: 'Online fraud',
      arrestingAgency: 'KNP',
      nationality: 'KH',
      personId: chea,
      caseId: krCase,
    });
    const back = await tf['kr.officer'].post('/information-requests', {
      frameworkId: tf.cambodiaKoreaFramework,
      targetCountry: 'KH',
      priority: 'routine',
      handlingCode: 'AMBER',
      subject: `About ${name}`,
      questions: ['Anything new?'],
      personIds: [chea],
      caseId: krCase,
    });
    const sok = await person(`SOK ${name}`);
    const khCase = (
      await tf['kh.officer']
        .post('/cases', { title: `Callers ${name}`, persons: [{ personId: sok, role: 'suspect' }] })
        .expect(201)
    ).body.id as string;
    await tf['kh.liaison'].post(`/cases/${khCase}/shares`, { countryCode: 'KR' }).expect(201);
    const rule = (r: { status: number; body: { rules?: string[] } }) => `${r.status} ${r.body.rules ?? ''}`;
    return { arrest: rule(arrest), back: rule(back), khCase };
  }

  it('RED: neither way carries CHEA into the case, and the share of SOK alerts nobody', async () => {
    const s = await scenario('RED', '+85517660041', 'RED carrier');
    expect([s.arrest, s.back]).toEqual(['409 RED', '409 RED']);
    expect(await alertsAbout(tf['kr.officer2'], s.khCase)).toEqual([]);
    expect(await auditAbout(tf['kr.auditor'], s.khCase)).toEqual([]);
    expect(
      await t.dataSource.query(`SELECT id FROM identifier_correlation WHERE record_id = $1`, [s.khCase]),
    ).toEqual([]);
  });

  it('AMBER (control): both ways carry CHEA, and the share of SOK alerts the lead officer and the trail', async () => {
    const s = await scenario('AMBER', '+85517660042', 'AMBER carrier');
    expect([s.arrest, s.back]).toEqual(['201 ', '201 ']);
    expect(await alertsAbout(tf['kr.officer2'], s.khCase)).toHaveLength(1);
    expect(await auditAbout(tf['kr.auditor'], s.khCase)).toHaveLength(1);
  });
});
