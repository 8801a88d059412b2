import { aPdf, binary, unzip, upload } from '../attachments/attachment-support';
import { givenIn } from '../support/given';
import { taskForce, TaskForce } from '../support/scenario';
import { createTestApp, TestApp } from '../support/test-app';

/**
 * Probe r43, finding 1: a number KH gave KR under RED, typed by its assigned officer into the name of a
 * file on one of KR's own cases (or KR's own person), reached every officer and auditor of KR: the
 * case's file list, its bundle's manifest and `SHA256SUMS`, and the upload's event in KR's trail. The
 * release rule weighs a file's name only for the countries the file goes to (`attachFile`'s recipient
 * loop): on a record no other country reads, nobody weighed it at all — where the same number typed
 * into the case's title or summary, or written into the file name on the RED request itself, is
 * refused (409 `release-refused`, `keepRedNumbersWithRecipients`).
 */
describe('Probe r43: a RED number in the name of a file on KR’s own records stays with RED’s recipients', () => {
  let t: TestApp;
  let tf: TaskForce;
  const redPhone = '+85593300777';
  let requestId: string;
  let caseId: string;
  let since: string;

  type Event = { action: string; recordId: string; details: unknown; changes: unknown };
  const trail = async (): Promise<Event[]> =>
    (
      await tf['kr.auditor']
        .get(`/audit-events?from=${encodeURIComponent(since)}&limit=200`)
        .expect(200)
    ).body.items as Event[];

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
    requestId = (await request.assignedTo('kr.officer' as never)).id;
    caseId = (await tf['kr.officer'].post('/cases', { title: 'Golden Fortune compound' }).expect(201)).body.id;
  }, 90_000);
  afterAll(() => t?.close());

  it('the world: only KR’s named recipients read the RED request; the number in the case’s own text is refused', async () => {
    await tf['kr.officer2'].get(`/information-requests/${requestId}`).expect(404);
    await tf['kr.auditor'].get(`/information-requests/${requestId}`).expect(404);
    await tf['kr.officer'].get(`/information-requests/${requestId}`).expect(200);
    const { version } = (await tf['kr.officer'].get(`/cases/${caseId}`).expect(200)).body;
    const edit = await tf['kr.officer'].patch(`/cases/${caseId}`, { version, summary: `Phone ${redPhone}` });
    expect(edit.status).toBe(409);
    expect(edit.body.type).toBe('urn:case-desk:problem:release-refused');
  });

  it('FINDING 1: a file named after the RED number is refused on KR’s own case and person; no KR officer or auditor reads it', async () => {
    // On d30e410: 201, and the name is read by kr.officer2 (list, bundle) and kr.auditor (the trail).
    const filed = await upload(
      t,
      tf['kr.officer'],
      `/cases/${caseId}/attachments`,
      aPdf(1000, 'subscriber'),
      `subscriber of ${redPhone}.pdf`,
    );
    expect({ status: filed.status, type: filed.body.type }).toEqual({
      status: 409,
      type: 'urn:case-desk:problem:release-refused',
    });
    expect(JSON.stringify(filed.body)).not.toContain('93300777');
    // A person of KR's own, which every KR officer reads, likewise.
    const person = (
      await tf['kr.officer']
        .post('/persons', { names: [{ full: 'KIM Min-jun', script: 'latin', kind: 'primary' }], nationalities: ['KR'] })
        .expect(201)
    ).body.id as string;
    expect(
      (
        await upload(
          t,
          tf['kr.officer'],
          `/persons/${person}/attachments`,
          aPdf(1000, 'person'),
          `calls with ${redPhone}.pdf`,
        )
      ).status,
    ).toBe(409);

    // Nor in the file's text (a note the officer typed), nor as the reason a file of the person is withdrawn.
    expect(
      (
        await upload(
          t,
          tf['kr.officer'],
          `/cases/${caseId}/attachments`,
          Buffer.from(`Subscriber of ${redPhone}: a shell company\n`),
          'note.txt',
        )
      ).status,
    ).toBe(409);
    const photo = await upload(t, tf['kr.officer'], `/persons/${person}/attachments`, aPdf(1000, 'p2'), 'p.pdf');
    expect(photo.status).toBe(201);
    const withdrawn = await tf['kr.officer'].post(`/attachments/${photo.body.id}/withdraw`, {
      reason: `Belongs to ${redPhone}`,
    });
    expect(withdrawn.status).toBe(409);

    // From KR's non-recipients' point of view: the case's files, its bundle, the trail.
    const list = [
      (await tf['kr.officer2'].get(`/cases/${caseId}/attachments`).expect(200)).body,
      (await tf['kr.officer2'].get(`/persons/${person}/attachments`).expect(200)).body,
    ];
    const bundle = await unzip(
      (await tf['kr.officer2'].get(`/cases/${caseId}/bundle`).buffer(true).parse(binary).expect(200))
        .body as Buffer,
    );
    const events = await trail();
    const seen = [
      JSON.stringify(list),
      ...[...bundle.entries()].map(([name, bytes]) => `${name} ${bytes.toString()}`),
      ...events.map((e) => JSON.stringify(e)),
    ].filter((text) => text.includes('93300777'));
    expect(seen).toEqual([]);
  });

  it('a name with a number KR holds otherwise, and a plain name, are filed as before', async () => {
    await upload(t, tf['kr.officer'], `/cases/${caseId}/attachments`, aPdf(1000, 'own'), 'call log +82105550123.pdf').expect(201);
    await upload(t, tf['kr.officer'], `/cases/${caseId}/attachments`, aPdf(1000, 'plain'), 'statement.pdf').expect(201);
  });
});
