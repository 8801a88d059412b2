import { upload } from '../attachments/attachment-support';
import { taskForce, TaskForce } from '../support/scenario';
import { createTestApp, TestApp } from '../support/test-app';

/**
 * Probe r24 left: a file name of U+2800 BRAILLE PATTERN BLANK was taken and listed blank (the visible-
 * character rule counted it as a symbol). One rule now: names of blanks alone are 400 like names of spaces.
 * Zero-width characters among visible ones are taken: Khmer separates words with U+200B.
 */
describe('File names that show nothing, or hide something', () => {
  let t: TestApp;
  let tf: TaskForce;
  let caseId: string;
  beforeAll(async () => {
    t = await createTestApp();
    tf = await taskForce(t);
    caseId = (await tf['kr.officer'].post('/cases', { title: 'Names' }).expect(201)).body.id;
  });
  afterAll(() => t?.close());

  const answer = async (name: string) => {
    const res = await upload(
      t,
      tf['kr.officer'],
      `/cases/${caseId}/attachments`,
      Buffer.from('note\n'),
      name,
    );
    return [name, res.status, res.body.errors?.[0]?.field];
  };

  it('blank-looking names are 400; nothing is stored', async () => {
    const names = [
      '\u2800\u2800\u2800',
      '\u3164\u3164',
      '\u115F\u1160',
      '\uFFA0',
      '\u200B\u200C\u200D\u2060\uFEFF',
      '\uFEFFnotes.txt',
    ];
    const answers = [];
    for (const name of names) answers.push(await answer(name));
    expect(answers).toEqual(names.map((name) => [name, 400, 'X-Filename']));
    expect((await tf['kr.officer'].get(`/cases/${caseId}/attachments`).expect(200)).body.items).toEqual([]);
  });

  it('names in any script, with spaces and blanks among visible characters, are taken', async () => {
    for (const name of ['증거 자료.txt', 'របាយការណ៍\u200Bប៉ូលិស.txt', 'a\u2800b.txt', 'Laporan polis.txt'])
      expect(await answer(name)).toEqual([name, 201, undefined]);
  });
});
