import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { aPdf, upload } from '../../attachments/attachment-support';
import { SignedIn } from '../../support/http';
import { taskForce, TaskForce } from '../../support/scenario';
import { createTestApp, TestApp } from '../../support/test-app';

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const cursorTime = (cursor: string) =>
  (JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { at: string }).at;

interface CaseRead {
  id: string;
  ownerCountry: string;
  title: string;
  createdAt: string;
  updatedAt: string;
  version: number | null;
  sharedWith: Array<{ countryCode: string; sharedAt: string }>;
}

/**
 * Probe: what another country reads of a case's own history. The owner's `version` counts every edit
 * it made, `createdAt` says when it opened the case and `updatedAt` when it last touched it — all
 * before the case was ever shared. A partner must read none of that: for it the case begins when it
 * was first shared with its country, it changes when the owner changes it after that, and it has no
 * version (it may not change the case). Every path by which a partner reads a case is walked: the case
 * itself, the list with its order and cursors, a share revoked and made again, and the records that
 * embed a case's times.
 */
describe('Probe: a partner does not read when the owner opened a case, nor how often it edited it before sharing', () => {
  let t: TestApp;
  let tf: TaskForce;
  let dataDir: string;
  const tag = `Presend${randomUUID().slice(0, 8)}`;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'probe-presend-cases-'));
    t = await createTestApp({}, { DATA_DIR: dataDir });
    tf = await taskForce(t);
  });
  afterAll(async () => {
    await t?.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  const read = async (who: SignedIn, id: string) =>
    (await who.get(`/cases/${id}`).expect(200)).body as CaseRead;
  const open = async (title: string) =>
    (await tf['kr.officer'].post('/cases', { title }).expect(201)).body as CaseRead;
  const edit = async (id: string, summary: string) => {
    const current = await read(tf['kr.officer'], id);
    return (await tf['kr.officer'].patch(`/cases/${id}`, { summary, version: current.version }).expect(200))
      .body as CaseRead;
  };
  const share = async (id: string, countryCode: string) => {
    const shared = (await tf['kr.liaison'].post(`/cases/${id}/shares`, { countryCode }).expect(201))
      .body as CaseRead;
    return shared.sharedWith.find((s) => s.countryCode === countryCode)!.sharedAt;
  };

  /** Every case of the reader's list, `size` a page, with each cursor and its page's last item. */
  async function walk(who: SignedIn, query: string, size: number) {
    const items: CaseRead[] = [];
    const pages: Array<{ cursor: string; last: CaseRead }> = [];
    let cursor: string | null = null;
    do {
      const res = await who
        .get(`/cases?${query}&limit=${size}${cursor ? `&cursor=${cursor}` : ''}`)
        .expect(200);
      const page = res.body.items as CaseRead[];
      items.push(...page);
      cursor = res.body.nextCursor as string | null;
      if (cursor) pages.push({ cursor, last: page[page.length - 1]! });
    } while (cursor);
    return { items, pages };
  }

  it('every path a partner reads a case by starts at the first share, has no version, and carries no pre-share time', async () => {
    // KR opens ALPHA, edits it twice long before anyone else hears of it, then opens BRAVO.
    const alpha = await open(`${tag} ALPHA compound`);
    await pause(20);
    await edit(alpha.id, 'first tip');
    await pause(20);
    const preShare = await edit(alpha.id, 'second tip');
    expect(preShare.version).toBeGreaterThan(alpha.version!);
    // … and files a report on it.
    const report = (
      await upload(
        t,
        tf['kr.officer'],
        `/cases/${alpha.id}/attachments`,
        aPdf(4_000, 'alpha-report'),
        'alpha.pdf',
      ).expect(201)
    ).body as { id: string; uploadedAt: string };
    await pause(20);
    const bravo = await open(`${tag} BRAVO call centre`);
    await pause(20);

    // BRAVO goes to MY first, ALPHA last: MY lists ALPHA first, whatever order KR opened them in.
    const bravoShared = await share(bravo.id, 'MY');
    await pause(20);
    const alphaShared = await share(alpha.id, 'MY');
    const ownerTimes = [alpha.createdAt, preShare.updatedAt, bravo.createdAt, report.uploadedAt];

    // The owner reads its own history as ever.
    expect(await read(tf['kr.officer'], alpha.id)).toMatchObject({
      createdAt: alpha.createdAt,
      updatedAt: preShare.updatedAt,
      version: preShare.version,
    });

    // GET /cases/:id — from the share, no version, for every role of the partner.
    for (const who of [tf['my.officer'], tf['my.liaison']]) {
      expect(await read(who, alpha.id)).toMatchObject({
        createdAt: alphaShared,
        updatedAt: alphaShared,
        version: null,
        title: `${tag} ALPHA compound`,
      });
      expect(await read(who, bravo.id)).toMatchObject({
        createdAt: bravoShared,
        updatedAt: bravoShared,
        version: null,
      });
    }

    // The files on the case: filed, for the partner, when the case reached it; the owner reads its time.
    const myFiles = (await tf['my.officer'].get(`/cases/${alpha.id}/attachments`).expect(200)).body
      .items as Array<{ id: string; uploadedAt: string }>;
    expect(myFiles.map((f) => [f.id, f.uploadedAt])).toEqual([[report.id, alphaShared]]);
    expect((await tf['my.officer'].get(`/attachments/${report.id}`).expect(200)).body.uploadedAt).toBe(
      alphaShared,
    );
    expect((await tf['kr.officer'].get(`/attachments/${report.id}`).expect(200)).body.uploadedAt).toBe(
      report.uploadedAt,
    );

    // GET /cases: newest first by the time each reached MY (ALPHA, shared last, first), every cursor
    // that time; the owner lists by when it opened them (BRAVO after ALPHA), as ever.
    for (const who of [tf['my.officer'], tf['my.liaison']]) {
      const walked = await walk(who, `q=${tag}`, 1);
      expect(walked.items.map((c) => [c.id, c.createdAt, c.updatedAt, c.version])).toEqual([
        [alpha.id, alphaShared, alphaShared, null],
        [bravo.id, bravoShared, bravoShared, null],
      ]);
      for (const { cursor, last } of walked.pages) expect(cursorTime(cursor)).toBe(last.createdAt);
      const all = await walk(who, 'status=open', 2);
      const ours = all.items.filter((c) => c.id === alpha.id || c.id === bravo.id);
      expect(ours.map((c) => c.id)).toEqual([alpha.id, bravo.id]);
      for (const { cursor, last } of all.pages) expect(cursorTime(cursor)).toBe(last.createdAt);
    }
    const ownWalk = await walk(tf['kr.officer'], `q=${tag}`, 1);
    expect(ownWalk.items.map((c) => [c.id, c.version])).toEqual([
      [bravo.id, bravo.version],
      [alpha.id, preShare.version],
    ]);
    for (const { cursor, last } of ownWalk.pages) expect(cursorTime(cursor)).toBe(last.createdAt);

    // An edit after the share is the data changing: the partner sees when, still without a version.
    await pause(20);
    const afterShare = await edit(alpha.id, 'after sharing');
    expect(await read(tf['my.officer'], alpha.id)).toMatchObject({
      createdAt: alphaShared,
      updatedAt: afterShare.updatedAt,
      version: null,
    });

    // A share revoked and made again: the case reached MY at the first share.
    await tf['kr.liaison'].delete(`/cases/${alpha.id}/shares/MY`).expect(200);
    await tf['my.officer'].get(`/cases/${alpha.id}`).expect(404);
    await pause(20);
    const again = await share(alpha.id, 'MY');
    expect(again > alphaShared).toBe(true);
    // Last changed no earlier than the share made again: an edit while MY could not read the case
    // would otherwise show its time (probe r4, test/probe-r4/probe-r4-case-revoked-gap-updated-at).
    expect(await read(tf['my.officer'], alpha.id)).toMatchObject({
      createdAt: alphaShared,
      updatedAt: again,
      version: null,
    });

    // Records that show or embed the case: none carries the owner's pre-share times or its version.
    const partnerReads: Array<[string, SignedIn, string]> = [
      ['MY case', tf['my.officer'], `/cases/${alpha.id}`],
      ['MY cases', tf['my.officer'], `/cases?q=${tag}`],
      ['MY cases by liaison', tf['my.liaison'], `/cases?q=${tag}&limit=1`],
      ['MY case attachments', tf['my.officer'], `/cases/${alpha.id}/attachments`],
      ['MY attachment', tf['my.officer'], `/attachments/${report.id}`],
      ['MY audit of the case', tf['my.auditor'], `/audit-events?recordId=${alpha.id}`],
      ['MY audit', tf['my.auditor'], `/audit-events?limit=200`],
    ];
    for (const [path, who, url] of partnerReads) {
      const res = await who.get(url);
      expect({ path, status: res.status }).toEqual({ path, status: 200 });
      const body = JSON.stringify(res.body);
      for (const time of ownerTimes)
        expect({ path, leaks: body.includes(time) }).toEqual({ path, leaks: false });
      expect({ path, versions: body.match(/"version":\d+/g) ?? [] }).toEqual({ path, versions: [] });
    }

    // The partner may not change the case: it has no version to send, and a guessed one is refused.
    await tf['my.officer']
      .patch(`/cases/${alpha.id}`, { summary: 'mine now', version: afterShare.version })
      .expect(403);
  });
});
