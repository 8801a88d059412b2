import { signIn } from '../support/http';
import { createTestApp, TestApp } from '../support/test-app';
import { ROUTE_EXAMPLES } from '../security/route-examples';
import {
  Actor,
  actorsOf,
  firstOfEachKind,
  Hidden,
  idSlotsOf,
  sweepHiddenAgainstNever,
} from '../security/id-slot-sweep';
import {
  buildWorld,
  COUNTRY_ROLES,
  loadRoutes,
  Route,
  SignedCaller,
  signInEveryone,
  versionLookup,
  World,
} from '../security/security-support';

/**
 * Probe r53, lead 3 (probe r51's open point): r51 hid only KR's records, and asked KH and MY. Here TH —
 * a member of the multilateral body only, with no record of anyone's — asks with every role about the
 * security world's records of KR, KH and MY, and KH and MY ask about each other's (neither was ever
 * given any of the other's: KH's partner is KR, MY's is KR). Every id slot of every route (a path
 * `{param}`; a query or body id of a route without a path id, where no parent's 404 answers first),
 * with a hidden id and with a never-existing one: status, body, headers, the audit events the asker's
 * auditors read and the notifications written to the asker's country must be the same.
 */
describe('Probe r53: TH, and KH and MY about each other, ask with ids they were never given', () => {
  let t: TestApp;
  let routes: Route[];
  let callers: SignedCaller[];
  let world: World;
  const hidden: Hidden[] = [];
  let actors: Map<string, Actor>;
  const PARTNER: Record<string, string> = { KR: 'KH', KH: 'KR', MY: 'KR' };

  beforeAll(async () => {
    // The whole demo world: the multilateral body joins KR, KH, MY and TH.
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
    // TH's own context for example bodies: the multilateral body, a person and an arrest of its own.
    const th = callers.find((c) => c.username === 'th.officer')!.http;
    const [fw] = await t.dataSource.query(
      `SELECT f.id FROM framework f
        WHERE f.active AND (SELECT count(*) FROM framework_member m
                             WHERE m.framework_id = f.id AND m.country_code IN ('KR', 'TH')) = 2
        ORDER BY f.name LIMIT 1`,
    );
    const person = (
      await th
        .post('/persons', { names: [{ full: 'TH person', script: 'latin', kind: 'primary' }] })
        .expect(201)
    ).body;
    const arrest = (
      await th
        .post(
          '/arrests',
          ROUTE_EXAMPLES['POST /api/v1/arrests']({ ...world.context.KR, partner: 'KR', version: 1 }),
        )
        .expect(201)
    ).body;
    const [officer2] = await t.dataSource.query(
      `SELECT id, agency_id FROM app_user WHERE username = 'th.officer2'`,
    );
    world.context.TH = {
      frameworkId: fw.id,
      partner: 'KR',
      thirdCountry: 'KH',
      personId: person.id,
      officerId: officer2.id,
      agencyId: officer2.agency_id,
      country: 'TH',
      arrestId: arrest.id,
    };
    for (const r of world.records) {
      if (!r.owner || r.global) continue;
      // An identifier check asks the owner's partner, which so learns of it.
      const seenBy = r.kind === 'identifier-check' ? [...r.visibleTo, PARTNER[r.owner]] : r.visibleTo;
      hidden.push({
        kind: r.kind,
        id: r.id,
        label: `${r.owner} ${r.kind}`,
        owner: r.owner,
        hiddenFrom: (c) => !seenBy.includes(c.country ?? ''),
      });
    }
    actors = await actorsOf(t, callers);
  }, 180_000);
  afterAll(() => t?.close());

  it('answers every id slot alike for another country’s hidden id and a never-existing one (TH; KH↔MY)', async () => {
    const versionOf = await versionLookup(t);
    const slots = (await idSlotsOf(t.server, routes)).filter(
      (s) => s.where === 'path' || !s.route.path.includes('{'),
    );
    /** Who asks about whose records: TH about all three (one owner per slot, in turn), KH and MY about each other. */
    const askers = callers.filter((c) => ['TH', 'KH', 'MY'].includes(c.country ?? ''));
    const ownersFor = (c: SignedCaller, i: number): string[] =>
      c.country === 'TH' ? [['KR', 'KH', 'MY'][Math.floor(i / 3) % 3]] : c.country === 'KH' ? ['MY'] : ['KH'];
    const { cases, statuses, differences } = await sweepHiddenAgainstNever(
      t,
      world,
      actors,
      versionOf,
      slots,
      askers,
      (_slot, i, caller, kinds) => {
        const owners = ownersFor(caller, i);
        const candidates = hidden.filter(
          (h) => kinds.includes(h.kind) && owners.includes(h.owner!) && h.hiddenFrom(caller),
        );
        // One of each kind: the calls stay bounded.
        return firstOfEachKind(kinds, candidates);
      },
      1500,
    );
    console.log(
      `r53 other askers: ${slots.length} slots, ${cases} cases (${[...statuses].map(([s, k]) => `${k} × ${s}`).join(', ')}), ${differences.length} differences`,
    );
    expect(cases).toBeGreaterThan(500);
    expect(differences).toEqual([]);
  }, 600_000);
});
