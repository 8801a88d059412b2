import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type request from 'supertest';
import { aPdf, binary, download, unzip, upload } from '../../attachments/attachment-support';
import { givenIn } from '../../support/given';
import type { SignedIn } from '../../support/http';
import { taskForce, TaskForce } from '../../support/scenario';
import { createTestApp, TestApp } from '../../support/test-app';

/** A problem body as a caller compares two of them: everything but the request id and the path. */
const problemOf = (res: request.Response, id: string) => {
  const body = Buffer.isBuffer(res.body) ? JSON.parse(res.body.toString('utf8')) : res.body;
  const { requestId: _r, instance: _i, ...rest } = body as Record<string, unknown>;
  return { status: res.status, ...JSON.parse(JSON.stringify(rest).split(id).join('<id>')) };
};

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const cursorTime = (cursor: string) =>
  (JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { at: string }).at;

interface Filed {
  id: string;
  filename: string;
  sha256: string;
  status: string;
  supersedes: string | null;
  supersededBy: string | null;
  uploadedAt: string;
  withdrawnAt: string | null;
  withdrawalReason: string | null;
}

/**
 * Probe: the version chain of the files on a case or a person, as a partner reads it. The owner files
 * documents, takes one back and replaces another with a new version — all before the record ever
 * reaches another country — then shares it. A partner receives the record as it was when it reached
 * its country: what was withdrawn or replaced before that never reached it and does not exist for it
 * (no filename, hash, withdrawal reason, bytes, `supersedes` link, list place or cursor), as a
 * request's files withdrawn before sending do not exist for its target (probe-presend-attachments).
 * What was withdrawn or replaced after that it saw, and still sees as such — also once a case share is
 * revoked and made again, as the case reached it at its first share. Every path that reads a file is
 * walked: the record's list with its cursors, one file, its content, its check, its withdrawal, the
 * case bundle (manifest, custody timeline, SHA256SUMS, file names), and the release rule's "bytes
 * this country received".
 */
describe('Probe: files withdrawn or replaced before a case or person reached a partner do not exist for it', () => {
  let t: TestApp;
  let tf: TaskForce;
  let dataDir: string;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'probe-presend-files-'));
    t = await createTestApp({}, { DATA_DIR: dataDir });
    tf = await taskForce(t);
  });
  afterAll(async () => {
    await t?.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  let seed = 0;
  const aFile = () => aPdf(3_000 + (seed % 7) * 100, `files-${++seed}-${randomUUID()}`);

  /** Files `who` gives on `path`, each as the owner reads it back. */
  const filer = (who: SignedIn, path: string) => ({
    up: async (filename: string, headers: Record<string, string> = {}) => {
      const res = await upload(t, who, path, aFile(), filename, headers);
      expect(res.status).toBe(201);
      return res.body as Filed;
    },
    withdraw: async (file: Filed, reason: string) =>
      (await who.post(`/attachments/${file.id}/withdraw`, { reason }).expect(200)).body as Filed,
  });

  /** Every attachment the reader lists under `path`, one per page (so every cursor is walked). */
  async function listAll(who: SignedIn, path: string) {
    const items: Filed[] = [];
    const cursors: string[] = [];
    const bodies: string[] = [];
    let cursor: string | null = null;
    do {
      const res = await who.get(`${path}?limit=1${cursor ? `&cursor=${cursor}` : ''}`).expect(200);
      bodies.push(JSON.stringify(res.body));
      items.push(...(res.body.items as Filed[]));
      cursor = res.body.nextCursor as string | null;
      if (cursor) cursors.push(cursor);
    } while (cursor);
    return { items, cursors, text: bodies.join('\n') };
  }

  /** Everything a reader could learn a hidden file by: its id, hash, name and withdrawal reason. */
  const tracesOf = (files: Filed[]) =>
    files.flatMap((f) => [f.id, f.sha256, f.filename, ...(f.withdrawalReason ? [f.withdrawalReason] : [])]);

  /** None of `traces` is in `text`, as `where` reads it. */
  const expectNoTrace = (where: string, text: string, traces: string[]) => {
    for (const trace of traces)
      expect({ where, trace, found: text.includes(trace) }).toEqual({ where, trace, found: false });
  };

  /** Each hidden file, one by one and by every path, answers as an id that never existed. */
  async function expectNeverExisted(reader: SignedIn, hidden: Filed[]) {
    const unknown = randomUUID();
    for (const file of hidden)
      for (const [path, read] of [
        ['get', (id: string) => reader.get(`/attachments/${id}`)],
        ['content', (id: string) => download(t, reader, id)],
        ['verify', (id: string) => reader.post(`/attachments/${id}/verify`, {})],
        ['withdraw', (id: string) => reader.post(`/attachments/${id}/withdraw`, { reason: 'probe' })],
      ] as const) {
        const seen = await read(file.id);
        const never = await read(unknown);
        const who = reader.username;
        expect({ who, path, file: file.filename, ...problemOf(seen, file.id) }).toEqual({
          who,
          path,
          file: file.filename,
          ...problemOf(never, unknown),
        });
        expect(seen.status).toBeGreaterThanOrEqual(403);
      }
  }

  it('on a case: the partner reads the chain from the first share — list, one file, content, check, bundle', async () => {
    const owner = tf['kr.officer'];
    const kase = (await owner.post('/cases', { title: `Files ${randomUUID().slice(0, 8)}` }).expect(201))
      .body as { id: string; createdAt: string };
    const path = `/cases/${kase.id}/attachments`;
    const { up, withdraw } = filer(owner, path);
    const share = async () => {
      const shared = (
        await tf['kr.liaison'].post(`/cases/${kase.id}/shares`, { countryCode: 'MY' }).expect(201)
      ).body as { sharedWith: Array<{ countryCode: string; sharedAt: string }> };
      return shared.sharedWith.find((s) => s.countryCode === 'MY')!.sharedAt;
    };

    // Before any share: one file kept, one taken back, one replaced, one that will be withdrawn later.
    const kept = await up('kept-statement.pdf');
    const takenBack = await withdraw(await up('taken-back-wrong-suspect.pdf'), 'names the wrong suspect');
    const first = await up('first-draft-report.pdf');
    const second = await up('final-report.pdf', { 'X-Supersedes': first.id });
    const seen = await up('seen-photo-log.pdf');
    await pause(20);
    const sharedAt = await share();
    await pause(20);
    // After the first share: a file MY saw is withdrawn while the share is revoked; shared again.
    await tf['kr.liaison'].delete(`/cases/${kase.id}/shares/MY`).expect(200);
    await withdraw(seen, 'superseded by the seizure record');
    await pause(20);
    const resharedAt = await share();
    const late = await withdraw(await up('late-note.pdf'), 'filed twice');
    const keptAgain = await up('kept-statement-v2.pdf', { 'X-Supersedes': kept.id });

    const hidden = [takenBack, first];
    const traces = tracesOf(hidden);
    const ownerTimes = [kase.createdAt, ...[kept, takenBack, first, second, seen].map((f) => f.uploadedAt)];
    ownerTimes.push(takenBack.withdrawnAt!);
    const visible = new Set([kept.id, second.id, seen.id, late.id, keptAgain.id]);

    // The owner reads its whole history as ever.
    const own = (await listAll(owner, path)).items;
    expect(new Set(own.map((f) => f.id))).toEqual(new Set([...visible, takenBack.id, first.id]));
    expect(own.find((f) => f.id === second.id)!.supersedes).toBe(first.id);

    for (const reader of [tf['my.officer'], tf['my.liaison'], tf['my.auditor']]) {
      const who = reader.username;
      const { items, cursors, text } = await listAll(reader, path);
      const byId = new Map(items.map((f) => [f.id, f]));
      expect({ who, ids: new Set(byId.keys()) }).toEqual({ who, ids: visible });
      // The version made before the share names no earlier one; the one made after does.
      // Filed before MY could read the case: as of the share MY reads it through now (made again after
      // a revocation, so that nothing filed or withdrawn in between shows its time; probe r5).
      expect(byId.get(second.id)!).toMatchObject({
        supersedes: null,
        status: 'active',
        uploadedAt: resharedAt,
      });
      expect(byId.get(keptAgain.id)!.supersedes).toBe(kept.id);
      expect(byId.get(kept.id)!).toMatchObject({ status: 'superseded', supersededBy: keptAgain.id });
      // What MY saw and the owner withdrew while the share was revoked: as of the share made again.
      expect(byId.get(seen.id)!).toMatchObject({
        status: 'withdrawn',
        withdrawalReason: 'superseded by the seizure record',
        uploadedAt: resharedAt,
        withdrawnAt: resharedAt,
      });
      for (const cursor of cursors) expect(cursorTime(cursor) >= sharedAt).toBe(true);
      expectNoTrace(`${who} list`, text, [...traces, ...ownerTimes]);

      const one = (await reader.get(`/attachments/${second.id}`).expect(200)).body as Filed;
      expect({ supersedes: one.supersedes, uploadedAt: one.uploadedAt }).toEqual({
        supersedes: null,
        uploadedAt: resharedAt,
      });
      await expectNeverExisted(reader, hidden);

      // The bundle: every entry (names, manifest, custody timeline, sums) as the partner reads the case.
      const zip = (await reader.get(`/cases/${kase.id}/bundle`).buffer(true).parse(binary).expect(200))
        .body as Buffer;
      const entries = await unzip(zip);
      const manifest = JSON.parse(entries.get('manifest.json')!.toString()) as {
        files: Array<{ attachmentId: string; uploadedAt: string; supersedes: string | null }>;
      };
      expect({ who, ids: new Set(manifest.files.map((f) => f.attachmentId)) }).toEqual({ who, ids: visible });
      expect(manifest.files.find((f) => f.attachmentId === second.id)!.supersedes).toBeNull();
      // In the order the files reached MY (ties by id), not the owner's filing order.
      const order = [...manifest.files].sort(
        (x, y) => x.uploadedAt.localeCompare(y.uploadedAt) || x.attachmentId.localeCompare(y.attachmentId),
      );
      expect(manifest.files.map((f) => f.attachmentId)).toEqual(order.map((f) => f.attachmentId));
      const everything = [...entries].map(([name, bytes]) => `${name}\n${bytes.toString('utf8')}`).join('\n');
      expectNoTrace(`${who} bundle`, everything, [...traces, ...ownerTimes]);
    }
  });

  it('on a person: each country reads the chain from when the person reached it (a case share, a request sent)', async () => {
    const owner = tf['kr.officer'];
    const lee = (
      await owner
        .post('/persons', {
          names: [{ full: `KIM Files ${randomUUID().slice(0, 8)}`, script: 'latin', kind: 'primary' }],
          nationalities: ['KR'],
        })
        .expect(201)
    ).body as { id: string; createdAt: string };
    const path = `/persons/${lee.id}/attachments`;
    const { up, withdraw } = filer(owner, path);

    // Before the person reaches anyone: a photo kept, a scan taken back, a passport scan replaced.
    const kept = await up('kept-photo.pdf');
    const takenBack = await withdraw(await up('taken-back-other-man.pdf'), 'another man of that name');
    const first = await up('passport-blurred.pdf');
    const second = await up('passport-clear.pdf', { 'X-Supersedes': first.id });
    const between = await up('phone-extract.pdf');
    await pause(20);
    // MY receives him in a shared case; KR withdraws a file; KH receives him in a request later.
    const kase = (
      await owner
        .post('/cases', { title: 'Files on KIM', persons: [{ personId: lee.id, role: 'suspect' }] })
        .expect(201)
    ).body as { id: string };
    await tf['kr.liaison'].post(`/cases/${kase.id}/shares`, { countryCode: 'MY' }).expect(201);
    const myAt = (await tf['my.officer'].get(`/persons/${lee.id}`).expect(200)).body.createdAt as string;
    await pause(20);
    await withdraw(between, 'extract of the wrong handset');
    await pause(20);
    const sent = await givenIn(tf).anInformationRequest().from('KR').sentTo('KH').about(lee.id).sent();
    const khAt = (await tf['kh.officer'].get(`/persons/${lee.id}`).expect(200)).body.createdAt as string;
    expect(khAt >= (sent.sentAt as string)).toBe(true);
    const late = await withdraw(await up('late-note.pdf'), 'filed twice');

    const ownerTimes = [lee.createdAt, ...[kept, takenBack, first, second, between].map((f) => f.uploadedAt)];
    ownerTimes.push(takenBack.withdrawnAt!);
    const countries: Array<{ at: string; readers: SignedIn[]; hidden: Filed[]; visible: Filed[] }> = [
      {
        at: myAt,
        readers: [tf['my.officer'], tf['my.auditor']],
        hidden: [takenBack, first],
        visible: [kept, second, between, late],
      },
      {
        at: khAt,
        readers: [tf['kh.officer'], tf['kh.liaison']],
        hidden: [takenBack, first, between],
        visible: [kept, second, late],
      },
    ];
    expect(new Set((await listAll(owner, path)).items.map((f) => f.id))).toEqual(
      new Set([kept, takenBack, first, second, between, late].map((f) => f.id)),
    );

    for (const { at, readers, hidden, visible } of countries)
      for (const reader of readers) {
        const who = reader.username;
        const { items, cursors, text } = await listAll(reader, path);
        const byId = new Map(items.map((f) => [f.id, f]));
        expect({ who, ids: new Set(byId.keys()) }).toEqual({ who, ids: new Set(visible.map((f) => f.id)) });
        expect(byId.get(second.id)!).toMatchObject({ supersedes: null, uploadedAt: at });
        expect(byId.get(kept.id)!.uploadedAt).toBe(at);
        for (const cursor of cursors) expect(cursorTime(cursor) >= at).toBe(true);
        expectNoTrace(`${who} list`, text, [...tracesOf(hidden), ...ownerTimes]);
        const one = (await reader.get(`/attachments/${second.id}`).expect(200)).body as Filed;
        expect({ supersedes: one.supersedes, uploadedAt: one.uploadedAt }).toEqual({
          supersedes: null,
          uploadedAt: at,
        });
        await expectNeverExisted(reader, hidden);
      }
    // MY saw the extract before it was withdrawn: it reads it withdrawn (no bytes), as it happened.
    expect((await tf['my.officer'].get(`/attachments/${between.id}`).expect(200)).body).toMatchObject({
      status: 'withdrawn',
      withdrawalReason: 'extract of the wrong handset',
    });
    expect((await download(t, tf['my.officer'], between.id)).status).toBe(410);
  });

  it('bytes the owner withdrew before sharing a case are not bytes the partner received: the release rule does not refuse them as the owner’s', async () => {
    // KH files a document on its case and takes it back, then shares the case with KR.
    const kase = (await tf['kh.officer'].post('/cases', { title: 'Files from KH' }).expect(201)).body as {
      id: string;
    };
    const bytes = aFile();
    const given = await upload(t, tf['kh.officer'], `/cases/${kase.id}/attachments`, bytes, 'kh.pdf');
    expect(given.status).toBe(201);
    await tf['kh.officer']
      .post(`/attachments/${given.body.id}/withdraw`, { reason: 'not this one' })
      .expect(200);
    await pause(20);
    await tf['kh.liaison'].post(`/cases/${kase.id}/shares`, { countryCode: 'KR' }).expect(201);

    // KR attaches the same bytes (its own copy) to a request to MY: nothing of KH's reached KR.
    const toMalaysia = await givenIn(tf).anInformationRequest().from('KR').sentTo('MY').drafted();
    const res = await upload(
      t,
      tf['kr.officer'],
      `/information-requests/${toMalaysia.id}/attachments`,
      bytes,
      'kr.pdf',
    );
    expect({ status: res.status, type: res.body.type as unknown }).toEqual({ status: 201, type: undefined });
  });

  it('on a case shared, revoked and shared again: what was filed and taken back in between never reached the partner', async () => {
    const caseId = (await tf['kr.officer'].post('/cases', { title: 'Between shares' }).expect(201)).body.id as string;
    const path = `/cases/${caseId}/attachments`;
    const kr = filer(tf['kr.officer'], path);
    const seenThenWithdrawn = await kr.up('seen-then-withdrawn.pdf');
    await tf['kr.liaison'].post(`/cases/${caseId}/shares`, { countryCode: 'KH' }).expect(201);
    await pause(5);
    await tf['kr.liaison'].delete(`/cases/${caseId}/shares/KH`).expect(200);
    await pause(5);
    // While KH may not read the case: one file withdrawn that KH had seen, one filed and withdrawn, one
    // filed and replaced.
    await kr.withdraw(seenThenWithdrawn, 'Superseded by the court copy');
    const gapWithdrawn = await kr.withdraw(await kr.up('gap-withdrawn.pdf'), 'Filed on the wrong case');
    const gapOld = await kr.up('gap-v1.pdf');
    const gapNew = await kr.up('gap-v2.pdf', { 'X-Supersedes': gapOld.id });
    await pause(5);
    await tf['kr.liaison'].post(`/cases/${caseId}/shares`, { countryCode: 'KH' }).expect(201);

    const { items, text } = await listAll(tf['kh.officer'], path);
    expect(items.map((f) => [f.filename, f.status]).sort()).toEqual(
      [
        ['gap-v2.pdf', 'active'],
        ['seen-then-withdrawn.pdf', 'withdrawn'],
      ].sort(),
    );
    expect(items.find((f) => f.id === gapNew.id)!.supersedes).toBeNull();
    expectNoTrace('list', text, tracesOf([gapWithdrawn, gapOld]));
    await expectNeverExisted(tf['kh.officer'], [gapWithdrawn, gapOld]);
    // KR reads its whole history.
    expect((await listAll(tf['kr.officer'], path)).items).toHaveLength(4);
  });
});
