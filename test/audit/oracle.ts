import type { TestApp } from '../support/test-app';

/**
 * The every-change oracle's machinery, shared by its cases (every-change-audited.e2e.ts drives the HTTP
 * routes, jobs-audited.e2e.ts the background jobs): what it captures, and the rules it asserts on what
 * it captured.
 *
 * A row trigger on every table of schema `public` records (pg_current_xact_id(), table, operation)
 * into `oracle_capture`, inside the writing transaction (so a rolled-back write leaves no capture row);
 * another on the record tables records each changed row's id into `oracle_record_capture`.
 *
 * Row-level, not statement-level: a statement trigger also fires for an UPDATE/DELETE of no row, which
 * changes nothing (a sweep of expired rows that found none).
 */

/** Tables whose writes are not checked, and why. */
export const EXCLUDED: Record<string, string> = {
  audit_event: 'the audit trail itself (what the oracle looks for)',
  oracle_capture: "the oracle's capture table",
  oracle_record_capture: "the oracle's capture table of record rows",
  audit_chain:
    'written after commit by the audit sealer (AuditSealerService), which chains events that were already audited; turned off here (AUDIT_SEAL_INTERVAL_MS=0)',
  audit_checkpoint: 'signed by the audit sealer over already-audited events; turned off here',
  schema_migrations: 'migrations only, never written at run time',
  login_throttle:
    'sign-in rate-limit counters (README "Running more than one instance"): one upsert per attempt, in its own statement before the sign-in; the same counters live in Redis with REDIS_URL or in process memory on the embedded database, so they are the limiter\'s storage, not a record; the attempt itself is audited (auth.login / auth.login.failed)',
};

/**
 * The tables of the records the audit trail names (`record_type`, `record_id`): a change of one of their
 * rows must be named by an audit event of its own transaction, so that the record's timeline
 * (`GET /audit-events/timeline`) shows it — an event about another record in the same transaction is
 * not enough.
 */
export const RECORD_TABLES: Record<string, string> = {
  case_file: 'case',
  person: 'person',
  arrest: 'arrest',
  cross_border_request: 'request',
  blacklist_entry: 'blacklist_entry',
  attachment: 'attachment',
  app_user: 'user',
  framework: 'framework',
  webhook_subscription: 'webhook',
  identifier_check: 'identifier_check',
  screening: 'screening',
  asset_freeze_target: 'asset_freeze_target',
  country: 'country',
  agency: 'agency',
};

/**
 * Columns of a record table that are bookkeeping of another record's change, not a change of the row's
 * own record: an UPDATE touching only these needs no event naming the row.
 */
export const BOOKKEEPING_COLUMNS: Record<string, string[]> = {
  // A freeze target's duplicate protection ends with its request (withdrawn, rejected, closed:
  // `closeTargetsOf`); the request's step event records that.
  asset_freeze_target: ['is_open', 'updated_at'],
};

/** One captured write: its transaction, table and operation, when, and the capture row's order. */
export interface Captured {
  id: number;
  tx: string;
  tbl: string;
  op: string;
  at: number;
}

/** The audit events of a transaction, summed up. */
export interface TxEvents {
  tx: string;
  outcomes: string[];
  actions: string[];
  request: string | null;
}

/**
 * Installs the capture tables and triggers, as the owner (the test app connects as the database owner).
 * SECURITY DEFINER so a runtime role without rights on the capture table writes it too.
 */
export async function installCapture(t: TestApp): Promise<void> {
  await t.dataSource.query(`
    CREATE TABLE oracle_capture (
      id bigserial PRIMARY KEY,
      tx xid8 NOT NULL,
      tbl text NOT NULL,
      op text NOT NULL,
      at timestamptz NOT NULL DEFAULT clock_timestamp(),
      UNIQUE (tx, tbl, op)
    )`);
  await t.dataSource.query(`
    CREATE FUNCTION oracle_capture_write() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER
      SET search_path = public AS $$
    BEGIN
      INSERT INTO oracle_capture (tx, tbl, op) VALUES (pg_current_xact_id(), TG_TABLE_NAME, TG_OP)
        ON CONFLICT DO NOTHING;
      RETURN NULL;
    END $$`);
  await t.dataSource.query(`
    CREATE TABLE oracle_record_capture (
      tx xid8 NOT NULL,
      tbl text NOT NULL,
      op text NOT NULL,
      row_id text NOT NULL,
      -- An UPDATE's changed columns (bookkeeping alone is not a change of the record: below).
      cols text[]
    )`);
  await t.dataSource.query(`
    CREATE FUNCTION oracle_record_capture_write() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER
      SET search_path = public AS $$
    BEGIN
      INSERT INTO oracle_record_capture (tx, tbl, op, row_id, cols)
        VALUES (pg_current_xact_id(), TG_TABLE_NAME, TG_OP,
                (SELECT coalesce(j ->> 'id', j ->> 'code')
                   FROM (SELECT CASE WHEN TG_OP = 'DELETE' THEN to_jsonb(OLD) ELSE to_jsonb(NEW) END AS j) r),
                CASE WHEN TG_OP = 'UPDATE' THEN ARRAY(SELECT n.key FROM jsonb_each(to_jsonb(NEW)) n
                                                      WHERE to_jsonb(OLD) -> n.key IS DISTINCT FROM n.value) END);
      RETURN NULL;
    END $$`);
  for (const table of Object.keys(RECORD_TABLES))
    await t.dataSource.query(
      `CREATE TRIGGER zz_oracle_record_capture AFTER INSERT OR UPDATE OR DELETE ON "${table}"
         FOR EACH ROW EXECUTE FUNCTION oracle_record_capture_write()`,
    );
  const tables: { table_name: string }[] = await t.dataSource.query(
    `SELECT table_name FROM information_schema.tables
      WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY 1`,
  );
  for (const { table_name } of tables.filter((x) => !(x.table_name in EXCLUDED)))
    await t.dataSource.query(
      `CREATE TRIGGER zz_oracle_capture AFTER INSERT OR UPDATE OR DELETE ON "${table_name}"
         FOR EACH ROW EXECUTE FUNCTION oracle_capture_write()`,
    );
}

/** Forgets what was captured so far (a case's set-up), so the rules look only at what follows. */
export async function forgetCaptured(t: TestApp): Promise<void> {
  await t.dataSource.query(`TRUNCATE oracle_capture, oracle_record_capture`);
}

/** Every captured write, in order, and the audit events of each captured transaction. */
export async function readCaptured(
  t: TestApp,
): Promise<{ captured: Captured[]; audited: Map<string, TxEvents> }> {
  const captured: Captured[] = (
    await t.dataSource.query(
      `SELECT id::float8 AS id, tx::text AS tx, tbl, op, (extract(epoch FROM at) * 1000)::float8 AS at
         FROM oracle_capture ORDER BY id`,
    )
  ).map((r: Captured) => ({ ...r, id: Number(r.id), at: Number(r.at) }));
  const events: TxEvents[] = await t.dataSource.query(
    `SELECT tx_id::text AS tx, array_agg(DISTINCT outcome) AS outcomes, array_agg(DISTINCT action) AS actions,
            max(request_id) AS request
       FROM audit_event WHERE tx_id::text = ANY($1) GROUP BY tx_id`,
    [[...new Set(captured.map((c) => c.tx))]],
  );
  return { captured, audited: new Map(events.map((e) => [e.tx, e])) };
}

/** How many distinct record rows were changed (inserted, updated, deleted) in what was captured. */
export async function recordRowsChanged(t: TestApp): Promise<number> {
  const [{ n }] = await t.dataSource.query(
    `SELECT count(DISTINCT (tx, tbl, op, row_id))::int AS n FROM oracle_record_capture`,
  );
  return n as number;
}

/**
 * Each changed row of a record table that no audit event of its own transaction names, by `record_id`
 * or in a list of several (`audit_named_records`) — unless the UPDATE touched only `bookkeeping` columns.
 */
export async function unnamedRecordRows(
  t: TestApp,
  bookkeeping: Record<string, string[]> = BOOKKEEPING_COLUMNS,
): Promise<Array<{ tbl: string; op: string; row_id: string; tx: string }>> {
  return t.dataSource.query(
    `SELECT DISTINCT c.tbl, c.op, c.row_id, c.tx::text AS tx FROM oracle_record_capture c
      WHERE NOT (c.op = 'UPDATE'
                 AND c.cols <@ ARRAY(SELECT jsonb_array_elements_text(coalesce($2::jsonb -> c.tbl, '[]'))))
        AND NOT EXISTS (SELECT 1 FROM audit_event e WHERE e.tx_id = c.tx
                         AND (e.record_type = ($1::jsonb ->> c.tbl) AND e.record_id = c.row_id
                              OR audit_named_records(e.details, e.changes)
                                 @> jsonb_build_array(($1::jsonb ->> c.tbl) || ':' || c.row_id)))
      ORDER BY c.tbl, c.op`,
    [JSON.stringify(RECORD_TABLES), JSON.stringify(bookkeeping)],
  );
}

/**
 * The (transaction, record table) pairs of what was captured that changed a record: an INSERT or
 * DELETE, or an UPDATE of a column other than the table's `bookkeeping` ones. As `${tx} ${table}`.
 */
export async function recordChanges(
  t: TestApp,
  bookkeeping: Record<string, string[]> = BOOKKEEPING_COLUMNS,
): Promise<Set<string>> {
  const rows: Array<{ tx: string; tbl: string }> = await t.dataSource.query(
    `SELECT DISTINCT c.tx::text AS tx, c.tbl FROM oracle_record_capture c
      WHERE NOT (c.op = 'UPDATE'
                 AND c.cols <@ ARRAY(SELECT jsonb_array_elements_text(coalesce($1::jsonb -> c.tbl, '[]'))))`,
    [JSON.stringify(bookkeeping)],
  );
  return new Set(rows.map((r) => `${r.tx} ${r.tbl}`));
}
