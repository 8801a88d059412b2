import { randomUUID } from 'node:crypto';
import type request from 'supertest';
import { aWallet, aFreezeDraft } from '../asset-freezes/asset-freeze-scenario';
import { givenIn, RequestView } from '../support/given';
import type { SignedIn } from '../support/http';
import { taskForce, TaskForce } from '../support/scenario';
import { createTestApp, TestApp } from '../support/test-app';

/** Every filter of the request lists (`pageOfRequests`), as a partner would try them. */
const FILTERS = [
  '',
  'status=draft',
  'status=submitted',
  'status=sent',
  'status=withdrawn',
  'direction=inbound',
  'direction=outbound',
  'counterpartCountry=KR',
  'counterpartCountry=MY',
  'counterpartCountry=KH',
  'priority=urgent',
  'priority=immediate',
  'overdue=true',
  'overdue=false',
  'assignedToMe=true',
  'q=zebra',
  'q=DRAFT-',
];

/** A problem body as a caller compares two of them: everything but the request id. */
const problemOf = (res: request.Response) => {
  const { requestId: _id, instance: _instance, ...rest } = res.body as Record<string, unknown>;
  return { status: res.status, contentType: res.headers['content-type'], ...rest };
};

/**
 * Probe (round 9) of the request list read in one statement (`pageOfRequests`, `listExtras`), its
 * filters and cursors, and the single-record routes: a partner never finds, counts or pages past a
 * request it may not read (a draft, a submitted request, a RED one for a non-liaison, another country's
 * thread of a dispatch, a request between two other countries), and its 404 is the 404 of an id that
 * never existed.
 */
describe('Probe: request lists, cursors and 404s reveal no request the caller may not read', () => {
  let t: TestApp;
  let tf: TaskForce;
  /** Requests KH (and, for RED, its non-liaisons) must never see, by kind path. */
  const hidden: Array<{ path: string; id: string; subject: string; from: string[] }> = [];
  /** KH's own thread of KR's dispatch to KH and MY, and MY's thread of it. */
  let khThread: RequestView;
  let myThread: string;
  let krCase: string;

  beforeAll(async () => {
    // The whole demo: the multilateral body lets one request go to KH and MY at once.
    t = await createTestApp({}, {}, 'demo');
    tf = await taskForce(t);
    const given = givenIn(tf);
    const everyone = ['kh.officer', 'kh.officer2', 'kh.liaison', 'kh.auditor', 'my.officer'];
    const nonLiaisons = ['kh.officer', 'kh.officer2', 'kh.auditor', 'my.officer'];
    const notMY = ['kh.officer', 'kh.officer2', 'kh.liaison', 'kh.auditor'];
    const [{ id: body }] = await t.dataSource.query(
      `SELECT id FROM framework WHERE name = 'International Investigative Body on Scam Compounds'`,
    );
    krCase = (await tf['kr.officer'].post('/cases', { title: 'zebra case' }).expect(201)).body.id;

    const info = (subject: string) =>
      given.anInformationRequest().with({ subject, caseId: krCase, handlingCode: 'AMBER' });
    const draft = await info('zebra draft').drafted();
    hidden.push({ path: '/information-requests', id: draft.id, subject: 'zebra draft', from: everyone });
    const submitted = await info('zebra submitted').submitted();
    hidden.push({
      path: '/information-requests',
      id: submitted.id,
      subject: 'zebra submitted',
      from: everyone,
    });
    const red = await info('zebra red').handledAs('RED').sent();
    hidden.push({ path: '/information-requests', id: red.id, subject: 'zebra red', from: nonLiaisons });
    const toMalaysia = await info('zebra to malaysia').sentTo('MY').sent();
    hidden.push({
      path: '/information-requests',
      id: toMalaysia.id,
      subject: 'zebra to malaysia',
      from: notMY,
    });
    const withdrawn = await info('zebra withdrawn draft').submitted();
    await tf['kr.officer']
      .post(`/information-requests/${withdrawn.id}/withdraw`, { version: withdrawn.version })
      .expect(200);
    hidden.push({
      path: '/information-requests',
      id: withdrawn.id,
      subject: 'zebra withdrawn draft',
      from: everyone,
    });
    await info('zebra sent').sent();

    // One request to KH and MY, the recipients not told of each other.
    const dispatch = (
      await tf['kr.officer']
        .post('/information-requests', {
          frameworkId: body,
          targetCountry: 'KH',
          alsoTo: ['MY'],
          priority: 'urgent',
          handlingCode: 'AMBER',
          subject: 'zebra dispatch',
          questions: ['Who runs it?'],
        })
        .expect(201)
    ).body;
    myThread = dispatch.recipients.find((r: { country: string }) => r.country === 'MY').requestId;
    let version = dispatch.version;
    for (const [who, action] of [
      [tf['kr.officer'], 'submit'],
      [tf['kr.liaison'], 'approve'],
    ] as const)
      version = (await who.post(`/information-requests/${dispatch.id}/${action}`, { version }).expect(200))
        .body.version;
    khThread = (await tf['kh.liaison'].get(`/information-requests/${dispatch.id}`).expect(200)).body;

    // A freeze: the kind listed overdue-first, its own cursor member.
    const freeze = (
      await tf['kr.officer']
        .post(
          '/asset-freeze-requests',
          aFreezeDraft(tf.cambodiaKoreaFramework, [aWallet()], {
            targetCountry: 'KH',
            subject: 'zebra freeze',
          }),
        )
        .expect(201)
    ).body;
    hidden.push({ path: '/asset-freeze-requests', id: freeze.id, subject: 'zebra freeze', from: everyone });
  }, 120_000);
  afterAll(() => t?.close());

  const caller = (name: string) => tf[name as keyof TaskForce] as SignedIn;
  const PATHS = ['/information-requests', '/asset-freeze-requests'];

  /** Every page of a list, one item a page, following the cursors to the end. */
  async function walk(who: SignedIn, path: string, filter: string): Promise<string[]> {
    const ids: string[] = [];
    let cursor: string | null = null;
    for (let pages = 0; pages < 100; pages++) {
      const url: string = `${path}?limit=1${filter ? `&${filter}` : ''}${cursor ? `&cursor=${cursor}` : ''}`;
      const res: request.Response = await who.get(url).expect(200);
      ids.push(...res.body.items.map((r: { id: string }) => r.id));
      // A page that is empty but says there is more would count what the caller may not read.
      if (res.body.nextCursor) expect({ url, items: res.body.items.length }).toEqual({ url, items: 1 });
      cursor = res.body.nextCursor;
      if (!cursor) return ids;
    }
    throw new Error(`${path}?${filter}: more than 100 pages`);
  }

  it('no filter, page or cursor lists, names or counts a request the caller may not read', async () => {
    const problems: string[] = [];
    for (const name of ['kh.officer', 'kh.officer2', 'kh.liaison', 'kh.auditor', 'my.officer'])
      for (const path of PATHS)
        for (const filter of [...FILTERS, `caseId=${krCase}`]) {
          const res = await caller(name)
            .get(`${path}?limit=200${filter ? `&${filter}` : ''}`)
            .expect(200);
          for (const h of hidden.filter((x) => x.from.includes(name)))
            if (res.text.includes(h.id) || res.text.includes(h.subject))
              problems.push(`${name} ${path}?${filter} shows ${h.subject}`);
          if (name.startsWith('kh.') && res.text.includes(myThread))
            problems.push(`${name} ${path}?${filter} names MY's thread of the dispatch`);
          const paged = await walk(caller(name), path, filter);
          const whole = res.body.items.map((r: { id: string }) => r.id);
          if (JSON.stringify(paged) !== JSON.stringify(whole))
            problems.push(`${name} ${path}?${filter}: pages ${paged.length} items, the list ${whole.length}`);
        }
    expect(problems).toEqual([]);
  }, 300_000);

  it('shows what the caller may read: the liaison its RED request, each recipient its own thread only', async () => {
    const ids = async (who: string) =>
      (await caller(who).get('/information-requests?q=zebra&limit=200').expect(200)).body.items.map(
        (r: { subject: string }) => r.subject,
      );
    expect((await ids('kh.liaison')).sort()).toEqual(['zebra dispatch', 'zebra red', 'zebra sent']);
    expect((await ids('kh.officer')).sort()).toEqual(['zebra dispatch', 'zebra sent']);
    expect((await ids('my.officer')).sort()).toEqual(['zebra dispatch', 'zebra to malaysia']);
    expect(khThread.recipients).toBeNull();
    expect(khThread.caseId).toBeNull();
  });

  it('answers a request it may not read exactly as one that never existed, on every route', async () => {
    const problems: string[] = [];
    const routes = (path: string, id: string) =>
      [
        ['GET', `${path}/${id}`],
        ['GET', `${path}/${id}/history`],
        ['GET', `${path}/${id}/messages`],
        ['POST', `${path}/${id}/messages`, { body: 'Hello?' }],
        ...['submit', 'approve', 'accept', 'withdraw', 'close'].map((a) => [
          'POST',
          `${path}/${id}/${a}`,
          { version: 1 },
        ]),
        ['POST', `${path}/${id}/reject`, { version: 1, reason: 'No.' }],
      ] as Array<[string, string, object?]>;
    const send = (who: SignedIn, [method, url, body]: [string, string, object?]) =>
      method === 'GET' ? who.get(url) : who.post(url, body);
    for (const h of hidden)
      for (const name of h.from) {
        const never = routes(h.path, randomUUID());
        for (const [i, route] of routes(h.path, h.id).entries()) {
          const seen = problemOf(await send(caller(name), route));
          const none = problemOf(await send(caller(name), never[i]!));
          if (JSON.stringify(seen) !== JSON.stringify(none))
            problems.push(
              `${name} ${route[0]} ${route[1]} (${h.subject}): ${JSON.stringify(seen)} vs ${JSON.stringify(none)}`,
            );
        }
      }
    expect(problems).toEqual([]);
  }, 300_000);
});
