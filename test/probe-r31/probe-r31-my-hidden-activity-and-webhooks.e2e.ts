import request from 'supertest';
import { createHmac, randomUUID } from 'node:crypto';
import { createServer, IncomingMessage, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { TestApp } from '../support/test-app';
import { signIn } from '../support/http';
import { Clock } from '../../src/common/time/clock';
import { NOTIFICATION_EVENTS } from '../../src/common/notification-events';
import { WebhookDeliveryService } from '../../src/webhooks/webhook-delivery.service';
import { kindOf, SignedCaller, World } from '../security/security-support';
import {
  actingAs,
  answerNaming,
  askAsObserver,
  ReadingPlan,
  runJobs,
  ScreeningQuery,
  startDifferential,
  SuccessiveReadings,
} from '../probe-r27/r27-support';

const SECRET = 'a-webhook-secret-of-at-least-32-characters';
const RANDOM_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const COUNTRIES = ['KR', 'KH', 'TH', 'MY'];
const OBSERVING = ['KR', 'KH', 'TH'];
/** A webhook subscription is its owner's reading rights: one owner per role, each also an admin. */
const HOOK_ROLES = ['officer', 'liaison', 'screener', 'auditor'];

interface Delivery {
  /** The subscription's owner, from the path it was sent to. */
  owner: string;
  headers: IncomingMessage['headers'];
  body: string;
}

/** A webhook receiver on 127.0.0.1; each subscription posts to `/hooks/<owner>`. */
async function receiver(): Promise<{ base: string; received: Delivery[]; close: () => Promise<void> }> {
  const received: Delivery[] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      received.push({ owner: (req.url ?? '').replace('/hooks/', ''), headers: req.headers, body });
      res.statusCode = 200;
      res.end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    base: `http://127.0.0.1:${port}/hooks/`,
    received,
    close: () => new Promise((r) => server.close(() => r())),
  };
}

/**
 * Probe r31: r27's differential oracle with MY as the hidden actor, and with what leaves the service by
 * webhook compared too. KR, KH and TH observe: every caller of theirs reads every GET route, now and at
 * 11, 20 and 400 days on, after every background job; and each of their countries has a webhook
 * subscription per role (an admin who is also an officer, a liaison, a screener or an auditor) to every
 * event kind, pointing at a receiver in this test. Delivery jobs run against that receiver after every
 * job run. MY does what must stay invisible to them; what they read, and what their receivers are sent,
 * must be exactly what the same sequence without MY's work gives.
 */
describe('Probe r31: Malaysia’s hidden activity changes nothing KR, KH and TH read or are sent', () => {
  let t: TestApp;
  let queryNames: Map<string, Set<string>>;
  let callers: SignedCaller[];
  let world: World;
  let plan: ReadingPlan;
  let hooks: Awaited<ReturnType<typeof receiver>>;
  const { who, ok, step } = actingAs(() => callers);
  let multilateral: string;
  let krMy: string;

  beforeAll(async () => {
    hooks = await receiver();
    ({ t, queryNames, callers, world, multilateral, plan } = await startDifferential(
      OBSERVING,
      {
        // MY reads too, as an observer of TH's work at the end.
        readerCountries: COUNTRIES,
        // r27's filters aim at KH's records; these aim at MY's.
        filters: {
          '/api/v1/persons': ['name=KR%20Holder', 'name=TAN%20Hidden', 'nationality=KR', 'nationality=MY'],
          '/api/v1/arrests': ['nationality=KR', 'arrestingCountry=MY'],
          '/api/v1/cases': ['q=MY'],
          '/api/v1/information-requests': ['counterpartCountry=MY', 'q=MY', 'status=sent', 'status=accepted'],
        },
      },
      // The receiver listens on loopback, which webhooks may reach only when allow-listed.
      { WEBHOOK_ALLOWED_HOSTS: '127.0.0.1' },
    ));
    krMy = world.context.MY.frameworkId;
    await subscribeEveryCountry();
    await sharedWorld();
    plan.auditFrom = new Date().toISOString();
  }, 240_000);
  afterAll(async () => {
    jest.restoreAllMocks();
    await t?.close();
    await hooks?.close();
  });

  // ---------------------------------------------------------------------------------------------
  // Webhooks: subscriptions, delivery, and what a receiver got as comparable text.

  const hookOwners = (country: string) => HOOK_ROLES.map((role) => `${country.toLowerCase()}.hooks.${role}`);
  let subscriptions = 0;

  /** Per country and role, an admin who also holds the role subscribes to every event kind. */
  async function subscribeEveryCountry() {
    for (const country of COUNTRIES)
      for (const role of HOOK_ROLES) {
        const username = `${country.toLowerCase()}.hooks.${role}`;
        await t.dataSource.query(
          `INSERT INTO app_user (username, display_name, agency_id, country_code, roles, password_hash)
           SELECT $1, 'Integrations', agency_id, country_code, ARRAY['admin', $2], password_hash
             FROM app_user WHERE username = $3`,
          [username, role, `${country.toLowerCase()}.admin`],
        );
        const owner = await signIn(t.server, username);
        ok(
          await owner.post('/webhooks', {
            url: `${hooks.base}${username}`,
            eventTypes: [...NOTIFICATION_EVENTS],
            secret: SECRET,
          }),
          `webhook of ${username}`,
        );
        subscriptions++;
      }
  }

  /**
   * What the delivery job does for each pending delivery to the receiver, in the order they were
   * queued (tests start the app without jobs, so nothing else sends them). The world's subscriptions to
   * example.org are left pending: their queue is compared by `queuedElsewhere`.
   */
  async function deliver(): Promise<void> {
    const pending: { id: string }[] = await t.dataSource.query(
      `SELECT d.id FROM webhook_delivery d JOIN webhook_subscription s ON s.id = d.subscription_id
        WHERE d.status = 'pending' AND s.url LIKE $1 ORDER BY d.created_at, d.id`,
      [`${hooks.base}%`],
    );
    for (const { id } of pending) await t.app.get(WebhookDeliveryService).attempt(id);
  }

  /** Every job, then every delivery. */
  async function jobsAndDeliveries(): Promise<void> {
    await runJobs(t);
    await deliver();
  }

  /**
   * A delivery as comparable text: every header and the body, less what the sending itself makes (the
   * send time, the signature over it, the delivery's and the notification's ids, the notification's
   * time). The signature is checked instead.
   */
  function asText(d: Delivery): string {
    const timestamp = String(d.headers['x-casedesk-timestamp']);
    const expected = createHmac('sha256', SECRET).update(`${timestamp}.${d.body}`).digest('hex');
    if (d.headers['x-casedesk-signature'] !== `sha256=${expected}`)
      throw new Error(`bad signature: ${d.body}`);
    const headers = Object.entries(d.headers)
      .filter(
        ([name]) =>
          !['x-casedesk-timestamp', 'x-casedesk-signature', 'x-casedesk-delivery', 'host'].includes(name),
      )
      .map(([name, value]) => `${name}: ${String(value)}`)
      .sort()
      .join('; ');
    const { id, createdAt: _at, ...body } = JSON.parse(d.body) as Record<string, unknown>;
    // The delivery's and the notification's ids are left out: random (v4), they count nothing.
    for (const made of [id, d.headers['x-casedesk-delivery']])
      if (!RANDOM_ID.test(String(made))) throw new Error(`an id that is not random: ${String(made)}`);
    return `${d.owner} ← ${JSON.stringify(body)} [${headers}]`;
  }

  /** What the receivers of `countries` were sent since the last call, in order, as text (then forgotten). */
  function sentSinceLast(countries: string[]): string[] {
    const owners = new Set(countries.flatMap(hookOwners));
    const out = hooks.received.filter((d) => owners.has(d.owner)).map(asText);
    const others = hooks.received.filter((d) => !owners.has(d.owner));
    hooks.received.splice(0, hooks.received.length, ...others);
    return out;
  }

  /** Deliveries queued for the world's own subscriptions (example.org, never sent), per country. */
  async function queuedElsewhere(): Promise<string> {
    const rows: { country_code: string; event_type: string; n: string }[] = await t.dataSource.query(
      `SELECT s.country_code, n.event_type, count(*) AS n
         FROM webhook_delivery d JOIN webhook_subscription s ON s.id = d.subscription_id
         JOIN notification n ON n.id = d.notification_id
        WHERE s.url NOT LIKE $1 AND s.country_code = ANY($2)
        GROUP BY 1, 2 ORDER BY 1, 2`,
      [`${hooks.base}%`, OBSERVING],
    );
    return JSON.stringify(rows);
  }

  // ---------------------------------------------------------------------------------------------
  // Readings (r30's, with a reading at 20 days on as well).

  /** Each observer's latest answer on each route (real clock, and per moved time). */
  const readings = new SuccessiveReadings(
    () => plan,
    () => queryNames,
  );
  const compareReading = (label: string, observers?: string[]) => readings.compare(label, observers);
  async function readAgain(observers?: string[], prefix = ''): Promise<string[]> {
    await jobsAndDeliveries();
    return compareReading(`${prefix}now`, observers);
  }

  const start = Date.now();
  const MOVED: [string, Date][] = [
    ['11 days on', new Date(start + 11 * 86400_000)],
    ['20 days on', new Date(start + 20 * 86400_000)],
    ['400 days on', new Date(start + 400 * 86400_000)],
  ];
  /**
   * Every job and every delivery at each moved time in turn; then (when `read`) the observers, signed in
   * afresh (a session ends 12 hours after sign-in by the app's clock), read everything at each moved
   * time. The same sequence before and after the work compared, so what the jobs do to the records
   * shared all along (due soon, overdue) is in both readings.
   */
  /**
   * A session per observer and moved time, signed in at its first reading and used again at that time's
   * later readings: the clock is then mocked to the same instant, so the session is as fresh as a new
   * one (a reading with a 401 still fails). Signing in afresh each time was ~230 argon2 verifications.
   */
  const movedSessions = new Map<string, Promise<SignedCaller['http']>>();
  const signedInAt = (label: string, username: string) => {
    const key = `${label} ${username}`;
    if (!movedSessions.has(key)) movedSessions.set(key, signIn(t.server, username));
    return movedSessions.get(key)!;
  };
  async function later(read: boolean, observers?: string[], prefix = ''): Promise<string[]> {
    const clock = t.app.get(Clock);
    const changed: string[] = [];
    const signed = plan.observers;
    try {
      for (const [, at] of MOVED) {
        jest.spyOn(clock, 'now').mockReturnValue(at);
        await jobsAndDeliveries();
      }
      for (const [label, at] of read ? MOVED : []) {
        jest.spyOn(clock, 'now').mockReturnValue(at);
        plan.observers = [];
        for (const c of signed)
          if (!observers || observers.includes(c.username))
            plan.observers.push({ ...c, http: await signedInAt(label, c.username) });
        changed.push(...(await compareReading(`${prefix}${label}`)));
        plan.observers = signed;
      }
    } finally {
      plan.observers = signed;
      jest.restoreAllMocks();
    }
    return changed;
  }

  const SCREENED: ScreeningQuery[] = [
    { names: [{ full: 'TAN Hidden' }] },
    { names: [{ full: 'KR Holder' }] },
    { names: [{ full: 'KIM Arrested' }] },
    { names: [{ full: 'LEE Shared' }], birthDate: '1985', nationality: 'KR' },
  ];
  let askedBefore: Map<string, string>;
  /** What the observers' receivers are sent by a quiet pass (jobs and deliveries now and at the moved times). */
  let quietSent: string[];
  let quietQueue: string;
  /** What MY's own receivers were sent by its hidden work: the channel was live. */
  let mySent = 0;

  it('reads and sends KR, KH and TH the same after MY works on records they were never given', async () => {
    askedBefore = await askAsObserver(plan.observers, SCREENED);
    // First readings (nothing to compare) drain what the shared world's due times send.
    expect(await later(true)).toEqual([]);
    expect(await readAgain()).toEqual([]);
    const firstSent = sentSinceLast(OBSERVING);
    const kinds = new Set(firstSent.map((d) => /"type":"([a-z_.]+)"/.exec(d)?.[1]));
    // A quiet pass: what the observers are sent when nobody does anything.
    await jobsAndDeliveries();
    await later(false);
    quietSent = sentSinceLast(OBSERVING);
    quietQueue = await queuedElsewhere();

    await hiddenWorkOfMalaysia();
    const changed = await readAgain();
    mySent += sentSinceLast(['MY']).length;
    await later(false);
    const sent = sentSinceLast(OBSERVING);
    mySent += sentSinceLast(['MY']).length;
    console.log(
      `r31: ${readings.reads} reads so far; ${subscriptions} subscriptions; first pass sent the observers ${firstSent.length}, ` +
        `the quiet pass ${quietSent.length}, after MY's work ${sent.length}; MY's receivers got ${mySent}; ` +
        `kinds sent first: ${[...kinds].join(', ')}`,
    );
    expect(changed).toEqual([]);
    expect(sent).toEqual(quietSent);
    expect(await queuedElsewhere()).toBe(quietQueue);
    // The channel was live during MY's work: MY's own admins were told of its account awaiting enabling
    // and of its role change.
    expect(mySent).toBeGreaterThan(0);
  }, 600_000);

  it('reads and sends KR, KH and TH the same at 11, 20 and 400 days on, every job and delivery run', async () => {
    const changed = await later(true);
    const sent = sentSinceLast(OBSERVING);
    console.log(`r31: ${readings.reads} reads so far`);
    expect(changed).toEqual([]);
    expect(sent).toEqual(quietSent);
    expect(await queuedElsewhere()).toBe(quietQueue);
  }, 600_000);

  it('reads and sends KH and TH the same after MY works with KR (RED and AMBER accepted, a share, hit/no-hit checks), now and later', async () => {
    const amber = await mySends('KR', 'AMBER', 'MY asks KR');
    await step('kr.liaison', '/information-requests', amber.id, 'accept');
    const red = await mySends('KR', 'RED', 'MY asks KR under RED');
    await step('kr.liaison', '/information-requests', red.id, 'accept');
    const kase = ok(
      await who('my.officer').post('/cases', {
        title: 'MY case shared with KR',
        persons: [{ personId: ids.tanHidden, role: 'suspect' }],
      }),
      'case',
    );
    ok(await who('my.liaison').post(`/cases/${kase.id}/shares`, { countryCode: 'KR' }), 'share');
    // A hit (KR's person holds the phone) and a no-hit.
    for (const value of ['+85512777001', '+85512999999'])
      ok(
        await who('my.officer').post('/identifier-checks', {
          partners: ['KR'],
          identifiers: [{ kind: 'phone', value }],
        }),
        `identifier check ${value}`,
      );
    const observers = plan.observers.filter((c) => c.country !== 'KR').map((c) => c.username);
    expect(await readAgain(observers)).toEqual([]);
    expect(await later(true, observers)).toEqual([]);
    expect(sentSinceLast(['KH', 'TH'])).toEqual([]);
    // KR's receivers were sent the requests (the channel was live).
    expect(
      sentSinceLast(['KR']).filter((d) => d.includes('"type":"request.inbound"')).length,
    ).toBeGreaterThan(0);
  }, 600_000);

  it('reads and sends KH the same after MY’s multilateral dispatch to KR and TH', async () => {
    const draft = ok(
      await who('my.officer').post('/information-requests', {
        frameworkId: multilateral,
        targetCountry: 'KR',
        alsoTo: ['TH'],
        priority: 'urgent',
        handlingCode: 'AMBER',
        subject: 'MY asks KR and TH, not KH',
        questions: ['Who holds +85512777002?'],
      }),
      'dispatch',
    );
    await step('my.officer', '/information-requests', draft.id, 'submit');
    await step('my.liaison', '/information-requests', draft.id, 'approve');
    const observers = plan.observers.filter((c) => c.country === 'KH').map((c) => c.username);
    expect(await readAgain(observers)).toEqual([]);
    expect(await later(true, observers)).toEqual([]);
    const sent = sentSinceLast(OBSERVING);
    expect(sent.filter((d) => d.startsWith('kh.'))).toEqual([]);
    // TH's receivers were told of it, and TH's officer reads it: the dispatch went out.
    expect(
      sent.filter((d) => d.startsWith('th.') && d.includes('"type":"request.inbound"')).length,
    ).toBeGreaterThan(0);
    expect((await readAgain(['th.officer'])).length).toBeGreaterThan(0);
    // The jobs and deliveries at the moved times, as every test runs them. TH's officer is compared at
    // the real time only from here (the next test; the last one watches KR, KH and MY under labels of
    // its own): readings of it at the moved times would be compared with nothing.
    await later(false);
  }, 600_000);

  it('does send KR (and only KR) a request MY sends it: the comparison tells a change when there is one', async () => {
    const draft = ok(
      await who('my.officer').post('/information-requests', {
        frameworkId: krMy,
        targetCountry: 'KR',
        priority: 'routine',
        handlingCode: 'AMBER',
        subject: 'A request KR is meant to read',
        questions: ['Who holds +85512777003?'],
      }),
      'draft to KR',
    );
    await step('my.officer', '/information-requests', draft.id, 'submit');
    const sent = await step('my.liaison', '/information-requests', draft.id, 'approve');
    const kase = ok(await who('my.officer').post('/cases', { title: 'MY case KR is meant to read' }), 'case');
    ok(await who('my.liaison').post(`/cases/${kase.id}/shares`, { countryCode: 'KR' }), 'share');
    const changed = await readAgain(['kr.officer', 'th.officer']);
    expect(changed.filter((d) => d.includes(' th.officer '))).toEqual([]);
    expect(
      changed.filter((d) => /GET \/api\/v1\/(stats|information-requests)\b/.test(d)).length,
    ).toBeGreaterThan(2);
    await later(false);
    const delivered = sentSinceLast(OBSERVING);
    // KR's liaison and officer owners are told of the new inbound request, signed, naming it; KH and TH
    // owners are sent nothing.
    expect(delivered.filter((d) => !d.startsWith('kr.'))).toEqual([]);
    const inbound = delivered.filter((d) => d.includes('"type":"request.inbound"') && d.includes(sent.id));
    expect(inbound.map((d) => d.split(' ← ')[0]).sort()).toEqual(
      expect.arrayContaining(['kr.hooks.liaison']),
    );
    expect(inbound[0]).toContain(`"reference":"${sent.reference}"`);
  }, 600_000);

  it('answers KR, KH and TH screenings and chain checks as before MY’s hidden work', async () => {
    const asked = await askAsObserver(plan.observers, SCREENED);
    const changed = [...asked].filter(([key, answer]) => askedBefore.get(key) !== answer);
    expect(changed.map(([key, answer]) => `${key}: ${askedBefore.get(key)} → ${answer}`)).toEqual([]);
    expect(asked.size).toBeGreaterThan(6);
  }, 120_000);

  it('answers KR, KH and TH, on every route naming a record, for MY’s hidden records as for ids that never existed', async () => {
    const named = plan.routes.filter((r) => r.method === 'GET' && kindOf(r.path));
    const differing: string[] = [];
    let compared = 0;
    for (const caller of plan.observers.filter(
      (c) => c.roles.includes('officer') || c.roles.includes('auditor'),
    )) {
      const hidden = world.records.filter(
        (r) => r.owner === 'MY' && !r.visibleTo.includes(caller.country!) && r.kind !== 'identifier-check',
      );
      for (const route of named)
        for (const record of hidden.filter((r) => r.kind === kindOf(route.path)).slice(0, 1)) {
          const never = randomUUID();
          const url = (id: string) =>
            route.path
              .replace('{id}', id)
              .replace('{countryCode}', 'KR')
              .replace(/\{[A-Za-z]+\}/g, '00000000-0000-4000-8000-000000000031');
          const [seen, unseen] = [
            await answerNaming(plan, caller, url(record.id), record.id),
            await answerNaming(plan, caller, url(never), never),
          ];
          compared++;
          if (seen !== unseen)
            differing.push(`${caller.username} ${route.key} (${record.kind}): ${seen} ≠ ${unseen}`);
        }
    }
    expect(compared).toBeGreaterThan(50);
    expect(differing).toEqual([]);
  }, 120_000);

  it('reads and sends KR, KH and MY the same after TH works on records they were never given, now and later', async () => {
    const pool = plan.observers;
    plan.observers = callers.filter((c) => c.country && ['KR', 'KH', 'MY'].includes(c.country));
    // The auditors' lists from here on: the readings so far filled them with the auditors' own reads,
    // which the reading drops only after fetching its 20 pages of 200.
    plan.auditFrom = new Date().toISOString();
    try {
      // First readings by this set of observers, then a quiet pass of jobs and deliveries.
      await later(true, undefined, 'TH watch: ');
      await readAgain(undefined, 'TH watch: ');
      sentSinceLast(COUNTRIES);
      await jobsAndDeliveries();
      await later(false);
      const quiet = sentSinceLast(['KR', 'KH', 'MY']);
      const queued = await queuedElsewhere();

      await hiddenWorkOfThailand();
      const changed = await readAgain(undefined, 'TH watch: ');
      const thSent = sentSinceLast(['TH']).length;
      changed.push(...(await later(true, undefined, 'TH watch: ')));
      expect(changed).toEqual([]);
      expect(sentSinceLast(['KR', 'KH', 'MY'])).toEqual(quiet);
      expect(await queuedElsewhere()).toBe(queued);
      expect(thSent).toBeGreaterThan(0);
      console.log(`r31: ${readings.reads} reads in all; TH's receivers got ${thSent} during its work`);
    } finally {
      plan.observers = pool;
    }
  }, 600_000);

  // ---------------------------------------------------------------------------------------------
  // The world and MY's hidden work.

  /** MY's file, with the bytes of the one KR reads on the case MY shares with it. */
  const upload = async (url: string, name: string) =>
    ok(
      await request(t.server)
        .post(url)
        .set('Authorization', `Bearer ${who('my.officer').tokens.accessToken}`)
        .set('Content-Type', 'application/octet-stream')
        .set('X-Filename', name)
        .send(Buffer.from('MY evidence KR reads\n')),
      `file ${name}`,
    );
  const visible = (kind: string, id: string, countries: string[]) =>
    plan.extraVisible.push({ kind, id, countries });
  const ids: Record<string, string> = {};

  /**
   * What KR, KH and TH legitimately read before MY's hidden work: records of their own holding the
   * phones, passport and account MY's hidden records will hold; a case MY shares with KR, with a file;
   * a case KR shares with MY (MY receives a KR person); MY's request to KR, accepted.
   */
  async function sharedWorld() {
    for (const [country, phone] of [
      ['kr', '+85512777001'],
      ['kh', '+85512777002'],
      ['th', '+85512777002'],
    ]) {
      const person = ok(
        await who(`${country}.officer`).post('/persons', {
          names: [{ full: `${country.toUpperCase()} Holder`, script: 'latin', kind: 'primary' }],
          phones: [phone],
          documents: [{ type: 'passport', number: 'N77700123', issuingCountry: 'KH' }],
        }),
        `${country} person`,
      );
      visible('person', person.id, [country.toUpperCase()]);
      const kase = ok(
        await who(`${country}.officer`).post('/cases', {
          title: `${country.toUpperCase()} case holding the phone`,
          persons: [{ personId: person.id, role: 'suspect' }],
        }),
        `${country} case`,
      );
      visible('case', kase.id, [country.toUpperCase()]);
      if (country === 'kr') {
        ids.krPerson = person.id;
        plan.personFilter = person.id;
        ok(await who('kr.liaison').post(`/cases/${kase.id}/shares`, { countryCode: 'MY' }), 'KR share');
      }
    }
    const myCase = ok(await who('my.officer').post('/cases', { title: 'MY case shared with KR' }), 'MY case');
    ids.mySharedCase = myCase.id;
    const file = await upload(`/api/v1/cases/${myCase.id}/attachments`, 'my-shared.txt');
    visible('attachment', file.id, ['KR']);
    ok(await who('my.liaison').post(`/cases/${myCase.id}/shares`, { countryCode: 'KR' }), 'MY share');
    visible('case', myCase.id, ['KR']);
    const fromMy = world.records.find(
      (r) => r.kind === 'information-request' && r.owner === 'MY' && r.visibleTo.includes('KR'),
    )!;
    await step('kr.liaison', '/information-requests', fromMy.id, 'accept');
  }

  async function mySends(target: string, handlingCode: string, subject: string) {
    const draft = ok(
      await who('my.officer').post('/information-requests', {
        frameworkId: krMy,
        targetCountry: target,
        priority: 'routine',
        handlingCode,
        subject,
        questions: ['Who holds +85512777003?'],
      }),
      `draft to ${target}`,
    );
    await step('my.officer', '/information-requests', draft.id, 'submit');
    return step('my.liaison', '/information-requests', draft.id, 'approve');
  }

  /** TH, in the multilateral body only: its own records and drafts, none of them shared. */
  async function hiddenWorkOfThailand() {
    for (const [target, alsoTo, undo] of [
      ['KR', ['KH', 'MY'], 'withdraw'],
      ['MY', [], 'return'],
    ] as const) {
      const dispatch = ok(
        await who('th.officer').post('/information-requests', {
          frameworkId: multilateral,
          targetCountry: target,
          alsoTo,
          priority: 'immediate',
          handlingCode: 'AMBER',
          subject: 'TH dispatch never sent',
          questions: ['Who runs the compound at +66812777009?'],
          identifiers: { phones: ['+66812777009'] },
        }),
        'TH dispatch draft',
      );
      await step('th.officer', '/information-requests', dispatch.id, 'submit');
      await step(
        undo === 'withdraw' ? 'th.officer' : 'th.liaison',
        '/information-requests',
        dispatch.id,
        undo,
      );
    }
    const person = ok(
      await who('th.officer').post('/persons', {
        names: [{ full: 'SOMCHAI Hidden', script: 'latin', kind: 'primary' }],
        nationalities: ['KH'],
        phones: ['+85512777001'],
        documents: [{ type: 'passport', number: 'N77700123', issuingCountry: 'KH' }],
      }),
      'TH person',
    );
    const kase = ok(
      await who('th.officer').post('/cases', {
        title: 'TH case never shared',
        persons: [{ personId: person.id, role: 'suspect' }],
      }),
      'TH case',
    );
    ok(
      await request(t.server)
        .post(`/api/v1/cases/${kase.id}/attachments`)
        .set('Authorization', `Bearer ${who('th.officer').tokens.accessToken}`)
        .set('Content-Type', 'application/octet-stream')
        .set('X-Filename', 'th-hidden.txt')
        .send(Buffer.from('MY evidence KR reads\n')),
      'TH file',
    );
    const arrest = ok(
      await who('th.officer').post('/arrests', {
        arrestedAt: '2026-03-06T02:30:00Z',
        place: 'A hidden compound in Mae Sot',
        grounds: 'Online fraud',
        arrestingAgency: 'RTP',
        nationality: 'KR',
        caseId: kase.id,
        person: { names: [{ full: 'KIM Arrested', script: 'latin', kind: 'primary' }] },
      }),
      'TH arrest',
    );
    ok(
      await who('th.officer').post(`/arrests/${arrest.id}/custody`, {
        version: arrest.version,
        status: 'charged',
        reason: 'charged',
      }),
      'TH custody',
      200,
    );
    for (const full of ['SOMCHAI Hidden', 'KH Holder', 'TAN Hidden'])
      ok(
        await who('th.screener').post('/screenings', { checkpoint: 'BKK-SVB-ARR', names: [{ full }] }),
        'TH screening',
      );
    const [{ id: agencyId }] = await t.dataSource.query(`SELECT id FROM agency WHERE country_code = 'TH'`);
    const user = ok(
      await who('th.admin').post('/users', {
        username: 'th.r31.officer',
        displayName: 'R31 TH Officer',
        agencyId,
        roles: ['officer'],
        password: 'a long enough passphrase for tests 42',
      }),
      'TH user',
    );
    ok(
      await who('th.admin').post(`/users/${user.id}/role-changes`, {
        version: user.version,
        roles: ['officer', 'liaison'],
      }),
      'TH role change',
    );
    ok(await who('th.auditor').get('/audit-events?limit=5'), 'TH audit', 200);
  }

  async function hiddenWorkOfMalaysia() {
    // 1. A draft to KR, submitted, returned, submitted again and withdrawn; a second left as it is, with
    //    a file of the shared file's bytes.
    const draft = ok(
      await who('my.officer').post('/information-requests', {
        frameworkId: krMy,
        targetCountry: 'KR',
        priority: 'urgent',
        handlingCode: 'AMBER',
        subject: 'MY draft never sent',
        questions: ['Who holds +85512777001?'],
        identifiers: { phones: ['+85512777001'] },
      }),
      'draft',
    );
    await step('my.officer', '/information-requests', draft.id, 'submit');
    await step('my.liaison', '/information-requests', draft.id, 'return');
    await step('my.officer', '/information-requests', draft.id, 'submit');
    await step('my.officer', '/information-requests', draft.id, 'withdraw');
    const draft2 = ok(
      await who('my.officer').post('/information-requests', {
        frameworkId: krMy,
        targetCountry: 'KR',
        priority: 'immediate',
        handlingCode: 'RED',
        subject: 'MY second draft',
        questions: ['Anything on +85512777002?'],
      }),
      'draft 2',
    );
    await upload(`/api/v1/information-requests/${draft2.id}/attachments`, 'my-draft.txt');
    // Multilateral dispatches MY can make: to KR, KH and TH, submitted then withdrawn; to TH and KH,
    // submitted and returned by MY's liaison.
    for (const [target, alsoTo, undo] of [
      ['KR', ['KH', 'TH'], 'withdraw'],
      ['TH', ['KH'], 'return'],
    ] as const) {
      const dispatch = ok(
        await who('my.officer').post('/information-requests', {
          frameworkId: multilateral,
          targetCountry: target,
          alsoTo,
          priority: 'immediate',
          handlingCode: 'AMBER',
          subject: 'MY dispatch never sent',
          questions: ['Who runs the compound at +85512777002?'],
        }),
        'dispatch draft',
      );
      await step('my.officer', '/information-requests', dispatch.id, 'submit');
      await step(
        undo === 'withdraw' ? 'my.officer' : 'my.liaison',
        '/information-requests',
        dispatch.id,
        undo,
      );
    }
    // 2. A person and a case never shared; the case renamed, with two files.
    const person = ok(
      await who('my.officer').post('/persons', {
        names: [{ full: 'TAN Hidden', script: 'latin', kind: 'primary' }],
        nationalities: ['KR'],
        phones: ['+85512777002'],
        documents: [{ type: 'passport', number: 'N77700123', issuingCountry: 'KH' }],
      }),
      'person',
    );
    ids.tanHidden = person.id;
    const kase = ok(
      await who('my.officer').post('/cases', {
        title: 'MY case never shared',
        persons: [{ personId: person.id, role: 'suspect' }],
      }),
      'case',
    );
    ok(
      await who('my.officer').patch(`/cases/${kase.id}`, { version: kase.version, title: 'MY case renamed' }),
      'case edit',
      200,
    );
    await upload(`/api/v1/cases/${kase.id}/attachments`, 'my-hidden-copy.txt');
    // 3. An arrest of a Korean, never shared, with two custody steps; a repatriation draft to KR for it,
    //    submitted and returned.
    const arrest = ok(
      await who('my.officer').post('/arrests', {
        arrestedAt: '2026-03-03T02:30:00Z',
        place: 'A hidden call centre in Johor',
        grounds: 'Online fraud',
        arrestingAgency: 'PDRM',
        nationality: 'KR',
        caseId: kase.id,
        person: { names: [{ full: 'KIM Arrested', script: 'latin', kind: 'primary' }] },
      }),
      'arrest',
    );
    const charged = ok(
      await who('my.officer').post(`/arrests/${arrest.id}/custody`, {
        version: arrest.version,
        status: 'charged',
        reason: 'charged',
      }),
      'custody',
      200,
    );
    ok(
      await who('my.officer').post(`/arrests/${arrest.id}/custody`, {
        version: charged.version,
        status: 'transferred',
        reason: 'moved to a detention centre',
      }),
      'custody 2',
      200,
    );
    const repatriation = ok(
      await who('my.officer').post('/repatriation-requests', {
        frameworkId: krMy,
        targetCountry: 'KR',
        priority: 'urgent',
        handlingCode: 'AMBER',
        subject: 'MY repatriation draft',
        arrestIds: [arrest.id],
      }),
      'repatriation draft',
    );
    await step('my.officer', '/repatriation-requests', repatriation.id, 'submit');
    await step('my.liaison', '/repatriation-requests', repatriation.id, 'return');
    // 4. A freeze draft to KR submitted and withdrawn; a blacklist draft to KR submitted and returned.
    const freeze = ok(
      await who('my.officer').post('/asset-freeze-requests', {
        frameworkId: krMy,
        targetCountry: 'KR',
        priority: 'immediate',
        handlingCode: 'AMBER',
        subject: 'MY freeze draft',
        targets: [
          {
            type: 'bank_account',
            institutionName: 'KB Kookmin Bank',
            institutionCode: 'CZNBKRSE',
            accountNumber: '777-000-1',
            holderName: 'TAN Hidden',
            borrowedName: true,
            amountSought: { amount: '1000', currency: 'USD' },
            grounds: { summary: 'Proceeds' },
          },
        ],
      }),
      'freeze draft',
    );
    await step('my.officer', '/asset-freeze-requests', freeze.id, 'submit');
    await step('my.officer', '/asset-freeze-requests', freeze.id, 'withdraw');
    const proposal = ok(
      await who('my.officer').post('/blacklist-entries/batch', {
        frameworkId: krMy,
        banningCountry: 'KR',
        entries: [{ personId: person.id, grounds: 'Recruiter.', groundsSummary: 'Recruiter' }],
      }),
      'blacklist draft',
    );
    await step('my.officer', '/blacklist-proposals', proposal.id, 'submit');
    await step('my.liaison', '/blacklist-proposals', proposal.id, 'return');
    // 5. Screenings at MY's checkpoint, of the hidden person, of the KR person MY received and of the
    //    observers' names.
    for (const full of ['TAN Hidden', 'KR Holder', 'KH Holder', 'LEE Shared'])
      ok(
        await who('my.screener').post('/screenings', { checkpoint: 'KUL-KLIA-ARR', names: [{ full }] }),
        'screening',
      );
    // 6. MY's own accounts: a new one (waiting for a second admin) and a pending role change.
    const [{ id: agencyId }] = await t.dataSource.query(`SELECT id FROM agency WHERE country_code = 'MY'`);
    const user = ok(
      await who('my.admin').post('/users', {
        username: 'my.r31.officer',
        displayName: 'R31 Officer',
        agencyId,
        roles: ['officer'],
        password: 'a long enough passphrase for tests 42',
      }),
      'user',
    );
    ok(
      await who('my.admin').post(`/users/${user.id}/role-changes`, {
        version: user.version,
        roles: ['officer', 'liaison'],
      }),
      'role change',
    );
    // A password reset waiting for a second admin, an account disabled, and a webhook made and switched
    // off.
    const [{ id: officer2Id }, { id: liaison2Id }]: { id: string }[] = await t.dataSource.query(
      `SELECT id FROM app_user WHERE username IN ('my.officer2', 'my.liaison2') ORDER BY username DESC`,
    );
    ok(
      await who('my.admin').post(`/users/${officer2Id}/reset-password`, {
        newPassword: 'another long enough passphrase 43',
      }),
      'password reset',
      204,
    );
    ok(await who('my.admin').post(`/users/${liaison2Id}/disable`), 'disable', 200);
    const hook = ok(
      await who('my.admin').post('/webhooks', {
        url: 'https://example.org/my-hook',
        eventTypes: ['request.inbound', 'user.created_awaiting_enable'],
        secret: SECRET,
      }),
      'MY webhook',
    );
    ok(await who('my.admin').post(`/webhooks/${hook.id}/disable`), 'MY webhook off', 200);
    // 7. MY's auditor reads its trail.
    ok(await who('my.auditor').get('/audit-events?limit=5'), 'audit', 200);
    // 8. The KR person MY received: into the hidden case, arrested, named in a draft to KR, proposed in
    //    a blacklist draft to KR.
    ok(
      await who('my.officer').post(`/cases/${kase.id}/persons`, {
        persons: [{ personId: ids.krPerson, role: 'suspect' }],
      }),
      'link KR person',
    );
    ok(
      await who('my.officer').post('/arrests', {
        arrestedAt: '2026-03-04T02:30:00Z',
        place: 'A hidden call centre in Johor',
        grounds: 'Online fraud',
        arrestingAgency: 'PDRM',
        nationality: 'KR',
        personId: ids.krPerson,
      }),
      'arrest of KR person',
    );
    ok(
      await who('my.officer').post('/information-requests', {
        frameworkId: krMy,
        targetCountry: 'KR',
        priority: 'routine',
        handlingCode: 'AMBER',
        subject: 'About your person',
        questions: ['Anything new?'],
        personIds: [ids.krPerson],
      }),
      'draft naming KR person',
    );
    ok(
      await who('my.officer').post('/blacklist-entries/batch', {
        frameworkId: krMy,
        banningCountry: 'KR',
        entries: [{ personId: ids.krPerson, grounds: 'Recruiter.', groundsSummary: 'Recruiter' }],
      }),
      'blacklist draft of KR person',
    );
    // 9. MY's internal work on the case it shares with KR: a new lead officer.
    const [{ id: officer2 }] = await t.dataSource.query(
      `SELECT id FROM app_user WHERE username = 'my.officer2'`,
    );
    const shared = ok(await who('my.officer').get(`/cases/${ids.mySharedCase}`), 'case', 200);
    ok(
      await who('my.officer').patch(`/cases/${ids.mySharedCase}`, {
        version: shared.version,
        leadOfficerId: officer2,
      }),
      'lead officer',
      200,
    );
  }
});
