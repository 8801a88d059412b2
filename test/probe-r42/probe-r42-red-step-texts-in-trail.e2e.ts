import { aPdf, download, upload } from '../attachments/attachment-support';
import { givenIn } from '../support/given';
import { taskForce, TaskForce } from '../support/scenario';
import { createTestApp, TestApp } from '../support/test-app';

/**
 * Probe r42, finding 1: what KR's named recipients write on a RED request KH sent KR — a step's comment
 * (here naming the phone KH asked about under RED), a file's name — reached KR's auditors through KR's own events on it. KR's auditors read neither the
 * request nor its files (404), and a number KH gave under RED is withheld from them everywhere else
 * (probes r38, r40, r41); but the assigned officer's `fulfil` comment (`details.comment`) and file
 * (`attachment.upload`, `changes.after.filename`, `sha256`, `sizeBytes`) were shown whole in
 * `GET /audit-events` and the timelines. Going back to KH, the origin, the number in the comment is
 * allowed, so nothing refused it (the same number in the file's name is refused, 409).
 */
describe('Probe r42: KR’s auditors do not read what KR’s recipients wrote on a RED request', () => {
  let t: TestApp;
  let tf: TaskForce;
  const redPhone = '+85593300777';
  let requestId: string;
  let fileId: string;
  let since: string;

  type Event = { action: string; recordId: string; details: unknown; changes: unknown };
  const trail = async (path: string): Promise<Event[]> => {
    const events: Event[] = [];
    let cursor: string | null = null;
    do {
      const page = (
        await tf['kr.auditor']
          .get(`${path}${path.includes('?') ? '&' : '?'}limit=200${cursor ? `&cursor=${cursor}` : ''}`)
          .expect(200)
      ).body as { items: Event[]; nextCursor: string | null };
      events.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);
    return events;
  };

  /** The export (NDJSON), which pages through the trail by its own batches. */
  const exported = async (query: string): Promise<Event[]> =>
    String((await tf['kr.auditor'].get(`/audit-events/export?${query}`).expect(200)).text)
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as Event);

  beforeAll(async () => {
    t = await createTestApp();
    tf = await taskForce(t);
    since = (await t.dataSource.query(`SELECT now() AS now`))[0].now.toISOString();
    const request = givenIn(tf)
      .anInformationRequest()
      .from('KH')
      .sentTo('KR')
      .handledAs('RED')
      .with({ subject: 'Who holds this phone?', identifiers: { phones: [redPhone] } });
    requestId = (await request.drafted()).id;
    await request.assignedTo('kr.officer' as never);
    // The assigned officer files the subscriber's record and answers; both name KH's RED number.
    const filed = await upload(
      t,
      tf['kr.officer'],
      `/information-requests/${requestId}/attachments`,
      aPdf(3000, 'subscriber'),
      `subscriber of SOK Dara.pdf`,
    ).expect(201);
    fileId = filed.body.id;
    expect((await download(t, tf['kr.liaison'], fileId)).status).toBe(200);
    const { version } = (await tf['kr.liaison'].get(`/information-requests/${requestId}`).expect(200)).body;
    await tf['kr.officer']
      .post(`/information-requests/${requestId}/fulfil`, {
        version,
        comment: `Subscriber of ${redPhone} identified`,
        findings: { summary: 'Registered to a shell company' },
      })
      .expect(200);
  }, 90_000);
  afterAll(() => t?.close());

  it('the world: KR’s auditor reads neither the RED request nor its file; its liaison does', async () => {
    await tf['kr.auditor'].get(`/information-requests/${requestId}`).expect(404);
    await tf['kr.auditor'].get(`/attachments/${fileId}`).expect(404);
    await tf['kr.officer2'].get(`/attachments/${fileId}`).expect(404);
    const file = (await tf['kr.liaison'].get(`/attachments/${fileId}`).expect(200)).body;
    expect(file.filename).toBe('subscriber of SOK Dara.pdf');
  });

  it('FINDING 1: KR’s trail names the steps on the RED request without the comment or the file’s name', async () => {
    const fromExport = await exported(`from=${encodeURIComponent(since)}`);
    expect(fromExport.map((e) => e.action)).toEqual(
      expect.arrayContaining(['request.fulfil', 'attachment.upload']),
    );
    const events = [
      ...(await trail(`/audit-events?from=${encodeURIComponent(since)}`)),
      ...(await trail(`/audit-events/timeline?recordType=request&recordId=${requestId}`)),
      ...(await trail(`/audit-events/timeline?recordType=attachment&recordId=${fileId}`)),
      ...fromExport,
    ];
    // KR's own steps are still there for its auditors to oversee (who, when, which request)…
    expect(events.map((e) => e.action)).toEqual(
      expect.arrayContaining([
        'request.accept',
        'request.assign',
        'attachment.upload',
        'attachment.download',
        'request.fulfil',
      ]),
    );
    // …but not what the recipients wrote there (on main: the comment and the file name, whole).
    const leaks = events.filter((e) => /93300777|SOK Dara/i.test(JSON.stringify(e)));
    expect(leaks.map((e) => ({ action: e.action, details: e.details, changes: e.changes }))).toEqual([]);
    const upload = events.find((e) => e.action === 'attachment.upload')!;
    expect(upload.changes).toMatchObject({
      after: { parentType: 'request', parentId: requestId, filename: { rule: 'RED', withheld: true } },
    });
    const fulfil = events.find((e) => e.action === 'request.fulfil')!;
    expect(fulfil.details).toMatchObject({ comment: { rule: 'RED', withheld: true } });
  });

  it('a request that is not RED: KR’s auditors read the comment and the file’s name as before', async () => {
    const request = givenIn(tf)
      .anInformationRequest()
      .from('KH')
      .sentTo('KR')
      .handledAs('AMBER')
      .with({ subject: 'Plain question' });
    const { id } = await request.assignedTo('kr.officer' as never);
    await upload(
      t,
      tf['kr.officer'],
      `/information-requests/${id}/attachments`,
      aPdf(3000, 'plain'),
      'plain-answer.pdf',
    ).expect(201);
    const { version } = (await tf['kr.liaison'].get(`/information-requests/${id}`).expect(200)).body;
    await tf['kr.officer']
      .post(`/information-requests/${id}/fulfil`, {
        version,
        comment: 'Plain comment',
        findings: { summary: 'Done' },
      })
      .expect(200);
    const events = await trail(`/audit-events/timeline?recordType=request&recordId=${id}`);
    expect(events.find((e) => e.action === 'request.fulfil')!.details).toMatchObject({
      comment: 'Plain comment',
    });
    const all = await trail(`/audit-events?action=attachment.upload&from=${encodeURIComponent(since)}`);
    expect(JSON.stringify(all)).toContain('plain-answer.pdf');
  });
});
