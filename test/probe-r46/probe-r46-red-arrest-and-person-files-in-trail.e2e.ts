import { aPdf, download, sha256, upload } from '../attachments/attachment-support';
import { givenIn } from '../support/given';
import type { SignedIn } from '../support/http';
import { taskForce, TaskForce } from '../support/scenario';
import { createTestApp, TestApp } from '../support/test-app';

/**
 * Probe r46, finding 1: a file that reached KR only through a RED request KH sent KR — a file of the
 * arrest a RED repatriation is about, a file of a person a RED information request names — is read in
 * KR by the request's named recipients alone (its liaison, the assigned officer): KR's auditors and
 * other officers get 404. Yet each of the liaison's downloads, ranged downloads, re-checks and refused
 * downloads of it was in KR's trail whole: the file's SHA-256, its size (`actualSizeBytes`), the range
 * read. Only files hanging on the request itself (its own, its freeze targets', its blacklist entries')
 * were withheld (probe r42). A hash of bytes KH gave under RED lets KR's auditors confirm a guess of
 * the document, and match it against files they do read.
 */
describe('Probe r46: KR’s auditors do not read the hashes of files KR received only under RED', () => {
  let t: TestApp;
  let tf: TaskForce;
  let since: string;
  const arrestFile = aPdf(3100, 'r46-custody-record');
  const personFile = aPdf(3300, 'r46-passport-scan');
  let arrestFileId: string;
  let personFileId: string;
  let withdrawnFileId: string;
  let hashes: string[];

  type Event = { action: string; outcome: string; recordId: string; details: unknown; changes: unknown };
  const trail = async (who: SignedIn, path: string): Promise<Event[]> => {
    const events: Event[] = [];
    let cursor: string | null = null;
    do {
      const page = (
        await who
          .get(`${path}${path.includes('?') ? '&' : '?'}limit=200${cursor ? `&cursor=${cursor}` : ''}`)
          .expect(200)
      ).body as { items: Event[]; nextCursor: string | null };
      events.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);
    return events;
  };
  const exported = async (who: SignedIn, query: string): Promise<Event[]> =>
    String((await who.get(`/audit-events/export?${query}`).expect(200)).text)
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as Event);

  /** KH arrests a KR national, files `files` on the arrest, and sends KR a repatriation under `code`. */
  const repatriationToKr = async (code: string, name: string, files: Array<[Buffer, string]>) => {
    const arrest = (
      await tf['kh.officer']
        .post('/arrests', {
          arrestedAt: '2026-03-01T02:30:00Z',
          place: 'Golden Fortune compound',
          grounds: 'Online fraud',
          arrestingAgency: 'Cambodian National Police',
          nationality: 'KR',
          person: { names: [{ full: name, script: 'latin', kind: 'primary' }] },
        })
        .expect(201)
    ).body;
    const ids: string[] = [];
    for (const [bytes, filename] of files)
      ids.push(
        (await upload(t, tf['kh.officer'], `/arrests/${arrest.id}/attachments`, bytes, filename).expect(201))
          .body.id,
      );
    const draft = (
      await tf['kh.officer']
        .post('/repatriation-requests', {
          frameworkId: tf.cambodiaKoreaFramework,
          targetCountry: 'KR',
          priority: 'routine',
          handlingCode: code,
          subject: `Repatriation of ${name}`,
          arrestIds: [arrest.id],
        })
        .expect(201)
    ).body;
    const submitted = (
      await tf['kh.officer']
        .post(`/repatriation-requests/${draft.id}/submit`, { version: draft.version })
        .expect(200)
    ).body;
    await tf['kh.liaison']
      .post(`/repatriation-requests/${draft.id}/approve`, { version: submitted.version })
      .expect(200);
    return { requestId: draft.id as string, arrestId: arrest.id as string, fileIds: ids };
  };

  beforeAll(async () => {
    t = await createTestApp();
    tf = await taskForce(t);
    since = (await t.dataSource.query(`SELECT now() AS now`))[0].now.toISOString();
    const withdrawn = aPdf(2900, 'r46-withdrawn-statement');
    const red = await repatriationToKr('RED', 'PARK R46', [
      [arrestFile, 'custody-record.pdf'],
      [withdrawn, 'statement.pdf'],
    ]);
    [arrestFileId, withdrawnFileId] = red.fileIds;
    // A RED information request naming a person of KH's with a file on it.
    const personId = (
      await tf['kh.officer']
        .post('/persons', {
          names: [{ full: 'CHEA R46', script: 'latin', kind: 'primary' }],
          nationalities: ['KH'],
        })
        .expect(201)
    ).body.id as string;
    personFileId = (
      await upload(
        t,
        tf['kh.officer'],
        `/persons/${personId}/attachments`,
        personFile,
        'passport.pdf',
      ).expect(201)
    ).body.id;
    await givenIn(tf)
      .anInformationRequest()
      .from('KH')
      .sentTo('KR')
      .handledAs('RED')
      .with({ subject: 'Who is he?', personIds: [personId] } as never)
      .sent();
    // KR's liaison reads both files whole and in part, re-checks them, and tries the withdrawn one.
    for (const id of [arrestFileId, personFileId]) {
      expect((await download(t, tf['kr.liaison'], id)).status).toBe(200);
      expect((await download(t, tf['kr.liaison'], id, { Range: 'bytes=0-99' })).status).toBe(206);
      await tf['kr.liaison'].post(`/attachments/${id}/verify`, {}).expect(200);
    }
    await tf['kh.officer']
      .post(`/attachments/${withdrawnFileId}/withdraw`, { reason: 'Filed on the wrong arrest' })
      .expect(200);
    expect((await download(t, tf['kr.liaison'], withdrawnFileId)).status).toBe(410);
    hashes = [arrestFile, personFile, withdrawn].map(sha256);
  }, 120_000);
  afterAll(() => t?.close());

  it('the world: KR’s liaison reads both files; its auditor and other officers do not', async () => {
    for (const id of [arrestFileId, personFileId]) {
      await tf['kr.liaison'].get(`/attachments/${id}`).expect(200);
      await tf['kr.auditor'].get(`/attachments/${id}`).expect(404);
      await tf['kr.officer'].get(`/attachments/${id}`).expect(404);
    }
  });

  it('FINDING 1: KR’s trail has the liaison’s reads of the files without their hashes or sizes', async () => {
    const events = [
      ...(await trail(tf['kr.auditor'], `/audit-events?from=${encodeURIComponent(since)}`)),
      ...(await trail(
        tf['kr.auditor'],
        `/audit-events/timeline?recordType=attachment&recordId=${arrestFileId}`,
      )),
      ...(await trail(
        tf['kr.auditor'],
        `/audit-events/timeline?recordType=attachment&recordId=${personFileId}`,
      )),
      ...(await exported(tf['kr.auditor'], `from=${encodeURIComponent(since)}`)),
    ];
    const onFiles = events.filter(
      (e) =>
        e.action.startsWith('attachment.') &&
        [arrestFileId, personFileId, withdrawnFileId].includes(e.recordId),
    );
    // The reads are there for KR's auditors to oversee: which file, who, when, the outcome…
    expect(new Set(onFiles.map((e) => `${e.action}/${e.outcome}`))).toEqual(
      new Set(['attachment.download/success', 'attachment.verify/success', 'attachment.download/denied']),
    );
    expect(onFiles.length).toBe(7 + 3 + 3 + 7); // the list, the two timelines, the export
    // …but nothing of what the file is (on main: sha256, actualSha256, actualSizeBytes, the range).
    const leaks = onFiles.filter((e) => hashes.some((h) => JSON.stringify(e).includes(h)));
    expect(leaks.map((e) => ({ action: e.action, details: e.details }))).toEqual([]);
    for (const e of onFiles) expect(e.details).toMatchObject({ sha256: { rule: 'RED', withheld: true } });
    const verify = onFiles.find((e) => e.action === 'attachment.verify')!;
    expect(verify.details).toMatchObject({ actualSizeBytes: { rule: 'RED', withheld: true } });
  });

  it('an officer’s probe of such a file reads in KR’s trail as a probe of an id that does not exist', async () => {
    const from = (await t.dataSource.query(`SELECT now() AS now`))[0].now.toISOString();
    const unknown = '00000000-0000-4000-8000-000000000046';
    await tf['kr.officer'].get(`/attachments/${arrestFileId}`).expect(404);
    await tf['kr.officer'].get(`/attachments/${unknown}`).expect(404);
    const denials = await trail(
      tf['kr.auditor'],
      `/audit-events?action=access.denied&from=${encodeURIComponent(from)}`,
    );
    const of = (id: string) => denials.find((e) => e.recordId === id)!;
    expect(of(arrestFileId).details).toEqual({ reason: 'not-visible' });
    expect(of(unknown).details).toEqual({ reason: 'not-visible' });
  });

  it('KH’s auditors, the files’ owner, read the same events whole', async () => {
    const events = await trail(tf['kh.auditor'], `/audit-events?from=${encodeURIComponent(since)}`);
    const downloads = events.filter(
      (e) => e.action === 'attachment.download' && [arrestFileId, personFileId].includes(e.recordId),
    );
    expect(downloads).toHaveLength(4);
    expect(JSON.stringify(downloads)).toContain(hashes[0]);
    expect(JSON.stringify(downloads)).toContain(hashes[1]);
  });

  it('an AMBER repatriation: KR’s auditor reads the arrest’s file, and its liaison’s reads whole', async () => {
    const bytes = aPdf(3000, 'r46-amber-custody');
    const hash = sha256(bytes);
    const from = (await t.dataSource.query(`SELECT now() AS now`))[0].now.toISOString();
    const amber = await repatriationToKr('AMBER', 'KIM R46', [[bytes, 'custody-amber.pdf']]);
    await tf['kr.auditor'].get(`/attachments/${amber.fileIds[0]}`).expect(200);
    expect((await download(t, tf['kr.liaison'], amber.fileIds[0])).status).toBe(200);
    const events = await trail(
      tf['kr.auditor'],
      `/audit-events?action=attachment.download&from=${encodeURIComponent(from)}`,
    );
    expect(events.find((e) => e.recordId === amber.fileIds[0])?.details).toMatchObject({ sha256: hash });
  });
});
