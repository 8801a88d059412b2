import request from 'supertest';
import { signIn } from '../support/http';
import { createTestApp, TestApp } from '../support/test-app';
import { ROUTE_EXAMPLES } from '../security/route-examples';
import {
  buildWorld,
  COUNTRY_ROLES,
  loadRoutes,
  Route,
  SignedCaller,
  signInEveryone,
  World,
} from '../security/security-support';

/**
 * Probe r54, lead 2 (probe r53's open point): probe r51's lists-before-and-after sweep with TH as the
 * reader — a member of the multilateral body only — while KH and MY act out of its sight: each edits,
 * files and withdraws a draft to KR; sends KR a RED request with a file and a message; keeps a case, a
 * person and an arrest to itself; drafts a blacklist proposal, a freeze and a repatriation request; and
 * KH sends MY a RED request over the multilateral body TH belongs to, which MY accepts and answers. Every
 * GET route without a path parameter (lists, `limit=1` cursors, stats with and without a period, inbox,
 * trail, export, screening alerts, settings, `q` for KH's and MY's draft ids, their last references and
 * their codes), read by every role of TH, answers the same before and after, but TH's own auditors' reads.
 */
describe('Probe r54: KH and MY acting out of TH’s sight change no list, count, cursor or search of TH', () => {
  let t: TestApp;
  let routes: Route[];
  let callers: SignedCaller[];
  let world: World;

  beforeAll(async () => {
    t = await createTestApp({}, {}, 'demo');
    routes = await loadRoutes(t);
    callers = await signInEveryone(t);
    world = await buildWorld(t, callers);
    for (const role of COUNTRY_ROLES)
      callers.push({
        username: `th.${role}`,
        roles: [role],
        country: 'TH',
        http: await signIn(t.server, `th.${role}`),
      });
  }, 180_000);
  afterAll(() => t?.close());

  it('reads every collection of TH alike before and after KH’s and MY’s hidden activity', async () => {
    const as = (username: string) => callers.find((c) => c.username === username)!.http;
    const ok = (res: request.Response, what: string, status = 201) => {
      if (res.status !== status) throw new Error(`${what}: ${res.status} ${JSON.stringify(res.body)}`);
      return res.body as { id: string; version: number; reference?: string | null };
    };
    const upload = async (by: string, path: string, name: string) =>
      ok(
        await request(t.server)
          .post(`/api/v1${path}`)
          .set('Authorization', `Bearer ${as(by).tokens.accessToken}`)
          .set('Content-Type', 'application/octet-stream')
          .set('X-Filename', name)
          .send(Buffer.from(`${name} for probe r54\n`)),
        `file ${name}`,
      );
    const versionOf = async (id: string): Promise<number> =>
      (await t.dataSource.query(`SELECT version FROM cross_border_request WHERE id = $1`, [id]))[0].version;
    const draftId = (id: string) => `DRAFT-${id.slice(0, 8).toUpperCase()}`;
    const [multilateral] = await t.dataSource.query(
      `SELECT f.id FROM framework f
        WHERE f.active AND (SELECT count(*) FROM framework_member m
                             WHERE m.framework_id = f.id AND m.country_code IN ('KH', 'MY', 'TH')) = 3
        ORDER BY f.name LIMIT 1`,
    );
    expect(multilateral).toBeDefined();

    // The RED requests first, as drafts: their draft ids and the next references are searched before.
    const reds: Record<string, { id: string }> = {};
    const lastReference: Record<string, string> = {};
    for (const c of ['KH', 'MY']) {
      const lc = c.toLowerCase();
      const body = ROUTE_EXAMPLES['POST /api/v1/information-requests']({ ...world.context[c], version: 1 });
      reds[c] = ok(
        await as(`${lc}.officer`).post('/information-requests', { ...body, handlingCode: 'RED' }),
        `${c} RED draft`,
      );
      const [{ reference }] = await t.dataSource.query(
        `SELECT max(reference) AS reference FROM cross_border_request WHERE reference IS NOT NULL AND origin_country = $1`,
        [c],
      );
      lastReference[c] = reference ?? `${c}-`;
    }
    const khToMy = ok(
      await as('kh.officer').post('/information-requests', {
        frameworkId: multilateral.id,
        targetCountry: 'MY',
        priority: 'routine',
        handlingCode: 'RED',
        subject: 'KH asks MY, RED',
        questions: ['Who?'],
      }),
      'KH→MY RED draft',
    );

    const askers = callers.filter((c) => c.country === 'TH');
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
        out.push(
          ...[
            draftId(reds.KH.id),
            draftId(reds.MY.id),
            draftId(khToMy.id),
            lastReference.KH,
            lastReference.MY,
            'KH',
            'MY',
          ].map((q) => `?q=${encodeURIComponent(q)}`),
        );
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
              const items = (rest as { items?: Array<{ actor?: { country?: string } }> }).items;
              if (route.path.startsWith('/api/v1/audit-events') && Array.isArray(items))
                body = {
                  ...rest,
                  items: items.filter((e) => e.actor?.country !== caller.country),
                  nextCursor: null,
                };
            }
            let text = JSON.stringify({ status: res.status, body });
            if (route.path === '/api/v1/stats' && !query)
              text = text.replace(/"from":"[^"]*","to":"[^"]*"/, '"from":"<a year ago>","to":"<now>"');
            text = text.replace(/audit-events-[0-9TZ-]+\.(ndjson|csv)/g, 'audit-events-<time>');
            answers.set(`${caller.username} GET ${route.path}${query}`, text);
          }
      return answers;
    };

    const before = await snapshot();

    const references: string[] = [];
    for (const c of ['KH', 'MY']) {
      const lc = c.toLowerCase();
      const officer = `${lc}.officer`;
      const ctx = { ...world.context[c], version: 1 };
      const requestBody = ROUTE_EXAMPLES['POST /api/v1/information-requests'](ctx);
      // 1. A draft to its partner, edited, given a file, withdrawn before sending.
      const draft = ok(await as(officer).post('/information-requests', requestBody), `${c} draft`);
      ok(
        await as(officer).patch(`/information-requests/${draft.id}`, {
          version: draft.version,
          subject: 'Edited',
        }),
        'edit',
        200,
      );
      await upload(officer, `/information-requests/${draft.id}/attachments`, `${lc}-draft-file.txt`);
      ok(
        await as(officer).post(`/information-requests/${draft.id}/withdraw`, {
          version: await versionOf(draft.id),
          comment: 'not needed',
        }),
        'withdraw',
        200,
      );
      // 2. The RED request to its partner, with a file and a message.
      await upload(officer, `/information-requests/${reds[c].id}/attachments`, `${lc}-red-file.txt`);
      const submitted = ok(
        await as(officer).post(`/information-requests/${reds[c].id}/submit`, {
          version: await versionOf(reds[c].id),
        }),
        'submit RED',
        200,
      );
      ok(
        await as(`${lc}.liaison`).post(`/information-requests/${reds[c].id}/approve`, {
          version: submitted.version,
        }),
        'approve RED',
        200,
      );
      ok(
        await as(officer).post(`/information-requests/${reds[c].id}/messages`, { body: 'More to come.' }),
        'message',
      );
      // 3. A case, a person and an arrest kept to itself.
      ok(await as(officer).post('/cases', { title: `${c} only` }), 'case');
      ok(
        await as(officer).post('/persons', {
          names: [{ full: `${c} only person`, script: 'latin', kind: 'primary' }],
          nationalities: [ctx.partner],
        }),
        'person',
      );
      const arrest = ok(
        await as(officer).post('/arrests', {
          arrestedAt: '2026-03-03T02:30:00Z',
          place: 'A compound',
          grounds: 'Online fraud',
          arrestingAgency: 'Police',
          nationality: ctx.partner,
          person: { names: [{ full: `${c} only arrestee`, script: 'latin', kind: 'primary' }] },
        }),
        'arrest',
      );
      // 4. Drafts of the other kinds to its partner.
      ok(
        await as(officer).post(
          '/blacklist-entries/batch',
          ROUTE_EXAMPLES['POST /api/v1/blacklist-entries/batch'](ctx),
        ),
        'proposal',
      );
      const freeze = ROUTE_EXAMPLES['POST /api/v1/asset-freeze-requests'](ctx) as { targets: object[] };
      ok(
        await as(officer).post('/asset-freeze-requests', {
          ...freeze,
          targets: [{ ...freeze.targets[0], accountNumber: c === 'KH' ? '000545451' : '000545452' }],
        }),
        'freeze',
      );
      ok(
        await as(officer).post('/repatriation-requests', {
          ...ROUTE_EXAMPLES['POST /api/v1/repatriation-requests'](ctx),
          arrestIds: [arrest.id],
        }),
        'repatriation',
      );
      const [{ reference }] = await t.dataSource.query(
        `SELECT reference FROM cross_border_request WHERE id = $1`,
        [reds[c].id],
      );
      references.push(reference);
    }
    // 5. KH asks MY, RED, over the multilateral body TH belongs to; MY accepts and answers.
    const s = ok(
      await as('kh.officer').post(`/information-requests/${khToMy.id}/submit`, { version: khToMy.version }),
      'submit',
      200,
    );
    const a = ok(
      await as('kh.liaison').post(`/information-requests/${khToMy.id}/approve`, { version: s.version }),
      'approve',
      200,
    );
    ok(
      await as('my.liaison').post(`/information-requests/${khToMy.id}/accept`, { version: a.version }),
      'accept',
      200,
    );
    ok(
      await as('my.liaison').post(`/information-requests/${khToMy.id}/messages`, { body: 'On it.' }),
      'MY message',
    );
    const [{ reference: khToMyRef }] = await t.dataSource.query(
      `SELECT reference FROM cross_border_request WHERE id = $1`,
      [khToMy.id],
    );
    references.push(khToMyRef);
    for (const r of references) expect(r).toMatch(/^(KH|MY)-/);

    const after = await snapshot();
    const changed = [...before]
      .filter(([k, v]) => after.get(k) !== v)
      .map(([k, v]) => `${k}: ${v.slice(0, 1500)} → ${after.get(k)?.slice(0, 1500)}`);
    console.log(`r54 TH collections: ${before.size} reads, ${changed.length} changed`);
    expect(before.size).toBeGreaterThan(100);
    expect(changed).toEqual([]);

    // The RED requests' references, searched for, are ones never given.
    const searches: string[] = [];
    for (const reference of references) {
      const never = String(reference).replace(/\d+$/, (n) =>
        String(Number(n) + 5000).padStart(n.length, '0'),
      );
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
    }
    expect(searches).toEqual([]);

    // Control: an AMBER request KH sends TH over the multilateral body reaches TH's liaison's lists.
    const amber = ok(
      await as('kh.officer').post('/information-requests', {
        frameworkId: multilateral.id,
        targetCountry: 'TH',
        priority: 'routine',
        handlingCode: 'AMBER',
        subject: 'KH asks TH',
        questions: ['Who?'],
      }),
      'KH→TH draft',
    );
    const s2 = ok(
      await as('kh.officer').post(`/information-requests/${amber.id}/submit`, { version: amber.version }),
      'submit',
      200,
    );
    ok(
      await as('kh.liaison').post(`/information-requests/${amber.id}/approve`, { version: s2.version }),
      'approve',
      200,
    );
    const third = await snapshot();
    const key = 'th.liaison GET /api/v1/information-requests';
    expect(before.get(key)).not.toContain(amber.id);
    expect(third.get(key)).toContain(amber.id);
  }, 300_000);
});
