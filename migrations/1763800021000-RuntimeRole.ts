import { MigrationInterface, QueryRunner } from 'typeorm';

/** The role the app runs as (its login users are members: see deploy/postgres-init/10-roles.sh). */
export const RUNTIME_ROLE = 'case_desk_runtime';
/** Append-only tables: the runtime role may read and add rows, never change, remove or alter them. */
export const AUDIT_TABLES = ['audit_event', 'audit_chain', 'audit_checkpoint'];
const DML = 'SELECT, INSERT, UPDATE, DELETE';

/**
 * Owner and runtime roles. Migrations run as the role that owns the tables (MIGRATION_DATABASE_URL);
 * the app connects as a member of `case_desk_runtime`, which gets plain DML and nothing else: it owns
 * no table, so it cannot `ALTER TABLE audit_event DISABLE TRIGGER` or drop the append-only triggers,
 * and on the audit tables it has SELECT and INSERT only. A compromised app can then add history but not
 * rewrite it.
 *
 * Tables created by later migrations (as the same owner) get DML for the runtime role through the
 * default privileges below; a later audit table must revoke UPDATE and DELETE itself, as done here.
 *
 * Roles belong to the whole server, not to a database: the role is created only when missing (the
 * init script may have made it), and `down` takes the grants back without dropping it.
 */
export class RuntimeRole1763800021000 implements MigrationInterface {
  name = 'RuntimeRole1763800021000';

  async up(q: QueryRunner): Promise<void> {
    // Two databases migrating at once on one server may both try to create it: either way it exists.
    await q.query(`
      DO $$ BEGIN
        IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '${RUNTIME_ROLE}') THEN
          CREATE ROLE ${RUNTIME_ROLE} NOLOGIN;
        END IF;
      EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
      END $$`);
    // The audit sealer reads other sessions' transaction ids in pg_stat_activity; without this it sees
    // only sessions of its own login. Needs a superuser (the init script grants it too), so best effort.
    await q.query(`
      DO $$ BEGIN
        GRANT pg_read_all_stats TO ${RUNTIME_ROLE};
      EXCEPTION WHEN insufficient_privilege OR undefined_object THEN
        RAISE NOTICE 'could not grant pg_read_all_stats to ${RUNTIME_ROLE}; grant it as a superuser';
      END $$`);
    await q.query(`GRANT CONNECT, TEMPORARY ON DATABASE "${await this.database(q)}" TO ${RUNTIME_ROLE}`);

    await q.query(`GRANT USAGE ON SCHEMA public TO ${RUNTIME_ROLE}`);
    await q.query(`GRANT ${DML} ON ALL TABLES IN SCHEMA public TO ${RUNTIME_ROLE}`);
    await q.query(`GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO ${RUNTIME_ROLE}`);
    // The migration history is the owner's business; the app only reads it.
    await q.query(`REVOKE INSERT, UPDATE, DELETE ON schema_migrations FROM ${RUNTIME_ROLE}`);
    for (const table of AUDIT_TABLES)
      await q.query(`REVOKE UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON ${table} FROM ${RUNTIME_ROLE}`);
    await q.query(`ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT ${DML} ON TABLES TO ${RUNTIME_ROLE}`);
    await q.query(
      `ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT, UPDATE ON SEQUENCES TO ${RUNTIME_ROLE}`,
    );

    // pg-boss (the job queue): its tables, and queue creation, which adds a partition to pgboss.job and
    // so needs the owner: create_queue runs with its owner's rights, on a fixed search_path.
    await q.query(`GRANT USAGE ON SCHEMA pgboss TO ${RUNTIME_ROLE}`);
    await q.query(`GRANT ${DML} ON ALL TABLES IN SCHEMA pgboss TO ${RUNTIME_ROLE}`);
    await q.query(`GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA pgboss TO ${RUNTIME_ROLE}`);
    await q.query(`ALTER DEFAULT PRIVILEGES IN SCHEMA pgboss GRANT ${DML} ON TABLES TO ${RUNTIME_ROLE}`);
    for (const fn of ['pgboss.create_queue(text, json)', 'pgboss.delete_queue(text)'])
      await q.query(`ALTER FUNCTION ${fn} SECURITY DEFINER SET search_path = pg_catalog, pgboss, pg_temp`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const fn of ['pgboss.create_queue(text, json)', 'pgboss.delete_queue(text)'])
      await q.query(`ALTER FUNCTION ${fn} SECURITY INVOKER RESET search_path`);
    await q.query(`ALTER DEFAULT PRIVILEGES IN SCHEMA pgboss REVOKE ${DML} ON TABLES FROM ${RUNTIME_ROLE}`);
    await q.query(
      `ALTER DEFAULT PRIVILEGES IN SCHEMA public REVOKE USAGE, SELECT, UPDATE ON SEQUENCES FROM ${RUNTIME_ROLE}`,
    );
    await q.query(`ALTER DEFAULT PRIVILEGES IN SCHEMA public REVOKE ${DML} ON TABLES FROM ${RUNTIME_ROLE}`);
    for (const schema of ['pgboss', 'public']) {
      await q.query(`REVOKE ALL ON ALL SEQUENCES IN SCHEMA ${schema} FROM ${RUNTIME_ROLE}`);
      await q.query(`REVOKE ALL ON ALL TABLES IN SCHEMA ${schema} FROM ${RUNTIME_ROLE}`);
      await q.query(`REVOKE USAGE ON SCHEMA ${schema} FROM ${RUNTIME_ROLE}`);
    }
    await q.query(`REVOKE CONNECT, TEMPORARY ON DATABASE "${await this.database(q)}" FROM ${RUNTIME_ROLE}`);
    // The role itself stays: other databases on the server may grant it rights too.
  }

  private async database(q: QueryRunner): Promise<string> {
    const [{ name }] = await q.query(`SELECT current_database() AS name`);
    return String(name).replace(/"/g, '""');
  }
}
