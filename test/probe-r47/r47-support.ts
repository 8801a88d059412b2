import { upload } from '../attachments/attachment-support';
import { RELEASE_REFUSED } from '../sharing/support';
import type { TaskForce } from '../support/scenario';
import type { TestApp } from '../support/test-app';

export type Typed = { account: string } | { phone: string } | { passport: string };

/**
 * The scenario of probe r47, for a case of KH's shared with KR under AMBER (`khCaseId`): KH files a
 * file on it (`khGivesKr`), KR types a number into a person of its own, in a case of its own, and shares
 * it with MY (`krPassesOn`), and MY checks KR for the number.
 */
export function r47Scenario(t: TestApp, tf: TaskForce, khCaseId: string) {
  async function khGivesKr(bytes: Buffer, filename: string): Promise<string> {
    const filed = await upload(t, tf['kh.officer'], `/cases/${khCaseId}/attachments`, bytes, filename);
    expect(filed.status).toBe(201);
    expect((await tf['kr.officer'].get(`/attachments/${filed.body.id}/content`)).status).toBe(200);
    return filed.body.sha256 as string;
  }

  /** KR's person holding `typed`, in a case of KR's own, shared with MY; MY's check of KR for it. */
  async function krPassesOn(typed: Typed): Promise<{ share: number; myReads: number; answer: unknown }> {
    const personId = (
      await tf['kr.officer']
        .post('/persons', {
          names: [{ full: 'LEE Mule', script: 'latin', kind: 'primary' }],
          ...('account' in typed
            ? {
                accounts: [{ type: 'bank_account', institutionName: 'ACLEDA', accountNumber: typed.account }],
              }
            : 'phone' in typed
              ? { phones: [typed.phone] }
              : { documents: [{ type: 'passport', number: typed.passport, issuingCountry: 'KH' }] }),
        })
        .expect(201)
    ).body.id as string;
    const caseId = (
      await tf['kr.officer']
        .post('/cases', { title: 'Mules', persons: [{ personId, role: 'suspect' }] })
        .expect(201)
    ).body.id as string;
    const share = await tf['kr.liaison'].post(`/cases/${caseId}/shares`, { countryCode: 'MY' });
    if (share.status === 409) expect(share.body.type).toBe(RELEASE_REFUSED);
    const myReads = (await tf['my.officer'].get(`/persons/${personId}`)).status;
    const identifier =
      'account' in typed
        ? { kind: 'bank_account', value: typed.account }
        : 'phone' in typed
          ? { kind: 'phone', value: typed.phone }
          : { kind: 'passport', value: typed.passport, issuingCountry: 'KH' };
    const check = await tf['my.officer']
      .post('/identifier-checks', { partners: ['KR'], identifiers: [identifier] })
      .expect(201);
    return { share: share.status, myReads, answer: check.body.results[0].answers };
  }

  /** KR's person holding `typed` is refused to MY, MY reads nothing of it, and its check finds nothing. */
  async function expectHeldAtKr(typed: Typed): Promise<void> {
    expect(await krPassesOn(typed)).toEqual({
      share: 409,
      myReads: 404,
      answer: [{ country: 'KR', answer: 'no_hit' }],
    });
  }

  return { khGivesKr, krPassesOn, expectHeldAtKr };
}
