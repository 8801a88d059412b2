import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import request from 'supertest';
import { AuditSealerService } from '../../src/audit/audit-sealer.service';
import { RAID_HEADER, raidRow, toCsv } from '../arrests/raid-fixtures';
import { aDraft } from '../support/scenario';
import { signIn } from '../support/http';
import { createTestApp, TestApp } from '../support/test-app';

/**
 * Issue 17: the app used to connect as the owner of the audit tables, so it could disable their
 * append-only triggers and rewrite history. Now migrations run as the owner and the app as a member of
 * `case_desk_runtime` (migration 1763800021000), which may read and add audit rows and nothing more.
 */
describe('Database roles: the app runs as a runtime role that cannot rewrite history', () => {
  const login = {
    user: `case_desk_rt_${randomBytes(4).toString('hex')}`,
    password: randomBytes(12).toString('hex'),
  };
  let t: TestApp;
  let admin: Client;
  let runtime: Client;
  beforeAll(async () => {
    admin = new Client({ connectionString: process.env.TEST_ADMIN_URL });
    await admin.connect();
    await admin.query(
      `CREATE ROLE ${login.user} LOGIN PASSWORD '${login.password}' IN ROLE case_desk_runtime`,
    );
    // Jobs on: pg-boss must start and create its queues as the runtime role too.
    t = await createTestApp({}, { JOBS_ENABLED: 'true', AUDIT_SEAL_INTERVAL_MS: '100' }, 'seeded', login);
    const url = new URL(t.databaseUrl);
    url.username = login.user;
    url.password = login.password;
    runtime = new Client({ connectionString: url.toString() });
    await runtime.connect();
  });
  afterAll(async () => {
    await runtime?.end();
    await t?.close();
    await admin.query(`DROP ROLE IF EXISTS ${login.user}`);
    await admin.end();
  });

  it('the app connects as the runtime login, which owns nothing', async () => {
    const [{ user }] = await t.dataSource.query(`SELECT current_user AS user`);
    expect(user).toBe(login.user);
    const owned = await runtime.query(
      `SELECT c.relname FROM pg_class c WHERE pg_has_role(current_user, c.relowner, 'USAGE') AND c.relnamespace = 'public'::regnamespace`,
    );
    expect(owned.rows).toEqual([]);
  });

  it('the app works: sign-in, creates, an import, sealing, a signed checkpoint, verification', async () => {
    const officer = await signIn(t.server, 'kr.officer');
    const person = await officer.post('/persons', {
      names: [{ full: 'Runtime role person', script: 'latin', kind: 'primary' }],
    });
    expect(person.status).toBe(201);
    const frameworks = await officer.get('/frameworks');
    const framework = (frameworks.body.items ?? frameworks.body).find(
      (f: { name: string }) => f.name === 'Cambodia–Korea Joint Task Force',
    );
    const draft = await officer.post('/information-requests', aDraft(framework.id));
    expect(draft.status).toBe(201);
    expect(draft.body).toMatchObject({
      reference: null,
      draftId: expect.stringMatching(/^DRAFT-[0-9A-F]{8}$/),
    });
    const khOfficer = await signIn(t.server, 'kh.officer');
    const imported = await request(t.server)
      .post('/api/v1/arrests/import')
      .set('Authorization', `Bearer ${khOfficer.tokens.accessToken}`)
      .set('Content-Type', 'text/csv')
      .send(Buffer.from(toCsv(RAID_HEADER, [raidRow('KR', 1)]), 'utf8'));
    expect(imported.status).toBe(201);

    const sealed = await t.app.get(AuditSealerService).sealNow({ drain: true, checkpoint: true });
    expect(sealed.checkpointSeq).not.toBeNull();
    const auditor = await signIn(t.server, 'kr.auditor');
    const verify = await auditor.post('/audit-events/verify', {});
    expect(verify.status).toBe(200);
    expect(verify.body).toEqual({ ok: true, reason: null });
    const operator = await signIn(t.server, 'platform.admin');
    const full = await operator.post('/audit-events/verify', {});
    expect(full.body.checkedCheckpoints).toBeGreaterThanOrEqual(1);
  });

  const refusals: Array<[string, string]> = [
    [
      'UPDATE audit_event',
      `UPDATE audit_event SET action = 'rewritten' WHERE id = (SELECT min(id) FROM audit_event)`,
    ],
    ['DELETE audit_event', `DELETE FROM audit_event WHERE id = (SELECT min(id) FROM audit_event)`],
    ['TRUNCATE audit_event', `TRUNCATE audit_event`],
    ['DISABLE TRIGGER on audit_event', `ALTER TABLE audit_event DISABLE TRIGGER ALL`],
    ['DROP TRIGGER on audit_event', `DROP TRIGGER audit_event_append_only ON audit_event`],
    ['UPDATE audit_chain', `UPDATE audit_chain SET hash = prev_hash`],
    ['DELETE audit_chain', `DELETE FROM audit_chain`],
    ['DISABLE TRIGGER on audit_chain', `ALTER TABLE audit_chain DISABLE TRIGGER ALL`],
    ['UPDATE audit_checkpoint', `UPDATE audit_checkpoint SET signature = signature`],
    ['DELETE audit_checkpoint', `DELETE FROM audit_checkpoint`],
    ['DISABLE TRIGGER on audit_checkpoint', `ALTER TABLE audit_checkpoint DISABLE TRIGGER ALL`],
    ['UPDATE schema_migrations', `UPDATE schema_migrations SET name = name`],
    ['DROP TABLE person', `DROP TABLE person`],
  ];
  it.each(refusals)('the runtime role is refused: %s', async (_what, sql) => {
    await expect(runtime.query(sql)).rejects.toMatchObject({ code: '42501' }); // insufficient_privilege
  });

  it('the owner can (so the refusals above are the role, not the statements)', async () => {
    const owner = new Client({ connectionString: t.databaseUrl });
    await owner.connect();
    try {
      await owner.query('BEGIN');
      await owner.query(`ALTER TABLE audit_event DISABLE TRIGGER ALL`);
      await owner.query('ROLLBACK');
    } finally {
      await owner.end();
    }
  });

  it('the runtime role reads and adds audit rows, and gets DML on a table a later migration adds', async () => {
    const [{ n }] = (await runtime.query(`SELECT count(*)::int AS n FROM audit_event`)).rows;
    expect(n).toBeGreaterThan(0);
    const owner = new Client({ connectionString: t.databaseUrl });
    await owner.connect();
    try {
      await owner.query(`CREATE TABLE later_migration_table (id serial PRIMARY KEY, label text)`);
    } finally {
      await owner.end();
    }
    await runtime.query(`INSERT INTO later_migration_table (label) VALUES ('by default privileges')`);
    await runtime.query(`UPDATE later_migration_table SET label = 'changed'`);
    await runtime.query(`DELETE FROM later_migration_table`);
    await expect(runtime.query(`ALTER TABLE later_migration_table ADD COLUMN x int`)).rejects.toMatchObject({
      code: '42501',
    });
  });
});
