import { identifiersKhGaveKr, RELEASE_REFUSED } from '../sharing/support';
import { givenIn } from '../support/given';
import { taskForce, TaskForce } from '../support/scenario';
import { createTestApp, TestApp } from '../support/test-app';

/**
 * Probe r16 (finding 3): consent to pass on one number lets a RED number that shares its national digits
 * go to MY, written in its national form.
 *
 * KH gives KR `+85588100111` under AMBER and, separately, the Thai mobile `+6688100111` under RED (both as
 * bare identifiers of information-request answers). KR asks KH's consent to pass `+85588100111` on to
 * MY; KH's liaison accepts. KR writes "Thai contact 088-100-111" (the RED number as dialled in Thailand)
 * into a case and shares it with MY.
 *
 * The RED number's national digits `88100111` are those of the consented `+85588100111`: `phoneKeys` gives every phone a second
 * key of its national number, and the grant (`release_grant.identifier`) is recorded under both keys
 * (`ReleaseRequestsService.create`: `identifierKeys(dto.identifiers)`). The RED number written as it is
 * dialled in Thailand, `088-100-111`, folds to that national key alone, and a grant on a key counts for
 * every receipt of the key (`identifierReceiptsSql`: `g.identifier = ip.identifier`, whatever number or
 * originator the receipt was for), so KH's RED receipt counts as consented, and `decideRelease` lets the
 * looser consented AMBER govern. Before the consent the same text is refused (asserted); after it, KR
 * shares it with MY (201). `foldIdentifier`'s own rule is that a key two numbers share "errs towards
 * refusing, never towards letting through"; here the consent to one number lets the other through.
 * Fix: record a grant by the keys of the number consented to, but let it count for a receipt only where
 * that receipt is of the same number (keep the receipt's full international key with the national one,
 * e.g. a `number` column on `identifier_provenance`, and grant by it), or weigh a text's national key
 * against every receipt sharing it and refuse when any of them is refused.
 *
 * Expected: 409 `release-refused` (as before the consent: asserted). Actual: 201, MY's officer reads the
 * case. Caveat: `088-100-111` is also how a Cambodian writes the consented number at home; the text is
 * ambiguous, and the rule's own stance on ambiguous keys is to refuse.
 */
describe('Probe r16: consent to one number lets a RED number with the same national digits through', () => {
  let t: TestApp;
  let tf: TaskForce;
  const thaiText = 'Thai contact 088-100-111';
  let beforeConsent: { status: number; type: unknown };
  beforeAll(async () => {
    t = await createTestApp();
    tf = await taskForce(t);
    await identifiersKhGaveKr(tf, 'AMBER', { phones: ['+85588100111'] });
    await identifiersKhGaveKr(tf, 'RED', { phones: ['+6688100111'] });
    const kase = (await tf['kr.officer'].post('/cases', { title: thaiText }).expect(201)).body;
    const share = await tf['kr.liaison'].post(`/cases/${kase.id}/shares`, { countryCode: 'MY' });
    beforeConsent = { status: share.status, type: share.body.type };
    await consentTo('+85588100111');
  }, 120_000);
  afterAll(() => t?.close());

  /** KR asks KH's consent to pass `phone` on to MY; KH's liaison accepts. */
  async function consentTo(phone: string): Promise<void> {
    const consent = await givenIn(tf)
      .aRequest('release')
      .from('KR')
      .sentTo('KH')
      .with({ recipientCountry: 'MY', identifiers: { phones: [phone] }, subject: 'May it go to MY?' })
      .accepted();
    expect(consent.granted).toBe(true);
  }

  it('before the consent, the text is refused to MY', () => {
    expect(beforeConsent).toEqual({ status: 409, type: RELEASE_REFUSED });
  });

  it('after the consent to +85588100111, the RED number’s national form is still refused to MY', async () => {
    const kase = (await tf['kr.officer'].post('/cases', { title: thaiText }).expect(201)).body;
    const share = await tf['kr.liaison'].post(`/cases/${kase.id}/shares`, { countryCode: 'MY' });
    const myReads = (await tf['my.officer'].get(`/cases/${kase.id}`)).status;
    expect({ share: share.status, myReads }).toEqual({ share: 409, myReads: 404 });
  });

  it('two numbers with the same national digits in one answer: consent to one does not cover their shared national form, which any writing of either holds (refused: the rule errs towards refusing)', async () => {
    await identifiersKhGaveKr(tf, 'AMBER', { phones: ['+85577200333', '+6677200333'] });
    await consentTo('+85577200333');
    const share = async (title: string) => {
      const kase = (await tf['kr.officer'].post('/cases', { title }).expect(201)).body;
      return (await tf['kr.liaison'].post(`/cases/${kase.id}/shares`, { countryCode: 'MY' })).status;
    };
    // `+855 77 200 333` holds the run `77 200 333` too: the national form both numbers share.
    expect({
      national: await share('Contact 077-200-333'),
      international: await share('Contact +855 77 200 333'),
    }).toEqual({ national: 409, international: 409 });
  });
});
