import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { aPdf, upload } from '../../attachments/attachment-support';
import { signIn, SignedIn } from '../../support/http';
import { taskForce, TaskForce } from '../../support/scenario';
import { createTestApp, TestApp } from '../../support/test-app';
import { frameworkId, send } from '../../sharing/support';

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const cursorTime = (cursor: string) =>
  (JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { at: string }).at;

interface PersonRead {
  id: string;
  ownerCountry: string;
  names: Array<{ full: string }>;
  createdAt: string;
  updatedAt: string;
  version: number | null;
  keptSince: string | null;
}

/**
 * Probe: what another country reads of a person's own history. The owner's `version` counts every
 * edit it made, `createdAt` says when it first recorded the person and `updatedAt` when it last
 * touched it — all before the person was ever shared. A partner must read none of that: for it the
 * person begins when it reached its country (a case share, the sending of a request), it changes
 * when the owner changes it after that, and it has no version (it may not change the person). Every
 * path by which a partner reads a person is walked: the person itself, the search list with its
 * order and cursors, a kept copy, and the records that embed a person (requests, history, blacklist
 * entries, arrests, the audit trail), which must not carry the owner's times either.
 */
describe('Probe: a partner does not read when the owner recorded a person, nor how often it edited it before sharing', () => {
  let t: TestApp;
  let tf: TaskForce;
  let admin: SignedIn;
  let krMy: string;
  let dataDir: string;
  const tag = `Presend${randomUUID().slice(0, 8)}`;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'probe-presend-persons-'));
    t = await createTestApp({}, { DATA_DIR: dataDir });
    tf = await taskForce(t);
    admin = await signIn(t.server, 'platform.admin');
    krMy = await frameworkId(t, 'Korea–Malaysia');
  });
  afterAll(async () => {
    await t?.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  const names = (full: string) => [{ full, script: 'latin', kind: 'primary' }];
  const read = async (who: SignedIn, id: string) =>
    (await who.get(`/persons/${id}`).expect(200)).body as PersonRead;
  const edit = async (id: string, full: string, notes: string) => {
    const current = await read(tf['kr.officer'], id);
    return (
      await tf['kr.officer']
        .patch(`/persons/${id}`, { names: names(full), notes, version: current.version })
        .expect(200)
    ).body as PersonRead;
  };
  const draftAbout = async (personIds: string[], subject: string) =>
    (
      await tf['kr.officer']
        .post('/information-requests', {
          frameworkId: tf.cambodiaKoreaFramework,
          targetCountry: 'KH',
          priority: 'urgent',
          handlingCode: 'AMBER',
          subject,
          questions: ['Is he known to you?'],
          personIds,
        })
        .expect(201)
    ).body as { id: string; version: number };
  const sendRequest = async (draft: { id: string; version: number }) => {
    await send(tf['kr.officer'], tf['kr.liaison'], '/information-requests', draft);
    return (await tf['kr.officer'].get(`/information-requests/${draft.id}`).expect(200)).body as {
      sentAt: string;
    };
  };

  /** Every person of the reader's search, `size` a page, with each cursor and its page's last item. */
  async function walk(who: SignedIn, query: string, size: number) {
    const items: PersonRead[] = [];
    const pages: Array<{ cursor: string; last: PersonRead }> = [];
    let cursor: string | null = null;
    do {
      const res = await who
        .get(`/persons?${query}&limit=${size}${cursor ? `&cursor=${cursor}` : ''}`)
        .expect(200);
      const page = res.body.items as PersonRead[];
      items.push(...page);
      cursor = res.body.nextCursor as string | null;
      if (cursor) pages.push({ cursor, last: page[page.length - 1]! });
    } while (cursor);
    return { items, pages };
  }

  it('every path a partner reads a person by starts at the share, has no version, and carries no pre-share time', async () => {
    // KR records LEE, then edits him twice long before anyone else hears of him.
    const lee = (
      await tf['kr.officer']
        .post('/persons', { names: names(`${tag} LEE Jae-won`), nationalities: ['KR'] })
        .expect(201)
    ).body as PersonRead;
    await pause(20);
    await edit(lee.id, `${tag} LEE Jae-won`, 'first tip');
    await pause(20);
    const preShare = await edit(lee.id, `${tag} LEE Jae-won`, 'second tip');
    expect(preShare.version).toBeGreaterThan(lee.version!);
    // … and files his photo.
    const photo = (
      await upload(
        t,
        tf['kr.officer'],
        `/persons/${lee.id}/attachments`,
        aPdf(4_000, 'lee-photo'),
        'lee.pdf',
      ).expect(201)
    ).body as { id: string; uploadedAt: string };
    await pause(20);
    // KR records PARK after LEE; PARK goes to KH first, LEE last.
    const park = (
      await tf['kr.officer']
        .post('/persons', { names: names(`${tag} PARK Min-ho`), nationalities: ['KR'] })
        .expect(201)
    ).body as PersonRead;
    await pause(20);

    // MY receives LEE in a shared case.
    const kase = (
      await tf['kr.officer']
        .post('/cases', { title: `${tag} compound`, persons: [{ personId: lee.id, role: 'suspect' }] })
        .expect(201)
    ).body as { id: string };
    await tf['kr.liaison'].post(`/cases/${kase.id}/shares`, { countryCode: 'MY' }).expect(201);
    const sharedAt = (
      (await tf['kr.officer'].get(`/cases/${kase.id}`).expect(200)).body.sharedWith as Array<{
        countryCode: string;
        sharedAt: string;
      }>
    ).find((s) => s.countryCode === 'MY')!.sharedAt;
    await pause(20);

    // KH receives PARK in one request, then LEE in another, which KR edits LEE between drafting and sending.
    const parkSent = await sendRequest(await draftAbout([park.id], `${tag} about PARK`));
    await pause(20);
    const leeDraft = await draftAbout([lee.id], `${tag} about LEE`);
    await pause(20);
    const draftEdit = await edit(lee.id, `${tag} LEE Jae-won`, 'third tip, while drafting');
    await pause(20);
    const leeSent = await sendRequest(leeDraft);

    const ownerTimes = [lee.createdAt, preShare.updatedAt, park.createdAt, photo.uploadedAt];

    // The owner reads its own history as ever.
    const own = await read(tf['kr.officer'], lee.id);
    expect(own).toMatchObject({
      createdAt: lee.createdAt,
      updatedAt: draftEdit.updatedAt,
      version: draftEdit.version,
    });

    // GET /persons/:id — KH from the sending of the request (the draft-time edit is before it) …
    const khRead = await read(tf['kh.officer'], lee.id);
    expect({ createdAt: khRead.createdAt, updatedAt: khRead.updatedAt, version: khRead.version }).toEqual({
      createdAt: leeSent.sentAt,
      updatedAt: leeSent.sentAt,
      version: null,
    });
    expect(khRead.names).toEqual(own.names);
    expect(await read(tf['kh.liaison'], park.id)).toMatchObject({
      createdAt: parkSent.sentAt,
      updatedAt: parkSent.sentAt,
      version: null,
    });
    // … MY from the case share, and the edit KR made after sharing reaches it as it happened.
    const myRead = await read(tf['my.officer'], lee.id);
    expect({ createdAt: myRead.createdAt, updatedAt: myRead.updatedAt, version: myRead.version }).toEqual({
      createdAt: sharedAt,
      updatedAt: draftEdit.updatedAt,
      version: null,
    });

    // The files on the person: filed, for the partner, when the person reached it.
    const khFiles = (await tf['kh.officer'].get(`/persons/${lee.id}/attachments`).expect(200)).body
      .items as Array<{
      id: string;
      uploadedAt: string;
    }>;
    expect(khFiles.map((f) => [f.id, f.uploadedAt])).toEqual([[photo.id, leeSent.sentAt]]);
    expect((await tf['my.officer'].get(`/attachments/${photo.id}`).expect(200)).body.uploadedAt).toBe(
      sharedAt,
    );
    expect((await tf['kr.officer'].get(`/attachments/${photo.id}`).expect(200)).body.uploadedAt).toBe(
      photo.uploadedAt,
    );

    // GET /persons: newest first by the time each reached KH (LEE, sent last, first), every cursor
    // that time, however the owner ordered its records.
    for (const who of [tf['kh.officer'], tf['kh.liaison']]) {
      const walked = await walk(who, `name=${tag}`, 1);
      expect(walked.items.map((p) => p.id)).toEqual([lee.id, park.id]);
      expect(walked.items.map((p) => [p.createdAt, p.version])).toEqual([
        [leeSent.sentAt, null],
        [parkSent.sentAt, null],
      ]);
      for (const { cursor, last } of walked.pages) expect(cursorTime(cursor)).toBe(last.createdAt);
    }
    const myWalk = await walk(tf['my.officer'], `name=${tag}`, 1);
    expect(myWalk.items.map((p) => [p.id, p.createdAt, p.version])).toEqual([[lee.id, sharedAt, null]]);
    // The owner lists by when it recorded them (PARK after LEE), as ever.
    const ownWalk = await walk(tf['kr.officer'], `name=${tag}`, 1);
    expect(ownWalk.items.map((p) => p.id)).toEqual([park.id, lee.id]);
    for (const { cursor, last } of ownWalk.pages) expect(cursorTime(cursor)).toBe(last.createdAt);

    // An edit after the share is the data changing: the partner sees when, still without a version.
    await pause(20);
    const afterShare = await edit(lee.id, `${tag} LEE Jae-won (alias BOSS)`, 'after sending');
    expect(await read(tf['kh.officer'], lee.id)).toMatchObject({
      createdAt: leeSent.sentAt,
      updatedAt: afterShare.updatedAt,
      version: null,
      names: names(`${tag} LEE Jae-won (alias BOSS)`),
    });

    // Records that embed a person: none carries the owner's pre-share times.
    const blacklist = (
      await tf['kr.officer']
        .post('/blacklist-entries/batch', {
          frameworkId: tf.cambodiaKoreaFramework,
          banningCountry: 'KH',
          subject: `${tag} ban LEE`,
          entries: [{ personId: lee.id, grounds: 'Ringleader.', groundsSummary: 'Ringleader' }],
        })
        .expect(201)
    ).body as { id: string; version: number };
    await send(tf['kr.officer'], tf['kr.liaison'], '/blacklist-proposals', blacklist);
    const arrest = (
      await tf['kr.officer']
        .post('/arrests', {
          arrestedAt: '2026-03-01T02:30:00Z',
          place: 'Incheon',
          grounds: 'Online fraud',
          arrestingAgency: 'KNP',
          nationality: 'KR',
          personId: lee.id,
        })
        .expect(201)
    ).body as { id: string };
    await tf['kr.liaison'].post(`/arrests/${arrest.id}/shares`, { countryCode: 'MY' }).expect(200);

    const partnerReads: Array<[string, SignedIn, string]> = [
      ['KH person', tf['kh.officer'], `/persons/${lee.id}`],
      ['KH person files', tf['kh.officer'], `/persons/${lee.id}/attachments`],
      ['KH person file', tf['kh.officer'], `/attachments/${photo.id}`],
      ['KH persons', tf['kh.liaison'], `/persons?name=${tag}`],
      ['KH request', tf['kh.liaison'], `/information-requests/${leeDraft.id}`],
      ['KH request history', tf['kh.liaison'], `/information-requests/${leeDraft.id}/history`],
      ['KH requests', tf['kh.liaison'], `/information-requests?q=${tag}`],
      ['KH blacklist proposal', tf['kh.liaison'], `/blacklist-proposals/${blacklist.id}`],
      ['KH blacklist entries', tf['kh.liaison'], `/blacklist-entries?proposalId=${blacklist.id}`],
      ['KH audit of the person', tf['kh.auditor'], `/audit-events?recordId=${lee.id}`],
      ['KH audit', tf['kh.auditor'], `/audit-events?limit=200`],
      ['MY person', tf['my.officer'], `/persons/${lee.id}`],
      ['MY person files', tf['my.officer'], `/persons/${lee.id}/attachments`],
      ['MY persons', tf['my.officer'], `/persons?name=${tag}`],
      ['MY case', tf['my.officer'], `/cases/${kase.id}`],
      ['MY arrest', tf['my.officer'], `/arrests/${arrest.id}`],
      ['MY arrests', tf['my.officer'], `/arrests?personId=${lee.id}`],
      ['MY audit', tf['my.auditor'], `/audit-events?limit=200`],
    ];
    for (const [path, who, url] of partnerReads) {
      const res = await who.get(url);
      expect({ path, status: res.status }).toEqual({ path, status: 200 });
      const body = JSON.stringify(res.body);
      for (const time of ownerTimes)
        expect({ path, leaks: body.includes(time) }).toEqual({ path, leaks: false });
    }
  });

  it('a kept copy starts at the share too, and has no version', async () => {
    const person = (
      await tf['kr.officer']
        .post('/persons', { names: names(`${tag} YOON Taesik`), nationalities: ['KR'] })
        .expect(201)
    ).body as PersonRead;
    await pause(20);
    const edited = await edit(person.id, `${tag} YOON Taesik`, 'before sharing');
    await pause(20);
    const kase = (
      await tf['kr.officer']
        .post('/cases', { title: `${tag} kept`, persons: [{ personId: person.id, role: 'suspect' }] })
        .expect(201)
    ).body as { id: string };
    await tf['kr.liaison'].post(`/cases/${kase.id}/shares`, { countryCode: 'MY' }).expect(201);
    const given = await read(tf['my.officer'], person.id);
    expect(given.version).toBeNull();
    expect([person.createdAt, edited.updatedAt]).not.toContain(given.createdAt);
    await admin.patch(`/frameworks/${krMy}`, { active: false }).expect(200);
    try {
      await edit(person.id, `${tag} YOON Taesik (informant)`, 'after the framework ended');
      const kept = await read(tf['my.officer'], person.id);
      expect(kept.keptSince).toBeNull(); // when the copy was taken is the owner's (probe r4)
      expect(kept).toMatchObject({
        names: given.names,
        createdAt: given.createdAt,
        updatedAt: given.updatedAt,
        version: null,
      });
    } finally {
      await admin.patch(`/frameworks/${krMy}`, { active: true }).expect(200);
    }
  });
});
