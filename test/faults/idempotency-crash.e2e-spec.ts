import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import request from 'supertest';
import { signIn, SignedIn } from '../support/http';
import { createTestApp, TestApp } from '../support/test-app';

/**
 * Issue 17: a keyed create whose transaction dies half-way (its process killed, its connection cut)
 * must not strand the key. Before the fix the claim was committed on its own as `running` for 24 h,
 * and every retry got 409 "still being processed" for a day.
 */
describe('Idempotency keys survive a dead create', () => {
  let t: TestApp;
  let officer: SignedIn;
  beforeAll(async () => {
    t = await createTestApp();
    officer = await signIn(t.server, 'kr.officer');
  });
  afterAll(() => t?.close());

  const aPerson = (full: string) => ({ names: [{ full, script: 'latin', kind: 'primary' }] });
  const createPerson = (key: string, body: object) =>
    request(t.server)
      .post('/api/v1/persons')
      .set('Authorization', `Bearer ${officer.tokens.accessToken}`)
      .set('Idempotency-Key', key)
      .send(body);
  async function personsNamed(name: string) {
    return (await t.dataSource.query(
      `SELECT p.id::text AS id,
              (SELECT count(*)::int FROM audit_event e WHERE e.record_id = p.id::text
                  AND e.action = 'person.create' AND e.outcome = 'success') AS events
         FROM person p WHERE p.names -> 0 ->> 'full' = $1`,
      [name],
    )) as Array<{ id: string; events: number }>;
  }
  // Generous: under a loaded machine (CI runs two workers) the create can take seconds to get there.
  async function waitFor<T>(probe: () => Promise<T | null>, what: string, timeoutMs = 30_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = await probe();
      if (found !== null) return found;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  // Inside its transaction a session sees one frozen copy of pg_stat_activity (taken at its first
  // read), so each probe asks for a fresh one: without it the probe could wait forever on a stale copy.
  async function claimHoldersWaitingOnALock(session: Client): Promise<number[]> {
    await session.query('SELECT pg_stat_clear_snapshot()');
    const { rows } = await session.query(
      `SELECT DISTINCT a.pid FROM pg_stat_activity a
         JOIN pg_locks l ON l.pid = a.pid AND l.locktype = 'advisory' AND l.objsubid = 2 AND l.granted
        WHERE a.datname = current_database() AND a.wait_event_type = 'Lock'`,
    );
    return rows.map((r: { pid: number }) => r.pid);
  }
  /** Sessions waiting for a claim (a two-key advisory lock) that another call holds. */
  async function callsWaitingForAClaim(session: Client): Promise<number> {
    await session.query('SELECT pg_stat_clear_snapshot()');
    const { rows } = await session.query(
      `SELECT count(*)::int AS n FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
        WHERE l.locktype = 'advisory' AND l.objsubid = 2 AND NOT l.granted AND a.datname = current_database()`,
    );
    return rows[0].n as number;
  }

  it('a claim whose connection is terminated mid-transaction leaves the key retryable at once', async () => {
    const key = randomUUID();
    const name = `Cut connection ${key}`;
    // A session of the test holds the person table, so the keyed create stops inside its transaction,
    // after it claimed the key, waiting to insert.
    const blocker = new Client({ connectionString: t.databaseUrl });
    await blocker.connect();
    try {
      await blocker.query('BEGIN');
      await blocker.query('LOCK TABLE person IN EXCLUSIVE MODE');
      const first = createPerson(key, aPerson(name)).then((r) => r);
      // The create's backend: the one holding its claim in this database and waiting on the table.
      const pid = await waitFor(
        async () => (await claimHoldersWaitingOnALock(blocker))[0] ?? null,
        'the keyed create to wait inside its transaction',
      );
      // What a crash of the app does to its transaction: the connection is gone, PostgreSQL rolls back.
      await blocker.query('SELECT pg_terminate_backend($1)', [pid]);
      const cut = await first;
      expect(cut.status).toBeGreaterThanOrEqual(500);
      await blocker.query('ROLLBACK');
    } finally {
      await blocker.end();
    }

    // The retry with the same key and body does the work now: no 409, no replay of a dead call.
    const retry = await createPerson(key, aPerson(name));
    expect(retry.status).toBe(201);
    expect(retry.headers['idempotent-replayed']).toBeUndefined();
    expect(await personsNamed(name)).toEqual([{ id: retry.body.id, events: 1 }]);
    // …and from then on the key replays that answer.
    const again = await createPerson(key, aPerson(name));
    expect(again.status).toBe(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body.id).toBe(retry.body.id);
  });

  it('a create that fails mid-transaction stores nothing under its key: the corrected retry succeeds', async () => {
    const key = randomUUID();
    const name = `Aborted ${key}`;
    // A trigger of the test makes the insert fail after the claim, inside the create's transaction.
    await t.dataSource.query(`
      CREATE OR REPLACE FUNCTION refuse_person_once() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.names -> 0 ->> 'full' LIKE 'Aborted %' AND NOT EXISTS (SELECT 1 FROM pg_class WHERE relname = 'person_refused_once') THEN
          RAISE EXCEPTION 'simulated failure mid-transaction';
        END IF;
        RETURN NEW;
      END $$`);
    await t.dataSource.query(
      `CREATE TRIGGER refuse_person_once BEFORE INSERT ON person FOR EACH ROW EXECUTE FUNCTION refuse_person_once()`,
    );
    try {
      const failed = await createPerson(key, aPerson(name));
      expect(failed.status).toBe(500);
      expect(await personsNamed(name)).toEqual([]);
      const [{ rows }] = await t.dataSource.query(
        `SELECT count(*)::int AS rows FROM idempotency_key WHERE key = $1`,
        [key],
      );
      expect(rows).toBe(0);
      await t.dataSource.query(`CREATE TABLE person_refused_once ()`);
      const retry = await createPerson(key, aPerson(name));
      expect(retry.status).toBe(201);
      expect(retry.headers['idempotent-replayed']).toBeUndefined();
    } finally {
      await t.dataSource.query(`DROP TRIGGER refuse_person_once ON person`);
      await t.dataSource.query(`DROP TABLE IF EXISTS person_refused_once`);
    }
  });

  it('a retry while the first call still runs waits for it and replays its answer', async () => {
    const key = randomUUID();
    const name = `Concurrent ${key}`;
    const blocker = new Client({ connectionString: t.databaseUrl });
    await blocker.connect();
    try {
      await blocker.query('BEGIN');
      await blocker.query('LOCK TABLE person IN EXCLUSIVE MODE');
      const first = createPerson(key, aPerson(name)).then((r) => r);
      // The second call is sent only once the first holds the key, and the table is released only once
      // the second waits for it: no sleep decides which call is first.
      await waitFor(
        async () => ((await claimHoldersWaitingOnALock(blocker)).length ? true : null),
        'the first call to hold its claim',
      );
      const second = createPerson(key, aPerson(name)).then((r) => r);
      await waitFor(
        async () => ((await callsWaitingForAClaim(blocker)) === 1 ? true : null),
        'the retry to wait for the first call',
      );
      await blocker.query('COMMIT');
      const [a, b] = await Promise.all([first, second]);
      expect([a.status, b.status]).toEqual([201, 201]);
      expect(b.body.id).toBe(a.body.id);
      expect(b.headers['idempotent-replayed']).toBe('true');
      expect(await personsNamed(name)).toEqual([{ id: a.body.id, events: 1 }]);
    } finally {
      await blocker.end();
    }
  });
});
