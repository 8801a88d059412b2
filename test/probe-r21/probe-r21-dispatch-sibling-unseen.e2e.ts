import type { SignedIn } from '../support/http';
import { aDraft } from '../support/scenario';
import type { TestApp } from '../support/test-app';
import { multilateralWorld } from './r21-support';
import { aPdf, upload } from '../attachments/attachment-support';

/**
 * Probe r21: a RED request to several members of the multilateral body, recipients not visible. KH
 * works its thread to the end (an assignee, a message, a file, findings with a number and a person);
 * MY, another recipient, reads every channel it is told by (its thread, its lists, inbox, audit trail
 * and its export, statistics, persons and files) and finds nothing of KH's thread: not its id, its
 * reference, its assignee, its message, its file, its findings, the person KH found.
 */
describe('A recipient of a dispatch learns nothing of a sibling thread', () => {
  let t: TestApp;
  let as: Record<string, SignedIn>;
  let body: string;
  beforeAll(async () => {
    ({ t, as, body } = await multilateralWorld([
      'kr.officer',
      'kr.liaison',
      'kh.liaison',
      'kh.officer',
      'my.liaison',
      'my.auditor',
    ]));
  });
  afterAll(() => t?.close());

  const base = '/information-requests';
  const act = (who: string, id: string, action: string, version: number, extra: object = {}) =>
    as[who]!.post(`${base}/${id}/${action}`, { version, ...extra }).expect(200);

  it('nothing of KH’s thread reaches MY by any read', async () => {
    const draft = (
      await as['kr.officer']!.post(
        base,
        aDraft(body, { targetCountry: 'KH', alsoTo: ['MY'], handlingCode: 'RED', recipientsVisible: false }),
      ).expect(201)
    ).body;
    const submitted = (await act('kr.officer', draft.id, 'submit', draft.version)).body;
    const sent = (await act('kr.liaison', draft.id, 'approve', submitted.version)).body;
    const [{ id: khOfficer }] = await t.dataSource.query(
      `SELECT id FROM app_user WHERE username = 'kh.officer'`,
    );
    const thread = (c: string) => sent.recipients.find((r: { country: string }) => r.country === c);
    const kh = thread('KH');
    const my = thread('MY');

    // KH works its thread: accepts, assigns an officer, writes to KR, files an answer and fulfils.
    let khView = (await as['kh.liaison']!.get(`${base}/${kh.requestId}`).expect(200)).body;
    khView = (await act('kh.liaison', kh.requestId, 'accept', khView.version)).body;
    khView = (await act('kh.liaison', kh.requestId, 'assign', khView.version, { assigneeId: khOfficer }))
      .body;
    const message = (
      await as['kh.officer']!.post(`${base}/${kh.requestId}/messages`, {
        body: 'Subscriber found, see file.',
      }).expect(201)
    ).body;
    const file = (
      await upload(
        t,
        as['kh.officer']!,
        `${base}/${kh.requestId}/attachments`,
        aPdf(2000, 'kh-answer'),
        'kh-answer.pdf',
      ).expect(201)
    ).body;
    khView = (await as['kh.officer']!.get(`${base}/${kh.requestId}`).expect(200)).body;
    await act('kh.officer', kh.requestId, 'fulfil', khView.version, {
      findings: {
        summary: 'The subscriber is Sok Dara.',
        identifiers: { phones: ['+85599887766'] },
        persons: [
          { names: [{ full: 'SOK Dara Khieu', script: 'latin', kind: 'primary' }], nationalities: ['KH'] },
        ],
      },
    });
    const [{ id: foundPerson }] = await t.dataSource.query(
      `SELECT person_id AS id FROM request_person WHERE request_id = $1 AND added_by_side = 'target'`,
      [kh.requestId],
    );

    const secrets: Record<string, string> = {
      'KH thread id': kh.requestId,
      'KH reference': kh.reference,
      'KH assignee': khOfficer,
      'KH message': message.id,
      'KH file': file.id,
      'KH findings number': '99887766',
      'KH found person': foundPerson,
      'KH found person name': 'Dara Khieu',
    };
    // The secrets are real: KR, the origin, reads them on KH's thread.
    const seenByKr = JSON.stringify(
      (await as['kr.liaison']!.get(`${base}/${kh.requestId}`).expect(200)).body,
    );
    expect(seenByKr).toContain(kh.reference);
    expect(seenByKr).toContain('99887766');
    const reads: Record<string, () => Promise<{ status: number; text: string; body: { items?: unknown } }>> =
      {};
    for (const who of ['my.liaison', 'my.auditor']) {
      const get = (path: string) => as[who]!.get(path);
      Object.assign(reads, {
        [`${who} inbound`]: () => get(`${base}?direction=inbound&limit=200`),
        [`${who} persons`]: () => get(`/persons?limit=200`),
        [`${who} inbox`]: () => get(`/notifications?limit=200`),
        [`${who} stats`]: () => get(`/stats`),
        [`${who} seen-in findings number`]: () =>
          get(`/identifiers/seen-in?kind=phone&value=${encodeURIComponent('+85599887766')}`),
        [`${who} seen-in request number`]: () =>
          get(`/identifiers/seen-in?kind=phone&value=${encodeURIComponent('+85512345678')}`),
      });
    }
    // RED: MY's thread is read by its liaison (its auditor reads no RED request, as designed).
    Object.assign(reads, {
      [`my.liaison thread`]: () => as['my.liaison']!.get(`${base}/${my.requestId}`),
      [`my.liaison history`]: () => as['my.liaison']!.get(`${base}/${my.requestId}/history`),
      [`my.liaison messages`]: () => as['my.liaison']!.get(`${base}/${my.requestId}/messages`),
      [`my.liaison files`]: () => as['my.liaison']!.get(`${base}/${my.requestId}/attachments`),
    });
    reads['my.auditor audit'] = () => as['my.auditor']!.get('/audit-events?limit=200');
    reads['my.auditor export'] = () => as['my.auditor']!.get('/audit-events/export');
    reads['my.auditor KH thread timeline'] = () =>
      as['my.auditor']!.get(`/audit-events?recordType=request&recordId=${kh.requestId}`);

    const told: string[] = [];
    const statuses: Record<string, number> = {};
    for (const [read, run] of Object.entries(reads)) {
      const res = await run();
      statuses[read] = res.status;
      // seen-in repeats the number asked: only the records it lists count.
      const text = read.includes('seen-in') ? JSON.stringify(res.body.items) : res.text;
      for (const [what, value] of Object.entries(secrets))
        if (text.toLowerCase().includes(value.toLowerCase())) told.push(`${read}: ${what}`);
    }
    expect(told).toEqual([]);
    // Every read answered (a refusal would hold no secret and prove nothing).
    expect(Object.entries(statuses).filter(([, s]) => s !== 200)).toEqual([]);
    // MY reads its own thread (the reads above answered), and KH's answers 404 as an id that never was.
    await as['my.liaison']!.get(`${base}/${my.requestId}`).expect(200);
    const sibling = await as['my.liaison']!.get(`${base}/${kh.requestId}`);
    const never = await as['my.liaison']!.get(`${base}/00000000-0000-4000-8000-000000000000`);
    expect([sibling.status, sibling.body.detail]).toEqual([never.status, never.body.detail]);
  });
});
