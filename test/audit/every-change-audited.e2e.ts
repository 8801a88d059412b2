import request from 'supertest';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { totpCode } from '../support/totp';
import { TEST_DEMO_PASSWORD } from '../support/demo-password';
import { signIn } from '../support/http';
import { createTestApp, TestApp } from '../support/test-app';
import { holds, ROUTE_PERMISSIONS } from '../security/authorization-expectations';
import { ExampleContext, ROUTE_EXAMPLES } from '../security/route-examples';
import {
  buildWorld,
  loadRoutes,
  ownWriteTarget,
  Route,
  send,
  SignedCaller,
  signInEveryone,
  versionLookup,
  World,
} from '../security/security-support';
import type { Permission } from '../../src/common/permissions/permissions';
import {
  DriveKit,
  driveAmendmentDecisions,
  driveBatchActivation,
  driveDraftContentEdits,
  driveIdentifierFollowUp,
  driveVerify,
} from './every-change-drivers';
import { installCapture, readCaptured, recordRowsChanged, unnamedRecordRows } from './oracle';

/**
 * The product's non-negotiable, checked generically: "every change of state writes its audit event in
 * the same transaction; a failed request changes nothing".
 *
 * Row triggers capture every write with its transaction (oracle.ts, shared with jobs-audited.e2e.ts,
 * which drives the background jobs). Then the app is driven through its write routes (and its reads, which may write), and:
 *  (a) every captured transaction has an `audit_event` with the same `tx_id`;
 *  (c) every changed row of a record table (`RECORD_TABLES`) is named by an audit event of its own
 *      transaction, by `record_id` or in a list of several (`audit_named_records`), so that the record's
 *      timeline shows the change — unless the UPDATE touched only bookkeeping (`BOOKKEEPING_COLUMNS`);
 *  (b) a request that answered >= 400 left no captured change, except in a transaction that wrote a
 *      refusal's audit event (`denied`/`failed`) and touched only the tables named in AUDITED_REFUSAL_WRITES.
 */

/*
 * Technical tables looked at and NOT excluded, because their writes share the audited transaction of
 * the record they serve (the oracle checks exactly that): refresh_token (sign-in, refresh, logout: each
 * audited auth.*), idempotency_key (stored inside the create's transaction, README "Idempotency-Key"),
 * notification / webhook_delivery (the outbox, written in the transaction of the change, README
 * "Notifications"), stats_* (triggers on cross_border_request), identifier_index / identifier_correlation,
 * blacklist_search_key(_count) / blacklist_screening_profile, person_provenance / identifier_provenance /
 * file_provenance, reference counters, screening_rescreen (tasks recorded with the change), app_user's
 * sign-in bookkeeping. notification_read (an inbox's read marks) is not excluded either: neither the
 * README nor the code says why marking read is not a change of state (see EVERY-CHANGE-FINDINGS.md).
 */

/**
 * Tables a refused or failed request may still write in the transaction of its refusal's audit event,
 * because the README documents that write as the refusal's purpose.
 */
const AUDITED_REFUSAL_WRITES: Record<string, string> = {
  app_user:
    'README "Passwords": five failures within 15 minutes lock the account; a wrong password (sign-in or POST /auth/password) is counted on the account, audited auth.login.failed / auth.password.change.failed',
  sign_in_address:
    'README "Passwords": a wrong password from an address the account signed in from lately counts toward that address\'s lockout too (probe r28), audited auth.login.failed / auth.password.change.failed',
  refresh_token:
    'README "Sign-in": presenting a rotated refresh token again revokes the whole sign-in (audited auth.refresh.reuse); the revocation is the refusal\'s purpose',
};

interface Call {
  n: number;
  label: string;
  method: string;
  url: string;
  status: number;
  start: number;
}

describe('every change of state is audited in its own transaction; a failed request changes nothing', () => {
  let t: TestApp;
  let callers: SignedCaller[];
  let world: World;
  let routes: Route[];
  const calls: Call[] = [];
  let phase = 'setup';

  const who = (username: string) => {
    const c = callers.find((x) => x.username === username);
    if (!c) throw new Error(username);
    return c.http;
  };

  beforeAll(async () => {
    t = await createTestApp({}, { AUDIT_SEAL_INTERVAL_MS: '0' });
    await installCapture(t);
    // Every answered request, in order, each with an X-Request-Id of its own (set before the app's
    // listener reads it, and kept by the app: audit_event.request_id names the call). A captured
    // transaction with no audit event belongs to the last request started before its write (requests
    // here are sent one at a time).
    t.server.prependListener('request', (req: IncomingMessage, res: ServerResponse) => {
      req.headers['x-request-id'] = `oracle-call-${calls.length}`;
      const call: Call = {
        n: calls.length,
        label: phase,
        method: req.method ?? '?',
        url: req.url ?? '?',
        status: 0,
        start: Date.now(),
      };
      calls.push(call);
      res.on('finish', () => (call.status = res.statusCode));
    });
    routes = await loadRoutes(t);
    phase = 'sign-in';
    callers = await signInEveryone(t);
    phase = 'buildWorld';
    world = await buildWorld(t, callers);
  }, 120_000);
  afterAll(() => t?.close());

  it('drives the write routes and finds every captured change audited', async () => {
    const versionOf = await versionLookup(t);
    // 1. Every route of the document, KR's own record, with the example body (success or 4xx on its merits),
    //    a body that fails validation, and the same call by a caller of another country (404) or role (403).
    const skipped = new Set(['POST /api/v1/auth/logout', 'POST /api/v1/auth/password']);
    for (const route of routes) {
      if (skipped.has(route.key)) continue;
      const permission = ROUTE_PERMISSIONS[route.key];
      if (!permission) continue;
      const target = ownWriteTarget(route, permission, callers, world, (roles) =>
        holds(roles, permission as Permission),
      );
      const url = target?.url ?? route.path;
      const ctx: ExampleContext = {
        ...world.context.KR,
        version: target?.recordId ? await versionOf(target.recordId) : 1,
      };
      const write = route.method !== 'GET';
      const example = write ? (ROUTE_EXAMPLES[route.key]?.(ctx) ?? {}) : undefined;
      phase = `walk ${route.key}`;
      await send(t, route.method, url, target?.caller.http.tokens.accessToken, example);
      if (!write) continue;
      phase = `walk-invalid ${route.key}`;
      await send(t, route.method, url, target?.caller.http.tokens.accessToken, {
        ...example,
        version: 'not-a-version',
        unexpectedField: true,
      });
      phase = `walk-foreign ${route.key}`;
      await send(t, route.method, url, who('kh.officer').tokens.accessToken, example);
      phase = `walk-screener ${route.key}`;
      await send(t, route.method, url, who('kr.screener').tokens.accessToken, example);
    }

    // 2. The workflows to their ends, on fresh records (each step by whom the rules want).
    phase = 'workflows';
    const stepsFailed: string[] = [];
    const act = async (user: string, path: string, body: object = {}, versionOfId?: string | null) => {
      const id = versionOfId === null ? undefined : (versionOfId ?? /\/([0-9a-f-]{36})\//.exec(path)?.[1]);
      const version = id ? await versionOf(id) : undefined;
      const res = await who(user).post(path, { ...(version !== undefined ? { version } : {}), ...body });
      if (res.status >= 400)
        stepsFailed.push(`${user} POST ${path} -> ${res.status} ${JSON.stringify(res.body).slice(0, 400)}`);
      return res;
    };
    const own = (kind: string, country: string) =>
      world.records.find((r) => r.kind === kind && r.owner === country)!.id;
    const upload = (user: string, path: string, name: string) =>
      request(t.server)
        .post(`/api/v1${path}/attachments`)
        .set('Authorization', `Bearer ${who(user).tokens.accessToken}`)
        .set('Content-Type', 'application/octet-stream')
        .set('X-Filename', name)
        .send(Buffer.from(`${name}\n`));
    /** A fresh record from the route's example body (the generic walk has moved buildWorld's drafts on). */
    const fresh = async (user: string, route: string, ctx: ExampleContext, extra: object = {}) => {
      const res = await who(user).post(route.replace(/^POST \/api\/v1/, ''), {
        ...ROUTE_EXAMPLES[route](ctx),
        ...extra,
      });
      if (res.status !== 201)
        stepsFailed.push(`${route} -> ${res.status} ${JSON.stringify(res.body).slice(0, 300)}`);
      return res.body as { id: string };
    };
    const kr = world.context.KR;
    const kh = world.context.KH;
    const kit: DriveKit = { t, who, act, fresh, versionOf, stepsFailed };

    // Information request KR -> KH: submitted, sent, accepted, assigned, a message, answered, closed.
    {
      const id = (
        await who('kr.officer').post(
          '/information-requests',
          ROUTE_EXAMPLES['POST /api/v1/information-requests']({ ...kr, version: 1 }),
        )
      ).body.id as string;
      const base = `/information-requests/${id}`;
      await act('kr.officer', `${base}/submit`);
      await act('kr.liaison', `${base}/return`, { comment: 'more detail' });
      await act('kr.officer', `${base}/submit`);
      await act('kr.liaison', `${base}/approve`);
      await act('kh.liaison', `${base}/accept`);
      await act('kh.liaison', `${base}/assign`, { assigneeId: kh.officerId });
      await act('kh.officer', `${base}/messages`, { body: 'Working on it.' }, null);
      await request(t.server)
        .post(`/api/v1${base}/attachments`)
        .set('Authorization', `Bearer ${who('kh.officer').tokens.accessToken}`)
        .set('Content-Type', 'application/octet-stream')
        .set('X-Filename', 'subscriber.txt')
        .send(Buffer.from('subscriber records\n'));
      await act('kh.liaison', `${base}/fulfil`, { findings: { summary: 'Registered to a nominee.' } });
      await act('kr.officer', `${base}/close`);
      // One rejected, one withdrawn.
      const rejected = (
        await who('kr.officer').post(
          '/information-requests',
          ROUTE_EXAMPLES['POST /api/v1/information-requests']({ ...kr, version: 1 }),
        )
      ).body.id as string;
      await act('kr.officer', `/information-requests/${rejected}/submit`);
      await act('kr.liaison', `/information-requests/${rejected}/approve`);
      await act('kh.liaison', `/information-requests/${rejected}/reject`, { reason: 'Outside our remit' });
      const draft = await fresh('kr.officer', 'POST /api/v1/information-requests', { ...kr, version: 1 });
      await act('kr.officer', `/information-requests/${draft.id}/withdraw`);
    }

    // Asset freeze KR -> KH: sent, accepted, assigned; the target frozen, part released, recovered,
    // returned, closed out; the request answered and closed.
    {
      const { id } = await fresh('kr.officer', 'POST /api/v1/asset-freeze-requests', { ...kr, version: 1 });
      const base = `/asset-freeze-requests/${id}`;
      await act('kr.officer', `${base}/submit`);
      await act('kr.liaison', `${base}/approve`);
      await act('kh.liaison', `${base}/accept`);
      await act('kh.liaison', `${base}/assign`, { assigneeId: kh.officerId });
      await act('kh.officer', `${base}/messages`, { body: 'Bank contacted.' }, null);
      const [target] = await t.dataSource.query(`SELECT id FROM asset_freeze_target WHERE request_id = $1`, [
        id,
      ]);
      const tb = `${base}/targets/${target.id}`;
      const money = { amount: '100.00', currency: 'USD' };
      await act('kh.officer', `${tb}/freeze`, { outcome: 'frozen', amount: money }, id);
      await request(t.server)
        .post(`/api/v1${tb}/attachments`)
        .set('Authorization', `Bearer ${who('kh.officer').tokens.accessToken}`)
        .set('Content-Type', 'application/octet-stream')
        .set('X-Filename', 'freeze-order.txt')
        .send(Buffer.from('freeze order\n'));
      await act(
        'kh.officer',
        `${tb}/release`,
        { amount: { amount: '10.00', currency: 'USD' }, reason: 'living costs' },
        id,
      );
      await act(
        'kh.officer',
        `${tb}/recover`,
        { amount: { amount: '90.00', currency: 'USD' }, disposition: 'seized' },
        id,
      );
      await act(
        'kh.officer',
        `${tb}/return`,
        {
          amount: { amount: '90.00', currency: 'USD' },
          recipient: { name: 'A victim' },
          decision: 'Court order 2026-1',
        },
        id,
      );
      await act('kh.officer', `${tb}/close-out`, { reason: 'done' }, id);
      await act('kh.liaison', `${base}/fulfil`);
      await act('kr.officer', `${base}/close`);
    }

    // Repatriation KH -> KR of the KR national KH arrested: scheduled, handed over, confirmed, closed.
    {
      const arrest = await fresh('kh.officer', 'POST /api/v1/arrests', { ...kh, version: 1 });
      const { id } = await fresh('kh.officer', 'POST /api/v1/repatriation-requests', {
        ...kh,
        arrestId: arrest.id,
        version: 1,
      });
      const base = `/repatriation-requests/${id}`;
      const ctx = { ...kh, arrestId: arrest.id, version: 1 };
      await act('kh.officer', `${base}/submit`);
      await act('kh.liaison', `${base}/approve`);
      await act('kr.liaison', `${base}/accept`);
      await act('kr.officer', `${base}/messages`, { body: 'Flight booked.' }, null);
      const { version: _v, ...plan } = ROUTE_EXAMPLES['POST /api/v1/repatriation-requests/{id}/schedule'](
        ctx,
      ) as {
        version: number;
      };
      await act('kr.officer', `${base}/schedule`, plan);
      const { version: _h, ...handover } = ROUTE_EXAMPLES['POST /api/v1/repatriation-requests/{id}/handover'](
        ctx,
      ) as {
        version: number;
      };
      await act('kh.officer', `${base}/handover`, handover);
      await act('kr.officer', `${base}/confirm-handover`, { arrestIds: [arrest.id] });
      await act('kr.liaison', `${base}/fulfil`);
      await act('kh.officer', `${base}/close`);
      // KR's own repatriation draft (KR -> KH): sent, accepted, its person dropped.
      const krArrest = await fresh('kr.officer', 'POST /api/v1/arrests', { ...kr, version: 1 });
      const { id: other } = await fresh('kr.officer', 'POST /api/v1/repatriation-requests', {
        ...kr,
        arrestId: krArrest.id,
        version: 1,
      });
      await act('kr.officer', `/repatriation-requests/${other}/submit`);
      await act('kr.liaison', `/repatriation-requests/${other}/approve`);
      await act('kh.liaison', `/repatriation-requests/${other}/accept`);
      await act('kr.officer', `/repatriation-requests/${other}/drop`, {
        arrestId: krArrest.id,
        reason: 'released',
      });
    }

    // Blacklist proposal KR -> KH: sent, accepted, its entry activated by KH; a screening by KH finds it,
    // the candidate is decided; the proposal answered and closed; the entry extended, then lifted.
    {
      const { id } = await fresh('kr.officer', 'POST /api/v1/blacklist-entries/batch', { ...kr, version: 1 });
      const base = `/blacklist-proposals/${id}`;
      await act('kr.officer', `${base}/submit`);
      await act('kr.liaison', `${base}/approve`);
      await act('kh.liaison', `${base}/accept`);
      await act('kh.liaison', `${base}/messages`, { body: 'Reviewing.' }, null);
      const [entry] = await t.dataSource.query(`SELECT id FROM blacklist_entry WHERE proposal_id = $1`, [id]);
      await act('kh.liaison', `/blacklist-entries/${entry.id}/activate`, {
        legalBasis: 'Immigration Act s. 12',
        expiresOn: '2030-12-31',
      });
      const screening = await who('kh.screener').post('/screenings', {
        checkpoint: 'PNH-ARR',
        names: [{ full: 'SOK Dara' }],
        nationality: 'KR',
      });
      const candidate = (screening.body.candidates ?? [])[0];
      if (candidate)
        await act(
          'kh.screener',
          `/screenings/${screening.body.id}/candidates/${candidate.id}/decision`,
          {
            decision: 'confirmed',
            reason: 'Passport matches',
          },
          null,
        );
      else
        stepsFailed.push(
          `screening found no candidate: ${screening.status} ${JSON.stringify(screening.body).slice(0, 200)}`,
        );
      await upload('kr.officer', `/blacklist-entries/${entry.id}`, 'entry-evidence.txt');
      // The proposer edits the person twice: an amendment for the banning country accepted, one rejected.
      await driveAmendmentDecisions(kit, entry.id);
      await act('kh.liaison', `${base}/fulfil`);
      await act('kr.officer', `${base}/close`);
      await act('kh.liaison', `/blacklist-entries/${entry.id}/extend`, {
        expiresOn: '2031-12-31',
        reason: 'Warrant renewed',
      });
      await act('kh.liaison', `/blacklist-entries/${entry.id}/lift`, { reason: 'Court order' });
      // KH's proposal to KR: entry rejected.
      const { id: khProposal } = await fresh('kh.officer', 'POST /api/v1/blacklist-entries/batch', {
        ...kh,
        version: 1,
      });
      await act('kh.officer', `/blacklist-proposals/${khProposal}/submit`);
      await act('kh.liaison', `/blacklist-proposals/${khProposal}/approve`);
      await act('kr.liaison', `/blacklist-proposals/${khProposal}/accept`);
      const [khEntry] = await t.dataSource.query(`SELECT id FROM blacklist_entry WHERE proposal_id = $1`, [
        khProposal,
      ]);
      await act('kr.liaison', `/blacklist-entries/${khEntry.id}/reject`, { reason: 'Not enough' });
    }

    // The routes the steps above do not reach: a batch activation, the chain verification, a follow-up.
    await driveBatchActivation(kit, { ...kr, version: 1 });
    await driveIdentifierFollowUp(kit);
    await driveDraftContentEdits(kit, { ...kh, version: 1 }, { ...kr, version: 1 });
    await driveVerify(kit);

    // Each request kind once more: returned to its drafter, sent again, rejected by the target.
    for (const [route, from, to] of [
      ['POST /api/v1/asset-freeze-requests', 'kr', 'kh'],
      ['POST /api/v1/release-requests', 'kr', 'kh'],
      ['POST /api/v1/blacklist-entries/batch', 'kr', 'kh'],
    ] as const) {
      const { id } = await fresh(`${from}.officer`, route, {
        ...world.context[from.toUpperCase()],
        version: 1,
      });
      const base = route.includes('blacklist')
        ? `/blacklist-proposals/${id}`
        : `${route.slice('POST /api/v1'.length)}/${id}`;
      await act(`${from}.officer`, `${base}/submit`);
      await act(`${from}.liaison`, `${base}/return`, { comment: 'fix it' });
      await act(`${from}.officer`, `${base}/submit`);
      await act(`${from}.liaison`, `${base}/approve`);
      await act(`${to}.liaison`, `${base}/reject`, { reason: 'Outside our remit' });
    }
    {
      const arrest = await fresh('kh.officer', 'POST /api/v1/arrests', { ...kh, version: 1 });
      await upload('kh.officer', `/arrests/${arrest.id}`, 'arrest-photo.txt');
      const { id } = await fresh('kh.officer', 'POST /api/v1/repatriation-requests', {
        ...kh,
        arrestId: arrest.id,
        version: 1,
      });
      const base = `/repatriation-requests/${id}`;
      await act('kh.officer', `${base}/submit`);
      await act('kh.liaison', `${base}/return`, { comment: 'fix it' });
      await act('kh.officer', `${base}/submit`);
      await act('kh.liaison', `${base}/approve`);
      await act('kr.liaison', `${base}/reject`, { reason: 'Outside our remit' });
    }

    // Release request KR -> KH: sent, accepted, granted, closed.
    {
      const { id } = await fresh('kr.officer', 'POST /api/v1/release-requests', { ...kr, version: 1 });
      const base = `/release-requests/${id}`;
      await act('kr.officer', `${base}/submit`);
      await act('kr.liaison', `${base}/approve`);
      await act('kh.liaison', `${base}/accept`);
      await act('kh.liaison', `${base}/messages`, { body: 'Considering.' }, null);
      await act('kh.liaison', `${base}/fulfil`);
      await act('kr.officer', `${base}/close`);
    }

    // Arrests: CSV import, a share and its case share revoked (a person taken off it first), custody.
    {
      const csv =
        'arrested_at,place,grounds,arresting_agency,nationality,full_name\r\n' +
        '2026-03-01T02:30:00Z,Block C,Fraud,Police,KH,SOK Dara\r\n2026-03-01T02:31:00Z,Block C,Fraud,Police,MY,ALI Ahmad\r\n';
      const imported = await request(t.server)
        .post('/api/v1/arrests/import')
        .set('Authorization', `Bearer ${who('kr.officer').tokens.accessToken}`)
        .set('Content-Type', 'text/csv; charset=utf-8')
        .send(Buffer.from(csv));
      if (imported.status !== 201) stepsFailed.push(`import -> ${imported.status} ${imported.body?.type}`);
      await request(t.server)
        .post('/api/v1/arrests/import')
        .set('Authorization', `Bearer ${who('kr.officer').tokens.accessToken}`)
        .set('Content-Type', 'text/csv; charset=utf-8')
        .send(Buffer.from('arrested_at,place\r\nnot-a-date,Block C\r\n'));
      const kase = own('case', 'KR');
      await act('kr.liaison', `/cases/${kase}/shares`, { countryCode: 'KH' }, null);
      // A person linked by mistake, taken off the shared case.
      await who('kr.officer').post(`/cases/${kase}/persons`, {
        persons: [{ personId: kr.personId, role: 'suspect' }],
      });
      const unlinked = await who('kr.officer').delete(`/cases/${kase}/persons/${kr.personId}`);
      if (unlinked.status >= 400) stepsFailed.push(`unlink person -> ${unlinked.status}`);
      const revoked = await who('kr.liaison').delete(`/cases/${kase}/shares/KH`);
      if (revoked.status >= 400) stepsFailed.push(`revoke share -> ${revoked.status}`);
      await request(t.server)
        .post(`/api/v1/persons/${kr.personId}/attachments`)
        .set('Authorization', `Bearer ${who('kr.officer').tokens.accessToken}`)
        .set('Content-Type', 'application/octet-stream')
        .set('X-Filename', 'photo.txt')
        .send(Buffer.from('a photo\n'));
    }

    // Users: a second admin (by the platform administrator) enables an account, approves a role change
    // and confirms a password reset the first admin made.
    {
      const created = await who('platform.admin').post('/users', {
        username: 'kr.oracle.admin',
        displayName: 'Second admin',
        agencyId: kr.agencyId,
        roles: ['admin'],
        password: 'a long enough passphrase for tests 42',
      });
      if (created.status !== 201) stepsFailed.push(`second admin -> ${created.status} ${created.body?.type}`);
      const admin2 = await signIn(t.server, 'kr.oracle.admin', 'a long enough passphrase for tests 42');
      const account = await who('kr.admin').post('/users', {
        username: 'kr.oracle.officer',
        displayName: 'New officer',
        agencyId: kr.agencyId,
        roles: ['officer'],
        password: 'a long enough passphrase for tests 43',
      });
      const uid = account.body.id as string;
      // Enable and approve read no body (a version sent there is refused, probe input r5).
      const enabled = await admin2.post(`/users/${uid}/enable`);
      if (enabled.status >= 400) stepsFailed.push(`enable -> ${enabled.status} ${enabled.body?.type}`);
      const change = await act('kr.admin', `/users/${uid}/role-changes`, { roles: ['officer', 'liaison'] });
      const approved = await admin2.post(`/users/${uid}/role-changes/${change.body.id}/approve`);
      if (approved.status >= 400)
        stepsFailed.push(`role approve -> ${approved.status} ${approved.body?.type}`);
      await act(
        'kr.admin',
        `/users/${uid}/reset-password`,
        {
          newPassword: 'another long passphrase for tests 44',
        },
        null,
      );
      const confirmed = await admin2.post(`/users/${uid}/reset-password/confirm`, {});
      if (confirmed.status >= 400)
        stepsFailed.push(`reset confirm -> ${confirmed.status} ${confirmed.body?.type}`);
    }

    // 3. Sign-in, refresh, logout, password change: successes and failures.
    phase = 'auth';
    await request(t.server)
      .post('/api/v1/auth/login')
      .send({ username: 'kr.officer2', password: 'wrong password 1' });
    await request(t.server)
      .post('/api/v1/auth/login')
      .send({ username: 'nobody.here', password: 'wrong password 1' });
    await request(t.server).post('/api/v1/auth/login').send({ username: 42 });
    const session = await signIn(t.server, 'my.officer2');
    const refreshed = await request(t.server)
      .post('/api/v1/auth/refresh')
      .send({ refreshToken: session.tokens.refreshToken });
    // The rotated token again: reuse revokes the sign-in.
    await request(t.server).post('/api/v1/auth/refresh').send({ refreshToken: session.tokens.refreshToken });
    await request(t.server).post('/api/v1/auth/refresh').send({ refreshToken: 'garbage' });
    const again = await signIn(t.server, 'my.officer2');
    await again.post('/auth/password', {
      currentPassword: 'not the current one',
      newPassword: 'a long enough new one 77',
    });
    await again.post('/auth/password', { currentPassword: TEST_DEMO_PASSWORD, newPassword: 'short' });
    await again.post('/auth/password', {
      currentPassword: TEST_DEMO_PASSWORD,
      newPassword: 'a long enough new passphrase 77',
    });
    const third = await signIn(t.server, 'my.liaison2');
    await third.post('/auth/logout');
    await third.post('/auth/logout');
    // The second factor: enrolled (a wrong code, then the right one), off with a recovery code (a wrong
    // one first), enrolled again, and reset by the country's admin.
    phase = 'mfa';
    const mfaUser = await signIn(t.server, 'my.liaison2');
    const enrolAndConfirm = async () => {
      const { secret } = (await mfaUser.post('/auth/mfa/enrolment')).body as { secret: string };
      await mfaUser.post('/auth/mfa/enrolment/confirm', {
        code: 'abcdef',
        currentPassword: TEST_DEMO_PASSWORD,
      });
      return (
        await mfaUser.post('/auth/mfa/enrolment/confirm', {
          code: totpCode(secret),
          currentPassword: TEST_DEMO_PASSWORD,
        })
      ).body as { recoveryCodes: string[] };
    };
    const { recoveryCodes } = await enrolAndConfirm();
    await mfaUser.delete('/auth/mfa', { code: 'AAAA-AAAA-AAAA-AAAA' });
    await mfaUser.delete('/auth/mfa', { code: recoveryCodes[0] });
    await enrolAndConfirm();
    const [{ id: mfaUserId }] = await t.dataSource.query(
      `SELECT id FROM app_user WHERE username = 'my.liaison2'`,
    );
    await (await signIn(t.server, 'my.admin')).post(`/users/${mfaUserId}/mfa/reset`);
    expect(refreshed.status).toBe(200);

    // 4. Idempotency-Key: a create, its replay, the key with another body (422).
    phase = 'idempotency';
    const keyed = (title: string) =>
      request(t.server)
        .post('/api/v1/cases')
        .set('Authorization', `Bearer ${who('kh.officer').tokens.accessToken}`)
        .set('Idempotency-Key', 'oracle-key-0001')
        .send({ title });
    await keyed('Keyed case');
    await keyed('Keyed case');
    await keyed('Another title');

    // 5. Notifications read.
    phase = 'notifications';
    const reader = who('kr.officer');
    const inbox = await reader.get('/notifications');
    const first = (inbox.body.items ?? inbox.body.data ?? [])[0];
    if (first) await reader.post(`/notifications/${first.id}/read`);
    await reader.post('/notifications/read-all');
    await reader.post('/notifications/00000000-0000-4000-8000-000000000000/read');

    const violations = await findViolations();
    if (
      violations.unaudited.length ||
      violations.unnamed.length ||
      violations.failedButChanged.length ||
      violations.neverSucceeded.length ||
      process.env.ORACLE_REPORT
    )
      console.log(
        `${report(violations)}\nworkflow steps refused (not violations):\n  ${stepsFailed.join('\n  ')}`,
      );
    expect(violations.unaudited).toEqual([]);
    expect(violations.unnamed).toEqual([]);
    expect(violations.failedButChanged).toEqual([]);
    // The drive reached what it means to check: a broken driver must not pass as "nothing unaudited".
    expect(violations.neverSucceeded).toEqual([]);
    expect(violations.succeeded).toBeGreaterThanOrEqual(117);
    expect(violations.transactions).toBeGreaterThanOrEqual(250);
    expect(violations.recordRows).toBeGreaterThanOrEqual(250);
    // The routes only the support drivers reach (and the draft edits of what a draft asks for, which
    // the walk only sends its subject) wrote transactions the oracle checked (verify writes nothing but
    // its audit event, the one table not captured).
    for (const key of [
      'POST /api/v1/blacklist-entries/activate',
      'POST /api/v1/blacklist-entries/{id}/amendments/{amendmentId}/accept',
      'POST /api/v1/blacklist-entries/{id}/amendments/{amendmentId}/reject',
      'POST /api/v1/repatriation-requests/{id}/drop',
      'POST /api/v1/identifier-checks/{id}/follow-ups',
      'PATCH /api/v1/repatriation-requests/{id}',
      'PATCH /api/v1/blacklist-proposals/{id}',
    ])
      expect([key, violations.wroteChecked.has(key)]).toEqual([key, true]);
  }, 120_000);

  async function findViolations() {
    const { captured, audited } = await readCaptured(t);
    const callOf = (tx: string, at: number) => {
      const named = /^oracle-call-(\d+)$/.exec(audited.get(tx)?.request ?? '');
      if (named) return calls[Number(named[1])];
      let found: Call | undefined;
      for (const c of calls) if (c.start <= at) found = c;
      return found;
    };
    const byTx = new Map<string, { call?: Call; writes: string[] }>();
    for (const c of captured) {
      const entry = byTx.get(c.tx) ?? { call: callOf(c.tx, c.at), writes: [] };
      entry.writes.push(`${c.op} ${c.tbl}`);
      byTx.set(c.tx, entry);
    }
    const describe = (tx: string, e: { call?: Call; writes: string[] }) =>
      `${e.call ? `[${e.call.label}] ${e.call.method} ${e.call.url} -> ${e.call.status}` : '(no request)'}: ${e.writes.join(', ')}` +
      (audited.has(tx) ? ` (audited: ${audited.get(tx)!.actions.join(',')})` : '');
    const unaudited: string[] = [];
    const failedButChanged: string[] = [];
    for (const [tx, e] of byTx) {
      if (!audited.has(tx)) unaudited.push(describe(tx, e));
      else if (e.call && e.call.status >= 400) {
        const refusal = audited.get(tx)!.outcomes.some((o) => o !== 'success');
        const onlyAllowed = e.writes.every((w) => w.split(' ')[1] in AUDITED_REFUSAL_WRITES);
        if (!refusal || !onlyAllowed) failedButChanged.push(describe(tx, e));
      }
    }
    // Record by record: each changed row of a record table named by an event of its transaction.
    const recordRows = await recordRowsChanged(t);
    const unnamed: string[] = (await unnamedRecordRows(t)).map(
      (r: { tbl: string; op: string; row_id: string; tx: string }) =>
        `${r.op} ${r.tbl} ${r.row_id}: ${byTx.has(r.tx) ? describe(r.tx, byTx.get(r.tx)!) : '(not captured)'}`,
    );
    // Coverage: which write routes answered a success at least once, and which never did.
    const matchers = routes
      .filter((r) => r.method !== 'GET')
      .map((r) => ({
        key: r.key,
        method: r.method,
        re: new RegExp(`^${r.path.replace(/\{[A-Za-z]+\}/g, '[^/]+')}(\\?.*)?$`),
      }));
    const succeeded = new Set<string>();
    const tried = new Set<string>();
    for (const c of calls) {
      const m = matchers.find((x) => x.method === c.method && x.re.test(c.url));
      if (!m) continue;
      tried.add(m.key);
      if (c.status < 400) succeeded.add(m.key);
    }
    const neverSucceeded = matchers.map((m) => m.key).filter((k) => !succeeded.has(k));
    // The write routes whose successful calls wrote a captured transaction (the oracle checked them).
    const wroteChecked = new Set<string>();
    for (const e of byTx.values()) {
      const m = e.call && matchers.find((x) => x.method === e.call!.method && x.re.test(e.call!.url));
      if (m && e.call!.status < 400) wroteChecked.add(m.key);
    }
    return {
      unaudited,
      unnamed,
      recordRows,
      failedButChanged,
      transactions: byTx.size,
      calls: calls.length,
      writeRoutes: matchers.length,
      succeeded: succeeded.size,
      tried: tried.size,
      neverSucceeded,
      wroteChecked,
    };
  }

  function report(v: Awaited<ReturnType<typeof findViolations>>): string {
    return [
      `every-change-audited: ${v.calls} requests, ${v.transactions} writing transactions captured; ` +
        `${v.tried}/${v.writeRoutes} write routes called, ${v.succeeded} of them with a success`,
      `write routes without a success: ${v.neverSucceeded.join(' | ')}`,
      `unaudited transactions (${v.unaudited.length}):`,
      ...v.unaudited.map((x) => `  ${x}`),
      `changed records no event of their transaction names (${v.unnamed.length} of ${v.recordRows} record rows changed):`,
      ...v.unnamed.map((x) => `  ${x}`),
      `failed requests that changed something (${v.failedButChanged.length}):`,
      ...v.failedButChanged.map((x) => `  ${x}`),
    ].join('\n');
  }
});
