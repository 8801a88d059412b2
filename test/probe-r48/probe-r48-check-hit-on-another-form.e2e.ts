import { givenIn } from '../support/given';
import { taskForce, TaskForce } from '../support/scenario';
import { createTestApp, TestApp } from '../support/test-app';
import { RELEASE_REFUSED } from '../sharing/support';

/**
 * Probe r48, finding 1: a hit/no-hit check read a partner's holding as its own whenever no receipt was
 * recorded under the one key SQL gives the holding row (`identifier_index.provenance_key`: a phone's
 * international digits, an account as typed). The release rule weighs every form of the number
 * (`receiptKeysOf`: a phone's national number too, an account without its leading zeros), so KR's own
 * record of a number KH gave it only under AMBER, in another form, answered MY "hit" while the same
 * record is refused to MY (409). MY learnt that KR holds what KH gave it under AMBER.
 */
describe('Probe r48: a check weighs every form of a received number, as the release rule does', () => {
  let t: TestApp;
  let tf: TaskForce;

  const answerOf = async (identifier: { kind: string; value: string; bank?: string }) => {
    const view = (
      await tf['my.officer']
        .post('/identifier-checks', { partners: ['KR'], identifiers: [identifier] })
        .expect(201)
    ).body as { results: Array<{ answers: Array<{ country: string; answer: string }> }> };
    return view.results[0]!.answers.find((a) => a.country === 'KR')!.answer;
  };

  /** KR's own person holding `fields`, linked into KR's case, which KR's liaison tries to share with MY. */
  const krRecordsAndSharesWithMy = async (fields: object) => {
    const personId = (
      await tf['kr.officer']
        .post('/persons', {
          names: [{ full: 'KIM Manager', script: 'latin', kind: 'primary' }],
          nationalities: ['KH'],
          ...fields,
        })
        .expect(201)
    ).body.id as string;
    const caseId = (
      await tf['kr.officer']
        .post('/cases', { title: 'Compound managers', persons: [{ personId, role: 'suspect' }] })
        .expect(201)
    ).body.id as string;
    return tf['kr.liaison'].post(`/cases/${caseId}/shares`, { countryCode: 'MY', handlingCode: 'AMBER' });
  };

  beforeAll(async () => {
    t = await createTestApp();
    tf = await taskForce(t);
    // KH answers KR under AMBER: a phone in its national form in the summary, an account as KH writes it.
    await givenIn(tf)
      .anInformationRequest()
      .from('KR')
      .sentTo('KH')
      .handledAs('AMBER')
      .with({ subject: 'Who runs the compound?' })
      .fulfilled({
        findings: {
          summary: 'The manager answers on 012 000 777 day and night',
          identifiers: { bankAccounts: [{ institution: 'ABA Bank', accountNumber: '71223344' }] },
        },
      });
  }, 90_000);
  afterAll(() => t?.close());

  it('control: MY asking before KR records anything gets no_hit for both', async () => {
    expect(await answerOf({ kind: 'phone', value: '+85512000777' })).toBe('no_hit');
    expect(await answerOf({ kind: 'bank_account', value: '0071223344', bank: 'ABA Bank' })).toBe('no_hit');
  });

  it('FINDING 1a: KR types KH’s national phone in international form; MY’s check answers no_hit, as the rule refuses it', async () => {
    const share = await krRecordsAndSharesWithMy({ phones: ['+85512000777'] });
    expect(share.status).toBe(409);
    expect(share.body.type).toBe(RELEASE_REFUSED);
    // On main: 'hit'.
    expect(await answerOf({ kind: 'phone', value: '+85512000777' })).toBe('no_hit');
  });

  it('FINDING 1b: KR types KH’s account with leading zeros; MY’s check answers no_hit, as the rule refuses it', async () => {
    const share = await krRecordsAndSharesWithMy({
      accounts: [{ type: 'bank_account', institutionName: 'ABA Bank', accountNumber: '0071223344' }],
    });
    expect(share.status).toBe(409);
    expect(share.body.type).toBe(RELEASE_REFUSED);
    // On main: 'hit'.
    expect(await answerOf({ kind: 'bank_account', value: '0071223344', bank: 'ABA Bank' })).toBe('no_hit');
  });

  it('FINDING 1c: KR names the place of its own arrest after KH’s AMBER phone; MY’s check of that compound answers no_hit', async () => {
    const personId = (
      await tf['kr.officer']
        .post('/persons', {
          names: [{ full: 'LEE Runner', script: 'latin', kind: 'primary' }],
          nationalities: ['KR'],
        })
        .expect(201)
    ).body.id as string;
    const arrestId = (
      await tf['kr.officer']
        .post('/arrests', {
          arrestedAt: '2026-04-02T08:00:00Z',
          place: 'Tower 012 000 777',
          grounds: 'Fraud',
          arrestingAgency: 'Korean National Police Agency',
          nationality: 'KR',
          personId,
        })
        .expect(201)
    ).body.id as string;
    // The rule refuses the place to MY (the number in it is KH's, AMBER)…
    const share = await tf['kr.liaison'].post(`/arrests/${arrestId}/shares`, {
      countryCode: 'MY',
      handlingCode: 'AMBER',
    });
    expect(share.status).toBe(409);
    expect(share.body.type).toBe(RELEASE_REFUSED);
    // …so the check does not tell MY that KR holds it. On main (and with the phone/account fix alone): 'hit'.
    expect(await answerOf({ kind: 'compound', value: 'Tower 012 000 777' })).toBe('no_hit');
  });

  it('control: a number KR recorded itself, never received, still hits', async () => {
    const share = await krRecordsAndSharesWithMy({
      phones: ['+85512999888'],
      accounts: [{ type: 'bank_account', institutionName: 'KB Bank', accountNumber: '0099887766' }],
    });
    expect(share.status).toBe(201);
    expect(await answerOf({ kind: 'phone', value: '+85512999888' })).toBe('hit');
    expect(await answerOf({ kind: 'bank_account', value: '0099887766', bank: 'KB Bank' })).toBe('hit');
    const personId = (
      await tf['kr.officer']
        .post('/persons', {
          names: [{ full: 'PARK Guard', script: 'latin', kind: 'primary' }],
          nationalities: ['KR'],
        })
        .expect(201)
    ).body.id as string;
    await tf['kr.officer']
      .post('/arrests', {
        arrestedAt: '2026-04-03T08:00:00Z',
        place: 'Tower 012 888 555',
        grounds: 'Fraud',
        arrestingAgency: 'Korean National Police Agency',
        nationality: 'KR',
        personId,
      })
      .expect(201);
    expect(await answerOf({ kind: 'compound', value: 'Tower 012 888 555' })).toBe('hit');
  });
});
