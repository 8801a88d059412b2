import { binary, unzip, upload } from '../attachments/attachment-support';
import type { TaskForce } from '../support/scenario';
import type { TestApp } from '../support/test-app';

/** The name a `Content-Disposition` gives the saved file: its `filename*`, decoded. */
export function savedNameOf(contentDisposition: string): string {
  const m = /filename\*=UTF-8''([^;]+)/.exec(contentDisposition);
  if (!m) throw new Error(`no filename* in ${contentDisposition}`);
  return decodeURIComponent(m[1]);
}

/** A new KR case shared with KH: what a hostile uploader and its partner both read. */
export async function krCaseSharedWithKh(tf: TaskForce, title: string): Promise<string> {
  const id = (await tf['kr.officer'].post('/cases', { title }).expect(201)).body.id as string;
  await tf['kr.liaison'].post(`/cases/${id}/shares`, { countryCode: 'KH' }).expect(201);
  return id;
}

/** KR's officer attaches `bytes` named `name` to the case; the attachment as answered. */
export async function krAttaches(t: TestApp, tf: TaskForce, caseId: string, bytes: Buffer, name: string) {
  const res = await upload(t, tf['kr.officer'], `/cases/${caseId}/attachments`, bytes, name);
  if (res.status !== 201)
    throw new Error(`upload of ${JSON.stringify(name)}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as { id: string; filename: string; mediaType: string; sha256: string };
}

/** The case bundle as `who` gets it, unpacked by entry name. */
export async function bundleOf(tf: TaskForce, who: 'kr.officer' | 'kh.officer', caseId: string) {
  const res = await tf[who].get(`/cases/${caseId}/bundle`).buffer(true).parse(binary).expect(200);
  return unzip(res.body as Buffer);
}

/** What the type's files end in: a saved file opens in the program its extension names. */
export const EXTENSIONS: Record<string, string[]> = {
  'application/pdf': ['pdf'],
  'image/png': ['png'],
  'text/plain': ['txt'],
  'text/csv': ['csv'],
  'application/zip': ['zip'],
};
