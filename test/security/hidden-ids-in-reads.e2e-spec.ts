import request from 'supertest';
import { randomInt } from 'node:crypto';
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { NOTIFICATION_EVENTS } from '../../src/common/notification-events';
import { WebhookDeliveryService } from '../../src/webhooks/webhook-delivery.service';
import { signIn } from '../support/http';
import { createTestApp, TestApp } from '../support/test-app';
import { ROUTE_EXAMPLES } from './route-examples';
import {
  AUDIT_TYPE,
  buildWorld,
  fillPath,
  kindOf,
  loadRoutes,
  raw,
  readable,
  Route,
  SignedCaller,
  signInEveryone,
  World,
  declaredQueryNames,
} from './security-support';

/** Something that names one record: seen in a body, it tells the reader the record exists. */
interface Canary {
  /** `id`, `reference`, `draft id`, `subject`, `name`, `phone`, `title`. */
  what: string;
  value: string;
  /** The record, for the failure list: `kind owner id`. */
  record: string;
  /** Whether this caller may know of the record. */
  visibleTo: (caller: SignedCaller) => boolean;
}

const REQUEST_KINDS = new Set([
  'information-request',
  'release-request',
  'asset-freeze-request',
  'repatriation-request',
  'blacklist-proposal',
]);

/**
 * The non-negotiable, swept over every read: a person never learns that another country's record
 * exists unless it was shared with their country. Every record of the security world, and some hidden
 * activity of its own (a KH draft to KR never sent, a KH case never shared, an arrest of a KH national
 * KR never shared, a RED request KH sent KR assigned to a second KR officer, a KR draft withdrawn), gives
 * canaries: its id, its reference or draft id, and the distinctive strings it was written with. Every
 * caller of a country then reads every GET route of the OpenAPI document — lists with common filters,
 * routes naming a record with the records that caller sees — and no body may hold a canary of a record
 * hidden from that caller. What the caller sent (a search word) is taken out of the body first, so an
 * echoed query is not counted; from an audit trail, what any user of the caller's country sent (its
 * trail records their searches).
 */
describe('Probe: no read body carries a trace of a record hidden from the caller', () => {
  let t: TestApp;
  let routes: Route[];
  let callers: SignedCaller[];
  let world: World;
  const canaries: Canary[] = [];
  /** The query parameters each route's OpenAPI operation declares. */
  let queryNames = new Map<string, Set<string>>();
  /** Ids of records each caller sees, by kind, to fill the routes naming one. */
  const visibleIds: { kind: string; id: string; visibleTo: (c: SignedCaller) => boolean }[] = [];
  /** What the webhook receiver got, by the username owning the subscription (its URL's path). */
  const webhookBodies: { owner: string; body: string }[] = [];
  let hooks: Server;

  beforeAll(async () => {
    // Webhooks reach loopback only when allow-listed; the receiver below listens there.
    t = await createTestApp({}, { WEBHOOK_ALLOWED_HOSTS: '127.0.0.1' });
    hooks = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk) => (body += chunk));
      req.on('end', () => {
        webhookBodies.push({ owner: decodeURIComponent(req.url!.slice(1)), body });
        res.end();
      });
    });
    await new Promise<void>((r) => hooks.listen(0, '127.0.0.1', r));
    // Every user of every country subscribes to every event before anything happens: a delivery carries
    // only what its owner may read (ids and references), as a read does.
    await t.dataSource.query(
      `INSERT INTO webhook_subscription (country_code, url, event_types, secret, created_by)
       SELECT u.country_code, $1 || u.username, $2, 'a-webhook-secret-of-at-least-32-characters', u.id
         FROM app_user u WHERE u.country_code IS NOT NULL`,
      [`http://127.0.0.1:${(hooks.address() as AddressInfo).port}/`, [...NOTIFICATION_EVENTS]],
    );
    routes = await loadRoutes(t);
    queryNames = await declaredQueryNames(t);
    callers = await signInEveryone(t);
    world = await buildWorld(t, callers);
    const officer2 = await signIn(t.server, 'kr.officer2');
    callers.push({ username: 'kr.officer2', roles: ['officer'], country: 'KR', http: officer2 });
    const who = (username: string) => callers.find((c) => c.username === username)!.http;

    const countryRule =
      (owner: string | null, visibleTo: readonly string[], global = false) =>
      (c: SignedCaller) =>
        global || c.country === owner || visibleTo.includes(c.country ?? '');
    for (const r of world.records) {
      // An identifier check asks its partner country (KH's and MY's ask KR, KR's asks KH), which so
      // learns it exists: the world counts it as its owner's only.
      const partnerAsked = r.kind === 'identifier-check' ? [world.context[r.owner!].partner] : [];
      const rule = countryRule(r.owner, [...r.visibleTo, ...partnerAsked], r.global);
      visibleIds.push({ kind: r.kind, id: r.id, visibleTo: rule });
      if (r.global) continue;
      const label = `${r.kind} of ${r.owner} ${r.id}`;
      canaries.push({ what: 'id', value: r.id, record: label, visibleTo: rule });
      if (REQUEST_KINDS.has(r.kind))
        canaries.push({
          what: 'draft id',
          value: `DRAFT-${r.id.slice(0, 8).toUpperCase()}`,
          record: label,
          visibleTo: rule,
        });
    }

    // Hidden activity of this probe's own, written with values no other record holds.
    // Each record its own word (a shared prefix reads as the same text to the free-text weighing).
    const word = () =>
      Array.from({ length: 9 }, () => 'bcdfghjkmnpqrstvwxz'[randomInt(0, 19)])
        .join('')
        .replace(/^./, (x) => x.toUpperCase());
    const tag = { A: word(), B: word(), C: word(), D: word(), E: word(), F: word() };
    const phone = (prefix: string) => `${prefix}${randomInt(1000000, 9999999)}`;
    const add = (
      kind: string,
      id: string,
      label: string,
      visibleTo: (c: SignedCaller) => boolean,
      strings: [string, string][] = [],
    ) => {
      visibleIds.push({ kind, id, visibleTo });
      canaries.push({ what: 'id', value: id, record: label, visibleTo });
      for (const [what, value] of strings) canaries.push({ what, value, record: label, visibleTo });
    };
    const onlyKh = countryRule('KH', []);
    const onlyKr = countryRule('KR', []);
    const ok = (res: request.Response, what: string, status = 201) => {
      if (res.status !== status) throw new Error(`${what}: ${res.status} ${JSON.stringify(res.body)}`);
      return res.body as { id: string; version: number; reference?: string | null; status?: string };
    };

    // 1. A KH draft request to KR, never sent.
    const khKr = world.context.KH.frameworkId;
    const khDraftPhone = phone('+8551');
    const khDraft = ok(
      await who('kh.officer').post('/information-requests', {
        frameworkId: khKr,
        targetCountry: 'KR',
        priority: 'urgent',
        handlingCode: 'AMBER',
        subject: `${tag.A} KH draft never sent`,
        questions: [`Who holds ${khDraftPhone}?`],
        identifiers: { phones: [khDraftPhone] },
      }),
      'KH draft',
    );
    add('information-request', khDraft.id, `KH draft request to KR ${khDraft.id}`, onlyKh, [
      ['draft id', `DRAFT-${khDraft.id.slice(0, 8).toUpperCase()}`],
      ['subject', `${tag.A} KH draft never sent`],
      ['phone', khDraftPhone],
    ]);

    // 2. A KH case never shared, with a KH person of its own.
    const khPersonPhone = phone('+8552');
    const khPerson = ok(
      await who('kh.officer').post('/persons', {
        names: [{ full: `${tag.B} Hiddenperson`, script: 'latin', kind: 'primary' }],
        nationalities: ['KR'],
        phones: [khPersonPhone],
      }),
      'KH person',
    );
    add('person', khPerson.id, `KH person never shared ${khPerson.id}`, onlyKh, [
      ['name', `${tag.B} Hiddenperson`],
      ['phone', khPersonPhone],
    ]);
    const khCase = ok(
      await who('kh.officer').post('/cases', {
        title: `${tag.C} KH case never shared`,
        persons: [{ personId: khPerson.id, role: 'suspect' }],
      }),
      'KH case',
    );
    add('case', khCase.id, `KH case never shared ${khCase.id}`, onlyKh, [
      ['title', `${tag.C} KH case never shared`],
    ]);

    // 3. KR arrests a KH national and shares the arrest with nobody.
    const arrest = ok(
      await who('kr.officer').post('/arrests', {
        arrestedAt: '2026-03-02T02:30:00Z',
        place: `${tag.D} Hidden compound`,
        grounds: 'Online fraud',
        arrestingAgency: 'KNP',
        nationality: 'KH',
        person: { names: [{ full: `${tag.D} Arresteeunshared`, script: 'latin', kind: 'primary' }] },
      }),
      'unshared arrest',
    );
    add('arrest', arrest.id, `KR arrest of a KH national, unshared ${arrest.id}`, onlyKr, [
      ['name', `${tag.D} Arresteeunshared`],
      ['place', `${tag.D} Hidden compound`],
    ]);

    // 4. A RED request KH sends KR, assigned to kr.officer2: in KR only its named recipients (KR's
    //    liaisons and the assignee) read it. KR's auditor is counted as entitled to it (it audits what
    //    KR's own staff did with it); every other KR user must not learn of it.
    const redPhone = phone('+8553');
    const red = ok(
      await who('kh.officer').post('/information-requests', {
        frameworkId: khKr,
        targetCountry: 'KR',
        priority: 'urgent',
        handlingCode: 'RED',
        subject: `${tag.E} RED for named recipients`,
        questions: [`Who holds ${redPhone}?`],
        identifiers: { phones: [redPhone] },
      }),
      'RED draft',
    );
    let view = ok(
      await who('kh.officer').post(`/information-requests/${red.id}/submit`, { version: red.version }),
      'RED submit',
      200,
    );
    view = ok(
      await who('kh.liaison').post(`/information-requests/${red.id}/approve`, { version: view.version }),
      'RED approve',
      200,
    );
    const redReference = view.reference!;
    view = ok(
      await who('kr.liaison').post(`/information-requests/${red.id}/accept`, { version: view.version }),
      'RED accept',
      200,
    );
    const [officer2Row] = await t.dataSource.query(`SELECT id FROM app_user WHERE username = 'kr.officer2'`);
    ok(
      await who('kr.liaison').post(`/information-requests/${red.id}/assign`, {
        version: view.version,
        assigneeId: officer2Row.id,
      }),
      'RED assign',
      200,
    );
    const redRecipients = new Set(['kr.liaison', 'kr.officer2', 'kr.auditor']);
    const redRule = (c: SignedCaller) =>
      c.country === 'KH' || (c.country === 'KR' && redRecipients.has(c.username));
    add('information-request', red.id, `RED request KH→KR assigned to kr.officer2 ${red.id}`, redRule, [
      ['reference', redReference],
      ['subject', `${tag.E} RED for named recipients`],
      ['phone', redPhone],
    ]);

    // 5. A KR draft, submitted and withdrawn: never left KR.
    const withdrawnPhone = phone('+8554');
    const krDraft = ok(
      await who('kr.officer').post('/information-requests', {
        ...ROUTE_EXAMPLES['POST /api/v1/information-requests']({ ...world.context.KR, version: 1 }),
        subject: `${tag.F} KR withdrawn draft`,
        questions: [`Who holds ${withdrawnPhone}?`],
        identifiers: { phones: [withdrawnPhone] },
      }),
      'KR draft',
    );
    const submitted = ok(
      await who('kr.officer').post(`/information-requests/${krDraft.id}/submit`, {
        version: krDraft.version,
      }),
      'KR submit',
      200,
    );
    ok(
      await who('kr.officer').post(`/information-requests/${krDraft.id}/withdraw`, {
        version: submitted.version,
      }),
      'KR withdraw',
      200,
    );
    add('information-request', krDraft.id, `KR withdrawn draft ${krDraft.id}`, onlyKr, [
      ['draft id', `DRAFT-${krDraft.id.slice(0, 8).toUpperCase()}`],
      ['subject', `${tag.F} KR withdrawn draft`],
      ['phone', withdrawnPhone],
    ]);

    // References of every record that has one (cases, requests), looked up where they are kept.
    const tables: { table_name: string }[] = await t.dataSource.query(
      `SELECT table_name FROM information_schema.columns WHERE table_schema = 'public' AND column_name = 'reference'
        INTERSECT SELECT table_name FROM information_schema.columns WHERE table_schema = 'public' AND column_name = 'id'`,
    );
    // (A notification's `reference` is its request's, not a name of the notification.)
    const byId = new Map(
      canaries
        .filter((c) => c.what === 'id' && !c.record.startsWith('notification'))
        .map((c) => [c.value, c]),
    );
    for (const { table_name } of tables) {
      const rows: { id: string; reference: string | null }[] = await t.dataSource.query(
        `SELECT id::text AS id, reference FROM ${table_name} WHERE id::text = ANY($1) AND reference IS NOT NULL`,
        [[...byId.keys()]],
      );
      for (const row of rows) {
        const c = byId.get(row.id)!;
        if (!canaries.some((x) => x.what === 'reference' && x.value === row.reference))
          canaries.push({
            what: 'reference',
            value: row.reference!,
            record: c.record,
            visibleTo: c.visibleTo,
          });
      }
    }
  }, 180_000);
  afterAll(async () => {
    await t?.close();
    await new Promise((r) => hooks?.close(r));
  });

  it('delivers no subscription owner a webhook naming a record hidden from it', async () => {
    const deliveries: { id: string }[] = await t.dataSource.query(
      `SELECT d.id FROM webhook_delivery d JOIN webhook_subscription s ON s.id = d.subscription_id
        WHERE d.status = 'pending' AND s.url LIKE $1 ORDER BY d.created_at, d.id`,
      [`http://127.0.0.1:${(hooks.address() as AddressInfo).port}/%`],
    );
    for (const d of deliveries) await t.app.get(WebhookDeliveryService).attempt(d.id);
    const owners = new Map(callers.map((c) => [c.username, c]));
    const findings: string[] = [];
    let entitled = 0;
    for (const { owner, body } of webhookBodies) {
      const caller = owners.get(owner);
      if (!caller) continue; // a user of the seed outside the sweep's cast: its deliveries are counted only
      for (const c of canaries) {
        if (!body.toLowerCase().includes(c.value.toLowerCase())) continue;
        if (c.visibleTo(caller)) entitled++;
        else findings.push(`webhook to ${owner}: ${c.what} "${c.value}" of ${c.record}`);
      }
    }
    console.log(
      `hidden ids in webhooks: ${deliveries.length} deliveries attempted, ${webhookBodies.length} received, ` +
        `${entitled} canaries delivered to owners entitled to them, ${findings.length} traces of hidden records`,
    );
    // The sweep delivered real events about the world's records, so its silence about the rest counts.
    expect(webhookBodies.length).toBeGreaterThan(30);
    expect(entitled).toBeGreaterThan(30);
    expect([...new Set(findings)]).toEqual([]);
  }, 300_000);

  it('shows no caller of a country any id, reference or string of a record hidden from it', async () => {
    const countryCallers = callers.filter((c) => c.country);
    const hiddenPhones = canaries.filter((c) => c.what === 'phone').map((c) => c.value);
    const searchWords = canaries
      .filter((c) => ['subject', 'name', 'title'].includes(c.what))
      .map((c) => c.value.split(' ')[0])
      .filter((w, i, all) => all.indexOf(w) === i); // one word of each record's own
    const fullStrings = canaries.filter((c) => ['name', 'subject', 'title'].includes(c.what));
    const LIST_VARIANTS = [
      '',
      'limit=200',
      'direction=inbound&limit=200',
      'direction=outbound&limit=200',
      'unreadOnly=true',
      'unreadOnly=false&limit=200',
      ...searchWords.map((w) => `q=${encodeURIComponent(w)}`),
      ...fullStrings.filter((c) => c.what === 'name').map((c) => `name=${encodeURIComponent(c.value)}`),
      ...hiddenPhones.map((p) => `phone=${encodeURIComponent(p)}`),
    ];

    const findings: string[] = [];
    const statuses = new Map<number, number>();
    let pairs = 0;
    let answers200 = 0;
    const answeredPairs = new Set<string>();
    /** Canaries a caller entitled to them did read: the sweep reaches where they are shown. */
    const seenByEntitled = new Set<Canary>();
    const seenPairs = new Set<string>();
    const refusedFilters = new Set<string>();
    const serverErrors: string[] = [];
    let filtered = 0;
    const refusedRoutes = new Set<string>();
    let zipsRead = 0;

    /**
     * The search words each country's users sent: its audit trail records its own users' searches
     * (`person.search`, with the criteria), so an auditor reads them back as an echo, not as news.
     */
    const sentByCountry = new Map<string, Set<string>>();
    const read = async (caller: SignedCaller, route: string, url: string, sent: string[] = []) => {
      const ownSearches = sentByCountry.get(caller.country!) ?? new Set<string>();
      for (const s of sent) ownSearches.add(s);
      sentByCountry.set(caller.country!, ownSearches);
      const res = await request(t.server)
        .get(url)
        .set('Authorization', `Bearer ${caller.http.tokens.accessToken}`)
        .buffer(true)
        .parse(raw);
      statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
      // A read that fails (a scope that breaks the query) hides nothing, but is no answer either.
      if (res.status >= 500) serverErrors.push(`${caller.username} GET ${url} [${res.status}]`);
      const pair = `${caller.username} ${route}`;
      if (!seenPairs.has(pair)) {
        seenPairs.add(pair);
        pairs++;
      }
      if (res.status === 200) {
        answers200++;
        answeredPairs.add(pair);
      }
      // What the caller sent is not something the answer told it. A ZIP (a case bundle) is read by its
      // entries' names and contents: its manifest and timeline are deflated, and hide nothing raw.
      const body = String(res.body ?? '');
      if (body.startsWith('PK\u0003\u0004')) zipsRead++;
      let text = await readable(body);
      for (const s of url.startsWith('/api/v1/audit-events') ? ownSearches : sent)
        text = text.split(s.toLowerCase()).join('');
      for (const c of canaries) {
        if (c.visibleTo(caller)) {
          if (res.status === 200 && text.includes(c.value.toLowerCase())) seenByEntitled.add(c);
          continue;
        }
        if (text.includes(c.value.toLowerCase()))
          findings.push(
            `${caller.username} GET ${url} [${res.status}]: ${c.what} "${c.value}" of ${c.record}`,
          );
      }
      return res;
    };
    /** Reads a list, and its next pages while it has some (up to 10). */
    const readList = async (caller: SignedCaller, route: string, url: string, sent: string[]) => {
      const first = await read(caller, route, url, sent);
      let res = first;
      for (let page = 0; page < 10 && res.status === 200; page++) {
        let next: string | null | undefined;
        try {
          next = (JSON.parse(String(res.body)) as { nextCursor?: string | null }).nextCursor;
        } catch {
          break;
        }
        if (!next) break;
        res = await read(
          caller,
          route,
          `${url}${url.includes('?') ? '&' : '?'}cursor=${encodeURIComponent(next)}`,
          sent,
        );
      }
      return first.status;
    };

    const gets = routes.filter(
      (r) => r.method === 'GET' && r.path.startsWith('/api/v1/') && !r.path.includes('docs'),
    );
    for (const caller of countryCallers) {
      const sees = visibleIds.filter((r) => r.visibleTo(caller));
      for (const route of gets) {
        if (route.path === '/api/v1/identifiers/seen-in') {
          for (const p of hiddenPhones)
            await read(caller, route.key, `${route.path}?kind=phone&value=${encodeURIComponent(p)}`, [p]);
          continue;
        }
        if (route.path === '/api/v1/audit-events/timeline') {
          for (const r of sees.filter((x) => AUDIT_TYPE[x.kind])) {
            const res = await read(
              caller,
              route.key,
              `${route.path}?recordType=${AUDIT_TYPE[r.kind]}&recordId=${r.id}&limit=200`,
            );
            if (res.status === 403) break; // as below: the caller's role may not read this route at all
          }
          continue;
        }
        if (!route.path.includes('{')) {
          for (const variant of LIST_VARIANTS) {
            // A filter the route does not take (400 to anyone) is not asked again; nor is a route the
            // caller's role may not read (403).
            // Only the filters the route's operation declares.
            const declared = queryNames.get(route.key) ?? new Set<string>();
            if (variant && !variant.split('&').every((kv) => declared.has(kv.split('=')[0]))) continue;
            const names = `${route.key} ${variant.replace(/=[^&]*/g, '')}`;
            if (refusedFilters.has(names) || refusedRoutes.has(`${caller.username} ${route.key}`)) continue;
            const sent = variant
              .split('&')
              .map((kv) => decodeURIComponent(kv.split('=')[1] ?? ''))
              .filter(Boolean);
            if (variant) filtered++;
            const status = await readList(
              caller,
              route.key,
              variant ? `${route.path}?${variant}` : route.path,
              sent,
            );
            if (status === 400) refusedFilters.add(names);
            if (status === 403) refusedRoutes.add(`${caller.username} ${route.key}`);
          }
          continue;
        }
        const kind = kindOf(route.path);
        if (!kind) {
          // `/identifier-checks/settings/{frameworkId}` and the like: the caller's own framework.
          await read(
            caller,
            route.key,
            route.path.replace('{frameworkId}', world.context[caller.country!].frameworkId),
          );
          continue;
        }
        for (const r of sees.filter((x) => x.kind === kind)) {
          const res = await read(
            caller,
            route.key,
            fillPath(route.path, r.id, caller.country === 'MY' ? 'KR' : 'MY'),
          );
          if (res.status === 403) break; // the caller's role may not read this route at all
        }
      }
    }

    const unique = [...new Set(findings)];
    console.log(
      `hidden ids in reads: ${canaries.length} canaries (${[...new Set(canaries.map((c) => c.record))].length} records), ` +
        `${pairs} (caller, route) pairs over ${gets.length} GET routes, ${answeredPairs.size} of them answered 200, ${answers200} answers 200, ${filtered} of the lists filtered ` +
        `(${[...statuses].map(([s, n]) => `${n} × ${s}`).join(', ')}), ${zipsRead} ZIPs read inside, ${unique.length} traces of hidden records` +
        (unique.length ? `:\n  ${unique.slice(0, 80).join('\n  ')}` : ''),
    );
    // Enough of the sweep reached real answers to mean something.
    expect(canaries.length).toBeGreaterThan(70);
    expect(pairs).toBeGreaterThan(600);
    expect(answeredPairs.size).toBeGreaterThan(300);
    expect(filtered).toBeGreaterThan(200);
    expect(answers200).toBeGreaterThan(1200);
    expect(zipsRead).toBeGreaterThan(5); // case bundles, read inside
    // Every canary is shown somewhere to a caller who may see it: the sweep reaches the bodies where
    // each would show, so its silence about the others means something.
    const unseen = canaries
      .filter((c) => !seenByEntitled.has(c))
      .map((c) => `${c.what} ${c.value} of ${c.record}`);
    expect(unseen).toEqual([]);
    expect(serverErrors).toEqual([]);
    expect(unique).toEqual([]);
  }, 600_000);
});
