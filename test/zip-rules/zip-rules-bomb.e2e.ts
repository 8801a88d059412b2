import { taskForce, TaskForce } from '../support/scenario';
import { createTestApp, TestApp } from '../support/test-app';
import { craftedZip, deflatedZeros } from '../support/zip-files';
import { answerTo, ARCHIVE_REFUSED, countStorageReads, UNREADABLE } from './zip-rules-support';

/**
 * Probe r24 left: compression was not bounded — 300 MB of zeros in a 305 KB entry was taken, and the
 * recipient's unzip wrote 300 MB. A 1 MB ZIP of 1 GiB of zeros is refused, from what its headers say
 * (over 100:1 past 4 MB), without inflating it; one whose headers claim 1,000 bytes is stopped as soon
 * as it inflates past them. What the check cost is seen in the bytes it read from the storage: a small
 * part of the file, not the whole of it.
 */
describe('A ZIP bomb', () => {
  let t: TestApp;
  let tf: TaskForce;
  let caseId: string;
  let reads: ReturnType<typeof countStorageReads>;
  const zeros = deflatedZeros(1024);
  beforeAll(async () => {
    t = await createTestApp();
    tf = await taskForce(t);
    caseId = (await tf['kh.officer'].post('/cases', { title: 'Seized laptop' }).expect(201)).body.id;
    reads = countStorageReads(t);
  });
  beforeEach(() => reads.reset());
  afterAll(() => t?.close());

  it('1 GiB of zeros in a 1 MB ZIP: 422 for its ratio, its data not read', async () => {
    const bomb = craftedZip([
      { name: 'notes.txt', data: Buffer.from('Seized 3 March\n') },
      { name: 'disk.img', data: Buffer.alloc(0), deflated: zeros },
    ]);
    expect(bomb.length).toBeLessThan(1.1 * 1024 * 1024);
    expect(await answerTo(t, tf, 'kh.officer', caseId, bomb, 'laptop.zip')).toEqual({
      status: 422,
      type: ARCHIVE_REFUSED,
      zipProblem: 'compression-ratio',
    });
    // The end of the file (yauzl looks for the directory in its last 64 KiB) and the two local headers.
    expect(reads.bytes()).toBeGreaterThan(0);
    expect(reads.bytes()).toBeLessThan(128 * 1024);
  });

  it('the same bytes under headers that claim 1,000 bytes: 422 once it inflates past them, most of it unread', async () => {
    const bomb = craftedZip([
      { name: 'disk.img', data: Buffer.alloc(0), deflated: zeros, declaredSize: 1000 },
    ]);
    expect(await answerTo(t, tf, 'kh.officer', caseId, bomb, 'lying.zip')).toEqual({
      status: 422,
      type: UNREADABLE,
      zipProblem: 'size-mismatch',
    });
    expect(reads.bytes()).toBeLessThan(bomb.length / 4);
    expect((await tf['kh.officer'].get(`/cases/${caseId}/attachments`).expect(200)).body.items).toEqual([]);
  });
});
