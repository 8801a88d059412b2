import { givenIn } from '../support/given';
import { signIn, type SignedIn } from '../support/http';
import { aDraft, taskForce } from '../support/scenario';
import { RELEASE_REFUSED } from '../sharing/support';
import { createTestApp, TestApp } from '../support/test-app';
import { aPdf, download, sha256, upload } from './attachment-support';

interface Listed {
  id: string;
  sha256: string;
  status: string;
  supersedes: string | null;
  parent: { id: string };
}

/**
 * A request to several countries is one request at the origin until it is sent: a file attached to any
 * of its threads then goes to every recipient, each on its own thread, and a withdrawal before sending
 * takes every copy. After sending, each thread's files are its own.
 */
describe('Attachments on a request to several countries', () => {
  let t: TestApp;
  const as: Record<string, SignedIn> = {};
  let body: string;
  const base = '/information-requests';

  beforeAll(async () => {
    t = await createTestApp({}, {}, 'demo');
    for (const name of ['kr.officer', 'kr.liaison', 'kh.liaison', 'my.liaison', 'th.liaison'])
      as[name] = await signIn(t.server, name);
    [{ id: body }] = await t.dataSource.query(
      `SELECT id FROM framework WHERE name = 'International Investigative Body on Scam Compounds'`,
    );
  });
  afterAll(() => t?.close());

  async function draftToThree() {
    const draft = (
      await as['kr.officer']!.post(base, aDraft(body, { targetCountry: 'KH', alsoTo: ['MY', 'TH'] })).expect(
        201,
      )
    ).body;
    const threads = Object.fromEntries(
      (draft.recipients as Array<{ country: string; requestId: string }>).map((r) => [
        r.country,
        r.requestId,
      ]),
    ) as Record<'KH' | 'MY' | 'TH', string>;
    return { draft, threads };
  }
  const listed = async (who: string, requestId: string): Promise<Listed[]> =>
    (await as[who]!.get(`${base}/${requestId}/attachments`).expect(200)).body.items;
  async function send(draftId: string) {
    const draft = (await as['kr.officer']!.get(`${base}/${draftId}`).expect(200)).body;
    const submitted = (
      await as['kr.officer']!.post(`${base}/${draftId}/submit`, { version: draft.version }).expect(200)
    ).body;
    await as['kr.liaison']!.post(`${base}/${draftId}/approve`, { version: submitted.version }).expect(200);
  }

  it('a file attached to one thread before sending reaches every recipient, each on its own thread', async () => {
    const { draft, threads } = await draftToThree();
    const pdf = aPdf(3000, 'dispatch-wide');
    const up = await upload(
      t,
      as['kr.officer']!,
      `${base}/${draft.id}/attachments`,
      pdf,
      'ledger.pdf',
    ).expect(201);

    const copies = await Promise.all(
      (['KH', 'MY', 'TH'] as const).map((c) => listed('kr.officer', threads[c])),
    );
    expect(copies.map((list) => list.map((a) => a.sha256))).toEqual([
      [sha256(pdf)],
      [sha256(pdf)],
      [sha256(pdf)],
    ]);
    expect(new Set(copies.map((list) => list[0].id)).size).toBe(3);
    expect(copies.map((list) => list[0].parent.id)).toEqual([threads.KH, threads.MY, threads.TH]);
    // One upload event per copy, each owned by KR and naming the thread's country.
    const events = await t.dataSource.query(
      `SELECT counterpart_country FROM audit_event WHERE action = 'attachment.upload' AND record_id = ANY($1::text[])
        ORDER BY counterpart_country`,
      [copies.map((list) => list[0].id)],
    );
    expect(events.map((e: { counterpart_country: string }) => e.counterpart_country)).toEqual([
      'KH',
      'MY',
      'TH',
    ]);

    await send(draft.id);
    const atMy = await listed('my.liaison', threads.MY);
    expect(atMy.map((a) => a.sha256)).toEqual([sha256(pdf)]);
    const content = await download(t, as['my.liaison']!, atMy[0].id).expect(200);
    expect(sha256(content.body as Buffer)).toBe(sha256(pdf));
    // Malaysia reads its own copy only: the copy on Cambodia's thread does not exist for it.
    await as['my.liaison']!.get(`/attachments/${up.body.id}`).expect(404);
    expect((await listed('kh.liaison', threads.KH)).map((a) => a.id)).toEqual([up.body.id]);
  });

  it('a withdrawal before sending takes every copy; after sending, files added go to one thread only', async () => {
    const { draft, threads } = await draftToThree();
    const first = await upload(
      t,
      as['kr.officer']!,
      `${base}/${threads.MY}/attachments`,
      aPdf(2000, 'wrong'),
      'a.pdf',
    ).expect(201);
    await as['kr.officer']!.post(`/attachments/${first.body.id}/withdraw`, { reason: 'wrong file' }).expect(
      200,
    );
    for (const c of ['KH', 'MY', 'TH'] as const)
      expect((await listed('kr.officer', threads[c])).map((a) => a.status)).toEqual(['withdrawn']);

    await send(draft.id);
    const later = aPdf(2500, 'for Cambodia only');
    await upload(t, as['kr.officer']!, `${base}/${threads.KH}/attachments`, later, 'b.pdf').expect(201);
    expect((await listed('kr.officer', threads.KH)).map((a) => a.sha256)).toContain(sha256(later));
    expect((await listed('kr.officer', threads.MY)).map((a) => a.sha256)).not.toContain(sha256(later));
    expect((await listed('kr.officer', threads.TH)).map((a) => a.sha256)).not.toContain(sha256(later));
  });

  it('a file Cambodia gave Korea is refused on a dispatch that also goes to Malaysia: no thread gets it', async () => {
    const tf = await taskForce(t);
    const asked = await givenIn(tf)
      .anInformationRequest()
      .from('KR')
      .sentTo('KH')
      .with({ subject: 'Statements?', questions: ['Statements of the mule account?'] })
      .accepted();
    const khFile = aPdf(4000, 'kh-statement-for-kr');
    await upload(t, tf['kh.officer'], `${base}/${asked.id}/attachments`, khFile, 's.pdf').expect(201);

    const { draft, threads } = await draftToThree();
    const refused = await upload(t, as['kr.officer']!, `${base}/${draft.id}/attachments`, khFile, 's.pdf');
    expect(refused.status).toBe(409);
    expect(refused.body.type).toBe(RELEASE_REFUSED);
    for (const c of ['KH', 'MY', 'TH'] as const) expect(await listed('kr.officer', threads[c])).toEqual([]);
  });

  it('a new version uploaded on one thread supersedes each thread’s copy of the old one', async () => {
    const { draft, threads } = await draftToThree();
    const v1 = await upload(
      t,
      as['kr.officer']!,
      `${base}/${draft.id}/attachments`,
      aPdf(2000, 'v1'),
      'r.pdf',
    ).expect(201);
    await upload(t, as['kr.officer']!, `${base}/${draft.id}/attachments`, aPdf(2000, 'v2'), 'r.pdf', {
      'X-Supersedes': v1.body.id,
    }).expect(201);
    for (const c of ['KH', 'MY', 'TH'] as const) {
      const list = await listed('kr.officer', threads[c]);
      const old = list.find((a) => a.sha256 === sha256(aPdf(2000, 'v1')))!;
      const current = list.find((a) => a.sha256 === sha256(aPdf(2000, 'v2')))!;
      expect([old.status, current.status]).toEqual(['superseded', 'active']);
      expect(current.supersedes).toBe(old.id);
    }
  });
});
