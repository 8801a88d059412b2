import { upload } from '../attachments/attachment-support';
import { signIn, SignedIn } from '../support/http';
import { taskForce, TaskForce } from '../support/scenario';
import { createTestApp, TestApp } from '../support/test-app';
import { frameworkId, personKhGaveKr, RELEASE_REFUSED, send } from './support';

/**
 * The reason a file is withdrawn with is text the other countries reading the file's record read
 * (`withdrawalReason`), so it passes the release rule as the record's own text does (probe r13,
 * finding 9): a number KR received under AMBER+STRICT is refused in it as in a case's summary, on a
 * shared case and on a request alike. And a shared case's file is withdrawn, like the case is edited,
 * only while a framework joins the owner and the countries it is shared with.
 */
describe('A file’s withdrawal reason is weighed like every text another country reads', () => {
  let t: TestApp;
  let tf: TaskForce;
  let admin: SignedIn;
  let krMy: string;
  const strict = '+85512000111'; // the phone KH gives KR with its person (test/sharing/support.ts)
  beforeAll(async () => {
    t = await createTestApp();
    tf = await taskForce(t);
    admin = await signIn(t.server, 'platform.admin');
    krMy = await frameworkId(t, 'Korea–Malaysia');
    await personKhGaveKr(tf, 'AMBER+STRICT', 'SOK Strictphone');
  }, 120_000);
  afterAll(() => t?.close());

  const aCase = async (title: string, sharedWithMy: boolean) => {
    const kase = (await tf['kr.officer'].post('/cases', { title }).expect(201)).body;
    const fileId = (
      await upload(
        t,
        tf['kr.officer'],
        `/cases/${kase.id}/attachments`,
        Buffer.from(`${title}\n`),
        'note.txt',
      ).expect(201)
    ).body.id as string;
    if (sharedWithMy)
      await tf['kr.liaison']
        .post(`/cases/${kase.id}/shares`, { countryCode: 'MY', handlingCode: 'AMBER' })
        .expect(201);
    return { kase, fileId };
  };

  it('a shared case’s file: the number is refused as in the case’s summary, and MY reads the file as it was', async () => {
    const { kase, fileId } = await aCase('Seoul call centre', true);
    const reason = `Duplicate of the subscriber report on ${strict}`;
    const summary = await tf['kr.officer']
      .patch(`/cases/${kase.id}`, { summary: reason, version: kase.version })
      .expect(409);
    const withdrawal = await tf['kr.officer'].post(`/attachments/${fileId}/withdraw`, { reason }).expect(409);
    expect(summary.body).toMatchObject({ type: RELEASE_REFUSED, rules: ['AMBER+STRICT'] });
    expect(withdrawal.body).toMatchObject({ type: RELEASE_REFUSED, rules: ['AMBER+STRICT'] });
    expect(Object.keys(withdrawal.body).sort()).toEqual(Object.keys(summary.body).sort());
    expect(withdrawal.body.errors.map((e: { field: string }) => e.field)).toEqual(['reason']);
    expect((await tf['my.officer'].get(`/attachments/${fileId}`).expect(200)).body).toMatchObject({
      status: 'active',
      withdrawalReason: null,
    });

    // Without the number it goes, and MY reads the reason.
    await tf['kr.officer']
      .post(`/attachments/${fileId}/withdraw`, { reason: 'Duplicate report' })
      .expect(200);
    expect((await tf['my.officer'].get(`/attachments/${fileId}`).expect(200)).body).toMatchObject({
      status: 'withdrawn',
      withdrawalReason: 'Duplicate report',
    });
  });

  it('a file on a request to MY: the number is refused; to KH, which gave it, it goes', async () => {
    const draft = (
      await tf['kr.officer']
        .post('/information-requests', {
          frameworkId: krMy,
          targetCountry: 'MY',
          priority: 'urgent',
          handlingCode: 'AMBER',
          subject: 'Compound staff',
          questions: ['Who else works there?'],
        })
        .expect(201)
    ).body;
    const fileId = (
      await upload(
        t,
        tf['kr.officer'],
        `/information-requests/${draft.id}/attachments`,
        Buffer.from('x\n'),
        'x.txt',
      ).expect(201)
    ).body.id as string;
    await send(tf['kr.officer'], tf['kr.liaison'], '/information-requests', draft);
    const refused = await tf['kr.officer']
      .post(`/attachments/${fileId}/withdraw`, { reason: `Wrong number: ${strict}` })
      .expect(409);
    expect(refused.body).toMatchObject({ type: RELEASE_REFUSED, rules: ['AMBER+STRICT'] });
    expect((await tf['my.officer'].get(`/attachments/${fileId}`).expect(200)).body.status).toBe('active');

    const { kase, fileId: khBound } = await aCase('Shared with KH', false);
    await tf['kr.liaison'].post(`/cases/${kase.id}/shares`, { countryCode: 'KH' }).expect(201);
    await tf['kr.officer']
      .post(`/attachments/${khBound}/withdraw`, { reason: `Wrong number: ${strict}` })
      .expect(200);
    expect((await tf['kh.officer'].get(`/attachments/${khBound}`).expect(200)).body.withdrawalReason).toBe(
      `Wrong number: ${strict}`,
    );
  });

  it('after the framework ended, a shared case’s file is not withdrawn (no-active-framework); an unshared case’s is', async () => {
    const shared = await aCase('Shared before the end', true);
    const own = await aCase('Kept at home', false);
    await admin.patch(`/frameworks/${krMy}`, { active: false }).expect(200);
    try {
      const refused = await tf['kr.officer']
        .post(`/attachments/${shared.fileId}/withdraw`, { reason: 'Wrong suspect' })
        .expect(409);
      expect(refused.body.type).toContain('no-active-framework');
      // The same refusal as an edit of the case.
      const edited = await tf['kr.officer']
        .patch(`/cases/${shared.kase.id}`, { title: 'Renamed', version: shared.kase.version })
        .expect(409);
      expect(edited.body.type).toBe(refused.body.type);
      expect((await tf['my.officer'].get(`/attachments/${shared.fileId}`).expect(200)).body).toMatchObject({
        status: 'active',
        withdrawalReason: null,
      });
      await tf['kr.officer']
        .post(`/attachments/${own.fileId}/withdraw`, { reason: 'Wrong suspect' })
        .expect(200);
    } finally {
      await admin.patch(`/frameworks/${krMy}`, { active: true }).expect(200);
    }
  });
});
