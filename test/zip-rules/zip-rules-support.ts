import { pipeline, Readable, Transform } from 'node:stream';
import { upload } from '../attachments/attachment-support';
import { craftedZip, CraftedEntry } from '../support/zip-files';
import type { TaskForce } from '../support/scenario';
import type { TestApp } from '../support/test-app';
import { AttachmentStorage } from '../../src/attachments/storage/attachment-storage';

export const ARCHIVE_REFUSED = 'urn:case-desk:problem:attachment-archive-refused';
export const UNREADABLE = 'urn:case-desk:problem:attachment-unreadable';

const text = (s: string) => Buffer.from(s, 'utf8');
const note = { name: 'notes.txt', data: text('Raid notes, 3 March\n') };

/**
 * ZIPs that would hurt or mislead whoever extracts them, each with the problem it is refused for (the
 * reproductions of probe r24's "Left", and their kin).
 */
export const HOSTILE: Array<[what: string, zip: Buffer, type: string, zipProblem: string]> = [
  [
    'an entry named ../../etc/evil.txt',
    zipOf(note, { name: '../../etc/evil.txt', data: text('x') }),
    ARCHIVE_REFUSED,
    'unsafe-path',
  ],
  [
    'an entry named /etc/evil.txt',
    zipOf(note, { name: '/etc/evil.txt', data: text('x') }),
    ARCHIVE_REFUSED,
    'unsafe-path',
  ],
  [
    'an entry named ..\\evil.bat',
    zipOf(note, { name: '..\\evil.bat', data: text('x') }),
    ARCHIVE_REFUSED,
    'unsafe-path',
  ],
  [
    'an entry named C:/Users/evil.txt',
    zipOf(note, { name: 'C:/Users/evil.txt', data: text('x') }),
    ARCHIVE_REFUSED,
    'unsafe-path',
  ],
  [
    'two entries named calls.txt',
    zipOf({ name: 'calls.txt', data: text('a') }, { name: 'calls.txt', data: text('b') }),
    ARCHIVE_REFUSED,
    'same-path',
  ],
  [
    'Calls.txt and calls.txt',
    zipOf({ name: 'Calls.txt', data: text('a') }, { name: 'calls.txt', data: text('b') }),
    ARCHIVE_REFUSED,
    'same-path',
  ],
  [
    'a link to /etc',
    zipOf(note, { name: 'etc', data: text('/etc'), link: true }),
    ARCHIVE_REFUSED,
    'unsafe-link',
  ],
  [
    'headers saying 10 bytes for an entry of 10 MB',
    zipOf({ name: 'calls.txt', data: Buffer.alloc(10 * 1024 * 1024, 'call '), declaredSize: 10 }),
    UNREADABLE,
    'size-mismatch',
  ],
  [
    'one byte of the deflated data flipped',
    zipOf({ name: 'calls.txt', data: text('Call log\n'.repeat(200)), damage: (b) => ((b[0] ^= 0xff), b) }),
    UNREADABLE,
    'damaged-data',
  ],
  [
    'a CRC that does not match',
    zipOf({ name: 'calls.txt', data: text('Call log\n'), crc: 42 }),
    UNREADABLE,
    'damaged-data',
  ],
];

function zipOf(...entries: CraftedEntry[]): Buffer {
  return craftedZip(entries);
}

/** `who` uploads `zip` to the case; what the problem says (or the status alone when it is taken). */
export async function answerTo(
  t: TestApp,
  tf: TaskForce,
  who: 'kr.officer' | 'kh.officer',
  caseId: string,
  zip: Buffer,
  name: string,
) {
  const res = await upload(t, tf[who], `/cases/${caseId}/attachments`, zip, name);
  return { status: res.status, type: res.body.type, zipProblem: res.body.zipProblem };
}

/**
 * Counts the bytes the app reads from its attachment storage (what checking a ZIP costs), until the spy
 * is restored after the spec file: call once per file.
 */
export function countStorageReads(t: TestApp): { bytes: () => number; reset: () => void } {
  const storage = t.app.get(AttachmentStorage);
  const read = storage.read.bind(storage);
  let bytes = 0;
  jest.spyOn(storage, 'read').mockImplementation(async (sha256, range) => {
    const source = await read(sha256, range);
    const counted = new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        bytes += chunk.length;
        callback(null, chunk);
      },
    });
    pipeline(source, counted, () => undefined);
    return counted as Readable;
  });
  return { bytes: () => bytes, reset: () => (bytes = 0) };
}
