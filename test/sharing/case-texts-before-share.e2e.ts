import { upload } from '../attachments/attachment-support';
import { RELEASE_REFUSED, personKhGaveKr } from './support';
import { taskForce, TaskForce } from '../support/scenario';
import { createTestApp, TestApp } from '../support/test-app';

/**
 * What was written on a case before it is shared reaches the country it is shared with: its files'
 * names and the reasons its files were withdrawn with. Each is weighed at the share, as the case's own
 * columns are. KH gave KR a phone under AMBER; KR writes it into a file name, or a withdrawal reason, of
 * its own case, then shares the case with MY.
 */
describe('A case’s file names and withdrawal reasons written before the share are weighed at the share', () => {
  let t: TestApp;
  let tf: TaskForce;
  const shares: Record<string, { status: number; type?: string }> = {};

  beforeAll(async () => {
    t = await createTestApp();
    tf = await taskForce(t);
    await personKhGaveKr(tf, 'AMBER');
    const caseWith = async (title: string) =>
      (await tf['kr.officer'].post('/cases', { title }).expect(201)).body.id as string;
    const named = await caseWith('Named file');
    await upload(
      t,
      tf['kr.officer'],
      `/cases/${named}/attachments`,
      Buffer.from('notes one'),
      'handler +85512000111.txt',
    ).expect(201);
    const withdrawn = await caseWith('Withdrawn file');
    const file = (
      await upload(
        t,
        tf['kr.officer'],
        `/cases/${withdrawn}/attachments`,
        Buffer.from('notes two'),
        'notes.txt',
      ).expect(201)
    ).body;
    await tf['kr.officer']
      .post(`/attachments/${file.id}/withdraw`, { reason: 'Wrong handset, the right one is +85512000111' })
      .expect(200);
    for (const [name, id] of [
      ['named', named],
      ['withdrawn', withdrawn],
    ] as const) {
      const res = await tf['kr.liaison'].post(`/cases/${id}/shares`, { countryCode: 'MY' });
      shares[name] = { status: res.status, type: res.body.type };
    }
  }, 120_000);
  afterAll(() => t?.close());

  it('refuses each share (409 release-refused)', () => {
    expect(shares).toEqual({
      named: { status: 409, type: RELEASE_REFUSED },
      withdrawn: { status: 409, type: RELEASE_REFUSED },
    });
  });
});
