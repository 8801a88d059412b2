import { send } from '../../sharing/support';
import type { SignedIn } from '../../support/http';
import { taskForce, TaskForce } from '../../support/scenario';
import { createTestApp, TestApp } from '../../support/test-app';

interface Alert {
  eventType: string;
  recordType: string;
  recordId: string;
  payload: { identifier: { kind: string; value: string }; record: { part: string } };
}

/**
 * Probe: a correlation alert ("the phone … of your case is in KH's arrest record …") tells the case's
 * country where another country's record carries an identifier. The triggers that find them match the
 * index as stored, whatever the country reads. An arrest's person is indexed for its owner; a share of
 * the arrest releases that person (the release rule weighs its numbers), and the country reads it as
 * any person received (`personScope`, test/sharing/adjacent-arrest-person): the alert may name its
 * phone. On the case's side, a case "holds" the numbers of the persons it arrested, live, even one the
 * country no longer reads (a share revoked), so an alert about a number added since told the country it.
 * Every alert must say only what the country reads, on both sides, through the scopes of `src/access`.
 */
describe('Probe: correlation alerts name only identifiers the country reads in the record', () => {
  let t: TestApp;
  let tf: TaskForce;
  let serial = 0;
  beforeAll(async () => {
    t = await createTestApp();
    tf = await taskForce(t);
  });
  afterAll(async () => {
    await t?.close();
  });

  const freshPhone = () => `+8551777${String(++serial).padStart(4, '0')}`;
  const alertsAbout = async (who: SignedIn, recordId: string) =>
    ((await who.get('/notifications?limit=200').expect(200)).body.items as Alert[]).filter(
      (n) => n.eventType === 'identifier.correlation' && n.recordId === recordId,
    );
  const auditAbout = async (who: SignedIn, recordId: string) =>
    (
      (await who.get('/audit-events?action=case.identifier_correlation&limit=200').expect(200)).body
        .items as Array<{ details: { recordId: string; matchKey: string } }>
    ).filter((e) => e.details.recordId === recordId);
  /** A KR person carrying `phone`, in a new open KR case (its creator, kr.officer, is told). */
  const krCaseHolding = async (phone: string) => {
    const person = (
      await tf['kr.officer']
        .post('/persons', {
          names: [{ full: `SUSPECT ${phone}`, script: 'latin', kind: 'primary' }],
          phones: [phone],
        })
        .expect(201)
    ).body as { id: string };
    return (
      await tf['kr.officer']
        .post('/cases', { title: `Calls from ${phone}`, persons: [{ personId: person.id, role: 'suspect' }] })
        .expect(201)
    ).body as { id: string };
  };
  const compound = (n: number) =>
    `Golden Sands block ${'abcdefghij'[n % 10]}${'klmnopqrst'[((n / 10) % 10) | 0]}`;

  it("an arrest shared with KR tells KR of its place and of the arrested person's phone, which KR now reads", async () => {
    const phone = freshPhone();
    const place = compound(++serial);
    const krCase = await krCaseHolding(phone);
    // KR's case also holds the compound, through a request of its own filed under it.
    await tf['kr.officer']
      .post('/information-requests', {
        frameworkId: tf.cambodiaKoreaFramework,
        targetCountry: 'KH',
        priority: 'routine',
        handlingCode: 'AMBER',
        subject: 'Who runs the compound?',
        questions: ['Who runs it?'],
        identifiers: { compounds: [place] },
        caseId: krCase.id,
      })
      .expect(201);
    const arrest = (
      await tf['kh.officer']
        .post('/arrests', {
          arrestedAt: '2026-11-20T02:30:00Z',
          place,
          grounds: 'Online fraud',
          arrestingAgency: 'Cambodian National Police',
          nationality: 'KR',
          person: { names: [{ full: `KIM ${serial}`, script: 'latin', kind: 'primary' }], phones: [phone] },
        })
        .expect(201)
    ).body as { id: string; person: { id: string } };
    await tf['kh.liaison'].post(`/arrests/${arrest.id}/shares`, { countryCode: 'KR' }).expect(200);

    // What KR reads: the arrest with its place, and the arrested person as released to it, phone included.
    const asKrReads = (await tf['kr.officer'].get(`/arrests/${arrest.id}`).expect(200)).body;
    expect(asKrReads).toMatchObject({ place, person: { id: arrest.person.id } });
    const person = (await tf['kr.officer'].get(`/persons/${arrest.person.id}`).expect(200)).body;
    expect(person.phones).toEqual([phone]);
    const seen = (
      await tf['kr.officer']
        .get(`/identifiers/seen-in?kind=phone&value=${encodeURIComponent(phone)}`)
        .expect(200)
    ).body.items as Array<{ recordId: string }>;
    expect(seen.map((s) => s.recordId)).toContain(arrest.person.id);

    // So the alert names the place and the person's phone: both are read by KR in the arrest.
    const alerts = await alertsAbout(tf['kr.officer'], arrest.id);
    expect(alerts.map((a) => a.payload.identifier.kind).sort()).toEqual(['compound', 'phone']);
    const events = await auditAbout(tf['kr.auditor'], arrest.id);
    expect(events).toHaveLength(2);
  });

  it("KR's case does not hold a number through a person KR may no longer read", async () => {
    // KH shares a case holding CHEA (no phone yet) with KR; KR arrests CHEA under a case of its own.
    const chea = (
      await tf['kh.officer']
        .post('/persons', { names: [{ full: `CHEA ${++serial}`, script: 'latin', kind: 'primary' }] })
        .expect(201)
    ).body as { id: string; version: number };
    const khCase = (
      await tf['kh.officer']
        .post('/cases', { title: 'Compound raid', persons: [{ personId: chea.id, role: 'suspect' }] })
        .expect(201)
    ).body as { id: string };
    await tf['kh.liaison'].post(`/cases/${khCase.id}/shares`, { countryCode: 'KR' }).expect(201);
    const krCase = (await tf['kr.officer'].post('/cases', { title: 'Returned suspects' }).expect(201))
      .body as {
      id: string;
    };
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
    // KH revokes the share: KR no longer reads CHEA. Then KH gives CHEA a phone.
    await tf['kh.liaison'].delete(`/cases/${khCase.id}/shares/KR`).expect(200);
    await tf['kr.officer'].get(`/persons/${chea.id}`).expect(404);
    const phone = freshPhone();
    await tf['kh.officer']
      .patch(`/persons/${chea.id}`, {
        names: [{ full: `CHEA ${serial}`, script: 'latin', kind: 'primary' }],
        phones: [phone],
        version: chea.version,
      })
      .expect(200);

    // KH then sends KR a request naming that phone: KR reads the request, but nothing of KR's own
    // holds the number as KR reads it, so no alert says its case does.
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
    await tf['kr.officer'].get(`/information-requests/${draft.id}`).expect(200);
    expect(await alertsAbout(tf['kr.officer'], draft.id)).toEqual([]);
    expect(await auditAbout(tf['kr.auditor'], draft.id)).toEqual([]);
  });
});
