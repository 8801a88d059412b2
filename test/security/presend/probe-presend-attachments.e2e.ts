import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type request from 'supertest';
import { aBankAccount, aFreezeDraft, koreaMalaysiaFramework } from '../../asset-freezes/asset-freeze-scenario';
import { aPdf, download, upload } from '../../attachments/attachment-support';
import { threeSuspects } from '../../support/blacklist-scenario';
import { givenIn } from '../../support/given';
import type { SignedIn } from '../../support/http';
import { taskForce, TaskForce } from '../../support/scenario';
import { createTestApp, TestApp } from '../../support/test-app';
import { RELEASE_REFUSED } from '../../sharing/support';

/** A problem body as a caller compares two of them: everything but the request id and the path. */
const problemOf = (res: request.Response, id: string) => {
  const body = Buffer.isBuffer(res.body) ? JSON.parse(res.body.toString('utf8')) : res.body;
  const { requestId: _r, instance: _i, ...rest } = body as Record<string, unknown>;
  return { status: res.status, ...JSON.parse(JSON.stringify(rest).split(id).join('<id>')) };
};

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Attached {
  id: string;
  status: string;
  supersedes: string | null;
  uploadedAt: string;
}

/**
 * Probe: a request's files as its target reads them. The origin drafts a request, attaches files,
 * takes one back and replaces another with a new version, then sends it. What the target receives is
 * the request as sent: the files withdrawn or replaced before sending were never sent, and the files
 * that were sent were given when the request was — as the request's own version jumps to SENT_VERSION
 * and its `createdAt` is its `sentAt` for the target. Every parent a file travels with on a request
 * (the request, a freeze target, a blacklist entry) and every path that reads one (list and its
 * cursor, one attachment, its content, its check, the release rule's "bytes this country received").
 */
describe('Probe: files withdrawn or replaced before a request was sent do not exist for its target', () => {
  let t: TestApp;
  let tf: TaskForce;
  let dataDir: string;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'probe-presend-'));
    t = await createTestApp({}, { DATA_DIR: dataDir });
    tf = await taskForce(t);
  });
  afterAll(async () => {
    await t?.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  let seed = 0;
  const aFile = () => aPdf(3_000 + (seed % 7) * 100, `presend-${++seed}-${randomUUID()}`);

  /** Every attachment the reader lists under `path`, one per page (so every cursor is walked). */
  async function listAll(who: SignedIn, path: string): Promise<{ items: Attached[]; cursors: string[] }> {
    const items: Attached[] = [];
    const cursors: string[] = [];
    let cursor: string | null = null;
    do {
      const query: string = cursor ? `?limit=1&cursor=${cursor}` : '?limit=1';
      const res = await who.get(`${path}${query}`).expect(200);
      items.push(...(res.body.items as Attached[]));
      cursor = res.body.nextCursor as string | null;
      if (cursor) cursors.push(cursor);
    } while (cursor);
    return { items, cursors };
  }

  interface Parent {
    what: string;
    /** Where its files are uploaded and listed. */
    path: string;
    origin: SignedIn;
    readers: SignedIn[];
    /** Submits and approves it; answers the request's `sentAt` as the target reads it. */
    send(): Promise<string>;
  }

  async function informationRequest(): Promise<Parent> {
    const builder = givenIn(tf).anInformationRequest().from('KR').sentTo('KH');
    const draft = await builder.drafted();
    return {
      what: 'an information request',
      path: `/information-requests/${draft.id}/attachments`,
      origin: tf['kr.officer'],
      readers: [tf['kh.liaison'], tf['kh.officer']],
      send: async () => {
        await builder.sent();
        return (await tf['kh.liaison'].get(`/information-requests/${draft.id}`).expect(200)).body.sentAt;
      },
    };
  }

  async function freezeTarget(): Promise<Parent> {
    const framework = await koreaMalaysiaFramework(t);
    const draft = (
      await tf['kr.officer']
        .post(
          '/asset-freeze-requests',
          aFreezeDraft(framework, [aBankAccount({ accountNumber: `5140-${Date.now() % 100000}-77` })]),
        )
        .expect(201)
    ).body;
    const base = `/asset-freeze-requests/${draft.id}`;
    return {
      what: 'a freeze target',
      path: `${base}/targets/${draft.targets[0].id}/attachments`,
      origin: tf['kr.officer'],
      readers: [tf['my.liaison'], tf['my.officer']],
      send: async () => {
        const submitted = (
          await tf['kr.officer'].post(`${base}/submit`, { version: draft.version }).expect(200)
        ).body;
        await tf['kr.liaison'].post(`${base}/approve`, { version: submitted.version }).expect(200);
        return (await tf['my.liaison'].get(base).expect(200)).body.sentAt;
      },
    };
  }

  async function blacklistEntry(): Promise<Parent> {
    const proposal = (
      await tf['kr.officer']
        .post('/blacklist-entries/batch', threeSuspects(tf.cambodiaKoreaFramework))
        .expect(201)
    ).body;
    const base = `/blacklist-proposals/${proposal.id}`;
    return {
      what: 'a blacklist entry',
      path: `/blacklist-entries/${proposal.entries[1].id}/attachments`,
      origin: tf['kr.officer'],
      readers: [tf['kh.liaison'], tf['kh.officer']],
      send: async () => {
        const submitted = (
          await tf['kr.officer'].post(`${base}/submit`, { version: proposal.version }).expect(200)
        ).body;
        await tf['kr.liaison'].post(`${base}/approve`, { version: submitted.version }).expect(200);
        return (await tf['kh.liaison'].get(base).expect(200)).body.sentAt;
      },
    };
  }

  it.each([
    ['an information request', informationRequest],
    ['a freeze target', freezeTarget],
    ['a blacklist entry', blacklistEntry],
  ])('on %s: the target reads only the files sent, as given when the request was sent', async (_, make) => {
    const parent = await make();
    const up = async (headers: Record<string, string> = {}) => {
      const res = await upload(t, parent.origin, parent.path, aFile(), 'evidence.pdf', headers);
      expect(res.status).toBe(201);
      return res.body.id as string;
    };
    const withdraw = (id: string) =>
      parent.origin.post(`/attachments/${id}/withdraw`, { reason: 'wrong file' }).expect(200);

    // Before sending: one file kept, one taken back, one replaced by a new version.
    const kept = await up();
    const takenBack = await up();
    await withdraw(takenBack);
    const first = await up();
    const second = await up({ 'X-Supersedes': first });
    await pause(20);
    const sentAt = await parent.send();
    await pause(20);
    // After sending: a file given then withdrawn, and a new version of the kept one.
    const late = await up();
    await withdraw(late);
    const keptAgain = await up({ 'X-Supersedes': kept });

    const originSees = (await listAll(parent.origin, parent.path)).items;
    expect(new Set(originSees.map((a) => a.id))).toEqual(
      new Set([kept, takenBack, first, second, late, keptAgain]),
    );
    expect(originSees.find((a) => a.id === second)!.supersedes).toBe(first);
    expect(originSees.find((a) => a.id === kept)!.uploadedAt < sentAt).toBe(true);

    for (const reader of parent.readers) {
      const { items, cursors } = await listAll(reader, parent.path);
      const byId = new Map(items.map((a) => [a.id, a]));
      expect({ who: reader.username, ids: new Set(byId.keys()) }).toEqual({
        who: reader.username,
        ids: new Set([kept, second, late, keptAgain]),
      });
      // Newest first by the time the reader reads: the two files sent with the request last.
      expect(items.slice(2).map((a) => a.uploadedAt)).toEqual([sentAt, sentAt]);
      expect(new Set(items.slice(2).map((a) => a.id))).toEqual(new Set([kept, second]));
      // The new version made before sending names no earlier version; the one made after does.
      expect(byId.get(second)!.supersedes).toBeNull();
      expect(byId.get(keptAgain)!.supersedes).toBe(kept);
      expect(byId.get(kept)!.status).toBe('superseded');
      expect(byId.get(late)!.status).toBe('withdrawn');
      // No cursor carries a time from before the request was sent.
      for (const cursor of cursors) {
        const { at } = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { at: string };
        expect(at >= sentAt).toBe(true);
      }
      // One by one, with its content and its check: as an id that never existed.
      const unknown = randomUUID();
      for (const hidden of [takenBack, first]) {
        for (const [path, read] of [
          [`/attachments/${hidden}`, (id: string) => reader.get(`/attachments/${id}`)],
          [`/attachments/${hidden}/content`, (id: string) => download(t, reader, id)],
          [`/attachments/${hidden}/verify`, (id: string) => reader.post(`/attachments/${id}/verify`, {})],
        ] as const) {
          const seen = await read(hidden);
          const never = await read(unknown);
          expect({ path, ...problemOf(seen, hidden) }).toEqual({ path, ...problemOf(never, unknown) });
          expect(seen.status).toBe(404);
        }
      }
      const one = (await reader.get(`/attachments/${second}`).expect(200)).body as Attached;
      expect({ supersedes: one.supersedes, uploadedAt: one.uploadedAt }).toEqual({
        supersedes: null,
        uploadedAt: sentAt,
      });
    }
  });

  it('bytes the origin withdrew before sending are not bytes the target received: the release rule does not refuse them as the origin’s', async () => {
    // MY drafts a request to KR, attaches a file and takes it back, then sends the request.
    const toKorea = givenIn(tf).anInformationRequest().from('MY').sentTo('KR');
    const draft = await toKorea.drafted();
    const bytes = aFile();
    const mine = await upload(
      t,
      tf['my.officer'],
      `/information-requests/${draft.id}/attachments`,
      bytes,
      'x.pdf',
    );
    expect(mine.status).toBe(201);
    await tf['my.officer']
      .post(`/attachments/${mine.body.id}/withdraw`, { reason: 'not this one' })
      .expect(200);
    await pause(20);
    await toKorea.sent();

    // KR attaches the same bytes (its own copy) to a request it sends KH: nothing of MY's reached KR.
    const toCambodia = await givenIn(tf).anInformationRequest().from('KR').sentTo('KH').sent();
    const res = await upload(
      t,
      tf['kr.officer'],
      `/information-requests/${toCambodia.id}/attachments`,
      bytes,
      'y.pdf',
    );
    expect({ status: res.status, type: res.body.type }).toEqual({ status: 201, type: undefined });
    expect(res.body.type).not.toBe(RELEASE_REFUSED);
  });
});
