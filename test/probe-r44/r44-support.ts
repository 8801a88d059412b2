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
