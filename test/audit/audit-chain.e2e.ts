import { createPublicKey } from 'node:crypto';
import { readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { AuditSealerService } from '../../src/audit/audit-sealer.service';
import { AuditSigningKey, keyIdOf, SIGNING_KEY_FILE } from '../../src/audit/audit-signing-key';
import { AuditService } from '../../src/audit/audit.service';
import { AppConfig } from '../../src/config/app-config.service';
import { createTestApp, TestApp } from '../support/test-app';
import { officerContext } from './fixtures';
import { aDataDir, auditServices, recordEvents, superuser } from './support';

const ctx = officerContext('KR');
const caseEvent = (i: number) => ({
  action: 'case.create',
  recordType: 'case',
  recordId: `KR-CASE-2026-${String(i).padStart(6, '0')}`,
  ownerCountry: 'KR',
  after: { status: 'open', summary: `Raid ${i}` },
});

describe('Audit chain: sealing, append-only tables, atomicity', () => {
  let t: TestApp;
  const dataDir = aDataDir();
  beforeAll(async () => {
    // The loop stays off: each test seals when it chooses, so the chain's content is predictable.
    t = await createTestApp(
      {},
      { AUDIT_SEAL_INTERVAL_MS: '0', AUDIT_CHECKPOINT_EVERY: '22', AUDIT_SIGNING_KEY: '', DATA_DIR: dataDir },
      'empty',
    );
  });
  afterAll(async () => {
    await t?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('chains 20 concurrent commands as seq 1..20 with no gap, and verifies', async () => {
    const { sealer, verifier } = auditServices(t);
    await recordEvents(t, ctx, 20, caseEvent);
    const result = await sealer.sealNow({ drain: true });
    expect(result).toMatchObject({ sealed: 20, headSeq: 20, checkpointSeq: null });

    const rows = await t.dataSource.query(
      `SELECT c.seq::int AS seq, c.event_id::int AS event_id FROM audit_chain c ORDER BY c.seq`,
    );
    expect(rows.map((r: { seq: number }) => r.seq)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    // Each event exactly once, in id order within the pass.
    const ids = rows.map((r: { event_id: number }) => r.event_id);
    expect(new Set(ids).size).toBe(20);
    expect([...ids].sort((a, b) => a - b)).toEqual(ids);

    expect(await verifier.verify()).toMatchObject({ ok: true, checkedEvents: 20, firstBadSeq: null });
    expect(await sealer.sealNow()).toMatchObject({ sealed: 0, headSeq: 20 });
  });

  it('does not seal past a transaction still running, then seals it in order', async () => {
    const { tx, audit, sealer, verifier } = auditServices(t);
    let release!: () => void;
    const released = new Promise<void>((r) => (release = r));
    let recorded!: () => void;
    const wasRecorded = new Promise<void>((r) => (recorded = r));
    const slow = tx.run(async () => {
      await audit.record(ctx, caseEvent(100));
      recorded();
      await released;
    });
    await wasRecorded;
    await recordEvents(t, ctx, 3, (i) => caseEvent(200 + i));

    // The slow transaction is the oldest running one: nothing from it or after it may be chained yet.
    try {
      expect(await sealer.sealNow()).toMatchObject({ sealed: 0, headSeq: 20 });
    } finally {
      release();
      await slow;
    }
    expect(await sealer.sealNow({ drain: true })).toMatchObject({ sealed: 4, headSeq: 24 });
    const chained = await t.dataSource.query(
      `SELECT e.record_id FROM audit_chain c JOIN audit_event e ON e.id = c.event_id WHERE c.seq > 20 ORDER BY c.seq`,
    );
    expect(chained[0].record_id).toBe('KR-CASE-2026-000100');
    expect(await verifier.verify()).toMatchObject({ ok: true, checkedEvents: 24, checkedCheckpoints: 1 });
    // AUDIT_CHECKPOINT_EVERY=22: the pass that took the chain to 22 or beyond signed its head.
    const checkpoints = await t.dataSource.query(`SELECT seq::int AS seq FROM audit_checkpoint`);
    expect(checkpoints).toEqual([{ seq: expect.any(Number) }]);
    expect(checkpoints[0].seq).toBeGreaterThanOrEqual(22);
  });

  it('refuses UPDATE, DELETE and TRUNCATE of the trail through the app connection', async () => {
    await auditServices(t).sealer.sealNow({ checkpoint: true, drain: true });
    const attempts = [
      `UPDATE audit_event SET action = 'case.nothing' WHERE id = (SELECT min(id) FROM audit_event)`,
      `DELETE FROM audit_event WHERE id = (SELECT max(id) FROM audit_event)`,
      `TRUNCATE audit_event CASCADE`,
      `UPDATE audit_chain SET hash = prev_hash WHERE seq = 1`,
      `DELETE FROM audit_chain WHERE seq = (SELECT max(seq) FROM audit_chain)`,
      `TRUNCATE audit_chain CASCADE`,
      `UPDATE audit_checkpoint SET key_id = 'forged'`,
      `DELETE FROM audit_checkpoint`,
      `TRUNCATE audit_checkpoint`,
    ];
    for (const sql of attempts)
      await expect(t.dataSource.query(sql)).rejects.toThrow(
        /audit trail is append-only: (UPDATE|DELETE|TRUNCATE)/,
      );
    const [{ count }] = await t.dataSource.query(`SELECT count(*)::int AS count FROM audit_chain`);
    expect(count).toBe(24);
  });

  it('stamps the inserting transaction on an event whatever tx_id the caller passes', async () => {
    const [row] = await t.dataSource.query(
      `INSERT INTO audit_event (actor_kind, action, outcome, tx_id) VALUES ('system', 'probe.backdate', 'success', '3'::xid8)
       RETURNING tx_id::text AS tx_id`,
    );
    expect(row.tx_id).not.toBe('3');
  });

  it('commits nothing when the audit insert fails inside a command', async () => {
    const { tx, audit } = auditServices(t);
    await t.dataSource.query(`CREATE TABLE audit_probe (id serial PRIMARY KEY, label text NOT NULL)`);
    const before = await t.dataSource.query(`SELECT count(*)::int AS count FROM audit_event`);

    // Fault hook: the audit writer fails after the business insert of the same command.
    const fault = jest
      .spyOn(AuditService.prototype, 'record')
      .mockRejectedValueOnce(new Error('audit store unavailable'));
    await expect(
      tx.run(async () => {
        await tx.manager.query(`INSERT INTO audit_probe (label) VALUES ('must vanish')`);
        await audit.record(ctx, caseEvent(300));
      }),
    ).rejects.toThrow('audit store unavailable');
    fault.mockRestore();

    // The same through the database: an event the table refuses (bad outcome) takes the change with it.
    await expect(
      tx.run(async () => {
        await tx.manager.query(`INSERT INTO audit_probe (label) VALUES ('must vanish too')`);
        await audit.record(ctx, { ...caseEvent(301), outcome: 'maybe' as never });
      }),
    ).rejects.toThrow(/check constraint/);

    expect(await t.dataSource.query(`SELECT * FROM audit_probe`)).toEqual([]);
    expect(await t.dataSource.query(`SELECT count(*)::int AS count FROM audit_event`)).toEqual(before);
  });

  it('generates the signing key once into DATA_DIR (mode 0600) and reuses it', async () => {
    const file = join(dataDir, SIGNING_KEY_FILE);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const publicKey = createPublicKey(readFileSync(file, 'utf8'));
    const [checkpoint] = await t.dataSource.query(
      `SELECT key_id FROM audit_checkpoint ORDER BY seq DESC LIMIT 1`,
    );
    expect(checkpoint.key_id).toBe(keyIdOf(publicKey));
    const again = new AuditSigningKey(t.app.get(AppConfig));
    expect(again.keyId).toBe(checkpoint.key_id);
  });

  it('refuses an append-only change even from a superuser session while triggers are on', async () => {
    const client = await superuser(t);
    try {
      await expect(client.query(`DELETE FROM audit_event`)).rejects.toThrow(/append-only/);
    } finally {
      await client.end();
    }
  });
});

describe('Audit sealer lifecycle', () => {
  it('seals on its own soon after a commit, checkpoints on time, and shutdown waits for a pass in flight', async () => {
    const dataDir = aDataDir();
    const t = await createTestApp(
      {},
      {
        AUDIT_SEAL_INTERVAL_MS: '50',
        AUDIT_CHECKPOINT_SECONDS: '1',
        AUDIT_SIGNING_KEY: '',
        DATA_DIR: dataDir,
      },
      'empty',
    );
    let closed = false;
    try {
      await recordEvents(t, ctx, 5, caseEvent);
      const committedAt = Date.now();
      let sealed = 0;
      // A pass every 50 ms: sealed within a few passes. The bound is loose on purpose (a collector's pause on
      // a loaded CI machine took 1.3 s); what it guards is a sealer that does not run on its own at all.
      while (sealed < 5 && Date.now() - committedAt < 5000) {
        await new Promise((r) => setTimeout(r, 25));
        [{ sealed }] = await t.dataSource.query(`SELECT count(*)::int AS sealed FROM audit_chain`);
      }
      expect(sealed).toBe(5);

      // Time-based checkpoint: the oldest uncovered event is a second old by the next pass or so.
      let checkpoints = 0;
      while (checkpoints === 0 && Date.now() - committedAt < 8000) {
        await new Promise((r) => setTimeout(r, 50));
        [{ checkpoints }] = await t.dataSource.query(
          `SELECT count(*)::int AS checkpoints FROM audit_checkpoint`,
        );
      }
      expect(checkpoints).toBe(1);

      await recordEvents(t, ctx, 3, (i) => caseEvent(50 + i));
      const inFlight = t.app.get(AuditSealerService).sealNow();
      await t.close();
      closed = true;
      // The pass started before shutdown finished on the open connection instead of failing.
      await expect(inFlight).resolves.toMatchObject({ headSeq: expect.any(Number) });
    } finally {
      if (!closed) await t.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

describe('Audit sealer when idle', () => {
  it('slows down when there is nothing to seal, yet an event written here is chained promptly', async () => {
    const dataDir = aDataDir();
    // An idle interval of a minute: if the write did not wake the sealer, the wait below would fail.
    const t = await createTestApp(
      {},
      {
        AUDIT_SEAL_INTERVAL_MS: '50',
        AUDIT_SEAL_IDLE_INTERVAL_MS: '60000',
        AUDIT_SIGNING_KEY: '',
        DATA_DIR: dataDir,
      },
      'empty',
    );
    try {
      const chained = async (): Promise<number> =>
        (await t.dataSource.query(`SELECT count(*)::int AS n FROM audit_chain`))[0].n;
      // Five quiet passes (~250 ms) and the loop waits the idle interval; give it well over that.
      await new Promise((r) => setTimeout(r, 1000));
      const before = await chained();

      await recordEvents(t, ctx, 3, caseEvent);
      const deadline = Date.now() + 10_000;
      let sealed = 0;
      while (sealed < 3 && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 50));
        sealed = (await chained()) - before;
      }
      expect(sealed).toBe(3);
    } finally {
      await t.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
