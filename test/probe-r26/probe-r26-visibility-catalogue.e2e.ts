import { JobsService } from '../../src/jobs/jobs.service';
import { READS_FROM_REPLICA, REDUCES_VISIBILITY } from '../../src/database/replicas/read-route';
import { controllerMethodsOf, loadRoutes, Route } from '../security/security-support';
import { createTestApp, TestApp } from '../support/test-app';

/**
 * Probe r26: is every command that narrows someone else's view marked `@ReducesVisibility()`?
 *
 * README "Read replicas": a list served from a streaming standby may lag others' writes by up to
 * DATABASE_REPLICA_MAX_LAG_MS, except a write that takes a record (or part of one) out of ANOTHER
 * user's sight: that one stores its WAL position for everyone, so no standby serves any read until it
 * has replayed it. The rule is only as good as the list of commands carrying the mark, so this guard
 * classifies every write route of the OpenAPI document (and every background job) against the reads
 * that a standby serves, and fails when:
 *  - a write route or a job is not in the table below (a new one must be weighed),
 *  - a route the table says narrows another user's view lacks the mark, or one it says does not
 *    carries it (the table and the code disagree: one of them is wrong),
 *  - the set of `@ReadsFromReplica()` routes is not the one the table was weighed against (a new
 *    standby-served read can make an old write narrowing: weigh the table again, then update it).
 */

/** The reads a standby serves, as the table below was weighed against. */
const REPLICA_READS = [
  'GET /api/v1/information-requests',
  'GET /api/v1/asset-freeze-requests',
  'GET /api/v1/repatriation-requests',
  'GET /api/v1/blacklist-proposals',
  'GET /api/v1/release-requests',
  'GET /api/v1/cases',
  'GET /api/v1/persons',
  'GET /api/v1/arrests',
  'GET /api/v1/blacklist-entries',
  'GET /api/v1/notifications',
  'GET /api/v1/stats',
  'GET /api/v1/audit-events',
  'GET /api/v1/audit-events/timeline',
].sort();

/**
 * What a write does to what OTHER users read on those routes (their scopes: `requestScope`,
 * `caseScope`, `personScope`, `arrestScope`, `auditEventScope`, the inbox's `readableBy`, the RED rule
 * of the statistics' `hiddenInboundRequests`, all in src/access/scopes.ts):
 */
type Effect =
  /** Takes a record, or part of one, out of another user's sight: must be `@ReducesVisibility()`. */
  | 'narrows'
  /** Only adds records or readers (a draft, a share, a sending, a message, a file). */
  | 'widens'
  /**
   * Changes fields or status of a record every reader keeps reading (no scope reads them): others see
   * the change within the lag bound, as any edit ("Others' writes within the lag bound").
   */
  | 'edits'
  /** The caller's own session or read marks: their own reads wait for it (read-your-writes). */
  | 'own'
  /**
   * Who the reader is (roles, country, status, password): read from the primary at every request
   * (`CurrentUserCache`), and the scopes take roles and country from it, not from the standby.
   */
  | 'identity'
  /** Changes only what is read on the primary (no standby-served route reads it). */
  | 'primary-only';

/** An upload may supersede a file (`X-Supersedes`); files are listed and read on the primary only. */
const UPLOAD: [Effect, string] = ['primary-only', 'a file, or a new version that supersedes one'];

/** Every write route, with why it is what it is. A new route fails the guard until it is added here. */
const WRITES: Record<string, [Effect, string]> = {
  // Sign-in and accounts
  'POST /api/v1/auth/login': ['own', 'a session of the caller'],
  'POST /api/v1/auth/refresh': ['own', 'a session of the caller'],
  'POST /api/v1/auth/logout': ['own', 'ends the caller’s session, checked on the primary'],
  'POST /api/v1/auth/password': ['own', 'the caller’s password, checked on the primary'],
  'POST /api/v1/auth/mfa/enrolment': ['own', 'the caller’s pending second factor, read on the primary'],
  'POST /api/v1/auth/mfa/enrolment/confirm': ['own', 'the caller’s second factor, checked on the primary'],
  'DELETE /api/v1/auth/mfa': ['own', 'the caller’s second factor, checked on the primary'],
  'POST /api/v1/users/{id}/mfa/reset': ['identity', 'sign-in only'],
  'POST /api/v1/users/{id}/mfa/enrolment-pass': [
    'identity',
    'the pass is read at its own account’s enrolment, on the primary',
  ],
  'POST /api/v1/users': ['primary-only', 'accounts are listed from the primary (GET /users)'],
  'PATCH /api/v1/users/{id}': [
    'identity',
    'roles and agency of an account (a narrowing one applies at once): the scopes take roles from the per-request look-up on the primary',
  ],
  'POST /api/v1/users/{id}/disable': ['identity', 'refused at the next request (read-replicas spec)'],
  'POST /api/v1/users/{id}/enable': ['identity', 'widens: the account signs in again'],
  'POST /api/v1/users/{id}/unlock': ['identity', 'sign-in only'],
  'POST /api/v1/users/{id}/reset-password': ['identity', 'sign-in only (four-eyes)'],
  'POST /api/v1/users/{id}/reset-password/confirm': ['identity', 'sign-in only'],
  'POST /api/v1/users/{id}/role-changes': ['primary-only', 'a pending change; nothing changes yet'],
  'POST /api/v1/users/{id}/role-changes/{changeId}/approve': [
    'identity',
    'only a widening role change needs approval; roles are read from the primary',
  ],
  // Reference data (platform administrator)
  'POST /api/v1/countries': ['widens', 'a new country'],
  'POST /api/v1/agencies': ['widens', 'a new agency'],
  'POST /api/v1/frameworks': ['widens', 'a new framework only joins countries (`cooperatesWith`)'],
  'PATCH /api/v1/frameworks/{id}': [
    'narrows',
    'a suspension or an end date ends arrest shares and repatriation views (`cooperatesWith`), audit events of shared arrests, the inbox (probe r13)',
  ],
  'PUT /api/v1/frameworks/{id}/members/{countryCode}': [
    'narrows',
    'a country leaving (or its membership ending) ends what `cooperatesWith` opened',
  ],
  // Cases
  'POST /api/v1/cases': ['widens', 'a new case of the caller’s country'],
  'PATCH /api/v1/cases/{id}': ['edits', 'title, summary, status, lead officer, tags: no scope reads them'],
  'POST /api/v1/cases/{id}/persons': ['widens', 'linked persons reach the countries the case is shared with'],
  'DELETE /api/v1/cases/{id}/persons/{personId}': [
    'narrows',
    'the countries the case is shared with lose the person through it, as a revoked share (`personScope`)',
  ],
  'POST /api/v1/cases/{id}/shares': [
    'widens',
    'a share (again, or under another code: no scope reads the code)',
  ],
  'DELETE /api/v1/cases/{id}/shares/{countryCode}': [
    'narrows',
    'the partner loses the case, its persons, its notifications and later audit events (`caseScope`)',
  ],
  // Persons
  'POST /api/v1/persons': ['widens', 'a new person of the caller’s country'],
  'PATCH /api/v1/persons/{id}': [
    'edits',
    'the owner’s edit; a country whose link ended reads its kept copy, which is what the standby still shows',
  ],
  // Arrests
  'POST /api/v1/arrests': ['widens', 'a new arrest'],
  'POST /api/v1/arrests/batch': ['widens', 'new arrests'],
  'POST /api/v1/arrests/import': ['widens', 'new arrests'],
  'POST /api/v1/arrests/{id}/custody': ['edits', 'a custody step; no scope reads custody'],
  'PATCH /api/v1/arrests/{id}': [
    'narrows',
    'a corrected nationality: the old country no longer reads the arrest by its own repatriation draft (`arrestScope`)',
  ],
  'POST /api/v1/arrests/{id}/shares': [
    'widens',
    'an arrest share (never revoked; it ends with the framework)',
  ],
  // Information requests (requestScope reads no status: both sides read a request in every state)
  'POST /api/v1/information-requests': ['widens', 'a draft of the origin'],
  'PATCH /api/v1/information-requests/{id}': [
    'narrows',
    'a person taken off a draft leaves the origin’s users who read that person only through it (`personScope`)',
  ],
  'POST /api/v1/information-requests/{id}/submit': [
    'edits',
    'the origin reads every state; the target none yet',
  ],
  'POST /api/v1/information-requests/{id}/approve': ['widens', 'sent: the target reads it from now on'],
  'POST /api/v1/information-requests/{id}/return': ['edits', 'submitted → draft: never the target’s'],
  'POST /api/v1/information-requests/{id}/withdraw': [
    'edits',
    'both sides keep reading a withdrawn request (probe case)',
  ],
  'POST /api/v1/information-requests/{id}/accept': ['edits', 'status'],
  'POST /api/v1/information-requests/{id}/reject': [
    'edits',
    'both sides keep reading a rejected request (probe case)',
  ],
  'POST /api/v1/information-requests/{id}/fulfil': ['widens', 'findings for the origin'],
  'POST /api/v1/information-requests/{id}/close': ['edits', 'status'],
  'POST /api/v1/information-requests/{id}/assign': [
    'narrows',
    'a RED request leaves the officer it was assigned to (`requestScope`, `hiddenInboundRequests`)',
  ],
  'POST /api/v1/information-requests/{id}/messages': ['widens', 'a message'],
  'POST /api/v1/information-requests/{id}/attachments': UPLOAD,
  // Asset freezes
  'POST /api/v1/asset-freeze-requests': ['widens', 'a draft of the origin'],
  'PATCH /api/v1/asset-freeze-requests/{id}': [
    'narrows',
    'a target taken off a draft takes its holder and victims off it: the origin’s users who read such a person only through the draft lose it (`personScope`)',
  ],
  'POST /api/v1/asset-freeze-requests/{id}/submit': [
    'edits',
    'the origin reads every state; the target none yet',
  ],
  'POST /api/v1/asset-freeze-requests/{id}/approve': ['widens', 'sent: the target reads it from now on'],
  'POST /api/v1/asset-freeze-requests/{id}/return': ['edits', 'submitted → draft: never the target’s'],
  'POST /api/v1/asset-freeze-requests/{id}/withdraw': [
    'edits',
    'both sides keep reading a withdrawn request (probe case)',
  ],
  'POST /api/v1/asset-freeze-requests/{id}/accept': ['edits', 'status'],
  'POST /api/v1/asset-freeze-requests/{id}/reject': ['edits', 'both sides keep reading a rejected request'],
  'POST /api/v1/asset-freeze-requests/{id}/fulfil': ['edits', 'status, once every target is done'],
  'POST /api/v1/asset-freeze-requests/{id}/close': ['edits', 'status'],
  'POST /api/v1/asset-freeze-requests/{id}/assign': [
    'narrows',
    'a RED request leaves the officer it was assigned to',
  ],
  'POST /api/v1/asset-freeze-requests/{id}/messages': ['widens', 'a message'],
  'POST /api/v1/asset-freeze-requests/{id}/targets/{targetId}/freeze': [
    'edits',
    'a target’s status and amounts',
  ],
  'POST /api/v1/asset-freeze-requests/{id}/targets/{targetId}/recover': [
    'edits',
    'a target’s status and amounts',
  ],
  'POST /api/v1/asset-freeze-requests/{id}/targets/{targetId}/return': [
    'edits',
    'a target’s status and amounts',
  ],
  'POST /api/v1/asset-freeze-requests/{id}/targets/{targetId}/release': ['edits', 'a target’s status'],
  'POST /api/v1/asset-freeze-requests/{id}/targets/{targetId}/close-out': ['edits', 'a target’s status'],
  'POST /api/v1/asset-freeze-requests/{id}/targets/{targetId}/attachments': UPLOAD,
  // Repatriations: the person's country reads the arrests only while the request is under way
  // (`arrestScope`, `repatriationUnderWay`)
  'POST /api/v1/repatriation-requests': ['widens', 'a draft of the origin'],
  'PATCH /api/v1/repatriation-requests/{id}': [
    'narrows',
    'an arrest taken off a draft takes its person off it (`personScope`), and the arrest from the person’s country when it drafted the request (`arrestScope`)',
  ],
  'POST /api/v1/repatriation-requests/{id}/submit': [
    'edits',
    'the origin reads every state; the target none yet',
  ],
  'POST /api/v1/repatriation-requests/{id}/approve': ['widens', 'sent: the target reads it and its arrests'],
  'POST /api/v1/repatriation-requests/{id}/return': [
    'edits',
    'submitted → draft: never the target’s; the origin reads a draft’s arrests as before',
  ],
  'POST /api/v1/repatriation-requests/{id}/withdraw': [
    'narrows',
    'the person’s country no longer reads the arrests (`repatriationUnderWay`; probe r13)',
  ],
  'POST /api/v1/repatriation-requests/{id}/accept': ['edits', 'status'],
  'POST /api/v1/repatriation-requests/{id}/reject': [
    'narrows',
    'the person’s country no longer reads the arrests (`repatriationUnderWay`)',
  ],
  'POST /api/v1/repatriation-requests/{id}/fulfil': ['edits', 'status: `repatriationUnderWay` still holds'],
  'POST /api/v1/repatriation-requests/{id}/close': ['edits', 'status: `repatriationUnderWay` still holds'],
  'POST /api/v1/repatriation-requests/{id}/messages': ['widens', 'a message'],
  'POST /api/v1/repatriation-requests/{id}/schedule': ['edits', 'a schedule'],
  'POST /api/v1/repatriation-requests/{id}/handover': ['edits', 'handover facts'],
  'POST /api/v1/repatriation-requests/{id}/confirm-handover': ['edits', 'handover facts'],
  'POST /api/v1/repatriation-requests/{id}/drop': [
    'narrows',
    'the dropped person’s arrest leaves the person’s country, and its custody status the request’s row',
  ],
  // Blacklist: entries are listed under their proposal's `requestScope`, in every status
  'POST /api/v1/blacklist-entries': ['widens', 'a proposal draft'],
  'POST /api/v1/blacklist-entries/batch': ['widens', 'a proposal draft'],
  'POST /api/v1/blacklist-entries/activate': ['edits', 'status and identity; screening reads the primary'],
  'POST /api/v1/blacklist-entries/{id}/activate': [
    'edits',
    'status and identity; screening reads the primary',
  ],
  'POST /api/v1/blacklist-entries/{id}/reject': ['edits', 'status: both countries keep listing the entry'],
  'POST /api/v1/blacklist-entries/{id}/lift': [
    'edits',
    'status: both countries keep listing the entry, as lifted (probe case); screening reads the primary',
  ],
  'POST /api/v1/blacklist-entries/{id}/extend': [
    'edits',
    'the expiry: both countries keep listing the entry; screening reads the primary',
  ],
  'POST /api/v1/blacklist-entries/{id}/amendments/{amendmentId}/accept': ['edits', 'the entry’s identity'],
  'POST /api/v1/blacklist-entries/{id}/amendments/{amendmentId}/reject': ['edits', 'an amendment’s status'],
  'POST /api/v1/blacklist-entries/{id}/attachments': UPLOAD,
  'PATCH /api/v1/blacklist-proposals/{id}': [
    'narrows',
    'an entry taken off a draft is deleted (the origin’s users list it no more) and its person leaves the draft (`personScope`)',
  ],
  'POST /api/v1/blacklist-proposals/{id}/submit': [
    'edits',
    'the origin reads every state; the target none yet',
  ],
  'POST /api/v1/blacklist-proposals/{id}/approve': ['widens', 'sent: the banning country reads it'],
  'POST /api/v1/blacklist-proposals/{id}/return': ['edits', 'submitted → draft: never the target’s'],
  'POST /api/v1/blacklist-proposals/{id}/withdraw': [
    'edits',
    'both sides keep reading the proposal and its entries',
  ],
  'POST /api/v1/blacklist-proposals/{id}/accept': ['edits', 'status'],
  'POST /api/v1/blacklist-proposals/{id}/reject': [
    'edits',
    'both sides keep reading the proposal and its entries',
  ],
  'POST /api/v1/blacklist-proposals/{id}/fulfil': ['edits', 'status'],
  'POST /api/v1/blacklist-proposals/{id}/close': ['edits', 'status'],
  'POST /api/v1/blacklist-proposals/{id}/messages': ['widens', 'a message'],
  // Consent to pass on (TLP): a grant is weighed by releases on the primary, never by a read scope
  'POST /api/v1/release-requests': ['widens', 'a draft of the origin'],
  'PATCH /api/v1/release-requests/{id}': [
    'edits',
    'a draft’s subject, priority, persons and numbers asked about (its payload: no link, no scope reads them); only the origin reads a draft',
  ],
  'POST /api/v1/release-requests/{id}/submit': ['edits', 'the origin reads every state; the target none yet'],
  'POST /api/v1/release-requests/{id}/approve': ['widens', 'sent: the originator reads it'],
  'POST /api/v1/release-requests/{id}/return': ['edits', 'submitted → draft: never the target’s'],
  'POST /api/v1/release-requests/{id}/withdraw': ['edits', 'before any grant; both sides keep reading it'],
  'POST /api/v1/release-requests/{id}/accept': ['widens', 'a grant, weighed by later releases'],
  'POST /api/v1/release-requests/{id}/reject': ['edits', 'no grant; both sides keep reading it'],
  'POST /api/v1/release-requests/{id}/fulfil': ['edits', 'status'],
  'POST /api/v1/release-requests/{id}/close': ['edits', 'status'],
  'POST /api/v1/release-requests/{id}/messages': ['widens', 'a message'],
  // Files: listed and read on the primary only; their audit events are the owner's (`auditEventScope`)
  'POST /api/v1/cases/{id}/attachments': UPLOAD,
  'POST /api/v1/persons/{id}/attachments': UPLOAD,
  'POST /api/v1/arrests/{id}/attachments': UPLOAD,
  'POST /api/v1/attachments/{id}/verify': ['primary-only', 'checks the bytes'],
  'POST /api/v1/attachments/{id}/withdraw': [
    'primary-only',
    'a withdrawn or superseded file leaves file lists and downloads, all read on the primary',
  ],
  // Screening and identifier checks
  'POST /api/v1/screenings': ['widens', 'a screening and its alerts (read on the primary)'],
  'POST /api/v1/screenings/{id}/candidates/{candidateId}/decision': [
    'widens',
    'a confirmed hit tells; nothing told is taken back (`proposer_told_at`)',
  ],
  'POST /api/v1/identifier-checks': ['primary-only', 'a check, read on the primary'],
  'PUT /api/v1/identifier-checks/settings/{frameworkId}': [
    'primary-only',
    'auto-answer, weighed when a check runs on the primary',
  ],
  'POST /api/v1/identifier-checks/{id}/follow-ups': ['widens', 'an information request draft'],
  // Inbox, webhooks, audit
  'POST /api/v1/notifications/read-all': ['own', 'the caller’s read marks'],
  'POST /api/v1/notifications/{id}/read': ['own', 'the caller’s read mark'],
  'POST /api/v1/webhooks': ['primary-only', 'webhooks are listed and delivered from the primary'],
  'POST /api/v1/webhooks/{id}/disable': [
    'primary-only',
    'webhooks are listed and delivered from the primary',
  ],
  'POST /api/v1/webhooks/{id}/enable': ['primary-only', 'webhooks are listed and delivered from the primary'],
  'POST /api/v1/audit-events/verify': ['primary-only', 'verifies the chain; records its own read'],
};

/**
 * Background jobs are not routes, so the interceptor stores no position for them: a job that took a
 * record out of someone's sight would have to store `EVERYONE`'s position itself
 * (`ReadReplicas.recordWrite`). None does: each row says why.
 */
const JOBS: Record<string, string> = {
  'deadline-scan': 'due and overdue notices: adds notifications',
  'webhook-delivery': 'delivers to webhooks from the primary',
  'webhook-sweep': 'requeues lost deliveries',
  'stats-rollup-compaction': 'merges rollup rows; the same figures on a standby before and after',
  'blacklist-expiry':
    'expired entries leave the screening index (read on the primary); an entry shows as expired by its date, on any server',
  'blacklist-amendments': 'proposes amendments: adds',
  'blacklist-expiry-notice': 'tells of bans about to lapse: adds notifications',
  'screening-rescreen': 'raises alerts: adds',
  'identifier-correlation-sweep': 'raises correlation alerts: adds',
  'file-own-numbers-catch-up':
    "records the numbers earlier files show as the recipients' receipts: refuses more of what leaves, hides nothing",
  'login-throttle-sweep': 'sign-in counters',
  'sign-in-address-sweep': 'forgets sign-in addresses no rule counts any more; nobody reads them',
};
// Also no job: a framework's end date. `framework_members_on(CURRENT_DATE)` ends it on the standby on
// the same day as on the primary, with nothing to replay.

describe('Probe r26: every write route and job is weighed against the reads a standby serves', () => {
  let t: TestApp;
  let routes: Route[];
  const marked = new Map<string, { reduces: boolean; replica: boolean }>();

  beforeAll(async () => {
    t = await createTestApp();
    routes = await loadRoutes(t);
    for (const { key, handler } of controllerMethodsOf(t))
      if (!marked.has(key))
        marked.set(key, {
          reduces: Reflect.getMetadata(REDUCES_VISIBILITY, handler) === true,
          replica: Reflect.getMetadata(READS_FROM_REPLICA, handler) === true,
        });
  }, 60_000);
  afterAll(() => t?.close());

  const metadataOf = (route: Route) => {
    const found = marked.get(route.operationId.replace(/_v\d+$/, ''));
    if (!found) throw new Error(`no handler found for ${route.key} (${route.operationId})`);
    return found;
  };

  it('the reads a standby serves are the ones the table was weighed against', () => {
    const served = routes.filter((r) => metadataOf(r).replica).map((r) => r.key);
    expect(served.sort()).toEqual(REPLICA_READS);
  });

  it('every write route is classified, and no classified route is gone', () => {
    const writes = routes.filter((r) => r.method !== 'GET').map((r) => r.key);
    expect(writes.filter((key) => !(key in WRITES))).toEqual([]);
    expect(Object.keys(WRITES).filter((key) => !writes.includes(key))).toEqual([]);
    expect(writes.length).toBeGreaterThan(100);
  });

  it('a write is @ReducesVisibility() exactly when it narrows another user’s view', () => {
    const disagreements = routes
      .filter((r) => r.key in WRITES)
      .map((r) => ({ route: r.key, narrows: WRITES[r.key]![0] === 'narrows', marked: metadataOf(r).reduces }))
      .filter((r) => r.narrows !== r.marked)
      .map(
        (r) =>
          `${r.route}: ${r.narrows ? 'narrows, but is not marked' : 'marked, but classified as not narrowing'}`,
      );
    expect(disagreements).toEqual([]);
    // The routes the README names, at least: the table cannot lose them unnoticed.
    const narrowing = Object.keys(WRITES).filter((key) => WRITES[key]![0] === 'narrows');
    expect(narrowing).toEqual(
      expect.arrayContaining([
        'DELETE /api/v1/cases/{id}/shares/{countryCode}',
        'PATCH /api/v1/frameworks/{id}',
        'PUT /api/v1/frameworks/{id}/members/{countryCode}',
        'POST /api/v1/repatriation-requests/{id}/withdraw',
        'POST /api/v1/repatriation-requests/{id}/reject',
        'POST /api/v1/repatriation-requests/{id}/drop',
      ]),
    );
  });

  it('every background job is classified (none takes anything out of anyone’s sight)', () => {
    // The registry is private: a job is declared with `define` at start-up and nowhere else.
    const defined = [
      ...(t.app.get(JobsService) as unknown as { definitions: Map<string, unknown> }).definitions.keys(),
    ];
    expect(defined.filter((name) => !(name in JOBS))).toEqual([]);
    // `login-throttle-sweep` only without Redis; every other one in every process.
    expect(Object.keys(JOBS).filter((name) => !defined.includes(name))).toEqual(
      process.env.REDIS_URL ? ['login-throttle-sweep'] : [],
    );
  });
});
