import { randomUUID } from 'node:crypto';
import { threeSuspects } from '../../support/blacklist-scenario';
import type { SignedIn } from '../../support/http';
import { taskForce, TaskForce } from '../../support/scenario';
import { createTestApp, TestApp } from '../../support/test-app';

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const cursorTime = (cursor: string) =>
  (JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { at: string }).at;

interface Listed {
  id: string;
  createdAt: string;
  proposalId?: string;
}

/**
 * Probe: the order and cursors of the lists a target reads its requests (and a blacklist proposal's
 * entries) in. The target's `createdAt` of a request is its `sentAt` (the origin's drafting time is
 * the origin's); a list ordered and paged by the drafting time told it anyway — in the cursor's `at`,
 * which is a base64 JSON anyone decodes, and in the order (a request drafted first but sent last came
 * last). Each list must be ordered by the `createdAt` it shows its reader, and its cursor carry no
 * other time.
 */
describe('Probe: request and blacklist-entry lists order and page the target by the sending, not the drafting', () => {
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

  /** Every item the reader lists, `size` per page, with every cursor it was given and the page's last item. */
  async function walk(who: SignedIn, path: string, size: number) {
    const items: Listed[] = [];
    const pages: Array<{ cursor: string; last: Listed }> = [];
    let cursor: string | null = null;
    const join = path.includes('?') ? '&' : '?';
    do {
      const query: string = `${join}limit=${size}${cursor ? `&cursor=${cursor}` : ''}`;
      const res = await who.get(`${path}${query}`).expect(200);
      const page = res.body.items as Listed[];
      items.push(...page);
      cursor = res.body.nextCursor as string | null;
      if (cursor) pages.push({ cursor, last: page[page.length - 1]! });
    } while (cursor);
    return { items, pages };
  }

  /** The list is newest first by the `createdAt` it shows, and each cursor is its page's last `createdAt`. */
  function expectOrderedByShownTime(walked: Awaited<ReturnType<typeof walk>>, who: string) {
    const shown = walked.items.map((i) => i.createdAt);
    expect({ who, shown }).toEqual({ who, shown: [...shown].sort().reverse() });
    for (const { cursor, last } of walked.pages)
      expect({ who, at: cursorTime(cursor) }).toEqual({ who, at: last.createdAt });
  }

  const step = async (who: SignedIn, path: string, action: string, version: number) =>
    (await who.post(`${path}/${action}`, { version }).expect(200)).body as {
      version: number;
      sentAt: string;
    };

  async function sendDraft(path: string, version: number) {
    const submitted = await step(tf['kr.officer'], path, 'submit', version);
    return step(tf['kr.liaison'], path, 'approve', submitted.version);
  }

  it('information requests: drafted first and sent last, it is listed first; no cursor carries a drafting time', async () => {
    const draft = async (subject: string) =>
      (
        await tf['kr.officer']
          .post('/information-requests', {
            frameworkId: tf.cambodiaKoreaFramework,
            targetCountry: 'KH',
            priority: 'urgent',
            handlingCode: 'AMBER',
            subject,
            questions: ['Who runs it?'],
          })
          .expect(201)
      ).body as { id: string; version: number };
    const early = await draft(`${tag} drafted first`);
    await pause(30);
    const late = await draft(`${tag} drafted second`);
    await pause(30);
    await sendDraft(`/information-requests/${late.id}`, late.version);
    await pause(30);
    const sentLast = await sendDraft(`/information-requests/${early.id}`, early.version);

    for (const who of [tf['kh.liaison'], tf['kh.officer']]) {
      for (const filter of [`?q=${tag}`, `?q=${tag}&direction=inbound`, `?q=${tag}&status=sent`]) {
        const walked = await walk(who, `/information-requests${filter}`, 1);
        expect({ filter, ids: walked.items.map((i) => i.id) }).toEqual({ filter, ids: [early.id, late.id] });
        expect(walked.items[0]!.createdAt).toBe(sentLast.sentAt);
        expectOrderedByShownTime(walked, who.username);
      }
      expectOrderedByShownTime(await walk(who, '/information-requests', 1), who.username);
    }
    // The origin lists its own by when it drafted them, as ever.
    const origin = await walk(tf['kr.officer'], `/information-requests?q=${tag}`, 1);
    expect(origin.items.map((i) => i.id)).toEqual([late.id, early.id]);
    expectOrderedByShownTime(origin, 'kr.officer');
  });

  it('blacklist entries: the banning country reads them as created when their proposal was sent, ordered and paged so', async () => {
    const propose = async (subject: string) =>
      (
        await tf['kr.officer']
          .post('/blacklist-entries/batch', { ...threeSuspects(tf.cambodiaKoreaFramework), subject })
          .expect(201)
      ).body as { id: string; version: number; entries: Listed[] };
    const early = await propose(`${tag} proposed first`);
    await pause(30);
    const late = await propose(`${tag} proposed second`);
    await pause(30);
    const lateSent = await sendDraft(`/blacklist-proposals/${late.id}`, late.version);
    await pause(30);
    const earlySent = await sendDraft(`/blacklist-proposals/${early.id}`, early.version);

    for (const path of [
      '/blacklist-entries',
      '/blacklist-entries?side=banning',
      '/blacklist-entries?status=proposed',
    ]) {
      const walked = await walk(tf['kh.liaison'], path, 2);
      const ours = walked.items.filter((i) => i.proposalId === early.id || i.proposalId === late.id);
      expect({ path, proposals: ours.map((i) => i.proposalId) }).toEqual({
        path,
        proposals: [early.id, early.id, early.id, late.id, late.id, late.id],
      });
      for (const entry of ours)
        expect(entry.createdAt).toBe(entry.proposalId === early.id ? earlySent.sentAt : lateSent.sentAt);
      expectOrderedByShownTime(walked, `kh.liaison ${path}`);
    }
    for (const entry of early.entries) {
      const one = (await tf['kh.liaison'].get(`/blacklist-entries/${entry.id}`).expect(200)).body as Listed;
      expect(one.createdAt).toBe(earlySent.sentAt);
    }
    // The proposing country reads its entries as it drafted them.
    const origin = await walk(tf['kr.liaison'], '/blacklist-entries?side=proposed', 2);
    const ours = origin.items.filter((i) => i.proposalId === early.id || i.proposalId === late.id);
    expect(ours.map((i) => i.proposalId)).toEqual([late.id, late.id, late.id, early.id, early.id, early.id]);
    expect(ours[0]!.createdAt < lateSent.sentAt).toBe(true);
    expectOrderedByShownTime(origin, 'kr.liaison');
  });
});
