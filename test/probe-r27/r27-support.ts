import request from 'supertest';
import { signIn } from '../support/http';
import { AuditSealerService } from '../../src/audit/audit-sealer.service';
import { JobsService } from '../../src/jobs/jobs.service';
import { createTestApp, type TestApp } from '../support/test-app';
import {
  AUDIT_TYPE,
  buildWorld,
  declaredQueryNames,
  kindOf,
  loadRoutes,
  raw,
  readable,
  Route,
  SignedCaller,
  signInEveryone,
  World,
} from '../security/security-support';

/**
 * Probe r27's differential oracle: what every caller of an observing country reads on every GET route
 * of the OpenAPI document, as comparable text (status, the headers that could count something, the body
 * with only what the read itself produces taken out), so that a reading before and after another
 * country's hidden activity can be compared byte for byte.
 */

/** Headers that vary with the read itself and tell nothing about anyone's records. */
const PER_READ_HEADERS = new Set(['date', 'x-request-id', 'connection', 'keep-alive']);

/** An ISO 8601 time; the ones produced during the reading itself are masked. */
const ISO_TIME = /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,6})?Z/gi;

export interface Reading {
  /** `caller GET url` → what the caller read. */
  answers: Map<string, string>;
  /** Requests sent. */
  reads: number;
}

export interface ReadingPlan {
  t: TestApp;
  routes: Route[];
  observers: SignedCaller[];
  world: World;
  /** Record ids each observer may read, to fill routes naming one (besides the world's). */
  extraVisible: { kind: string; id: string; countries: string[] }[];
  /** Values to look up in `/identifiers/seen-in` (phones, documents of hidden records). */
  seenIn: { kind: string; value: string }[];
  /** Audit events from this time on are compared (the auditors' own reads between readings dropped). */
  auditFrom: string;
  /** A person the hidden work uses, for lists filtered by person. */
  personFilter?: string;
  /** The framework a TH caller (no world record) names where a route takes one. */
  fallbackFrameworkId: string;
  /** Filters a list is read with besides the ones below, aimed at another hidden actor's records. */
  filters?: Record<string, string[]>;
  /**
   * Countries whose users read in the probe (the observers' by default): their reads of one another's
   * shared records, shown without a username, are dropped from the audit lists.
   */
  readerCountries?: string[];
}

/** What a GET writes to the trail. */
const READ_ACTIONS = new Set([
  'audit.read',
  'audit.export',
  'access.denied',
  'attachment.download',
  'case.bundle.export',
]);

/**
 * Events a reading's own reads leave in the trail: the observers' `audit.read` and refusals, and the
 * reads by users of another reading country (downloads of a file shared with them), whose usernames the
 * trail withholds.
 */
function withoutObserverReads(events: unknown[], observers: Set<string>, readers: Set<string>): unknown[] {
  return events.filter((e) => {
    const event = e as {
      action?: string;
      actor?: { kind?: string; username?: string | null; country?: string | null };
    };
    if (event.actor?.username) return !observers.has(event.actor.username);
    return !(
      event.actor?.kind === 'user' &&
      readers.has(event.actor.country ?? '') &&
      READ_ACTIONS.has(event.action ?? '')
    );
  });
}

/** Masks what the read itself produced: times at or after the reading began. */
function maskNow(text: string, since: string): string {
  return text.replace(ISO_TIME, (time) => (time.toUpperCase() >= since ? '<now>' : time));
}

/**
 * A case bundle's custody timeline lists what was done to the case and its files, the observers' own
 * reads among them (downloads, exports, the auditors' reads, made from the probe's start by the
 * caller's country): dropped. Anything by another country stays.
 */
function withoutOwnEvents(text: string, country: string, from: string): string {
  return text
    .replace(
      /\{\s*"at": "([^"]+)",\s*"action": "[a-z._]+",[^{}]*?"country": "([a-z]+)"[^{}]*\}/g,
      (event, at: string, by: string) => (by === country && at.toUpperCase() >= from ? '{own}' : event),
    )
    .replace(/\{own\},?\s*/g, '')
    .replace(/,\s*\]/g, ']');
}

/** One read as comparable text. */
async function readOne(
  plan: ReadingPlan,
  caller: SignedCaller,
  url: string,
  since: string,
  observers: Set<string>,
  countries: Set<string> = new Set(),
): Promise<{ text: string; nextCursor?: string | null; items?: unknown[]; status: number }> {
  const res = await request(plan.t.server)
    .get(url)
    .set('Authorization', `Bearer ${caller.http.tokens.accessToken}`)
    .buffer(true)
    .parse(raw);
  const headers = Object.entries(res.headers)
    .filter(([name]) => !PER_READ_HEADERS.has(name))
    .map(([name, value]) => `${name}: ${maskNow(String(value), since)}`)
    .sort()
    .join('\n');
  const body = String(res.body ?? '');
  let shown: string;
  let nextCursor: string | null | undefined;
  let items: unknown[] | undefined;
  const auditRead = /^\/api\/v1\/audit-events(\/export|\/timeline)?\?/.test(url);
  if (auditRead && res.status === 200) {
    // The auditors' own reads are in their trail: dropped, with the page bounds they move.
    if (url.startsWith('/api/v1/audit-events/export')) {
      const lines = body
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as unknown);
      shown = JSON.stringify(withoutObserverReads(lines, observers, countries));
    } else {
      const page = JSON.parse(body) as { items: unknown[]; nextCursor: string | null };
      items = withoutObserverReads(page.items, observers, countries);
      nextCursor = page.nextCursor;
      shown = JSON.stringify(items);
    }
    return { text: `${res.status}\n${maskNow(shown, since)}`, nextCursor, items, status: res.status };
  }
  // A problem's `requestId` names the read itself.
  shown = (await readable(body)).replace(/"requestid":"[0-9a-f-]{36}"/g, '"requestid":"<read>"');
  if (/\/bundle$/.test(url)) shown = withoutOwnEvents(shown, caller.country!.toLowerCase(), plan.auditFrom);
  // The default period of the statistics ends now and begins a year before.
  if (url === '/api/v1/stats') shown = shown.replace(/"from":"[^"]+"/, '"from":"<a year ago>"');
  try {
    nextCursor = (JSON.parse(body) as { nextCursor?: string | null }).nextCursor;
  } catch {
    nextCursor = undefined;
  }
  return {
    text: `${res.status}\n${headers}\n${maskNow(shown, since)}`,
    nextCursor,
    status: res.status,
  };
}

const OTHER_ID = '00000000-0000-4000-8000-0000000000r2'.replace('r2', '27');

const STATS_PERIOD = 'from=2025-01-01T00:00:00Z&to=2027-01-01T00:00:00Z';

/** Filters each kind of list is read with besides, aimed at what the hidden records hold. */
const FILTERS: Record<string, string[]> = {
  '/api/v1/persons': ['phone=%2B85512777002', 'document=N77700123', 'name=SOK%20Hidden', 'name=KR%20Holder'],
  '/api/v1/arrests': ['nationality=KR', 'arrestingCountry=KH', 'custodyStatus=charged'],
  '/api/v1/cases': ['q=KH', 'status=open'],
  '/api/v1/users': ['role=officer'],
};
const REQUEST_FILTERS = ['counterpartCountry=KH', 'status=withdrawn', 'overdue=true', 'q=KH'];

/**
 * The variants each collection route is read with: as a client first opens it, one by one (a cursor),
 * inbound only, and with the filters above (a person id filter gets `personId`).
 */
function listUrls(
  route: Route,
  declared: Set<string>,
  personId?: string,
  extra: Record<string, string[]> = {},
): string[] {
  // The default page holds the whole world (fewer than 50 of anything).
  const urls = [route.path];
  if (declared.has('limit')) urls.push(`${route.path}?limit=1`);
  if (declared.has('direction')) urls.push(`${route.path}?direction=inbound`);
  // Every request kind's list is one generic query (src/workflow/request-list.store.ts): filtered once.
  if (route.path === '/api/v1/information-requests')
    urls.push(...REQUEST_FILTERS.map((f) => `${route.path}?${f}`));
  for (const filter of [...(FILTERS[route.path] ?? []), ...(extra[route.path] ?? [])])
    urls.push(`${route.path}?${filter}`);
  if (declared.has('personId') && personId) urls.push(`${route.path}?personId=${personId}`);
  if (route.path === '/api/v1/stats') urls.push(`${route.path}?${STATS_PERIOD}`);
  // A probe's own filter may repeat a shared one (r31's `name=KR%20Holder`, `nationality=KR`): its answer
  // is kept under the same key, so a second read of it in the same reading would only replace the first.
  return [...new Set(urls)];
}

/** Every observer's reading of every GET route; the observers read side by side, each in order. */
export async function takeReading(plan: ReadingPlan, queryNames: Map<string, Set<string>>): Promise<Reading> {
  const since = new Date().toISOString();
  const answers = new Map<string, string>();
  const observers = new Set(plan.observers.map((o) => o.username));
  const countries = new Set(plan.readerCountries ?? plan.observers.map((o) => o.country!));
  let reads = 0;
  const gets = plan.routes.filter(
    (r) => r.method === 'GET' && r.path.startsWith('/api/v1/') && !r.path.includes('docs'),
  );
  const readAs = async (caller: SignedCaller) => {
    const country = caller.country!;
    const sees = [
      ...plan.world.records
        .filter((r) => r.global || r.visibleTo.includes(country))
        .map((r) => ({ kind: r.kind, id: r.id })),
      ...plan.extraVisible.filter((r) => r.countries.includes(country)),
    ];
    const keep = (url: string, text: string) => answers.set(`${caller.username} GET ${url}`, text);
    const read = async (url: string) => {
      reads++;
      return readOne(plan, caller, url, since, observers, countries);
    };
    for (const route of gets) {
      const declared = queryNames.get(route.key) ?? new Set<string>();
      if (route.path === '/api/v1/identifiers/seen-in') {
        for (const { kind, value } of plan.seenIn) {
          const url = `${route.path}?kind=${kind}&value=${encodeURIComponent(value)}`;
          const answer = await read(url);
          keep(url, answer.text);
          if (answer.status === 403) break;
        }
        continue;
      }
      if (route.path === '/api/v1/audit-events/timeline') {
        for (const r of sees.filter((x) => AUDIT_TYPE[x.kind])) {
          const url = `${route.path}?recordType=${AUDIT_TYPE[r.kind]}&recordId=${r.id}&limit=200`;
          const answer = await read(url);
          keep(url, answer.text);
          if (answer.status === 403) break;
        }
        continue;
      }
      if (route.path === '/api/v1/audit-events' || route.path === '/api/v1/audit-events/export') {
        // From the probe's start, every page: the auditors' own reads dropped, page bounds with them.
        // The observers of the auditor's own country are left out by the server (`excludeActors`): their
        // reads fill the trail (every read of a view showing persons is audited), and fetching them only
        // to drop them was a fifth of r31's CPU. Other countries' readers are dropped below, as before.
        const own = plan.observers.filter((o) => o.country === country).map((o) => o.username);
        const from = `from=${encodeURIComponent(plan.auditFrom)}&excludeActors=${own.join(',')}`;
        let url = route.path.endsWith('export') ? `${route.path}?${from}` : `${route.path}?${from}&limit=200`;
        const all: unknown[] = [];
        let text = '';
        for (let page = 0; ; page++) {
          // A trail longer than this is a probe reading from too early: fail rather than compare a part.
          // Every read of a view that shows persons is audited in the reader's trail (consultations):
          // the observers' own reads fill the trail (they are dropped below, after the read).
          if (page === 60)
            throw new Error(
              `${caller.username}: ${route.path} has more than 60 pages since ${plan.auditFrom}`,
            );
          const answer = await read(url);
          text = answer.text;
          if (!answer.items) break;
          all.push(...answer.items);
          if (!answer.nextCursor) break;
          url = `${route.path}?${from}&limit=200&cursor=${encodeURIComponent(answer.nextCursor)}`;
        }
        keep(route.path, answerOfPages(text, all));
        continue;
      }
      if (!route.path.includes('{')) {
        for (const url of listUrls(route, declared, plan.personFilter, plan.filters)) {
          const answer = await read(url);
          keep(url, answer.text);
          if (answer.status === 403) break; // the role may not read the route: one refusal is kept
          // The default page's next one: what a cursor leads to.
          if (url === route.path && answer.nextCursor) {
            const next = `${url}?cursor=${encodeURIComponent(answer.nextCursor)}`;
            keep(`${url} next page`, (await read(next)).text);
          }
        }
        continue;
      }
      const kind = kindOf(route.path);
      if (!kind) {
        const frameworkId = plan.world.context[country]?.frameworkId ?? plan.fallbackFrameworkId;
        const url = route.path.replace('{frameworkId}', frameworkId);
        keep(url, (await read(url)).text);
        continue;
      }
      for (const r of sees.filter((x) => x.kind === kind)) {
        // Other path parameters (a target, an amendment) get one id no record has.
        const url = route.path
          .replace('{id}', r.id)
          .replace('{countryCode}', country === 'MY' ? 'KR' : 'MY')
          .replace(/\{[A-Za-z]+\}/g, OTHER_ID);
        const answer = await read(url);
        keep(url, answer.text);
        if (answer.status === 403) break;
      }
    }
  };
  await Promise.all(plan.observers.map((caller) => readAs(caller)));
  return { answers, reads };
}

function answerOfPages(lastText: string, items: unknown[]): string {
  const status = lastText.split('\n', 1)[0];
  return `${status}\n${JSON.stringify(items)}`;
}

/** What changed between two readings: `key: first differing line before → after`. */
export function differences(before: Reading, after: Reading): string[] {
  const out: string[] = [];

  for (const [key, was] of before.answers) {
    const now = after.answers.get(key);
    if (now === undefined) {
      out.push(`${key}: no longer read`);
      continue;
    }
    if (now === was) continue;
    out.push(`${key}: ${firstDifference(was, now)}`);
  }
  for (const key of after.answers.keys()) if (!before.answers.has(key)) out.push(`${key}: newly read`);
  return out;
}

/**
 * Readings taken again and again, each compared with the previous one under the same label (the real
 * clock, or one moved time): a reading as some observers only keeps the others' last answers. A reading
 * with a 401 fails, since a session the moved clock ended would make two readings look equal. The plan
 * and names are read at each reading (a suite assigns them in its `beforeAll`).
 */
export class SuccessiveReadings {
  private readonly latest = new Map<string, Reading>();
  /** Reads made so far, for the suite's log. */
  reads = 0;

  constructor(
    private readonly planOf: () => ReadingPlan,
    private readonly queryNamesOf: () => Map<string, Set<string>>,
  ) {}

  /** Reads as `observers` (usernames; all by default) and returns what changed since their previous reading. */
  async compare(label: string, observers?: string[]): Promise<string[]> {
    const plan = this.planOf();
    const all = plan.observers;
    if (observers) plan.observers = all.filter((c) => observers.includes(c.username));
    try {
      const reading = await takeReading(plan, this.queryNamesOf());
      this.reads += reading.reads;
      const refused = [...reading.answers].filter(([, answer]) => answer.startsWith('401'));
      if (refused.length)
        throw new Error(`${label}: ${refused.length} reads refused, e.g. ${refused[0]![0]}`);
      const last = this.latest.get(label) ?? { answers: new Map<string, string>(), reads: 0 };
      const before: Reading = {
        reads: 0,
        answers: new Map(
          [...reading.answers.keys()]
            .filter((k) => last.answers.has(k))
            .map((k) => [k, last.answers.get(k)!]),
        ),
      };
      const changed = last.answers.size ? differences(before, reading) : [];
      for (const [key, answer] of reading.answers) last.answers.set(key, answer);
      this.latest.set(label, last);
      return changed.map((d) => `${label}: ${d}`);
    } finally {
      plan.observers = all;
    }
  }
}

function firstDifference(a: string, b: string): string {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  const from = Math.max(0, i - 60);
  return `…${a.slice(from, i + 80)}… → …${b.slice(from, i + 80)}…`;
}

/** The four country callers of TH (the world's helpers sign in KR, KH and MY only). */
export async function signInThailand(t: TestApp): Promise<SignedCaller[]> {
  const out: SignedCaller[] = [];
  for (const role of ['officer', 'liaison', 'screener', 'auditor', 'admin'] as const)
    out.push({
      username: `th.${role}`,
      roles: [role],
      country: 'TH',
      http: await signIn(t.server, `th.${role}`),
    });
  return out;
}

/** Jobs that reach outside (webhook deliveries to the world's example URLs) are not run. */
const OUTSIDE_JOBS = /webhook/;

/**
 * Runs every background job once, as its minute tick would (tests start the app without jobs):
 * amendments, correlation alerts, deadlines, expiries, rescreening, rollup compaction, so that what they
 * derive from the hidden work is in the reading too.
 */
export async function runJobs(t: TestApp): Promise<string[]> {
  const jobs = t.app.get(JobsService) as unknown as {
    definitions: Map<string, { name: string; handler: (data: Record<string, unknown>) => Promise<void> }>;
  };
  const ran: string[] = [];
  for (const job of jobs.definitions.values()) {
    if (OUTSIDE_JOBS.test(job.name)) continue;
    await job.handler({});
    ran.push(job.name);
  }
  // Every event so far chained: a seal appearing between two readings is the sealer's timing.
  await t.app.get(AuditSealerService).sealNow({ drain: true });
  return ran;
}

/**
 * What an observer asks that is a POST but reads (a screening at its checkpoint, a check of the audit
 * chain), as comparable text: the answer less the ids and times the asking itself made.
 */
export interface ScreeningQuery {
  names: { full: string }[];
  birthDate?: string;
  nationality?: string;
}

/** The travellers r27's observers screen: the bans of each side and the hidden records' names. */
export const R27_SCREENED: ScreeningQuery[] = [
  { names: [{ full: 'PARK Min-ho' }], birthDate: '1979', nationality: 'KR' },
  { names: [{ full: 'HENG Shared' }], birthDate: '1988' },
  { names: [{ full: 'SOK Hidden' }] },
  { names: [{ full: 'KR Holder' }] },
  { names: [{ full: 'KIM Hidden' }] },
];

export async function askAsObserver(
  observers: SignedCaller[],
  names: ScreeningQuery[] = R27_SCREENED,
): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const caller of observers) {
    if (caller.roles.includes('screener'))
      for (const query of names) {
        const res = await caller.http.post('/screenings', { checkpoint: 'R27-CHECKPOINT', ...query });
        const body = res.body as { candidates?: Record<string, unknown>[] };
        const candidates = (body.candidates ?? []).map(({ id: _id, ...rest }) => rest);
        out.set(
          `${caller.username} screens ${query.names[0].full}`,
          `${res.status} ${JSON.stringify(candidates)}`,
        );
      }
    if (caller.roles.includes('auditor')) {
      const res = await caller.http.post('/audit-events/verify', {});
      out.set(`${caller.username} verifies the chain`, `${res.status} ${JSON.stringify(res.body)}`);
    }
  }
  return out;
}

/** One read as comparable text (status, headers, body), with `id` written as `<id>` wherever it shows. */
export async function answerNaming(
  plan: ReadingPlan,
  caller: SignedCaller,
  url: string,
  id: string,
): Promise<string> {
  const answer = await readOne(plan, caller, url, new Date().toISOString(), new Set());
  return answer.text.split(id).join('<id>');
}

/** What a differential probe opens with (r27, r30, r31): the app, its routes, every caller, the world. */
export interface DifferentialStart {
  t: TestApp;
  routes: Route[];
  queryNames: Map<string, Set<string>>;
  callers: SignedCaller[];
  world: World;
  /** The multilateral body's framework (the demo's "International Investigative Body"). */
  multilateral: string;
  plan: ReadingPlan;
}

/**
 * The demo app (with `env`), the OpenAPI routes and query names, every caller of every country
 * (Thailand's too), the shared world, and a reading plan for the callers of `observing`, which reads
 * the phones, passport and account every probe's hidden records hold. `auditFrom` is the caller's to set
 * once its shared world is built.
 */
export async function startDifferential(
  observing: readonly string[],
  plan: Pick<ReadingPlan, 'filters' | 'readerCountries'> = {},
  env: Record<string, string> = {},
): Promise<DifferentialStart> {
  const t = await createTestApp({}, env, 'demo');
  const routes = await loadRoutes(t);
  const queryNames = await declaredQueryNames(t);
  const callers = [...(await signInEveryone(t)), ...(await signInThailand(t))];
  const world = await buildWorld(t, callers);
  const [{ id: multilateral }] = await t.dataSource.query(
    `SELECT id FROM framework WHERE name LIKE 'International Investigative Body%'`,
  );
  return {
    t,
    routes,
    queryNames,
    callers,
    world,
    multilateral,
    plan: {
      t,
      routes,
      observers: callers.filter((c) => c.country && observing.includes(c.country)),
      world,
      extraVisible: [],
      seenIn: [
        { kind: 'phone', value: '+85512777001' },
        { kind: 'phone', value: '+85512777002' },
        { kind: 'passport', value: 'N77700123' },
        { kind: 'bank_account', value: '777-000-1' },
      ],
      auditFrom: '',
      fallbackFrameworkId: multilateral,
      ...plan,
    },
  };
}

/** A probe's steps as one of `callers()`: a request checked for its status, a workflow step by version. */
export function actingAs(callers: () => SignedCaller[]) {
  const who = (username: string) => callers().find((c) => c.username === username)!.http;
  const ok = (res: request.Response, what: string, status = 201) => {
    if (res.status !== status) throw new Error(`${what}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body as { id: string; version: number; reference?: string | null; status?: string };
  };
  const step = async (username: string, base: string, id: string, action: string, extra: object = {}) => {
    const { version } = ok(await who(username).get(`${base}/${id}`), `${base} read`, 200);
    return ok(await who(username).post(`${base}/${id}/${action}`, { version, ...extra }), action, 200);
  };
  return { who, ok, step };
}
