import { Client } from 'pg';
import { replicaRead } from '../../src/database/replicas/replica-context';
import { queryPrepared } from '../../src/database/sql-parts';
import { TransactionService } from '../../src/database/transaction.service';
import { createTestApp, TestApp } from '../support/test-app';

/**
 * A rolling deploy: another replica's migration changes a column's type while this replica's pooled
 * connections hold prepared statements that read it. PostgreSQL refuses such a statement from then on
 * ("cached plan must not change result type"); the replica must answer from the new schema, not fail.
 */
describe('statements prepared before another replica migrated the table they read', () => {
  let t: TestApp;
  let tx: TransactionService;
  // Long and parameterised: the pool prepares it by name, as it does the app's composed reads.
  const READ = `SELECT id, label FROM spec_stale_plan WHERE id = $1 /* ${'x'.repeat(1000)} */`;

  const migrateElsewhere = async (sql: string) => {
    const other = new Client({ connectionString: t.databaseUrl });
    await other.connect();
    try {
      await other.query(sql);
    } finally {
      await other.end();
    }
  };

  beforeAll(async () => {
    t = await createTestApp();
    tx = t.app.get(TransactionService);
    await t.dataSource.query(`CREATE TABLE spec_stale_plan (id int PRIMARY KEY, label varchar(10) NOT NULL)`);
    await t.dataSource.query(`INSERT INTO spec_stale_plan VALUES (1, 'one')`);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('answers a read outside a transaction on the connection that prepared it, in the new types', async () => {
    const runner = t.dataSource.createQueryRunner();
    try {
      expect(await runner.query(READ, [1])).toEqual([{ id: 1, label: 'one' }]);
      await migrateElsewhere(`ALTER TABLE spec_stale_plan ALTER COLUMN id TYPE bigint`);
      // int8 comes back as a string: the answer is read with the migrated column.
      expect(await runner.query(READ, [1])).toEqual([{ id: '1', label: 'one' }]);
      expect(await runner.query(READ, [1])).toEqual([{ id: '1', label: 'one' }]);
    } finally {
      await runner.release();
    }
  });

  it('runs a transaction again when its connection prepared the read before', async () => {
    const poolSize = t.dataSource.options.poolSize ?? 10;
    // As many transactions at once as the pool has connections, each holding its own a moment: every
    // connection prepares the read.
    const readOnEveryConnection = () =>
      Promise.all(
        Array.from({ length: poolSize }, () =>
          tx.run(async () => {
            const rows: unknown = await tx.manager.query(READ, [1]);
            await tx.manager.query(`SELECT pg_sleep(0.05)`);
            return rows;
          }),
        ),
      );
    await readOnEveryConnection();
    await migrateElsewhere(`ALTER TABLE spec_stale_plan ALTER COLUMN label TYPE text`);
    expect(await readOnEveryConnection()).toEqual(Array(poolSize).fill([{ id: '1', label: 'one' }]));
  });

  it('reads a snapshot again on a standby whose connection prepared the read before', async () => {
    // The standby's manager, as a @ReadsFromReplica() route sets it; the pool's own stands in for it
    // (a standby replays the primary's migration as it comes).
    const standby = t.dataSource.createQueryRunner();
    try {
      const snapshot = () =>
        replicaRead.run(standby.manager, () => tx.readSnapshot((m) => m.query(READ, [1])));
      expect(await snapshot()).toEqual([{ id: '1', label: 'one' }]);
      await migrateElsewhere(`ALTER TABLE spec_stale_plan ALTER COLUMN label TYPE varchar(20)`);
      expect(await snapshot()).toEqual([{ id: '1', label: 'one' }]);
    } finally {
      await standby.release();
    }
  });

  it('answers a store’s prepared read outside a transaction, which goes through the pool', async () => {
    await t.dataSource.query(`CREATE TABLE spec_stale_store (id int PRIMARY KEY)`);
    await t.dataSource.query(`INSERT INTO spec_stale_store VALUES (7)`);
    // queryPrepared on the plain manager: the pool lends its most recently used idle connection, the one
    // that prepared the statement the call before.
    const read = () =>
      queryPrepared(t.dataSource.manager, `SELECT id FROM spec_stale_store WHERE id = $1`, [7]);
    expect(await read()).toEqual([{ id: 7 }]);
    expect(await read()).toEqual([{ id: 7 }]);
    await migrateElsewhere(`ALTER TABLE spec_stale_store ALTER COLUMN id TYPE bigint`);
    expect(await read()).toEqual([{ id: '7' }]);
  });
});
