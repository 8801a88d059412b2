import request from 'supertest';
import { createTestApp, TestApp } from '../support/test-app';
import { ROUTE_EXAMPLES } from '../security/route-examples';
import {
  buildWorld,
  loadRoutes,
  Route,
  SignedCaller,
  signInEveryone,
  World,
} from '../security/security-support';

/**
 * Probe r51: the collections — every GET route of the OpenAPI document without a path parameter (lists,
 * their totals and paging cursors, stats, the inbox, the audit trail, screening alerts, settings) —
 * read by every role of KH and MY before and after KR does things out of their sight: a draft to KH
 * edited, given a file and withdrawn before sending, a RED request sent to KH with a file and a message
 * (out of sight for all of KH but its liaisons), a case, a person and an arrest of a KH national kept to
 * itself, a blacklist proposal, a freeze and a repatriation request left as drafts. Searches by `q` for
 * the RED request's reference and the drafts' ids are among the reads. Every answer must be the same
 * before and after, but what the asker's own country did meanwhile (its auditors' reads of the trail).
 */
describe('Probe r51: KR acting out of sight changes no list, count, cursor or search of KH and MY', () => {
  let t: TestApp;
  let routes: Route[];
  let callers: SignedCaller[];
  let world: World;

  beforeAll(async () => {
    t = await createTestApp();
    routes = await loadRoutes(t);
    callers = await signInEveryone(t);
    world = await buildWorld(t, callers);
  }, 180_000);
  afterAll(() => t?.close());

  it('reads every collection alike before and after KR’s hidden activity', async () => {
    const kr = (role: string) => callers.find((c) => c.username === `kr.${role}`)!.http;
    const ok = (res: request.Response, what: string, status = 201) => {
      if (res.status !== status) throw new Error(`${what}: ${res.status} ${JSON.stringify(res.body)}`);
      return res.body as { id: string; version: number; reference?: string | null };
    };
    const upload = async (path: string, name: string) =>
      ok(
        await request(t.server)
          .post(`/api/v1${path}`)
          .set('Authorization', `Bearer ${kr('officer').tokens.accessToken}`)
          .set('Content-Type', 'application/octet-stream')
          .set('X-Filename', name)
          .send(Buffer.from(`${name} for probe r51\n`)),
        `file ${name}`,
      );
    const versionOf = async (id: string): Promise<number> =>
      (await t.dataSource.query(`SELECT version FROM cross_border_request WHERE id = $1`, [id]))[0].version;
    const ctx = { ...world.context.KR, version: 1 };
    const requestBody = ROUTE_EXAMPLES['POST /api/v1/information-requests'](ctx);
    // The RED request first, as a draft: its reference and draft id are searched before it exists for
    // KH, and after it was sent.
    const red = ok(
      await kr('officer').post('/information-requests', { ...requestBody, handlingCode: 'RED' }),
      'RED draft',
    );
    const draftId = (id: string) => `DRAFT-${id.slice(0, 8).toUpperCase()}`;
    const [{ reference: next }] = await t.dataSource.query(
      `SELECT max(reference) AS reference FROM cross_border_request WHERE reference IS NOT NULL AND origin_country = 'KR'`,
    );

    const askers = callers.filter(
      (c) => (c.country === 'KH' && !c.roles.includes('liaison')) || c.country === 'MY',
    );
    // Health and readiness name no record (and time the database).
    const collections = routes.filter(
      (r) => r.method === 'GET' && !r.path.includes('{') && !['/api/health', '/api/ready'].includes(r.path),
    );
    const doc = (await request(t.server).get('/api/docs-json').expect(200)).body as {
      paths: Record<string, Record<string, { parameters?: { in: string; name: string }[] }>>;
    };
    const queriesOf = (route: Route): string[] => {
      const names = new Set(
        (doc.paths[route.path].get.parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name),
      );
      const out = [''];
      if (names.has('limit')) out.push('?limit=1');
      if (names.has('q'))
        out.push(`?q=${draftId(red.id)}`, `?q=${encodeURIComponent(String(next ?? 'KR-'))}`, '?q=KR');
      if (names.has('from')) out.push('?from=2026-01-01T00:00:00Z&to=2027-06-01T00:00:00Z');
      return out;
    };
    const snapshot = async () => {
      const answers = new Map<string, string>();
      for (const caller of askers)
        for (const route of collections)
          for (const query of queriesOf(route)) {
            const res = await request(t.server)
              .get(`${route.path}${query}`)
              .set('Authorization', `Bearer ${caller.http.tokens.accessToken}`);
            let body: unknown = /json/.test(String(res.headers['content-type'])) ? res.body : res.text;
            if (body && typeof body === 'object' && !Array.isArray(body)) {
              const { requestId: _r, instance: _i, ...rest } = body as Record<string, unknown>;
              body = rest;
              // The asker's own country's doings meanwhile (its auditors' reads) are not KR's.
              const items = (rest as { items?: Array<{ actor?: { country?: string } }> }).items;
              if (route.path.startsWith('/api/v1/audit-events') && Array.isArray(items))
                body = {
                  ...rest,
                  items: items.filter((e) => e.actor?.country !== caller.country),
                  nextCursor: null,
                };
            }
            // A stats period without bounds is the year up to now; an export is named by the clock.
            let text = JSON.stringify({ status: res.status, body });
            if (route.path === '/api/v1/stats' && !query)
              text = text.replace(/"from":"[^"]*","to":"[^"]*"/, '"from":"<a year ago>","to":"<now>"');
            text = text.replace(/audit-events-[0-9TZ-]+\.(ndjson|csv)/g, 'audit-events-<time>');
            answers.set(`${caller.username} GET ${route.path}${query}`, text);
          }
      return answers;
    };

    const before = await snapshot();

    // KR's hidden activity.
    // 1. A draft to KH, edited, given a file, withdrawn before sending.
    const draft = ok(await kr('officer').post('/information-requests', requestBody), 'draft');
    ok(
      await kr('officer').patch(`/information-requests/${draft.id}`, {
        version: draft.version,
        subject: 'Edited',
      }),
      'edit draft',
      200,
    );
    await upload(`/information-requests/${draft.id}/attachments`, 'draft-file.txt');
    ok(
      await kr('officer').post(`/information-requests/${draft.id}/withdraw`, {
        version: await versionOf(draft.id),
        comment: 'not needed',
      }),
      'withdraw draft',
      200,
    );
    // 2. The RED request to KH, with a file and a message.
    await upload(`/information-requests/${red.id}/attachments`, 'red-file.txt');
    const submitted = ok(
      await kr('officer').post(`/information-requests/${red.id}/submit`, {
        version: await versionOf(red.id),
      }),
      'submit RED',
      200,
    );
    ok(
      await kr('liaison').post(`/information-requests/${red.id}/approve`, { version: submitted.version }),
      'approve RED',
      200,
    );
    ok(
      await kr('officer').post(`/information-requests/${red.id}/messages`, { body: 'More to come.' }),
      'message',
    );
    // 3. A case, a person and an arrest of a KH national kept to KR.
    ok(await kr('officer').post('/cases', { title: 'KR only' }), 'case');
    ok(
      await kr('officer').post('/persons', {
        names: [{ full: 'KR only person', script: 'latin', kind: 'primary' }],
        nationalities: ['KH'],
      }),
      'person',
    );
    const arrest = ok(
      await kr('officer').post('/arrests', {
        arrestedAt: '2026-03-03T02:30:00Z',
        place: 'A compound',
        grounds: 'Online fraud',
        arrestingAgency: 'KNP',
        nationality: 'KH',
        person: { names: [{ full: 'KR only arrestee', script: 'latin', kind: 'primary' }] },
      }),
      'arrest',
    );
    // 4. Drafts of the other kinds to KH.
    ok(
      await kr('officer').post(
        '/blacklist-entries/batch',
        ROUTE_EXAMPLES['POST /api/v1/blacklist-entries/batch'](ctx),
      ),
      'proposal',
    );
    const freeze = ROUTE_EXAMPLES['POST /api/v1/asset-freeze-requests'](ctx) as { targets: object[] };
    ok(
      await kr('officer').post('/asset-freeze-requests', {
        ...freeze,
        targets: [{ ...freeze.targets[0], accountNumber: '000515151' }],
      }),
      'freeze',
    );
    ok(
      await kr('officer').post('/repatriation-requests', {
        ...ROUTE_EXAMPLES['POST /api/v1/repatriation-requests'](ctx),
        arrestIds: [arrest.id],
      }),
      'repatriation',
    );
    const [{ reference }] = await t.dataSource.query(
      `SELECT reference FROM cross_border_request WHERE id = $1`,
      [red.id],
    );
    expect(reference).toMatch(/^KR-/);

    const after = await snapshot();
    const changed = [...before]
      .filter(([k, v]) => after.get(k) !== v)
      .map(([k, v]) => `${k}: ${v.slice(0, 1500)} → ${after.get(k)?.slice(0, 1500)}`);
    console.log(`r51 collections: ${before.size} reads, ${changed.length} changed`);
    expect(before.size).toBeGreaterThan(150);
    expect(changed).toEqual([]);

    // The RED request's reference, searched for, is one that was never given.
    const never = String(reference).replace(/\d+$/, (n) => String(Number(n) + 5000).padStart(n.length, '0'));
    const searches: string[] = [];
    for (const caller of askers)
      for (const route of collections.filter((r) => queriesOf(r).some((q) => q.startsWith('?q=')))) {
        const read = async (q: string) => {
          const res = await caller.http.get(
            `${route.path.replace('/api/v1', '')}?q=${encodeURIComponent(q)}`,
          );
          return JSON.stringify([res.status, res.body.items ?? res.body.type, res.body.nextCursor ?? null]);
        };
        const [seen, none] = [await read(reference), await read(never)];
        if (seen !== none)
          searches.push(`${caller.username} ${route.path}?q=${reference}: ${seen} vs ${none}`);
      }
    expect(searches).toEqual([]);

    // Control: a case KR shares with KH changes KH's officer's list, which the reads would have shown.
    const shared = ok(await kr('officer').post('/cases', { title: 'KR shares this' }), 'case to share');
    ok(await kr('liaison').post(`/cases/${shared.id}/shares`, { countryCode: 'KH' }), 'share');
    const third = await snapshot();
    const key = 'kh.officer GET /api/v1/cases';
    expect(before.get(key)).not.toContain(shared.id);
    expect(third.get(key)).toContain(shared.id);
  }, 600_000);

  it('replays an Idempotency-Key only to the user who used it, never across countries', async () => {
    const as = (username: string) => callers.find((c) => c.username === username)!.http.tokens.accessToken;
    const post = (username: string, key: string, title: string) =>
      request(t.server)
        .post('/api/v1/cases')
        .set('Authorization', `Bearer ${as(username)}`)
        .set('Idempotency-Key', key)
        .send({ title });
    for (const username of ['kh.officer', 'my.officer'])
      // Same key, same body; same key, another body: each as with a key never used.
      for (const title of ['KR case under a key', 'Another title']) {
        const key = `r51-${username}-${title.length}-${Date.now()}`;
        const first = await post('kr.officer', key, 'KR case under a key');
        expect(first.status).toBe(201);
        // The same user again: the stored answer (the control).
        expect((await post('kr.officer', key, 'KR case under a key')).body.id).toBe(first.body.id);
        const seen = await post(username, key, title);
        const none = await post(username, `${key}-never-used`, title);
        expect([seen.status, Object.keys(seen.body).sort()]).toEqual([
          none.status,
          Object.keys(none.body).sort(),
        ]);
        expect(seen.status).toBe(201);
        expect(seen.body.id).not.toBe(first.body.id);
        expect(seen.body.ownerCountry).toBe(username.slice(0, 2).toUpperCase());
      }
  });
});
