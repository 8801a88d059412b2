import { upload } from '../attachments/attachment-support';
import { khCaseSharedWithKr } from '../sharing/support';
import type { TaskForce } from '../support/scenario';
import type { TestApp } from '../support/test-app';

/**
 * KH's file on a case of KH's (holding `SOK Dara`) shared with KR under AMBER, as KR reads it: the
 * scene of probe r44's findings. Returns the case and the stored file's content hash.
 */
export async function khFileGivenToKr(
  t: TestApp,
  tf: TaskForce,
  bytes: Buffer,
  filename: string,
): Promise<{ caseId: string; sha256: string }> {
  const { caseId } = await khCaseSharedWithKr(
    tf,
    { names: [{ full: 'SOK Dara', script: 'latin', kind: 'primary' }], nationalities: ['KH'] },
    `KH's ${filename}`,
  );
  const filed = await upload(t, tf['kh.officer'], `/cases/${caseId}/attachments`, bytes, filename);
  expect(filed.status).toBe(201);
  expect((await tf['kr.officer'].get(`/attachments/${filed.body.id}/content`)).status).toBe(200);
  return { caseId, sha256: filed.body.sha256 as string };
}

/**
 * Puts a file KH gave KR back as an upload before its own numbers were read left the database: no
 * reading of it, no numbers kept, no receipt of them at KR.
 */
export async function asAnEarlierUploadLeftIt(t: TestApp, sha256: string): Promise<void> {
  const kept: Array<{ identifier: string }> = await t.dataSource.query(
    `SELECT identifier FROM file_own_number WHERE sha256 = $1`,
    [sha256],
  );
  expect(kept.length).toBeGreaterThan(0);
  await t.dataSource.query(`DELETE FROM file_own_number WHERE sha256 = $1`, [sha256]);
  await t.dataSource.query(`DELETE FROM file_own_numbers_read WHERE sha256 = $1`, [sha256]);
  await t.dataSource.query(
    `DELETE FROM identifier_provenance WHERE receiving_country = 'KR' AND identifier = ANY($1::text[])`,
    [kept.map((k) => k.identifier)],
  );
}

/** KH's bank statement naming account `0071-2233-4455`, and KR's own person holding it (`007122334455`). */
export const STATEMENT = Buffer.from('Date;Account;Amount\n04/03/2026;0071-2233-4455;12,500.00\n');

/**
 * KH's statement given to KR, put back as an earlier upload left it, and a person of KR's own holding
 * its account: KR holds the account as its own. Returns the statement's content hash.
 */
export async function krHoldsAnEarlierFilesAccount(t: TestApp, tf: TaskForce): Promise<string> {
  const { sha256 } = await khFileGivenToKr(t, tf, STATEMENT, 'statement.csv');
  await asAnEarlierUploadLeftIt(t, sha256);
  await tf['kr.officer']
    .post('/persons', {
      names: [{ full: 'LEE Mule', script: 'latin', kind: 'primary' }],
      accounts: [{ type: 'bank_account', institutionName: 'ACLEDA', accountNumber: '007122334455' }],
    })
    .expect(201);
  return sha256;
}

/** MY's hit/no-hit check of KR for the statement's account: what KR answers. */
export async function myCheckOfKrForTheAccount(tf: TaskForce): Promise<unknown> {
  const check = await tf['my.officer']
    .post('/identifier-checks', {
      partners: ['KR'],
      identifiers: [{ kind: 'bank_account', value: '007122334455' }],
    })
    .expect(201);
  return check.body.results[0].answers;
}
