import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestApp, TestApp } from '../support/test-app';
import { aDraft, taskForce, TaskForce } from '../support/scenario';
import type { SignedIn } from '../support/http';
import {
  aBankAccount,
  anAcceptedRequest,
  koreaMalaysiaFramework,
} from '../asset-freezes/asset-freeze-scenario';
import { aPdf, aPng, binary, download, sha256, storedKeys, unzip, upload } from './attachment-support';

const LIMIT = 6 * 1024 * 1024;

describe('Attachments: evidence that travels with the case (issue 19)', () => {
  let t: TestApp;
  let tf: TaskForce;
  let dataDir: string;
  let store: string;
  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'attachments-e2e-'));
    store = join(dataDir, 'attachments');
    t = await createTestApp({}, { DATA_DIR: dataDir, ATTACHMENT_MAX_BYTES: String(LIMIT) });
    // The raw-socket tests (streamed and interrupted uploads) use the port createTestApp listens on.
    tf = await taskForce(t);
  });
  afterAll(async () => {
    await t?.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  const rows = async () => Number((await t.dataSource.query(`SELECT count(*) AS n FROM attachment`))[0].n);

  async function sentRequest(overrides: object = {}) {
    const r = (
      await tf['kr.officer']
        .post('/information-requests', aDraft(tf.cambodiaKoreaFramework, overrides))
        .expect(201)
    ).body;
    let v = r.version as number;
    const step = async (who: SignedIn, action: string, extra: object = {}) => {
      v = (await who.post(`/information-requests/${r.id}/${action}`, { version: v, ...extra }).expect(200))
        .body.version;
    };
    await step(tf['kr.officer'], 'submit');
    await step(tf['kr.liaison'], 'approve');
    return { id: r.id as string, step };
  }

  async function krCase(): Promise<string> {
    return (await tf['kr.officer'].post('/cases', { title: 'Golden Fortune compound' }).expect(201)).body.id;
  }

  it('KH answers a KR information request with findings and a 5 MB PDF; KR downloads it (hash, ETag, range); MY gets 404 everywhere; the timeline shows upload and download with the hash', async () => {
    const r = await sentRequest();
    const pdf = aPdf(5 * 1024 * 1024);
    const hash = sha256(pdf);

    // Sent but not yet accepted: the target has nothing to answer with yet.
    const early = await upload(
      t,
      tf['kh.officer'],
      `/information-requests/${r.id}/attachments`,
      pdf,
      'findings.pdf',
    );
    expect(early.status).toBe(409);
    await r.step(tf['kh.liaison'], 'accept');
    await r.step(tf['kh.liaison'], 'assign', { assigneeId: await tf.userId('kh.officer') });

    const up = await upload(
      t,
      tf['kh.officer'],
      `/information-requests/${r.id}/attachments`,
      pdf,
      'Findings — ABA 000123456.pdf',
    ).expect(201);
    expect(up.body).toMatchObject({
      parent: { type: 'request', id: r.id },
      filename: 'Findings — ABA 000123456.pdf',
      mediaType: 'application/pdf',
      sizeBytes: pdf.length,
      sha256: hash,
      status: 'active',
      uploadedBy: { country: 'KH', username: 'kh.officer' },
    });
    const id = up.body.id as string;
    await r.step(tf['kh.officer'], 'fulfil', {
      findings: { summary: 'Registered to a nominee; statement attached.' },
    });

    const listed = await tf['kr.officer'].get(`/information-requests/${r.id}/attachments`).expect(200);
    expect(listed.body.items).toHaveLength(1);
    // KR learns the country that gave it, not which officer.
    expect(listed.body.items[0]).toMatchObject({
      id,
      sha256: hash,
      uploadedBy: { country: 'KH', userId: null, username: null },
    });

    const whole = await download(t, tf['kr.officer'], id).expect(200);
    expect(sha256(whole.body as Buffer)).toBe(hash);
    expect(whole.headers.etag).toBe(`"${hash}"`);
    expect(whole.headers['content-type']).toBe('application/pdf');
    expect(whole.headers['content-disposition']).toBe(
      `attachment; filename="Findings _ ABA 000123456.pdf"; filename*=UTF-8''${encodeURIComponent('Findings — ABA 000123456.pdf')}`,
    );
    const part = await download(t, tf['kr.officer'], id, { Range: 'bytes=1000-1999' }).expect(206);
    expect(part.headers['content-range']).toBe(`bytes 1000-1999/${pdf.length}`);
    expect((part.body as Buffer).equals(pdf.subarray(1000, 2000))).toBe(true);
    const tail = await download(t, tf['kr.officer'], id, { Range: 'bytes=-7' }).expect(206);
    expect((tail.body as Buffer).toString()).toBe('\n%%EOF\n');
    const beyond = await download(t, tf['kr.officer'], id, { Range: `bytes=${pdf.length}-` }).expect(416);
    expect(beyond.headers['content-range']).toBe(`bytes */${pdf.length}`);

    for (const path of [`/attachments/${id}`, `/information-requests/${r.id}/attachments`]) {
      const res = await tf['my.officer'].get(path).expect(404);
      expect(res.body.type).toMatch(/not-found$/);
    }
    const hidden = await download(t, tf['my.officer'], id).expect(404);
    expect(JSON.parse((hidden.body as Buffer).toString()).detail).toBe('The attachment does not exist.');
    const myVerify = await tf['my.officer'].post(`/attachments/${id}/verify`).expect(404);
    expect(myVerify.body.detail).toBe('The attachment does not exist.');

    const timeline = await tf['kr.auditor']
      .get(`/audit-events/timeline?recordType=attachment&recordId=${id}`)
      .expect(200);
    const events = timeline.body.items as Array<{
      action: string;
      outcome: string;
      actor: { country: string };
      changes: unknown;
      details: unknown;
    }>;
    const uploadEvent = events.find((e) => e.action === 'attachment.upload');
    expect(uploadEvent?.actor.country).toBe('KH');
    expect(JSON.stringify(uploadEvent?.changes)).toContain(hash);
    const downloads = events.filter((e) => e.action === 'attachment.download' && e.outcome === 'success');
    expect(downloads.length).toBeGreaterThanOrEqual(3);
    expect(downloads.every((e) => e.actor.country === 'KR' && JSON.stringify(e.details).includes(hash))).toBe(
      true,
    );
    // MY's probe is in the owner's trail as a denial.
    expect(events.some((e) => e.action === 'access.denied' && e.actor.country === 'MY')).toBe(true);
  });

  it('refuses bad input with a 4xx problem and stores nothing: type, size, filename, an unseen record, a JSON or empty body', async () => {
    const caseId = await krCase();
    const base = `/cases/${caseId}/attachments`;
    const keysBefore = await storedKeys(store);
    const rowsBefore = await rows();
    const gif = Buffer.concat([Buffer.from('GIF89a'), Buffer.alloc(5000, 0)]);
    const exe = Buffer.concat([Buffer.from('MZ'), Buffer.alloc(5000, 0x90)]);
    const cases: Array<[string, () => Promise<{ status: number; body: Record<string, unknown> }>, number]> = [
      ['a GIF (not on the allow-list)', () => upload(t, tf['kr.officer'], base, gif, 'photo.gif'), 415],
      ['a Windows executable named .pdf', () => upload(t, tf['kr.officer'], base, exe, 'statement.pdf'), 415],
      [
        'binary without a known type',
        () => upload(t, tf['kr.officer'], base, Buffer.alloc(5000, 0), 'blob.bin'),
        415,
      ],
      [
        'over the size limit (declared)',
        () => upload(t, tf['kr.officer'], base, aPdf(LIMIT + 1), 'big.pdf'),
        413,
      ],
      [
        'a filename with a slash',
        () => upload(t, tf['kr.officer'], base, aPdf(10_000), '../../etc/passwd'),
        400,
      ],
      [
        'a filename with a backslash',
        () => upload(t, tf['kr.officer'], base, aPdf(10_000), '..\\boot.ini'),
        400,
      ],
      [
        'a filename with a control character',
        () => upload(t, tf['kr.officer'], base, aPdf(10_000), 'a\u0007b.pdf'),
        400,
      ],
      [
        'a filename with a bidi override',
        () => upload(t, tf['kr.officer'], base, aPdf(10_000), 'invoice\u202Efdp.exe'),
        400,
      ],
      ['no filename', () => upload(t, tf['kr.officer'], base, aPdf(10_000), null), 400],
      [
        'a filename that is not percent-encoding',
        () => upload(t, tf['kr.officer'], base, aPdf(10_000), null, { 'X-Filename': '%E0%A4%A' }),
        400,
      ],
      ['an empty file', () => upload(t, tf['kr.officer'], base, Buffer.alloc(0), 'empty.txt'), 400],
      ['a case MY cannot see', () => upload(t, tf['my.officer'], base, aPdf(10_000), 'x.pdf'), 404],
      [
        'a case that does not exist',
        () =>
          upload(
            t,
            tf['kr.officer'],
            `/cases/00000000-0000-4000-8000-000000000000/attachments`,
            aPdf(10_000),
            'x.pdf',
          ),
        404,
      ],
      [
        'a case KR owns, by a KR liaison (read-only role)',
        () => upload(t, tf['kr.liaison'], base, aPdf(10_000), 'x.pdf'),
        403,
      ],
      ['a JSON body', () => tf['kr.officer'].post(base, { file: 'x' }), 415],
      [
        'an octet-stream body to another route',
        () => upload(t, tf['kr.officer'], '/cases', aPdf(10_000), 'x.pdf'),
        415,
      ],
    ];
    const wrong: string[] = [];
    for (const [what, send, status] of cases) {
      const res = await send();
      const body = res.body as { type?: string; detail?: string; errors?: unknown };
      if (res.status !== status || typeof body.type !== 'string' || !(body.detail || body.errors))
        wrong.push(`${what}: ${res.status} ${JSON.stringify(body)}`);
    }
    expect(wrong).toEqual([]);
    expect(await storedKeys(store)).toEqual(keysBefore);
    expect(await rows()).toBe(rowsBefore);
  });

  it('refuses an upload that crosses the limit while streaming (no Content-Length) and keeps nothing', async () => {
    const caseId = await krCase();
    const keysBefore = await storedKeys(store);
    const { port } = t.server.address() as AddressInfo;
    const chunk = aPdf(1024 * 1024);
    const status = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = httpRequest(
        {
          port,
          host: '127.0.0.1',
          method: 'POST',
          path: `/api/v1/cases/${caseId}/attachments`,
          headers: {
            Authorization: `Bearer ${tf['kr.officer'].tokens.accessToken}`,
            'Content-Type': 'application/octet-stream',
            'Transfer-Encoding': 'chunked',
            'X-Filename': 'stream.pdf',
          },
        },
        (res) => {
          let body = '';
          res.on('data', (c) => (body += c));
          res.on('end', () => resolve({ status: res.statusCode!, body }));
        },
      );
      req.on('error', reject);
      for (let i = 0; i < 8; i++) req.write(chunk);
      req.end();
    });
    expect(status.status).toBe(413);
    expect(JSON.parse(status.body)).toMatchObject({
      type: expect.stringMatching(/attachment-too-large$/),
      maxBytes: LIMIT,
    });
    expect(await storedKeys(store)).toEqual(keysBefore);
  });

  it('an interrupted upload leaves nothing behind', async () => {
    const caseId = await krCase();
    const keysBefore = await storedKeys(store);
    const rowsBefore = await rows();
    const { port } = t.server.address() as AddressInfo;
    await new Promise<void>((resolve) => {
      const req = httpRequest({
        port,
        host: '127.0.0.1',
        method: 'POST',
        path: `/api/v1/cases/${caseId}/attachments`,
        headers: {
          Authorization: `Bearer ${tf['kr.officer'].tokens.accessToken}`,
          'Content-Type': 'application/octet-stream',
          'Content-Length': String(4 * 1024 * 1024),
          'X-Filename': 'cut.pdf',
        },
      });
      req.on('error', () => resolve());
      req.write(aPdf(1024 * 1024), () => setTimeout(() => (req.destroy(), resolve()), 300));
    });
    // Give the server a moment to notice the closed connection and clean up.
    for (let i = 0; i < 20 && (await storedKeys(store)).length !== keysBefore.length; i++)
      await new Promise((r) => setTimeout(r, 100));
    expect(await storedKeys(store)).toEqual(keysBefore);
    expect(await rows()).toBe(rowsBefore);
  });

  it("verify re-hashes the stored bytes and reports a file changed behind the app's back", async () => {
    const caseId = await krCase();
    const png = aPng(20_000);
    const up = await upload(t, tf['kr.officer'], `/cases/${caseId}/attachments`, png, 'compound.png').expect(
      201,
    );
    expect(up.body.mediaType).toBe('image/png');
    const first = await tf['kr.officer'].post(`/attachments/${up.body.id}/verify`).expect(200);
    expect(first.body).toMatchObject({ ok: true, sha256: sha256(png), actualSha256: sha256(png) });

    const tampered = Buffer.from(png);
    tampered[10_000] ^= 0x01;
    await writeFile(join(store, 'sha256', sha256(png).slice(0, 2), sha256(png)), tampered);
    const second = await tf['kr.auditor'].post(`/attachments/${up.body.id}/verify`).expect(200);
    expect(second.body).toMatchObject({
      ok: false,
      sha256: sha256(png),
      actualSha256: sha256(tampered),
      actualSizeBytes: png.length,
    });
    const timeline = await tf['kr.auditor']
      .get(`/audit-events/timeline?recordType=attachment&recordId=${up.body.id}`)
      .expect(200);
    expect(
      timeline.body.items.map((e: { action: string; outcome: string }) => `${e.action}:${e.outcome}`),
    ).toEqual(
      expect.arrayContaining([
        'attachment.upload:success',
        'attachment.verify:success',
        'attachment.verify:failed',
      ]),
    );
  });

  it("stores the same bytes once, supersedes by a new version, and withdraws keeping the content for the owner's auditors only", async () => {
    const caseId = await krCase();
    const base = `/cases/${caseId}/attachments`;
    const text = Buffer.from('Seized ledger, page 1\nrow;amount\n1;100\n');
    const before = await storedKeys(store);
    const a = await upload(t, tf['kr.officer'], base, text, 'ledger.csv').expect(201);
    const b = await upload(t, tf['kr.officer2'], base, text, 'ledger-copy.txt').expect(201);
    expect(a.body.mediaType).toBe('text/csv');
    expect(b.body.mediaType).toBe('text/plain');
    expect(a.body.sha256).toBe(b.body.sha256);
    expect((await storedKeys(store)).length).toBe(before.length + 1);

    const v2 = await upload(
      t,
      tf['kr.officer'],
      base,
      Buffer.from('Seized ledger, page 1 (corrected)\n'),
      'ledger.csv',
      {
        'X-Supersedes': a.body.id,
      },
    ).expect(201);
    expect(v2.body.supersedes).toBe(a.body.id);
    expect((await tf['kr.officer'].get(`/attachments/${a.body.id}`).expect(200)).body).toMatchObject({
      status: 'superseded',
      supersededBy: v2.body.id,
    });
    await upload(t, tf['kr.officer'], base, text, 'again.csv', { 'X-Supersedes': a.body.id }).expect(409);

    await tf['kr.officer']
      .post(`/attachments/${b.body.id}/withdraw`, { reason: 'Duplicate of the ledger' })
      .expect(200);
    await tf['kr.officer'].post(`/attachments/${b.body.id}/withdraw`, { reason: 'Again' }).expect(409);
    const listed = await tf['kr.officer'].get(base).expect(200);
    expect(listed.body.items.map((x: { id: string; status: string }) => [x.id, x.status])).toEqual([
      [v2.body.id, 'active'],
      [b.body.id, 'withdrawn'],
      [a.body.id, 'superseded'],
    ]);
    const refused = await download(t, tf['kr.officer'], b.body.id).expect(410);
    expect(JSON.parse((refused.body as Buffer).toString()).type).toMatch(/attachment-withdrawn$/);
    const audited = await download(t, tf['kr.auditor'], b.body.id).expect(200);
    expect((audited.body as Buffer).equals(text)).toBe(true);
    // The bytes a withdrawn file shares with a live one were never removed.
    expect(sha256((await download(t, tf['kr.officer'], a.body.id).expect(200)).body as Buffer)).toBe(
      sha256(text),
    );
    // The database itself refuses to rewrite or delete an attachment.
    await expect(
      t.dataSource.query(`UPDATE attachment SET filename = 'x' WHERE id = $1`, [a.body.id]),
    ).rejects.toThrow(/never changed/);
    await expect(t.dataSource.query(`DELETE FROM attachment WHERE id = $1`, [a.body.id])).rejects.toThrow(
      /never deleted/,
    );
    // Nor may a new version hang on another type of record than the one it supersedes (the readers'
    // statements weigh a file's versions by the file's own type of record).
    const person = (
      await tf['kr.officer']
        .post('/persons', { names: [{ full: 'KIM Min', script: 'latin', kind: 'primary' }] })
        .expect(201)
    ).body.id as string;
    await expect(
      t.dataSource.query(
        `INSERT INTO attachment (parent_type, person_id, owner_country, filename, media_type, size_bytes, sha256,
                                 uploaded_by, uploader_country, supersedes)
         SELECT 'person', $2, owner_country, filename, media_type, size_bytes, sha256, uploaded_by, uploader_country, id
           FROM attachment WHERE id = $1`,
        [v2.body.id, person],
      ),
    ).rejects.toThrow(/same type of record/);
  });

  it('access follows the parent: a shared case, a person, an arrest; only the owner country attaches', async () => {
    const caseId = await krCase();
    const up = await upload(
      t,
      tf['kr.officer'],
      `/cases/${caseId}/attachments`,
      aPdf(20_000, 'case'),
      'report.pdf',
    ).expect(201);
    await tf['kh.officer'].get(`/attachments/${up.body.id}`).expect(404);
    await tf['kr.liaison'].post(`/cases/${caseId}/shares`, { countryCode: 'KH' }).expect(201);
    await tf['kh.officer'].get(`/cases/${caseId}/attachments`).expect(200);
    await download(t, tf['kh.officer'], up.body.id).expect(200);
    // Shared read-only: KH may not attach to KR's case.
    await upload(t, tf['kh.officer'], `/cases/${caseId}/attachments`, aPdf(20_000), 'kh.pdf').expect(403);
    // KH's download shows in KR's trail (owner), as KH's actor.
    const timeline = await tf['kr.auditor']
      .get(`/audit-events/timeline?recordType=attachment&recordId=${up.body.id}`)
      .expect(200);
    expect(
      timeline.body.items.some(
        (e: { action: string; actor: { country: string } }) =>
          e.action === 'attachment.download' && e.actor.country === 'KH',
      ),
    ).toBe(true);
    await tf['kr.liaison'].delete(`/cases/${caseId}/shares/KH`).expect(200);
    await download(t, tf['kh.officer'], up.body.id).expect(404);

    const person = (
      await tf['kr.officer']
        .post('/persons', { names: [{ full: 'KIM Min', script: 'latin', kind: 'primary' }] })
        .expect(201)
    ).body;
    const photo = await upload(
      t,
      tf['kr.officer'],
      `/persons/${person.id}/attachments`,
      aPng(),
      'kim.png',
    ).expect(201);
    expect(photo.body.parent).toEqual({ type: 'person', id: person.id });
    await tf['my.officer'].get(`/persons/${person.id}/attachments`).expect(404);
    await tf['my.officer'].get(`/attachments/${photo.body.id}`).expect(404);

    const arrest = (
      await tf['kr.officer']
        .post('/arrests', {
          arrestedAt: '2026-03-01T02:30:00Z',
          place: 'A compound',
          grounds: 'Online fraud',
          arrestingAgency: 'Police',
          nationality: 'KH',
          person: { names: [{ full: 'SOK Dara', script: 'latin', kind: 'primary' }] },
        })
        .expect(201)
    ).body;
    const extract = await upload(
      t,
      tf['kr.officer'],
      `/arrests/${arrest.id}/attachments`,
      aPdf(30_000, 'phone'),
      'phone-extract.pdf',
    ).expect(201);
    expect(
      (await tf['kr.auditor'].get(`/arrests/${arrest.id}/attachments`).expect(200)).body.items[0].id,
    ).toBe(extract.body.id);
    await tf['kh.officer'].get(`/arrests/${arrest.id}/attachments`).expect(404);
  });

  it("RED request: attachments reach the target's liaisons and the assigned officer only", async () => {
    const r = await sentRequest({ handlingCode: 'RED' });
    await r.step(tf['kh.liaison'], 'accept');
    const up = await upload(
      t,
      tf['kh.liaison'],
      `/information-requests/${r.id}/attachments`,
      aPdf(10_000, 'red'),
      'red.pdf',
    );
    // Liaisons do not hold attachments.write; the assigned officer attaches.
    expect(up.status).toBe(403);
    await r.step(tf['kh.liaison'], 'assign', { assigneeId: await tf.userId('kh.officer') });
    const ok = await upload(
      t,
      tf['kh.officer'],
      `/information-requests/${r.id}/attachments`,
      aPdf(10_000, 'red'),
      'red.pdf',
    ).expect(201);
    await tf['kh.liaison2'].get(`/attachments/${ok.body.id}`).expect(200);
    await tf['kh.officer2'].get(`/attachments/${ok.body.id}`).expect(404);
    await download(t, tf['kh.officer2'], ok.body.id).expect(404);
    await tf['kh.officer2'].get(`/information-requests/${r.id}/attachments`).expect(404);
    await download(t, tf['kr.officer'], ok.body.id).expect(200);
  });

  it('exports a case bundle: a ZIP of the visible attachments with manifest.json, custody-timeline.json and SHA256SUMS', async () => {
    const caseId = await krCase();
    const reference = (await tf['kr.officer'].get(`/cases/${caseId}`).expect(200)).body.reference as string;
    const pdf = aPdf(200_000, 'bundle');
    const png = aPng(5000);
    const note = Buffer.from('Withdrawn note\n');
    const a = await upload(t, tf['kr.officer'], `/cases/${caseId}/attachments`, pdf, 'statement.pdf').expect(
      201,
    );
    const b = await upload(t, tf['kr.officer'], `/cases/${caseId}/attachments`, png, 'photo.png').expect(201);
    const c = await upload(t, tf['kr.officer'], `/cases/${caseId}/attachments`, note, 'note.txt').expect(201);
    await tf['kr.officer'].post(`/attachments/${c.body.id}/withdraw`, { reason: 'Wrong case' }).expect(200);
    // KH's findings on a request of this case: in KR's bundle, never in KH's (KH is not told the case).
    const r = await sentRequest({ caseId });
    await r.step(tf['kh.liaison'], 'accept');
    await r.step(tf['kh.liaison'], 'assign', { assigneeId: await tf.userId('kh.officer') });
    const k = await upload(
      t,
      tf['kh.officer'],
      `/information-requests/${r.id}/attachments`,
      aPdf(50_000, 'kh'),
      'answer.pdf',
    ).expect(201);

    const res = await tf['kr.officer'].get(`/cases/${caseId}/bundle`).buffer(true).parse(binary).expect(200);
    expect(res.headers['content-type']).toBe('application/zip');
    expect(res.headers['content-disposition']).toContain(`${reference}-bundle.zip`);
    const entries = await unzip(res.body as Buffer);
    const manifest = JSON.parse(entries.get('manifest.json')!.toString());
    expect(manifest.case).toMatchObject({ id: caseId, reference, ownerCountry: 'KR' });
    type File = {
      attachmentId: string;
      path: string | null;
      sha256: string;
      status: string;
      parent: { type: string };
    };
    const files = manifest.files as File[];
    expect(files.map((f) => f.attachmentId).sort()).toEqual(
      [a.body.id, b.body.id, c.body.id, k.body.id].sort(),
    );
    const withdrawn = files.find((f) => f.attachmentId === c.body.id)!;
    expect(withdrawn).toMatchObject({ status: 'withdrawn', path: null });
    for (const f of files.filter((x) => x.path)) expect(sha256(entries.get(f.path!)!)).toBe(f.sha256);
    expect(files.find((f) => f.attachmentId === k.body.id)!.parent.type).toBe('request');
    const sums = entries.get('SHA256SUMS')!.toString().trim().split('\n');
    expect(sums).toHaveLength(3);
    expect(sums).toContain(`${sha256(pdf)}  ${files.find((f) => f.attachmentId === a.body.id)!.path}`);
    const custody = JSON.parse(entries.get('custody-timeline.json')!.toString()) as Array<{
      action: string;
      sha256: string | null;
      country: string;
    }>;
    expect(custody.some((e) => e.action === 'attachment.upload' && e.sha256 === sha256(pdf))).toBe(true);
    expect(custody.some((e) => e.action === 'attachment.withdraw' && e.sha256 === sha256(note))).toBe(true);
    expect(
      custody.some(
        (e) => e.action === 'attachment.download' && e.country === 'KR' && e.sha256 === sha256(png),
      ),
    ).toBe(true);

    await tf['my.officer'].get(`/cases/${caseId}/bundle`).expect(404);
    await tf['kr.liaison'].post(`/cases/${caseId}/shares`, { countryCode: 'KH' }).expect(201);
    const kh = await unzip(
      (await tf['kh.officer'].get(`/cases/${caseId}/bundle`).buffer(true).parse(binary).expect(200))
        .body as Buffer,
    );
    const khFiles = JSON.parse(kh.get('manifest.json')!.toString()).files as File[];
    // The note was withdrawn before the case reached KH: for KH it never existed (probe-presend-files).
    expect(khFiles.map((f) => f.attachmentId).sort()).toEqual([a.body.id, b.body.id].sort());
  });

  it('attaches to a freeze target (either side of the request) and to a blacklist entry (the proposing country)', async () => {
    const freeze = await anAcceptedRequest(tf, await koreaMalaysiaFramework(t), [aBankAccount()]);
    const targetId = freeze.targets[0].id as string;
    const path = `/asset-freeze-requests/${freeze.id}/targets/${targetId}/attachments`;
    const statement = await upload(
      t,
      tf['kr.officer'],
      path,
      aPdf(40_000, 'statement'),
      'aba-statement.pdf',
    ).expect(201);
    expect(statement.body.parent).toEqual({ type: 'asset_freeze_target', id: targetId });
    const executed = await upload(t, tf['my.officer'], path, aPng(), 'freeze-order.png').expect(201);
    expect(
      (await tf['kr.officer'].get(path).expect(200)).body.items.map((a: { id: string }) => a.id),
    ).toEqual([executed.body.id, statement.body.id]);
    await download(t, tf['my.officer'], statement.body.id).expect(200);
    await tf['kh.officer'].get(path).expect(404);
    await tf['kh.officer'].get(`/attachments/${statement.body.id}`).expect(404);
    // The target under another request of the caller's: 404 like a missing one.
    const other = await anAcceptedRequest(tf, await koreaMalaysiaFramework(t), [
      aBankAccount({ accountNumber: '000999888' }),
    ]);
    await tf['kr.officer']
      .get(`/asset-freeze-requests/${other.id}/targets/${targetId}/attachments`)
      .expect(404);

    const proposal = (
      await tf['kr.officer']
        .post('/blacklist-entries/batch', {
          frameworkId: tf.cambodiaKoreaFramework,
          banningCountry: 'KH',
          entries: [
            {
              person: {
                names: [{ full: 'PARK Ji-ho', script: 'latin', kind: 'primary' }],
                nationalities: ['KR'],
              },
              grounds: 'Recruiter for the compound.',
              groundsSummary: 'Recruiter',
            },
          ],
        })
        .expect(201)
    ).body;
    const [entry] = await t.dataSource.query(`SELECT id FROM blacklist_entry WHERE proposal_id = $1`, [
      proposal.id,
    ]);
    const scan = await upload(
      t,
      tf['kr.officer'],
      `/blacklist-entries/${entry.id}/attachments`,
      aPng(3000),
      'passport.png',
    ).expect(201);
    expect(scan.body.parent).toEqual({ type: 'blacklist_entry', id: entry.id });
    // A draft proposal: KH does not see it yet, nor its files.
    await tf['kh.liaison'].get(`/blacklist-entries/${entry.id}/attachments`).expect(404);
    await download(t, tf['kh.liaison'], scan.body.id).expect(404);
    await tf['my.officer'].get(`/attachments/${scan.body.id}`).expect(404);
  });
});
