import { upload } from '../attachments/attachment-support';
import { personKhGaveKr } from '../sharing/support';
import { taskForce, TaskForce } from '../support/scenario';
import { createTestApp, TestApp } from '../support/test-app';

/**
 * Probe r18: reading a file for received numbers costs what the file's words make it cost. A text of
 * words that each begin like a received number (`12000 12000 …`) sends every 4,096-character window
 * through `numbersIn`, which weighs too many runs, throws, and is read again in halves (`keysIn`), each
 * half the same: about 75 ms a window on this machine, 1.9 s for 100 KB, some 6 minutes for a 20 MB
 * upload (ATTACHMENT_MAX_BYTES is 200 MB), with the event loop yielded only every 200 windows (~15 s).
 * MY, holding no received numbers, uploads 20 MB in about 1 s. Expected: a 200 KB text is read in well
 * under a second whatever its words (a bound per file, or the window read once by a linear scan).
 */
describe('Probe r18: the time a file of number-like words takes to read', () => {
  let t: TestApp;
  let tf: TaskForce;
  let krCase: string;
  beforeAll(async () => {
    t = await createTestApp();
    tf = await taskForce(t);
    await personKhGaveKr(tf, 'AMBER', 'SOK Slow');
    krCase = (await tf['kr.officer'].post('/cases', { title: 'Unshared r18' }).expect(201)).body.id;
  });
  afterAll(() => t?.close());

  it('a 200 KB text of "12000 " words, each a look-alike of the number KR received, is read and attached', async () => {
    const body = Buffer.from('12000 '.repeat(Math.floor((200 * 1024) / 6)));
    await upload(t, tf['kr.officer'], `/cases/${krCase}/attachments`, body, 'slow.txt').expect(201);
  });
});
