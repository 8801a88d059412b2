import { upload } from '../../attachments/attachment-support';
import { taskForce, TaskForce } from '../../support/scenario';
import { createTestApp, TestApp } from '../../support/test-app';

/**
 * Session 21's "noticed" items: a query value whose percent-encoded bytes are not UTF-8 answered 200 (read
 * as the raw `%FF`), and a file name of zero-width spaces alone was accepted and listed blank.
 */
describe('Query values must be UTF-8, and a file name must show a character', () => {
  let t: TestApp;
  let tf: TaskForce;
  beforeAll(async () => {
    t = await createTestApp();
    tf = await taskForce(t);
  });
  afterAll(() => t?.close());

  it('answers a query value that is not UTF-8 with a 400 naming the parameter; a lone % still searches', async () => {
    for (const bad of ['%FF', '%E2%82', '%C0%AF']) {
      const res = await tf['kr.officer'].get(`/cases?q=${bad}`);
      expect({
        bad,
        status: res.status,
        fields: res.body.errors?.map((e: { field: string }) => e.field),
      }).toEqual({
        bad,
        status: 400,
        fields: ['q'],
      });
    }
    const lone = await tf['kr.officer'].get('/cases?q=100%');
    expect(lone.status).toBe(200);
    await tf['kr.officer'].get(`/cases?q=${encodeURIComponent('김지훈')}`).expect(200);
  });

  it('refuses a file name of invisible characters alone (400), and stores nothing', async () => {
    const kase = (await tf['kr.officer'].post('/cases', { title: 'Files' }).expect(201)).body.id;
    for (const name of ['\u200b', '\u200b\u200c\u2060', '\u00ad\u034f']) {
      const res = await upload(t, tf['kr.officer'], `/cases/${kase}/attachments`, Buffer.from('x'), name);
      expect({ name, status: res.status, field: res.body.errors?.[0]?.field }).toEqual({
        name,
        status: 400,
        field: 'X-Filename',
      });
    }
    const listed = await tf['kr.officer'].get(`/cases/${kase}/attachments`).expect(200);
    expect(listed.body.items).toEqual([]);
    await upload(t, tf['kr.officer'], `/cases/${kase}/attachments`, Buffer.from('x'), 'a\u200bb.txt').expect(
      201,
    );
  });
});
