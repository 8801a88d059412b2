import { aPdf, upload } from '../attachments/attachment-support';
import { givenIn } from '../support/given';
import { taskForce, TaskForce } from '../support/scenario';
import { createTestApp, TestApp } from '../support/test-app';

/**
 * Probe (round 7): a request withdrawn by its origin still carries the origin's LATER edits of the
 * persons it named to the target. KH sends KR an information request naming its person P (GREEN; KR
 * reads P only through it), then withdraws it (`POST /information-requests/:id/withdraw`, from `sent`).
 * The request still shows to KR (status `withdrawn`, from `sent` on, `requestScope`) and so P stays in
 * KR's `personScope` through `request_person`: KH renames P, changes its phone and writes a note, and
 * KR's `GET /persons/P`, `GET /persons?name=` and `GET /identifiers/seen-in` show or confirm each of
 * those edits. A withdrawal ends the request as a channel: what KR received while it was live it may
 * keep (a copy as P stood at the withdrawal), nothing KH does afterwards — as the request itself
 * already behaves: it takes no more files once withdrawn (409 attachment-not-accepted-now), while a
 * file KH puts on P after the withdrawal is listed to KR (`GET /persons/P/attachments`). Likewise a request KR
 * answered and KH closed (`POST /information-requests/:id/close`): KH's later rename and new phone of
 * the person it named show in KR's `GET /persons/Q`.
 * Fix: src/access/scopes.ts `personScope` / `personReceivedScope` / `personSeenSince` (a request the
 * other country withdrew releases its persons no further), with a copy taken at the withdrawal
 * (src/sharing/release.service.ts, `KeptCopiesStore.keep`, from the withdraw step in
 * src/workflow/workflow.service.ts), as at a framework's end.
 */
describe('Probe r7: a withdrawn request keeps showing the origin its person live to the target', () => {
  let t: TestApp;
  let tf: TaskForce;
  let personId: string;
  let requestStatus: string;
  let one: unknown;
  let byName: unknown[];
  let seenIn: Array<{ recordId: string }>;
  let files: Array<{ filename: string }>;
  let closedPersonId: string;
  let closedStatus: string;
  let closedOne: unknown;

  beforeAll(async () => {
    t = await createTestApp();
    tf = await taskForce(t);
    personId = (
      await tf['kh.officer']
        .post('/persons', {
          names: [{ full: 'SOK Withdrawn', script: 'latin', kind: 'primary' }],
          nationalities: ['KH'],
          phones: ['+85512000333'],
        })
        .expect(201)
    ).body.id;
    const sent = await givenIn(tf)
      .anInformationRequest()
      .from('KH')
      .sentTo('KR')
      .handledAs('GREEN')
      .about(personId)
      .sent();
    await tf['kr.officer'].get(`/persons/${personId}`).expect(200);
    await tf['kh.officer']
      .post(`/information-requests/${sent.id}/withdraw`, { version: sent.version })
      .expect(200);

    const current = (await tf['kh.officer'].get(`/persons/${personId}`).expect(200)).body;
    await tf['kh.officer']
      .patch(`/persons/${personId}`, {
        version: current.version,
        names: [{ full: 'SOK WithdrawnRenamed', script: 'latin', kind: 'primary' }],
        nationalities: ['KH'],
        phones: ['+85512000222'],
        notes: 'KH note written after the withdrawal',
      })
      .expect(200);
    // The request itself takes no more files once withdrawn (409); its person still does.
    await upload(
      t,
      tf['kh.officer'],
      `/information-requests/${sent.id}/attachments`,
      aPdf(2_000, 'r'),
      'request-after-withdrawal.pdf',
    ).expect(409);
    await upload(
      t,
      tf['kh.officer'],
      `/persons/${personId}/attachments`,
      aPdf(2_000, 'p'),
      'person-after-withdrawal.pdf',
    ).expect(201);

    // The same for a request KR answered and KH closed: the conversation is over.
    closedPersonId = (
      await tf['kh.officer']
        .post('/persons', {
          names: [{ full: 'SOK Closed', script: 'latin', kind: 'primary' }],
          nationalities: ['KH'],
          phones: ['+85512000444'],
        })
        .expect(201)
    ).body.id;
    const answered = await givenIn(tf)
      .anInformationRequest()
      .from('KH')
      .sentTo('KR')
      .handledAs('GREEN')
      .about(closedPersonId)
      .fulfilled({ findings: { summary: 'Not known here' } });
    const closed = await tf['kh.officer']
      .post(`/information-requests/${answered.id}/close`, { version: answered.version })
      .expect(200);
    const closedCurrent = (await tf['kh.officer'].get(`/persons/${closedPersonId}`).expect(200)).body;
    await tf['kh.officer']
      .patch(`/persons/${closedPersonId}`, {
        version: closedCurrent.version,
        names: [{ full: 'SOK ClosedRenamed', script: 'latin', kind: 'primary' }],
        nationalities: ['KH'],
        phones: ['+85512000445'],
      })
      .expect(200);

    const kr = tf['kr.officer'];
    closedStatus = (await kr.get(`/information-requests/${closed.body.id}`).expect(200)).body.status;
    closedOne = (await kr.get(`/persons/${closedPersonId}`)).body;
    requestStatus = (await kr.get(`/information-requests/${sent.id}`).expect(200)).body.status;
    one = (await kr.get(`/persons/${personId}`)).body;
    const listed = await kr.get(`/persons/${personId}/attachments`);
    files = listed.status === 200 ? listed.body.items : [];
    byName = (await kr.get('/persons?name=WithdrawnRenamed').expect(200)).body.items;
    seenIn = (
      await kr.get(`/identifiers/seen-in?kind=phone&value=${encodeURIComponent('+85512000222')}`).expect(200)
    ).body.items;
  }, 120_000);
  afterAll(() => t?.close());

  it('KR reads the request as withdrawn', () => {
    expect(requestStatus).toBe('withdrawn');
  });

  it("KR's person view shows none of KH's edits made after the withdrawal", () => {
    const seen = JSON.stringify(one);
    expect(seen).not.toContain('SOK WithdrawnRenamed');
    expect(seen).not.toContain('+85512000222');
    expect(seen).not.toContain('after the withdrawal');
  });

  it('KR is not listed the file KH put on the person after the withdrawal', () => {
    expect(files.map((f) => f.filename)).not.toContain('person-after-withdrawal.pdf');
  });

  it('KR does not find the person by the name KH gave it after the withdrawal', () => {
    expect(JSON.stringify(byName)).not.toContain('SOK WithdrawnRenamed');
  });

  it("after a request is closed, KR's person view shows none of KH's later edits", () => {
    expect(closedStatus).toBe('closed');
    const seen = JSON.stringify(closedOne);
    expect(seen).not.toContain('SOK ClosedRenamed');
    expect(seen).not.toContain('+85512000445');
  });

  it('seen-in does not confirm to KR the phone KH added after the withdrawal', () => {
    expect(seenIn.map((i) => i.recordId)).not.toContain(personId);
  });
});
