import request from 'supertest';
import { randomUUID } from 'node:crypto';
import { auditEventScope, positional } from '../../src/access/scopes';
import { BlacklistAmendmentsService } from '../../src/blacklist/blacklist-amendments.service';
import { limKosal } from '../support/blacklist-scenario';
import { signIn, SignedIn } from '../support/http';
import { taskForce, TaskForce } from '../support/scenario';
import { createTestApp, TestApp } from '../support/test-app';
import { loadRoutes } from '../security/security-support';

/**
 * Probe r53, lead 2 (probe r51's open point): r51's sweep filled every other path parameter with an id
 * that never existed, so a parent's 404 always answered first and a child id was never looked up. Here
 * every route of the OpenAPI document with two or more `{…}` ids, and every route that takes an id in
 * its body under a path `{id}`, is asked with a parent the asker legitimately reads and may act on, and
 * with a child id that belongs to another parent — of another country the asker was never told of, or
 * one of its own other parents — against a random id. The answers (status, body but the asked id,
 * headers but dates, the audit events the asker's auditors read, the notifications written to the
 * asker's country) must be the same, and nothing of the other records may change.
 */
describe('Probe r53: a child id under a parent the asker reads is answered as one that never existed', () => {
  let t: TestApp;
  let tf: TaskForce;
  const extra: Record<string, SignedIn> = {};
  const ids: Record<string, string> = {};
  const who = (name: string): SignedIn => extra[name] ?? tf[name as keyof TaskForce];
  const userIds = new Map<string, { id: string; agency: string }>();

  /** A freeze request drafted by `from`'s officer to `to`; with `accepted`, sent and accepted by `to`'s liaison. */
  const freeze = async (from: string, to: string, account: string, status: 'draft' | 'accepted') => {
    const framework = (await tf.frameworkBetween(from, to))!;
    const draft = (
      await who(`${from.toLowerCase()}.officer`)
        .post('/asset-freeze-requests', {
          frameworkId: framework,
          targetCountry: to,
          priority: 'routine',
          handlingCode: 'AMBER',
          subject: `Freeze ${account}`,
          targets: [
            {
              type: 'bank_account',
              institutionName: 'ABA Bank',
              institutionCode: 'ABAAKHPP',
              accountNumber: account,
              holderName: 'SOK Dara',
              borrowedName: false,
              amountSought: { amount: '100.00', currency: 'USD' },
              grounds: { summary: 'Proceeds of a scam' },
            },
          ],
        })
        .expect(201)
    ).body;
    let version = draft.version;
    if (status === 'accepted')
      for (const [by, action] of [
        [`${from.toLowerCase()}.officer`, 'submit'],
        [`${from.toLowerCase()}.liaison`, 'approve'],
        [`${to.toLowerCase()}.liaison`, 'accept'],
      ])
        version = (
          await who(by).post(`/asset-freeze-requests/${draft.id}/${action}`, { version }).expect(200)
        ).body.version;
    const [target] = await t.dataSource.query(`SELECT id FROM asset_freeze_target WHERE request_id = $1`, [
      draft.id,
    ]);
    return { id: draft.id as string, target: target.id as string };
  };

  beforeAll(async () => {
    t = await createTestApp();
    tf = await taskForce(t);
    for (const name of ['kr.admin', 'kh.admin', 'my.admin', 'kh.screener', 'my.screener'])
      extra[name] = await signIn(t.server, name);
    for (const u of await t.dataSource.query(`SELECT id, username, agency_id FROM app_user`))
      userIds.set(u.username, { id: u.id, agency: u.agency_id });

    // Freezes: two KR→KH accepted (KH reads both), one KR→MY accepted, one KR→KH draft, one MY→KR accepted.
    const f1 = await freeze('KR', 'KH', '000100001', 'accepted');
    const f2 = await freeze('KR', 'KH', '000100002', 'accepted');
    const f3 = await freeze('KR', 'MY', '000100003', 'accepted');
    const f4 = await freeze('KR', 'KH', '000100004', 'draft');
    const f5 = await freeze('MY', 'KR', '000100005', 'accepted');
    Object.assign(ids, {
      f1: f1.id,
      t1: f1.target,
      f2: f2.id,
      t2: f2.target,
      f3: f3.id,
      t3: f3.target,
      f4: f4.id,
      t4: f4.target,
      f5: f5.id,
      t5: f5.target,
    });

    // LIM Kosal (KR's person) banned by MY and by KH; KR corrects him: one amendment on each entry.
    const person = (await tf['kr.officer'].post('/persons', limKosal).expect(201)).body;
    ids.lim = person.id;
    for (const [banning, framework] of [
      ['MY', (await tf.frameworkBetween('KR', 'MY'))!],
      ['KH', tf.cambodiaKoreaFramework],
    ] as const) {
      const lc = banning.toLowerCase();
      const proposal = (
        await tf['kr.officer']
          .post('/blacklist-entries', {
            frameworkId: framework,
            banningCountry: banning,
            entry: { personId: person.id, grounds: 'Runs a scam compound.', groundsSummary: 'Compound boss' },
          })
          .expect(201)
      ).body;
      let version = proposal.version;
      for (const [by, action] of [
        ['kr.officer', 'submit'],
        ['kr.liaison', 'approve'],
        [`${lc}.liaison`, 'accept'],
      ])
        version = (
          await who(by).post(`/blacklist-proposals/${proposal.id}/${action}`, { version }).expect(200)
        ).body.version;
      ids[`e_${lc}`] = proposal.entries[0].id;
      await who(`${lc}.liaison`)
        .post(`/blacklist-entries/${proposal.entries[0].id}/activate`, {
          version: 1,
          legalBasis: 'Immigration Act s. 9',
          expiresOn: '2031-12-31',
        })
        .expect(200);
    }
    // Screenings: each checkpoint's screener screens LIM Kosal (a candidate each), before the correction.
    for (const c of ['kh', 'my']) {
      const s = (
        await who(`${c}.screener`)
          .post('/screenings', { checkpoint: `${c.toUpperCase()}-CP-1`, names: [{ full: 'LIM Kosal' }] })
          .expect(201)
      ).body;
      ids[`s_${c}`] = s.id;
      const rows = await t.dataSource.query(`SELECT id FROM screening_candidate WHERE screening_id = $1`, [
        s.id,
      ]);
      expect(rows.length).toBeGreaterThan(0);
      ids[`c_${c}`] = rows[0].id;
    }
    const current = (await tf['kr.officer'].get(`/persons/${person.id}`).expect(200)).body;
    await tf['kr.officer']
      .patch(`/persons/${person.id}`, { ...limKosal, birthDate: '1988-07-03', version: current.version })
      .expect(200);
    await t.app.get(BlacklistAmendmentsService).runPending();
    for (const c of ['kh', 'my']) {
      const [a] = await t.dataSource.query(
        `SELECT id FROM blacklist_entry_amendment WHERE entry_id = $1 AND status = 'pending'`,
        [ids[`e_${c}`]],
      );
      ids[`a_${c}`] = a.id;
    }

    // Role changes: each admin asks for a role for its second officer (pending a second admin).
    for (const c of ['kr', 'kh', 'my']) {
      const u = userIds.get(`${c}.officer2`)!.id;
      const { version } = (await who(`${c}.admin`).get(`/users/${u}`).expect(200)).body;
      ids[`rc_${c}`] = (
        await who(`${c}.admin`)
          .post(`/users/${u}/role-changes`, { version, roles: ['officer', 'liaison'] })
          .expect(201)
      ).body.id;
    }

    // Cases, persons and arrests of KR and KH, a person linked to each case.
    for (const c of ['kr', 'kh']) {
      const kase = (
        await who(`${c}.officer`)
          .post('/cases', { title: `${c} r53 case` })
          .expect(201)
      ).body;
      const p = (
        await who(`${c}.officer`)
          .post('/persons', { names: [{ full: `${c} r53 person`, script: 'latin', kind: 'primary' }] })
          .expect(201)
      ).body;
      await who(`${c}.officer`)
        .post(`/cases/${kase.id}/persons`, { persons: [{ personId: p.id, role: 'suspect' }] })
        .expect(201);
      const arrest = (
        await who(`${c}.officer`)
          .post('/arrests', {
            arrestedAt: '2026-03-01T02:30:00Z',
            place: 'A compound',
            grounds: 'Online fraud',
            arrestingAgency: 'Police',
            nationality: c === 'kr' ? 'KH' : 'KR',
            person: { names: [{ full: `${c} r53 arrestee`, script: 'latin', kind: 'primary' }] },
          })
          .expect(201)
      ).body;
      Object.assign(ids, { [`case_${c}`]: kase.id, [`p_${c}`]: p.id, [`arrest_${c}`]: arrest.id });
    }
    // KR's drafts of an information request and a repatriation; KH's repatriation of KR's national, accepted by KR.
    ids.info_kr = (
      await tf['kr.officer']
        .post('/information-requests', {
          frameworkId: tf.cambodiaKoreaFramework,
          targetCountry: 'KH',
          priority: 'routine',
          handlingCode: 'AMBER',
          subject: 'r53 draft',
          questions: ['Who?'],
        })
        .expect(201)
    ).body.id;
    ids.rep_kr = (
      await tf['kr.officer']
        .post('/repatriation-requests', {
          frameworkId: tf.cambodiaKoreaFramework,
          targetCountry: 'KH',
          priority: 'routine',
          handlingCode: 'AMBER',
          subject: 'r53 repatriation draft',
          arrestIds: [ids.arrest_kr],
        })
        .expect(201)
    ).body.id;
    const rep = (
      await tf['kh.officer']
        .post('/repatriation-requests', {
          frameworkId: tf.cambodiaKoreaFramework,
          targetCountry: 'KR',
          priority: 'routine',
          handlingCode: 'AMBER',
          subject: 'r53 repatriation',
          arrestIds: [ids.arrest_kh],
        })
        .expect(201)
    ).body;
    let version = rep.version;
    for (const [by, action] of [
      ['kh.officer', 'submit'],
      ['kh.liaison', 'approve'],
      ['kr.liaison', 'accept'],
    ])
      version = (await who(by).post(`/repatriation-requests/${rep.id}/${action}`, { version }).expect(200))
        .body.version;
    ids.rep_kh = rep.id;
    // KH's arrests KR does not read: one on a KH draft repatriation to KR, one on a RED one sent to KR
    // (KR's liaisons read it; its officers do not).
    for (const [key, handlingCode, send] of [
      ['draft', 'AMBER', false],
      ['red', 'RED', true],
    ] as const) {
      const arrest = (
        await tf['kh.officer']
          .post('/arrests', {
            arrestedAt: '2026-03-01T02:30:00Z',
            place: 'A compound',
            grounds: 'Online fraud',
            arrestingAgency: 'Police',
            nationality: 'KR',
            person: { names: [{ full: `kh r53 ${key} arrestee`, script: 'latin', kind: 'primary' }] },
          })
          .expect(201)
      ).body;
      ids[`arrest_kh_${key}`] = arrest.id;
      const r = (
        await tf['kh.officer']
          .post('/repatriation-requests', {
            frameworkId: tf.cambodiaKoreaFramework,
            targetCountry: 'KR',
            priority: 'routine',
            handlingCode,
            subject: `r53 ${key} repatriation`,
            arrestIds: [arrest.id],
          })
          .expect(201)
      ).body;
      if (send) {
        const submitted = (
          await tf['kh.officer']
            .post(`/repatriation-requests/${r.id}/submit`, { version: r.version })
            .expect(200)
        ).body;
        await tf['kh.liaison']
          .post(`/repatriation-requests/${r.id}/approve`, { version: submitted.version })
          .expect(200);
      }
    }
    // A KH→KR repatriation of its own KH arrest, accepted, scheduled and handed over: KR's confirmation awaits.
    {
      const arrest = (
        await tf['kh.officer']
          .post('/arrests', {
            arrestedAt: '2026-03-01T02:30:00Z',
            place: 'A compound',
            grounds: 'Online fraud',
            arrestingAgency: 'Police',
            nationality: 'KR',
            person: { names: [{ full: 'kh r53 handed-over arrestee', script: 'latin', kind: 'primary' }] },
          })
          .expect(201)
      ).body;
      const r = (
        await tf['kh.officer']
          .post('/repatriation-requests', {
            frameworkId: tf.cambodiaKoreaFramework,
            targetCountry: 'KR',
            priority: 'routine',
            handlingCode: 'AMBER',
            subject: 'r53 handed-over repatriation',
            arrestIds: [arrest.id],
          })
          .expect(201)
      ).body;
      let v = r.version;
      for (const [by, action, extraBody] of [
        ['kh.officer', 'submit', {}],
        ['kh.liaison', 'approve', {}],
        ['kr.liaison', 'accept', {}],
        [
          'kh.liaison',
          'schedule',
          {
            departureAt: '2027-01-01T01:00:00Z',
            departurePoint: 'PNH',
            arrivalPoint: 'ICN',
            carrier: 'KE',
            sendingEscorts: ['Officer A'],
            receivingEscorts: ['Officer B'],
          },
        ],
        [
          'kh.liaison',
          'handover',
          {
            handovers: [
              {
                arrestId: arrest.id,
                handedOverBy: 'Officer A',
                receivedBy: 'Officer B',
                handedOverAt: '2026-03-21T05:00:00Z',
                place: 'ICN',
              },
            ],
          },
        ],
      ] as Array<[string, string, object]>)
        v = (
          await who(by)
            .post(`/repatriation-requests/${r.id}/${action}`, { version: v, ...extraBody })
            .expect((res) => {
              if (res.status !== 200) throw new Error(`${action}: ${res.status} ${JSON.stringify(res.body)}`);
            })
        ).body.version;
      ids.rep_handed = r.id;
    }
    ids.arrest_kh_lone = (
      await tf['kh.officer']
        .post('/arrests', {
          arrestedAt: '2026-03-01T02:30:00Z',
          place: 'A compound',
          grounds: 'Online fraud',
          arrestingAgency: 'Police',
          nationality: 'KR',
          person: { names: [{ full: 'kh r53 lone arrestee', script: 'latin', kind: 'primary' }] },
        })
        .expect(201)
    ).body.id;
    // An incoming KH→KR information request, accepted by KR (for an assignment).
    const inbound = (
      await tf['kh.officer']
        .post('/information-requests', {
          frameworkId: tf.cambodiaKoreaFramework,
          targetCountry: 'KR',
          priority: 'routine',
          handlingCode: 'AMBER',
          subject: 'r53 inbound',
          questions: ['Who?'],
        })
        .expect(201)
    ).body;
    version = inbound.version;
    for (const [by, action] of [
      ['kh.officer', 'submit'],
      ['kh.liaison', 'approve'],
      ['kr.liaison', 'accept'],
    ])
      version = (await who(by).post(`/information-requests/${inbound.id}/${action}`, { version }).expect(200))
        .body.version;
    ids.info_in = inbound.id;
    // KR's release draft: KH gave KR a person under AMBER, KR asks KH whether MY may have it.
    const given = (
      await tf['kh.officer']
        .post('/persons', { names: [{ full: 'kh r53 given person', script: 'latin', kind: 'primary' }] })
        .expect(201)
    ).body;
    const naming = (
      await tf['kh.officer']
        .post('/information-requests', {
          frameworkId: tf.cambodiaKoreaFramework,
          targetCountry: 'KR',
          priority: 'routine',
          handlingCode: 'AMBER',
          subject: 'r53 naming a person',
          questions: ['Who?'],
          personIds: [given.id],
        })
        .expect(201)
    ).body;
    const namingSubmitted = (
      await tf['kh.officer']
        .post(`/information-requests/${naming.id}/submit`, { version: naming.version })
        .expect(200)
    ).body;
    await tf['kh.liaison']
      .post(`/information-requests/${naming.id}/approve`, { version: namingSubmitted.version })
      .expect(200);
    ids.release_kr = (
      await tf['kr.officer']
        .post('/release-requests', {
          frameworkId: tf.cambodiaKoreaFramework,
          targetCountry: 'KH',
          recipientCountry: 'MY',
          priority: 'routine',
          handlingCode: 'AMBER',
          subject: 'r53 may this person go on?',
          personIds: [given.id],
        })
        .expect(201)
    ).body.id;
    ids.p_my = (
      await tf['my.officer']
        .post('/persons', { names: [{ full: 'my r53 person', script: 'latin', kind: 'primary' }] })
        .expect(201)
    ).body.id;
  }, 180_000);
  afterAll(() => t?.close());

  const VOLATILE =
    /^(date|x-request-id|request-id|connection|keep-alive|x-response-time|x?-?ratelimit.*|retry-after)$/;
  const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;

  /** The current version of a record, for a body that takes one. */
  const versionOf = async (id: string): Promise<number> => {
    for (const table of ['cross_border_request', 'blacklist_entry', 'case_file', 'arrest', 'app_user']) {
      const [row] = await t.dataSource.query(`SELECT version FROM ${table} WHERE id = $1`, [id]);
      if (row) return row.version;
    }
    return 1;
  };

  interface Probe {
    /** The route as the OpenAPI document names it. */
    route: string;
    asker: string;
    parent: string;
    /** The call with the child id in its slot. */
    call: (child: string, version: number) => { path: string; body?: object; raw?: Buffer };
    /** Child ids of other parents: [label, id]. */
    children: Array<[string, string]>;
  }

  const observe = async (
    asker: string,
    method: string,
    call: { path: string; body?: object; raw?: Buffer },
    asked: string,
  ) => {
    const caller = who(asker);
    const country = asker.slice(0, 2).toUpperCase();
    const [{ max }] = await t.dataSource.query(`SELECT coalesce(max(id), 0)::text AS max FROM audit_event`);
    const [{ n0 }] = await t.dataSource.query(
      `SELECT count(*)::int AS n0 FROM notification WHERE country_code = $1`,
      [country],
    );
    let req = request(t.server)
      [method as 'get'](`/api/v1${call.path}`)
      .set('Authorization', `Bearer ${caller.tokens.accessToken}`);
    if (call.raw)
      req = req.set('Content-Type', 'application/octet-stream').set('X-Filename', 'r53.txt').send(call.raw);
    else if (call.body) req = req.set('Content-Type', 'application/json').send(JSON.stringify(call.body));
    const res = await req;
    const u = userIds.get(asker)!;
    const params: unknown[] = [max];
    const scope = positional(
      auditEventScope({
        kind: 'user',
        userId: u.id,
        username: asker,
        agencyId: u.agency,
        countryCode: country,
        roles: ['auditor'],
      }),
      params,
    );
    const events = (
      await t.dataSource.query(
        `SELECT e.action, e.outcome, e.record_type, e.record_id, e.owner_country, e.counterpart_country, e.details
           FROM audit_event e WHERE e.id > $1::bigint AND ${scope} ORDER BY e.id`,
        params,
      )
    ).map((e: Record<string, unknown>) =>
      e.action === 'access.denied' && e.owner_country !== country ? { ...e, owner_country: null } : e,
    );
    const [{ n1 }] = await t.dataSource.query(
      `SELECT count(*)::int AS n1 FROM notification WHERE country_code = $1`,
      [country],
    );
    const {
      requestId: _r,
      instance: _i,
      ...body
    } = /json/.test(String(res.headers['content-type'])) && res.body && !Array.isArray(res.body)
      ? res.body
      : { text: res.text ?? null };
    const headers = Object.fromEntries(Object.entries(res.headers).filter(([k]) => !VOLATILE.test(k)));
    const same = (x: unknown) =>
      JSON.stringify(x ?? null)
        .split(asked)
        .join('<ASKED>');
    return {
      status: res.status,
      body: same(body),
      headers: same(headers),
      events: same(events).replace(UUID, '<uuid>'),
      notifications: n1 - n0,
    };
  };

  /** Rows of every table a child slot names, to see that nothing of another record changed. */
  const TABLES = [
    'asset_freeze_target',
    'asset_freeze_step',
    'blacklist_entry',
    'blacklist_entry_amendment',
    'screening_candidate',
    'user_role_change',
    'app_user',
    'case_person',
    'case_file',
    'cross_border_request',
    'request_person',
    'repatriation_person',
    'arrest',
    'attachment',
  ];
  const snapshot = async () => {
    const out: Record<string, string> = {};
    for (const table of TABLES)
      out[table] = (
        await t.dataSource.query(
          `SELECT coalesce(md5(string_agg(x::text, '|' ORDER BY x::text)), '') AS h FROM ${table} x`,
        )
      )[0].h;
    return out;
  };

  const probes = (): Probe[] => {
    const step = (v: number) => ({ version: v, comment: 'r53' });
    const money = { amount: '100.00', currency: 'USD' };
    const targetBodies: Record<string, (v: number) => object> = {
      freeze: (v) => ({ version: v, outcome: 'frozen', amount: money }),
      recover: (v) => ({ version: v, amount: money, disposition: 'seized' }),
      return: (v) => ({
        version: v,
        amount: money,
        recipient: { name: 'A victim' },
        decision: 'Court order 1',
      }),
      release: (v) => ({ version: v, amount: money, reason: 'r53' }),
      'close-out': (v) => ({ version: v, reason: 'r53' }),
    };
    const list: Probe[] = [];
    for (const [action, body] of Object.entries(targetBodies)) {
      list.push({
        route: `POST /api/v1/asset-freeze-requests/{id}/targets/{targetId}/${action}`,
        asker: 'kh.liaison',
        parent: ids.f1,
        call: (c, v) => ({ path: `/asset-freeze-requests/${ids.f1}/targets/${c}/${action}`, body: body(v) }),
        children: [
          ['KR→MY target', ids.t3],
          ['KR draft target', ids.t4],
          ['MY→KR target', ids.t5],
          ['KH’s other KR→KH target', ids.t2],
        ],
      });
      list.push({
        route: `POST /api/v1/asset-freeze-requests/{id}/targets/{targetId}/${action}`,
        asker: 'my.liaison',
        parent: ids.f3,
        call: (c, v) => ({ path: `/asset-freeze-requests/${ids.f3}/targets/${c}/${action}`, body: body(v) }),
        children: [
          ['KR→KH target', ids.t1],
          ['KR draft target', ids.t4],
          ['MY→KR target (its own, other parent)', ids.t5],
        ],
      });
    }
    for (const method of ['get', 'post'])
      for (const [asker, parent, children] of [
        [
          'kh.officer',
          ids.f1,
          [
            ['KR→MY target', ids.t3],
            ['KR draft target', ids.t4],
            ['MY→KR target', ids.t5],
          ],
        ],
        [
          'my.officer',
          ids.f5,
          [
            ['KR→KH target', ids.t1],
            ['KR draft target', ids.t4],
            ['KR→MY target (visible)', ids.t3],
          ],
        ],
        ['kr.officer', ids.f1, [['MY→KR target', ids.t5]]],
      ] as Array<[string, string, Array<[string, string]>]>)
        list.push({
          route: `${method.toUpperCase()} /api/v1/asset-freeze-requests/{id}/targets/{targetId}/attachments`,
          asker,
          parent,
          call: (c) => ({
            path: `/asset-freeze-requests/${parent}/targets/${c}/attachments`,
            ...(method === 'post' ? { raw: Buffer.from('r53 file\n') } : {}),
          }),
          children,
        });
    for (const action of ['accept', 'reject'])
      for (const [asker, own, other] of [
        ['my.liaison', 'my', 'kh'],
        ['kh.liaison', 'kh', 'my'],
      ])
        list.push({
          route: `POST /api/v1/blacklist-entries/{id}/amendments/{amendmentId}/${action}`,
          asker,
          parent: ids[`e_${own}`],
          call: (c, v) => ({
            path: `/blacklist-entries/${ids[`e_${own}`]}/amendments/${c}/${action}`,
            body: step(v),
          }),
          children: [[`amendment of ${other.toUpperCase()}’s entry`, ids[`a_${other}`]]],
        });
    for (const [asker, own, other] of [
      ['my.screener', 'my', 'kh'],
      ['kh.screener', 'kh', 'my'],
    ])
      list.push({
        route: 'POST /api/v1/screenings/{id}/candidates/{candidateId}/decision',
        asker,
        parent: ids[`s_${own}`],
        call: (c) => ({
          path: `/screenings/${ids[`s_${own}`]}/candidates/${c}/decision`,
          body: { decision: 'cleared', reason: 'r53' },
        }),
        children: [[`candidate of ${other.toUpperCase()}’s screening`, ids[`c_${other}`]]],
      });
    for (const [asker, own, others] of [
      ['kr.admin', 'kr', ['kh', 'my']],
      ['kh.admin', 'kh', ['kr', 'my']],
      ['my.admin', 'my', ['kr', 'kh']],
    ] as const) {
      const user = userIds.get(`${own}.officer`)!.id;
      list.push({
        route: 'POST /api/v1/users/{id}/role-changes/{changeId}/approve',
        asker,
        parent: user,
        call: (c) => ({ path: `/users/${user}/role-changes/${c}/approve` }),
        children: others.map(
          (o) => [`role change of ${o.toUpperCase()}’s account`, ids[`rc_${o}`]] as [string, string],
        ),
      });
    }
    list.push({
      route: 'DELETE /api/v1/cases/{id}/persons/{personId}',
      asker: 'kr.officer',
      parent: ids.case_kr,
      call: (c) => ({ path: `/cases/${ids.case_kr}/persons/${c}` }),
      children: [['KH’s person on KH’s case', ids.p_kh]],
    });
    list.push({
      route: 'DELETE /api/v1/cases/{id}/persons/{personId}',
      asker: 'kh.officer',
      parent: ids.case_kh,
      call: (c) => ({ path: `/cases/${ids.case_kh}/persons/${c}` }),
      children: [['KR’s person on KR’s case', ids.p_kr]],
    });
    // Ids in the body under a path parent the asker reads and may change.
    const body = (
      route: string,
      asker: string,
      parent: string,
      make: (c: string, v: number) => object,
      children: Array<[string, string]>,
    ) =>
      list.push({
        route,
        asker,
        parent,
        call: (c, v) => ({
          path: route.split(' ')[1].replace('/api/v1', '').replace('{id}', parent),
          body: make(c, v),
        }),
        children,
      });
    const khUser = userIds.get('kh.officer')!.id;
    const krUser = userIds.get('kr.officer2')!.id;
    const myUser = userIds.get('my.officer')!.id;
    body(
      'PATCH /api/v1/cases/{id}',
      'kr.officer',
      ids.case_kr,
      (c, v) => ({ version: v, leadOfficerId: c }),
      [
        ['KH’s officer', khUser],
        ['MY’s officer', myUser],
      ],
    );
    body(
      'PATCH /api/v1/information-requests/{id}',
      'kr.officer',
      ids.info_kr,
      (c, v) => ({ version: v, personIds: [c] }),
      [['KH’s person', ids.p_kh]],
    );
    body(
      'PATCH /api/v1/information-requests/{id}',
      'kr.officer',
      ids.info_kr,
      (c, v) => ({ version: v, caseId: c }),
      [['KH’s case', ids.case_kh]],
    );
    body(
      'POST /api/v1/information-requests/{id}/assign',
      'kr.liaison',
      ids.info_in,
      (c, v) => ({ version: v, assigneeId: c }),
      [
        ['KH’s officer', khUser],
        ['MY’s officer', myUser],
      ],
    );
    body(
      'POST /api/v1/asset-freeze-requests/{id}/assign',
      'kh.liaison',
      ids.f1,
      (c, v) => ({ version: v, assigneeId: c }),
      [
        ['KR’s officer', krUser],
        ['MY’s officer', myUser],
      ],
    );
    body(
      'PATCH /api/v1/asset-freeze-requests/{id}',
      'kr.officer',
      ids.f4,
      (c, v) => ({ version: v, caseId: c }),
      [['KH’s case', ids.case_kh]],
    );
    body('PATCH /api/v1/arrests/{id}', 'kr.officer', ids.arrest_kr, (c, v) => ({ version: v, caseId: c }), [
      ['KH’s case', ids.case_kh],
    ]);
    body(
      'PATCH /api/v1/repatriation-requests/{id}',
      'kr.officer',
      ids.rep_kr,
      (c, v) => ({ version: v, caseId: c }),
      [['KH’s case', ids.case_kh]],
    );
    body(
      'PATCH /api/v1/repatriation-requests/{id}',
      'kr.officer',
      ids.rep_kr,
      (c, v) => ({ version: v, arrestIds: [c] }),
      [
        ['KH’s arrest on a KH draft repatriation', ids.arrest_kh_draft],
        ['KH’s arrest on a RED repatriation to KR', ids.arrest_kh_red],
        ['KH’s arrest on nothing', ids.arrest_kh_lone],
      ],
    );
    body(
      'PATCH /api/v1/release-requests/{id}',
      'kr.officer',
      ids.release_kr,
      (c, v) => ({ version: v, personIds: [c] }),
      [
        ['KH’s person on KH’s case', ids.p_kh],
        ['MY’s person', ids.p_my],
      ],
    );
    body(
      'POST /api/v1/repatriation-requests/{id}/confirm-handover',
      'kr.liaison',
      ids.rep_handed,
      (c, v) => ({ version: v, arrestIds: [c] }),
      [
        ['KH’s arrest on a KH draft repatriation', ids.arrest_kh_draft],
        ['KH’s arrest on nothing', ids.arrest_kh_lone],
        ['KH’s arrest on a KH→KR repatriation KR reads', ids.arrest_kh],
      ],
    );
    for (const asker of ['kh.officer', 'kr.liaison'])
      for (const [route, make] of [
        [
          'POST /api/v1/repatriation-requests/{id}/drop',
          (c: string, v: number) => ({ version: v, arrestId: c, reason: 'released' }),
        ],
        [
          'POST /api/v1/repatriation-requests/{id}/confirm-handover',
          (c: string, v: number) => ({ version: v, arrestIds: [c] }),
        ],
      ] as const)
        body(
          route,
          asker,
          ids.rep_kh,
          make,
          asker === 'kh.officer'
            ? [['KR’s arrest on KR’s draft', ids.arrest_kr]]
            : [
                ['KH’s arrest on a KH draft repatriation', ids.arrest_kh_draft],
                ['KH’s arrest on nothing', ids.arrest_kh_lone],
              ],
        );
    return list;
  };

  it('every nested route of the OpenAPI document is probed', async () => {
    const routes = await loadRoutes(t);
    const nested = routes
      .filter((r) => (r.path.match(/\{[A-Za-z]+\}/g) ?? []).filter((p) => p !== '{countryCode}').length >= 2)
      .map((r) => r.key);
    const probed = new Set(probes().map((p) => p.route));
    expect(nested.filter((k) => !probed.has(k))).toEqual([]);
  });

  it('the parents are the asker’s to read', async () => {
    const paths: Record<string, string> = {
      'asset-freeze-requests': '/asset-freeze-requests/',
      'blacklist-entries': '/blacklist-entries/',
      screenings: '/screenings/',
      users: '/users/',
      cases: '/cases/',
      'information-requests': '/information-requests/',
      arrests: '/arrests/',
      'repatriation-requests': '/repatriation-requests/',
      'release-requests': '/release-requests/',
    };
    for (const p of probes()) {
      const segment = p.route.split(' ')[1].split('/')[3];
      await who(p.asker).get(`${paths[segment]}${p.parent}`).expect(200);
    }
  });

  it('answers a child id of another parent as a random one, and changes nothing of another record', async () => {
    const before = await snapshot();
    const differences: string[] = [];
    const statuses = new Map<number, number>();
    let cases = 0;
    for (const p of probes()) {
      const method = p.route.split(' ')[0].toLowerCase();
      for (const [label, child] of p.children) {
        const version = await versionOf(p.parent);
        const seen = await observe(p.asker, method, p.call(child, version), child);
        const random = randomUUID();
        const none = await observe(p.asker, method, p.call(random, await versionOf(p.parent)), random);
        cases++;
        if (process.env.R53_TRACE)
          console.log(`${seen.status} ${p.asker} ${p.route} ${label} ${seen.body.slice(0, 200)}`);
        statuses.set(seen.status, (statuses.get(seen.status) ?? 0) + 1);
        for (const field of ['status', 'body', 'headers', 'events', 'notifications'] as const)
          if (JSON.stringify(seen[field]) !== JSON.stringify(none[field]))
            differences.push(
              `${p.asker} ${p.route} child = ${label}: ${field} ${String(seen[field]).slice(0, 1500)} vs ${String(none[field]).slice(0, 1500)}`,
            );
      }
    }
    const after = await snapshot();
    console.log(
      `r53 child ids: ${cases} cases (${[...statuses].map(([s, k]) => `${k} × ${s}`).join(', ')}), ${differences.length} differences`,
    );
    expect(differences).toEqual([]);
    expect(Object.keys(after).filter((k) => after[k] !== before[k])).toEqual([]);
  }, 120_000);

  it('controls: each asker acts on its own parent’s own child', async () => {
    const v = (id: string) => versionOf(id);
    await tf['kh.liaison']
      .post(`/asset-freeze-requests/${ids.f1}/targets/${ids.t1}/freeze`, {
        version: await v(ids.f1),
        outcome: 'frozen',
        amount: { amount: '100.00', currency: 'USD' },
      })
      .expect(200);
    await tf['kh.officer'].get(`/asset-freeze-requests/${ids.f1}/targets/${ids.t1}/attachments`).expect(200);
    await tf['my.liaison']
      .post(`/blacklist-entries/${ids.e_my}/amendments/${ids.a_my}/accept`, {})
      .expect(200);
    await who('my.screener')
      .post(`/screenings/${ids.s_my}/candidates/${ids.c_my}/decision`, { decision: 'cleared', reason: 'r53' })
      .expect(200);
    await tf['kr.officer'].delete(`/cases/${ids.case_kr}/persons/${ids.p_kr}`).expect(200);
  });
});
