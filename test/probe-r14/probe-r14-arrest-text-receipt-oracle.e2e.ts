import { givenIn } from '../support/given';
import { taskForce, TaskForce } from '../support/scenario';
import { createTestApp, TestApp } from '../support/test-app';

/**
 * Probe (round 14, oracles): the numbers in an arrest's texts (a custody step's reason) are weighed
 * and recorded as received by every country `ProvenanceStore.arrestRecipients` names, which counts the
 * other side of a repatriation request in any state, and an `arrest` receipt counts at once
 * (`reached` holds back `request` receipts only). KH arrests a Korean national, drafts (never sends) a
 * repatriation request to KR, and charges him with the reason "He called his handler on +85512000888":
 * KR cannot read the arrest (404), yet `identifier_provenance` now says KR received that number from KH
 * under AMBER. Later KR records the same number on a person of its own. Two answers change:
 * - KR's liaison shares KR's own case with MY: 409 `release-refused`, "persons[0].phones[0] was received
 *   under TLP:AMBER and may not go to MY" — KR learns that another country wrote this very number into
 *   a record KR was never shown (and is barred from passing on its own data);
 * - MY's hit/no-hit check of KR answers `no_hit` for it (KR's own holding is taken as received first),
 *   while the other number KR recorded with it hits.
 * Same family as `probe-r14-arrest-file-receipt-oracle.e2e.ts`.
 * Fix: `arrestRecipients` (for texts and files) names the person's country only while a repatriation
 * request for the arrest is under way (sent, not withdrawn/rejected/ended, person not dropped:
 * `repatriationUnderWay`), recording on sending what the arrest already carries; or count an arrest
 * receipt for a repatriation's country only inside those windows.
 */
describe('Probe r14: a number in a custody reason KR cannot read takes KR’s own copy of it', () => {
  let t: TestApp;
  let tf: TaskForce;
  const phone = '+85512000888';
  const other = '+85512000999';
  let krReadsArrest: number;
  let answers: Array<{ identifier: { value: string }; answers: Array<{ country: string; answer: string }> }>;
  let share: { status: number; type?: string };

  beforeAll(async () => {
    t = await createTestApp();
    tf = await taskForce(t);
    const arrest = (
      await tf['kh.officer']
        .post('/arrests', {
          arrestedAt: '2026-03-03T02:30:00Z',
          place: 'Kampot',
          grounds: 'Online fraud',
          arrestingAgency: 'GDNP',
          nationality: 'KR',
          person: {
            names: [{ full: 'KIM Textual', script: 'latin', kind: 'primary' }],
            nationalities: ['KR'],
          },
        })
        .expect(201)
    ).body;
    await givenIn(tf)
      .aRequest('repatriation')
      .from('KH')
      .sentTo('KR')
      .handledAs('AMBER')
      .with({ arrestIds: [arrest.id], subject: 'Repatriation, not sent yet' })
      .drafted();
    await tf['kh.officer']
      .post(`/arrests/${arrest.id}/custody`, {
        status: 'charged',
        reason: `He called his handler on ${phone}`,
        version: arrest.version,
      })
      .expect(200);
    krReadsArrest = (await tf['kr.officer'].get(`/arrests/${arrest.id}`)).status;
    // KR's own records: a person with two numbers, in a case of its own.
    const person = (
      await tf['kr.officer']
        .post('/persons', {
          names: [{ full: 'LEE Ownnumbers', script: 'latin', kind: 'primary' }],
          nationalities: ['KR'],
          phones: [phone, other],
        })
        .expect(201)
    ).body;
    const kase = (
      await tf['kr.officer']
        .post('/cases', { title: 'Handlers', persons: [{ personId: person.id, role: 'suspect' }] })
        .expect(201)
    ).body;
    answers = (
      await tf['my.officer']
        .post('/identifier-checks', {
          partners: ['KR'],
          identifiers: [
            { kind: 'phone', value: phone },
            { kind: 'phone', value: other },
          ],
        })
        .expect(201)
    ).body.results;
    const res = await tf['kr.liaison'].post(`/cases/${kase.id}/shares`, { countryCode: 'MY' });
    share = { status: res.status, type: res.body.type };
  }, 120_000);
  afterAll(() => t?.close());

  it('KR cannot read the arrest (its repatriation request is a draft)', () => {
    expect(krReadsArrest).toBe(404);
  });

  it('MY’s check finds both numbers KR recorded itself (KR’s own holding, not one it received)', () => {
    expect(answers.map((r) => [r.identifier.value, r.answers[0]!.answer])).toEqual([
      [phone, 'hit'],
      [other, 'hit'],
    ]);
  });

  it('and KR shares its own case holding them with MY', () => {
    expect(share).toEqual({ status: 201, type: undefined });
  });
});
