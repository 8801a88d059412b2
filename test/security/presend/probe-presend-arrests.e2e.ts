import { randomUUID } from 'node:crypto';
import type { SignedIn } from '../../support/http';
import { taskForce, TaskForce } from '../../support/scenario';
import { createTestApp, TestApp } from '../../support/test-app';

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const cursorTime = (cursor: string) =>
  (JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { at: string }).at;

interface ArrestRead {
  id: string;
  custodyStatus: string;
  createdAt: string;
  updatedAt: string;
  version: number | null;
}

/**
 * Probe: what a country an arrest was shared with reads of the arresting country's own history. The
 * arrest's `createdAt` is when the arresting country recorded it, its `version` counts its custody
 * changes, and `GET /arrests` ordered and paged (cursor) by that creation time — all before the arrest
 * was shared. For the partner an arrest begins when it reached it (`arrestSeenSince`: its share, or
 * the sending of a repatriation request for it), changes when the arresting country changes it after
 * that, and has no version (only the arresting country changes it); its custody history starts there.
 */
describe('Probe: a country an arrest was shared with does not read when it was recorded, nor its edits before', () => {
  let t: TestApp;
  let tf: TaskForce;
  const tag = randomUUID().slice(0, 8);

  beforeAll(async () => {
    t = await createTestApp();
    tf = await taskForce(t);
  });
  afterAll(async () => {
    await t?.close();
  });

  const arrest = async () =>
    (
      await tf['kh.officer']
        .post('/arrests', {
          arrestedAt: '2026-11-20T02:30:00Z',
          place: `Compound ${tag}`,
          grounds: 'Online fraud',
          arrestingAgency: 'Cambodian National Police',
          nationality: 'KR',
          operation: tag,
          person: { names: [{ full: `PARK ${tag}`, script: 'latin', kind: 'primary' }] },
        })
        .expect(201)
    ).body as ArrestRead;
  const read = async (who: SignedIn, id: string) =>
    (await who.get(`/arrests/${id}`).expect(200)).body as ArrestRead;
  const share = async (id: string) => {
    await tf['kh.liaison'].post(`/arrests/${id}/shares`, { countryCode: 'KR' }).expect(200);
    const [row] = await t.dataSource.query(
      `SELECT shared_at FROM arrest_share WHERE arrest_id = $1 AND country_code = 'KR'`,
      [id],
    );
    return new Date(row.shared_at as Date).toISOString();
  };
  async function walk(who: SignedIn) {
    const items: ArrestRead[] = [];
    const pages: Array<{ cursor: string; last: ArrestRead }> = [];
    let cursor: string | null = null;
    do {
      const res = await who
        .get(`/arrests?arrestingCountry=KH&limit=1${cursor ? `&cursor=${cursor}` : ''}`)
        .expect(200);
      const page = (res.body.items as ArrestRead[]).filter((a) => a.id === first.id || a.id === second.id);
      items.push(...page);
      cursor = res.body.nextCursor as string | null;
      if (cursor && page.length) pages.push({ cursor, last: page[page.length - 1]! });
    } while (cursor);
    return { items, pages };
  }
  let first: ArrestRead;
  let second: ArrestRead;

  it('the arrest, its list order and cursors start for KR at the share; KH reads its own history', async () => {
    // KH records one arrest, changes its custody twice, records another; shares the second first.
    first = await arrest();
    await pause(20);
    let current = first;
    for (const status of ['charged', 'detained']) {
      current = (
        await tf['kh.officer']
          .post(`/arrests/${first.id}/custody`, { status, reason: 'court order', version: current.version })
          .expect(200)
      ).body as ArrestRead;
      await pause(20);
    }
    second = await arrest();
    await pause(20);
    const secondShared = await share(second.id);
    await pause(20);
    const firstShared = await share(first.id);

    expect(await read(tf['kh.officer'], first.id)).toMatchObject({
      createdAt: first.createdAt,
      updatedAt: current.updatedAt,
      version: current.version,
    });
    expect(await read(tf['kr.officer'], first.id)).toMatchObject({
      createdAt: firstShared,
      updatedAt: firstShared,
      version: null,
    });
    expect(await read(tf['kr.officer'], second.id)).toMatchObject({
      createdAt: secondShared,
      updatedAt: secondShared,
      version: null,
    });

    // The list: newest first by the time each reached KR (the first arrest, shared last, first).
    const krWalk = await walk(tf['kr.officer']);
    expect(krWalk.items.map((a) => a.id)).toEqual([first.id, second.id]);
    for (const { cursor, last } of krWalk.pages) expect(cursorTime(cursor)).toBe(last.createdAt);
    const khWalk = await walk(tf['kh.officer']);
    expect(khWalk.items.map((a) => a.id)).toEqual([second.id, first.id]);

    // The custody history: KH reads every step; KR none from before the share (the recording, the
    // two changes, their reasons and times), only the status it was shared in.
    const custody = async (who: SignedIn) =>
      (await who.get(`/arrests/${first.id}/custody`).expect(200)).body as Array<{
        toStatus: string;
        reason: string | null;
        at: string;
      }>;
    expect((await custody(tf['kh.officer'])).map((h) => h.toStatus)).toEqual([
      'detained',
      'charged',
      'detained',
    ]);
    expect(await custody(tf['kr.officer'])).toEqual([]);

    // A custody change after the share reaches KR as it happened, still without a version.
    await pause(20);
    const after = (
      await tf['kh.officer']
        .post(`/arrests/${first.id}/custody`, {
          status: 'charged',
          reason: 'indicted',
          version: current.version,
        })
        .expect(200)
    ).body as ArrestRead;
    expect(await read(tf['kr.officer'], first.id)).toMatchObject({
      createdAt: firstShared,
      updatedAt: after.updatedAt,
      version: null,
    });
    expect((await custody(tf['kr.officer'])).map((h) => [h.toStatus, h.reason, h.at])).toEqual([
      ['charged', 'indicted', after.updatedAt],
    ]);
  });
});
