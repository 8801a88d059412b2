import request from 'supertest';
import type { Permission } from '../../src/common/permissions/permissions';
import { callersByRole, refusalFault, routesWithQueries } from '../probe-input4/probe-input4-support';
import { holds, ROUTE_PERMISSIONS } from '../security/authorization-expectations';
import { ExampleContext, ROUTE_EXAMPLES } from '../security/route-examples';
import {
  buildWorld,
  loadRoutes,
  ownWriteTarget,
  send,
  SignedCaller,
  signInEveryone,
  versionLookup,
  World,
} from '../security/security-support';
import { createTestApp, TestApp } from '../support/test-app';

/**
 * Probe r40, finding 1: the input guard refuses a body *key* named after a member of Object.prototype,
 * but a *value* of that name reached code that used it as a key: `accounts[i].type: "constructor"` (or
 * `__proto__`, `toString`, `valueOf`, `hasOwnProperty`) made the account validator read
 * `ACCOUNT_FIELDS.constructor` (the `Object` function) and call `.includes` on it: a 500 on every route
 * that takes a person (`POST/PATCH /persons`, an arrest's person, a blacklist entry's, the persons of
 * findings). Now a 400 naming `accounts[i].type`, as any other unknown type.
 *
 * The guard below swaps every string of every write route's example body (and of fuller bodies for the
 * routes whose examples leave out their nested lists) for each such name, one at a time, and every
 * query and path parameter likewise: never a 5xx.
 */
const PROTOTYPE_NAMES = ['constructor', '__proto__', 'toString', 'valueOf', 'hasOwnProperty'];

/** `body` once per string in it (at any depth) and name, with that string replaced by the name. */
function withEachStringReplaced(body: unknown, names: string[]): unknown[] {
  const out: unknown[] = [];
  const walk = (value: unknown, put: (replacement: unknown) => unknown) => {
    if (typeof value === 'string') for (const name of names) out.push(put(name));
    else if (Array.isArray(value))
      value.forEach((item, i) => walk(item, (r) => put(value.map((v, j) => (j === i ? r : v)))));
    else if (value && typeof value === 'object')
      for (const [k, item] of Object.entries(value)) walk(item, (r) => put({ ...value, [k]: r }));
  };
  walk(body, (r) => r);
  return out;
}

const name = { full: 'SOK Dara', script: 'latin', kind: 'primary' };
/** A person with every list a person takes, accounts of both types among them. */
const fullPerson = {
  names: [name],
  nationalities: ['KH'],
  sex: 'male',
  birthDate: '1990-04',
  documents: [{ type: 'passport', number: 'N1234567', issuingCountry: 'KH', expires: '2030-01-01' }],
  phones: ['+85512345678'],
  accounts: [
    {
      type: 'bank_account',
      institutionName: 'ABA Bank',
      accountNumber: '000-123',
      holderName: 'X',
      borrowedName: true,
    },
    { type: 'crypto_wallet', chain: 'ethereum', address: '0xde0B295669a9FD93d5F28D9Ec85E40f4cb697BAe' },
  ],
  notes: 'Seen at the compound gate.',
};

/** Bodies beside the suites' examples, with the nested lists those leave out. */
const FULLER_EXAMPLES: Record<string, (c: ExampleContext) => object> = {
  'POST /api/v1/persons': () => fullPerson,
  'PATCH /api/v1/persons/{id}': (c) => ({ version: c.version, ...fullPerson }),
  'POST /api/v1/information-requests': (c) => ({
    ...ROUTE_EXAMPLES['POST /api/v1/information-requests']!(c),
    identifiers: {
      phones: ['+85512345678'],
      bankAccounts: [{ institution: 'ABA Bank', accountNumber: '000123456' }],
      cryptoAddresses: [{ chain: 'tron', address: 'TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t' }],
      urls: ['https://example.org/x'],
      compounds: ['Golden Fortune'],
    },
  }),
  'POST /api/v1/arrests': (c) => ({ ...ROUTE_EXAMPLES['POST /api/v1/arrests']!(c), person: fullPerson }),
  'POST /api/v1/blacklist-entries': (c) => ({
    frameworkId: c.frameworkId,
    banningCountry: c.partner,
    entry: {
      person: { ...fullPerson, nationalities: ['KR'] },
      grounds: 'Recruiter.',
      groundsSummary: 'Recruiter',
    },
  }),
};

describe('Probe r40: names of Object.prototype members as values', () => {
  let t: TestApp;
  let callers: SignedCaller[];
  let world: World;
  beforeAll(async () => {
    t = await createTestApp({}, { MFA_REQUIRED_ROLES: '' });
    callers = await signInEveryone(t);
    world = await buildWorld(t, callers);
  }, 120_000);
  afterAll(() => t?.close());

  it('FINDING 1: an account of type "constructor", "__proto__", "toString"…: a 400 naming accounts[0].type on every route that takes a person, and nothing written', async () => {
    const kr = callers.find((c) => c.username === 'kr.officer')!.http;
    const ctx: ExampleContext = { ...world.context.KR, version: 1 };
    const personId = world.context.KR.personId;
    const [{ version }] = await t.dataSource.query(`SELECT version FROM person WHERE id = $1`, [personId]);
    const persons = async () => (await t.dataSource.query(`SELECT count(*)::int AS n FROM person`))[0].n;
    const before = await persons();
    const wrong: string[] = [];
    for (const type of PROTOTYPE_NAMES) {
      const person = { names: [name], accounts: [{ type, accountNumber: '1' }] };
      const answers = {
        'POST /persons': await kr.post('/persons', person),
        'PATCH /persons/:id': await kr.patch(`/persons/${personId}`, { version, ...person }),
        'POST /arrests': await kr.post('/arrests', {
          ...ROUTE_EXAMPLES['POST /api/v1/arrests']!(ctx),
          person,
        }),
        'POST /blacklist-entries': await kr.post('/blacklist-entries', {
          frameworkId: ctx.frameworkId,
          banningCountry: ctx.partner,
          entry: { person, grounds: 'Recruiter.', groundsSummary: 'Recruiter' },
        }),
      };
      for (const [route, res] of Object.entries(answers)) {
        const fields = (res.body.errors ?? []).map((e: { field: string }) => e.field) as string[];
        const named = fields.some((f) => /accounts\[0\]\.type$/.test(f));
        if (res.status !== 400 || !named || refusalFault(res).length)
          wrong.push(`${route} type=${type} → ${res.status} ${JSON.stringify(fields)}`);
      }
    }
    expect(wrong).toEqual([]);
    expect(await persons()).toBe(before);
  });

  it('GUARD: every query parameter and path parameter of every route, set to such a name: never a 5xx', async () => {
    const routes = await routesWithQueries(t);
    const callerFor = await callersByRole(t);
    const failures: string[] = [];
    const id = '00000000-0000-4000-8000-000000000000';
    for (const r of routes) {
      const who = callerFor(r);
      const call = (url: string) => {
        let req = request(t.server)[r.method.toLowerCase() as 'get'](url);
        if (who) req = req.set('Authorization', `Bearer ${who.tokens.accessToken}`);
        if (r.method !== 'GET') req = req.set('Content-Type', 'application/json').send('{}');
        return req;
      };
      for (const value of PROTOTYPE_NAMES) {
        for (const q of r.query.filter((q) => q !== 'cursor')) {
          const res = await call(`${r.url}?${q}=${encodeURIComponent(value)}`);
          if (res.status >= 500) failures.push(`${r.key} ?${q}=${value} → ${res.status}`);
        }
        for (const param of r.path.match(/\{[A-Za-z]+\}/g) ?? []) {
          const url = r.path
            .replace(param, value)
            .replace('{countryCode}', 'KH')
            .replace(/\{[A-Za-z]+\}/g, id);
          const res = await call(url);
          if (res.status >= 500) failures.push(`${r.key} ${param}=${value} → ${res.status}`);
        }
      }
    }
    expect(failures).toEqual([]);
  }, 120_000);

  // Last: the bodies sign callers out, lock and reset accounts (the suites' callers sign in anew).
  it('GUARD: every string of every write route’s example body, replaced by such a name: never a 5xx', async () => {
    const routes = (await loadRoutes(t)).filter(
      (r) => r.hasJsonBody && ['POST', 'PUT', 'PATCH', 'DELETE'].includes(r.method),
    );
    expect(routes.length).toBeGreaterThan(60);
    const versionOf = await versionLookup(t);
    const failures: string[] = [];
    let sent = 0;
    for (const route of routes) {
      const permission = ROUTE_PERMISSIONS[route.key];
      const target = ownWriteTarget(route, permission, callers, world, (roles) =>
        holds(roles, permission as Permission),
      );
      const url = target?.url ?? route.path;
      const ctx: ExampleContext = {
        ...world.context.KR,
        version: target?.recordId ? await versionOf(target.recordId) : 1,
      };
      const examples = [ROUTE_EXAMPLES[route.key], FULLER_EXAMPLES[route.key]].flatMap((e) =>
        e ? [e(ctx)] : [],
      );
      for (const body of examples.flatMap((e) => withEachStringReplaced(e, PROTOTYPE_NAMES))) {
        sent++;
        const res = await send(t, route.method, url, target?.caller.http.tokens.accessToken, body);
        if (res.status >= 500)
          failures.push(`${route.key} ${JSON.stringify(body).slice(0, 200)} → ${res.status}`);
      }
    }
    expect(sent).toBeGreaterThan(1000);
    expect(failures).toEqual([]);
  }, 300_000);
});
