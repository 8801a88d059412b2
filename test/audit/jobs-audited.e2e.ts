import request from 'supertest';
import { OWN_NUMBERS_CATCH_UP_JOB } from '../../src/attachments/own-numbers-catch-up.service';
import { Clock } from '../../src/common/time/clock';
import { JobsService } from '../../src/jobs/jobs.service';
import { DISABLE_AFTER_FAILURES } from '../../src/webhooks/webhook-delivery.service';
import { DELIVERY_JOB, SWEEP_JOB } from '../../src/webhooks/webhook-outbox.service';
import { proposedAndAccepted, threeSuspects } from '../support/blacklist-scenario';
import { upload } from '../attachments/attachment-support';
import { khCaseSharedWithKr } from '../sharing/support';
import { givenIn } from '../support/given';
import { signIn } from '../support/http';
import { taskForce, TaskForce } from '../support/scenario';
import { createTestApp, TestApp } from '../support/test-app';
import {
  deliveryAbout,
  integrationAccount,
  receiver,
  Receiver,
  sentToKh,
  subscribe,
} from '../probe-r32/r32-support';
import {
  BOOKKEEPING_COLUMNS,
  forgetCaptured,
  installCapture,
  readCaptured,
  recordChanges,
  recordRowsChanged,
  RECORD_TABLES,
  unnamedRecordRows,
} from './oracle';

/**
 * The every-change oracle (oracle.ts) on the background jobs. The HTTP walk (every-change-audited.e2e.ts)
 * runs with JOBS_ENABLED=false, so what the jobs write is a path no route reaches: "a rule checked at one
 * entry point is not a rule". Here every job the app defines (read from JobsService at run time: a job
 * defined later that this case does not drive fails it) is given real work through the API — an entry
 * past its expiry, an edited person with an active entry, an activation to re-screen, a request past its
 * deadline, a webhook delivery that succeeds, one that fails until its subscription is switched off, a
 * delivery whose job was lost, stale rows for the sweeps, a correlation a write outside the app left —
 * and is run through JobsService.runNow, as its worker runs it. Then, on every transaction the jobs
 * wrote: (a) it has an audit event, unless it wrote only job bookkeeping (JOB_BOOKKEEPING, each with its
 * reason); (c) every changed row of a record table is named by an event of its own transaction.
 */

/**
 * Tables a job may write without an audit event, and why: none of these writes changes what a reader
 * is told of a record. A transaction that also writes any other table needs its event.
 */
const JOB_BOOKKEEPING: Record<string, string> = {
  stats_request_count:
    'stats-rollup-compaction folds the delta rows of one group into one row holding their sum: GET /stats answers the same before and after (asserted below); each delta was written in the audited transaction of the request change it counts',
  stats_request_duration: 'as stats_request_count',
  stats_open_request: 'as stats_request_count',
  sign_in_address:
    'sign-in-address-sweep forgets addresses no rule counts any longer (30 days after the last sign-in from them): nothing anyone may do changes (SignInAddressesSweepService); personal data kept no longer than it counts',
  blacklist_amendment_task:
    "the amendments job's own queue of edited persons: taking a person off it changes nothing anyone reads; the amendment it proposes or supersedes is audited (blacklist.entry.amendment.*)",
  identifier_correlation:
    "a correlation the case's country does not read on both sides is withheld (withheld_at) and looked at again by the next sweep; an audit event of it would tell the country's auditors of a match it may not learn (CorrelationAlertsService.announceOne); an announcement is audited (case.identifier_correlation)",
  webhook_delivery:
    "the delivery log (GET /webhooks/{id}/deliveries, its owner's only): the outbox's own record of what it sent, when and what was answered; an event per attempt would copy that log into the trail up to 13 times a delivery. The change of a record it leads to, a subscription switched off, is audited (webhook.disable by the system)",
  webhook_attempt: 'as webhook_delivery: one row per attempt of the delivery log',
};

/**
 * Columns a job's UPDATE of a record row may touch without an event naming the row, and why.
 * `webhook_subscription.consecutive_failures`: a count of failed attempts in a row (README "Webhooks",
 * shown to the subscription's owner only); the switch-off it leads to changes `active` and is audited.
 */
const JOB_BOOKKEEPING_COLUMNS: Record<string, string[]> = {
  ...BOOKKEEPING_COLUMNS,
  webhook_subscription: ['consecutive_failures'],
};

interface Run {
  job: string;
  /** The capture rows (oracle_capture ids) this run wrote: after `from`, up to `to`. */
  from: number;
  to: number;
  error: string | null;
}

describe('every change of state a background job makes is audited in its own transaction', () => {
  let t: TestApp;
  let tf: TaskForce;
  let jobs: JobsService;
  let hooks: Receiver;
  /** What the app queued (JobsService.send; jobs are off in tests): the case runs it as pg-boss would. */
  let queued: Array<{ name: string; data: Record<string, unknown> }> = [];
  /** Every job queued, with the job whose run queued it (null: a request). */
  const sends: Array<{ name: string; data: Record<string, unknown>; by: string | null }> = [];
  let running: string | null = null;
  const runs: Run[] = [];
  const setUp: Record<string, string> = {};

  beforeAll(async () => {
    t = await createTestApp(
      {},
      { AUDIT_SEAL_INTERVAL_MS: '0', WEBHOOK_ALLOWED_HOSTS: '127.0.0.1', TRUSTED_PROXIES: '127.0.0.1/32' },
    );
    await installCapture(t);
    jobs = t.app.get(JobsService);
    jest.spyOn(jobs, 'send').mockImplementation(async (name: string, data: object) => {
      queued.push({ name, data: data as Record<string, unknown> });
      sends.push({ name, data: data as Record<string, unknown>, by: running });
    });
    tf = await taskForce(t);
    hooks = await receiver();
    hooks.answer.ok = 200;
    hooks.answer.failing = 503;

    // Webhooks: KH's integration accounts subscribe to inbound requests, one receiver answering 200, one
    // 503 and two failures short of its switch-off.
    const okOwner = await integrationAccount(t, 'kh.jobs.ok', ['liaison']);
    const okSub = await subscribe(okOwner.as, hooks.url('ok'), ['request.inbound']);
    const failingOwner = await integrationAccount(t, 'kh.jobs.failing', ['liaison']);
    const failingSub = await subscribe(failingOwner.as, hooks.url('failing'), ['request.inbound']);
    await t.dataSource.query(`UPDATE webhook_subscription SET consecutive_failures = $2 WHERE id = $1`, [
      failingSub,
      DISABLE_AFTER_FAILURES - 2,
    ]);
    setUp.failingSub = failingSub;
    const kr = { officer: tf['kr.officer'], liaison: tf['kr.liaison'] };
    const first = await sentToKh(kr, tf.cambodiaKoreaFramework);
    const second = await sentToKh(kr, tf.cambodiaKoreaFramework);
    setUp.delivered = (await deliveryAbout(t, okSub, first.id))!.id;
    // The second request's delivery to the good receiver lost its job (a crash between commit and
    // queueing), a minute and more ago: the minute sweeper's to find.
    const lost = (await deliveryAbout(t, okSub, second.id))!.id;
    setUp.lost = lost;
    queued = queued.filter((q) => q.data.deliveryId !== lost);
    await t.dataSource.query(
      `UPDATE webhook_delivery SET created_at = now() - interval '2 minutes' WHERE id = $1`,
      [lost],
    );
    // Deadlines: both requests are due; the scan runs at 80 % of the first's time, then past its due.
    const [due] = await t.dataSource.query(`SELECT sent_at, due_at FROM cross_border_request WHERE id = $1`, [
      first.id,
    ]);
    setUp.dueSoonAt = new Date(
      +new Date(due.sent_at) + 0.8 * (+new Date(due.due_at) - +new Date(due.sent_at)),
    ).toISOString();
    setUp.overdueAt = new Date(+new Date(due.due_at) + 60_000).toISOString();

    // Blacklist: KH's checkpoint screens Lee before any entry lists him; KR proposes three suspects and
    // KH accepts; KH activates Lee until 31 January 2027 and Park for years (each activation queues a
    // re-screening of the past screenings); KR then edits Park (an active entry: an amendment to
    // propose) and Choi (only proposed: the job finds nothing to amend).
    const screener = await signIn(t.server, 'kh.screener');
    await screener
      .post('/screenings', {
        checkpoint: 'PNH-AIRPORT-ARR-3',
        names: [{ full: 'Lee Jae-seong' }],
        birthDate: '1985-03-14',
        document: { number: 'M12345678' },
      })
      .expect(201);
    const { proposal } = await proposedAndAccepted(tf, threeSuspects(tf.cambodiaKoreaFramework));
    const entries: Array<{ id: string; person_id: string; full: string }> = await t.dataSource.query(
      `SELECT e.id, e.person_id, p.names -> 0 ->> 'full' AS full
         FROM blacklist_entry e JOIN person p ON p.id = e.person_id WHERE e.proposal_id = $1`,
      [proposal.id],
    );
    const entry = (name: string) => entries.find((e) => e.full.includes(name))!;
    for (const [who, expiresOn] of [
      [entry('Lee') ?? entry('이재성'), '2027-01-31'],
      [entry('PARK'), '2031-12-31'],
    ] as const)
      await tf['kh.liaison']
        .post(`/blacklist-entries/${who.id}/activate`, {
          version: 1,
          legalBasis: 'Immigration Law art. 29',
          expiresOn,
        })
        .expect(200);
    setUp.expiresAfter = '2027-02-01T06:00:00Z';
    // Lee's ban lapses within the notice period (14 days): both countries are told.
    setUp.expiryNoticeAt = '2027-01-20T06:00:00Z';
    for (const [who, full] of [
      [entry('PARK'), 'PARK Min-ho Jr'],
      [entry('CHOI'), 'CHOI Young-soo Jr'],
    ] as const) {
      const person = (await tf['kr.officer'].get(`/persons/${who.person_id}`).expect(200)).body;
      await tf['kr.officer']
        .patch(`/persons/${who.person_id}`, {
          version: person.version,
          names: [{ full, script: 'latin', kind: 'primary' }],
        })
        .expect(200);
    }

    // A correlation a write outside the app left: KR holds a phone in an open case, KH's request about
    // it is sent by hand (psql, a repair script), so no transaction of the app announced it.
    const phone = '+85512309991';
    const person = (
      await tf['kr.officer']
        .post('/persons', {
          names: [{ full: 'SUSPECT JOBS', script: 'latin', kind: 'primary' }],
          phones: [phone],
        })
        .expect(201)
    ).body;
    await tf['kr.officer']
      .post('/cases', { title: 'Call centre', persons: [{ personId: person.id, role: 'suspect' }] })
      .expect(201);
    const submitted = await givenIn(tf)
      .anInformationRequest()
      .from('KH')
      .sentTo('KR')
      .with({ identifiers: { phones: [phone] } })
      .submitted();
    await t.dataSource.query(
      `UPDATE cross_border_request SET status = 'sent', sent_at = now(), reference = 'KH-KR-INF-2026-998001' WHERE id = $1`,
      [submitted.id],
    );

    // The sweeps: a sign-in counter whose window ended, and sign-in addresses (forgotten 30 days on).
    await request(t.server)
      .post('/api/v1/auth/login')
      .set('X-Forwarded-For', '198.51.100.77')
      .send({ username: 'kh.officer', password: 'not the password 1' });
    await t.dataSource.query(
      `UPDATE login_throttle SET window_ends_at = now() - interval '1 second', blocked_until = now() - interval '1 second'`,
    );
    setUp.addressesForgottenAt = new Date(Date.now() + 31 * 86400_000).toISOString();

    // A file KH gave KR before its own numbers were read at upload: the catch-up's to read, keep and
    // record as KR's receipt.
    const { caseId: khCase } = await khCaseSharedWithKr(
      tf,
      { names: [{ full: 'SOK Statement', script: 'latin', kind: 'primary' }] },
      'Bank statements',
    );
    const statement = Buffer.from('Beneficiary account 0071-2233-4455\n');
    const filed = await upload(
      t,
      tf['kh.officer'],
      `/cases/${khCase}/attachments`,
      statement,
      'statement.txt',
    );
    expect(filed.status).toBe(201);
    await t.dataSource.query(`DELETE FROM file_own_numbers_read WHERE sha256 = $1`, [filed.body.sha256]);
    await t.dataSource.query(`DELETE FROM file_own_number WHERE sha256 = $1`, [filed.body.sha256]);

    await forgetCaptured(t);
  }, 180_000);
  afterAll(async () => {
    await hooks?.close();
    await t?.close();
  });

  const lastCaptureId = async () =>
    Number((await t.dataSource.query(`SELECT coalesce(max(id), 0)::float8 AS id FROM oracle_capture`))[0].id);

  /** Runs one job of `job` (at `at`, when given), as its worker would, noting what it wrote. */
  async function run(job: string, data: Record<string, unknown> = {}, at?: string): Promise<Run> {
    const clock = at ? jest.spyOn(t.app.get(Clock), 'now').mockReturnValue(new Date(at)) : null;
    const from = await lastCaptureId();
    let error: string | null = null;
    running = job;
    try {
      await jobs.runNow(job, data);
    } catch (e) {
      error = e instanceof Error ? e.message : String(e);
    } finally {
      clock?.mockRestore();
      running = null;
    }
    const done = { job, from, to: await lastCaptureId(), error };
    runs.push(done);
    return done;
  }

  /** Runs what the jobs queued, retrying a job that failed as pg-boss would (up to three tries here). */
  async function drainQueue(): Promise<void> {
    const tries = new Map<object, number>();
    while (queued.length) {
      const item = queued.shift()!;
      const r = await run(item.name, item.data);
      const tried = (tries.get(item) ?? 0) + 1;
      tries.set(item, tried);
      if (r.error && tried < 3) queued.push(item);
    }
  }

  /**
   * How each job is given its run. A job defined without a driver here fails the case: add its driver,
   * with the data that gives it work.
   */
  const DRIVERS: Record<string, () => Promise<void>> = {
    'stats-rollup-compaction': async () => void (await run('stats-rollup-compaction')),
    'sign-in-address-sweep': async () =>
      void (await run('sign-in-address-sweep', {}, setUp.addressesForgottenAt)),
    'login-throttle-sweep': async () => void (await run('login-throttle-sweep')),
    'screening-rescreen': async () => void (await run('screening-rescreen')),
    'deadline-scan': async () => {
      await run('deadline-scan', {}, setUp.dueSoonAt);
      await run('deadline-scan', {}, setUp.overdueAt);
    },
    'blacklist-amendments': async () => void (await run('blacklist-amendments')),
    'blacklist-expiry': async () => void (await run('blacklist-expiry', {}, setUp.expiresAfter)),
    'blacklist-expiry-notice': async () =>
      void (await run('blacklist-expiry-notice', {}, setUp.expiryNoticeAt)),
    'identifier-correlation-sweep': async () => void (await run('identifier-correlation-sweep')),
    [OWN_NUMBERS_CATCH_UP_JOB]: async () => void (await run(OWN_NUMBERS_CATCH_UP_JOB)),
    // The minute sweep re-queues the delivery whose job was lost; the deliveries then run from the queue.
    [SWEEP_JOB]: async () => void (await run(SWEEP_JOB)),
    [DELIVERY_JOB]: drainQueue,
  };

  it('drives every defined job, and finds every change they made audited', async () => {
    const defined = jobs.names;
    expect(defined.filter((name) => !(name in DRIVERS))).toEqual([]);
    const throttleRows = async () =>
      Number((await t.dataSource.query(`SELECT count(*)::int AS n FROM login_throttle`))[0].n);
    /** The figures KR's liaison reads (not the window, which moves with the clock). */
    const stats = async () => {
      const { from: _from, to: _to, ...figures } = (await tf['kr.liaison'].get('/stats').expect(200)).body;
      return figures as Record<string, unknown>;
    };
    const throttleBefore = await throttleRows();
    const statsBefore = await stats();
    const queuedBefore = queued.length;
    // The delivery job last: the others queue work for it (the sweep, the lost delivery).
    for (const name of [...defined.filter((n) => n !== DELIVERY_JOB), DELIVERY_JOB]) await DRIVERS[name]!();

    // Each job did real work: it wrote a transaction the oracle checked, or (what the oracle does not
    // capture) the throttle sweep dropped counters and the webhook sweep queued the lost delivery.
    const { captured, audited } = await readCaptured(t);
    const txsOf = (job: string) =>
      new Set(
        captured
          .filter((c) => runs.some((r) => r.job === job && c.id > r.from && c.id <= r.to))
          .map((c) => c.tx),
      );
    const work: Record<string, boolean> = {};
    for (const name of defined) work[name] = txsOf(name).size > 0;
    if ('login-throttle-sweep' in work)
      work['login-throttle-sweep'] = (await throttleRows()) < throttleBefore;
    work[SWEEP_JOB] = sends.some(
      (s) => s.by === SWEEP_JOB && s.name === DELIVERY_JOB && s.data.deliveryId === setUp.lost,
    );
    expect(work).toEqual(Object.fromEntries(defined.map((n) => [n, true])));
    expect(queuedBefore).toBeGreaterThan(0);

    // (a) every transaction a job wrote is audited, unless it wrote only job bookkeeping.
    const byTx = new Map<string, { jobs: Set<string>; writes: Set<string> }>();
    for (const c of captured) {
      const e = byTx.get(c.tx) ?? { jobs: new Set(), writes: new Set() };
      for (const r of runs) if (c.id > r.from && c.id <= r.to) e.jobs.add(r.job);
      e.writes.add(`${c.op} ${c.tbl}`);
      byTx.set(c.tx, e);
    }
    const describeTx = (tx: string) => {
      const e = byTx.get(tx);
      return e
        ? `[${[...e.jobs].join(',') || 'no job'}] ${[...e.writes].join(', ')}` +
            (audited.has(tx) ? ` (audited: ${audited.get(tx)!.actions.join(',')})` : '')
        : '(not captured)';
    };
    // A write is bookkeeping when its table is (JOB_BOOKKEEPING), or when it is an UPDATE of a record
    // row that touched only bookkeeping columns (JOB_BOOKKEEPING_COLUMNS).
    const changedRecords = await recordChanges(t, JOB_BOOKKEEPING_COLUMNS);
    const bookkeeping = (tx: string, write: string) => {
      const [op, table] = write.split(' ') as [string, string];
      if (table in JOB_BOOKKEEPING) return true;
      return table in RECORD_TABLES && op === 'UPDATE' && !changedRecords.has(`${tx} ${table}`);
    };
    const unaudited = [...byTx.keys()]
      .filter((tx) => !audited.has(tx))
      .filter((tx) => [...byTx.get(tx)!.writes].some((w) => !bookkeeping(tx, w)))
      .map(describeTx);
    // (c) every changed record row named by an event of its own transaction.
    const unnamed = (await unnamedRecordRows(t, JOB_BOOKKEEPING_COLUMNS)).map(
      (r) => `${r.op} ${r.tbl} ${r.row_id}: ${describeTx(r.tx)}`,
    );
    // Every transaction was written by a job run (nothing else ran meanwhile).
    const stray = [...byTx.entries()].filter(([, e]) => e.jobs.size === 0).map(([tx]) => describeTx(tx));
    if (unaudited.length || unnamed.length || stray.length || process.env.ORACLE_REPORT)
      console.log(
        [
          `jobs-audited: ${runs.length} job runs, ${byTx.size} writing transactions, ${await recordRowsChanged(t)} record rows changed`,
          ...[...byTx.keys()].map((tx) => `  ${describeTx(tx)}`),
          `unaudited (${unaudited.length}):`,
          ...unaudited.map((x) => `  ${x}`),
          `unnamed (${unnamed.length}):`,
          ...unnamed.map((x) => `  ${x}`),
          ...runs.filter((r) => r.error).map((r) => `  run ${r.job} threw: ${r.error}`),
        ].join('\n'),
      );
    expect(unaudited).toEqual([]);
    expect(unnamed).toEqual([]);
    expect(stray).toEqual([]);

    // The drive reached what it means to check: each of these changes was made by a job and audited.
    const actions = new Set([...audited.values()].flatMap((e) => e.actions));
    expect(
      [
        'blacklist.entry.expired',
        'blacklist.entry.expiring',
        'blacklist.entry.rescreen',
        'blacklist.entry.amendment.propose',
        'request.due_soon',
        'request.overdue',
        'webhook.disable',
        'case.identifier_correlation',
      ].filter((a) => !actions.has(a)),
    ).toEqual([]);
    const [sub] = await t.dataSource.query(`SELECT active FROM webhook_subscription WHERE id = $1`, [
      setUp.failingSub,
    ]);
    expect(sub).toEqual({ active: false });
    const deliveries = await t.dataSource.query(
      `SELECT id, status FROM webhook_delivery WHERE id = ANY($1) ORDER BY id`,
      [[setUp.delivered, setUp.lost]],
    );
    expect(deliveries.map((d: { status: string }) => d.status)).toEqual(['delivered', 'delivered']);
    expect(hooks.hits.filter((h) => h.hook === 'failing').length).toBe(2);
    // The compaction changed no figure anyone reads.
    expect(await stats()).toEqual(statsBefore);
  }, 180_000);
});
