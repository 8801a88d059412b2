import { generateKeyPairSync, sign } from 'node:crypto';
import type { Client } from 'pg';
import {
  canonicalEventColumns,
  checkpointPayload,
  eventHash,
  GENESIS_HASH,
} from '../../src/audit/audit-canonical';
import { keyIdOf } from '../../src/audit/audit-signing-key';
import { createTestApp, TestApp } from '../support/test-app';
import { officerContext } from './fixtures';
import {
  AUDIT_TABLES,
  aSigningKeyPem,
  auditServices,
  recordEvents,
  superuser,
  withTriggersDisabled,
} from './support';

/**
 * A database superuser tampers with the trail (triggers off); verification must name the first bad seq.
 * The chain: 30 events, signed checkpoints at seq 10 and 20, seq 21..30 sealed but not yet checkpointed.
 */
describe('Audit verification against a superuser who tampers with the tables', () => {
  let t: TestApp;
  let db: Client;
  const ctx = officerContext('KH');

  const verify = (range = {}) => auditServices(t).verifier.verify(range);
  const eventIdAt = async (seq: number): Promise<string> =>
    (await db.query(`SELECT event_id::text AS id FROM audit_chain WHERE seq = $1`, [seq])).rows[0].id;
  const tamper = (fn: () => Promise<unknown>) => withTriggersDisabled(db, fn);

  /** Recomputes every chain hash from `fromSeq` on, as an attacker covering their tracks would. */
  async function rehashFrom(fromSeq: number): Promise<void> {
    const { rows } = await db.query(
      `SELECT c.seq::int AS seq, ${canonicalEventColumns('e')} FROM audit_chain c JOIN audit_event e ON e.id = c.event_id
        ORDER BY c.seq`,
    );
    let prev = GENESIS_HASH;
    for (const row of rows) {
      if (row.seq >= fromSeq) {
        const hash = eventHash(prev, row);
        await db.query(`UPDATE audit_chain SET prev_hash = $1, hash = $2 WHERE seq = $3`, [
          prev,
          hash,
          row.seq,
        ]);
        prev = hash;
      } else {
        prev = (await db.query(`SELECT hash FROM audit_chain WHERE seq = $1`, [row.seq])).rows[0].hash;
      }
    }
  }

  beforeAll(async () => {
    t = await createTestApp(
      {},
      { AUDIT_SEAL_INTERVAL_MS: '0', AUDIT_SIGNING_KEY: aSigningKeyPem() },
      'empty',
    );
    const { sealer } = auditServices(t);
    const event = (i: number) => ({
      action: 'arrest.record',
      recordType: 'arrest',
      recordId: `KH-ARR-${i}`,
      ownerCountry: 'KH',
      counterpartCountry: 'KR',
      after: { custody: 'held', place: 'Sihanoukville' },
    });
    for (let round = 0; round < 3; round++) {
      // One at a time, so the chain order is the record order and the test can name seqs.
      for (let i = 0; i < 10; i++) await recordEvents(t, ctx, 1, () => event(round * 10 + i));
      await sealer.sealNow({ checkpoint: round < 2, drain: true });
    }
    db = await superuser(t);
    for (const table of AUDIT_TABLES)
      await db.query(`CREATE TABLE backup_${table} AS SELECT * FROM ${table}`);
  });

  beforeEach(async () => {
    expect(await verify()).toMatchObject({ ok: true, checkedEvents: 30, checkedCheckpoints: 2 });
  });

  afterEach(async () => {
    await tamper(async () => {
      for (const table of [...AUDIT_TABLES].reverse()) await db.query(`DELETE FROM ${table}`);
      for (const table of AUDIT_TABLES) await db.query(`INSERT INTO ${table} SELECT * FROM backup_${table}`);
    });
  });

  afterAll(async () => {
    await db?.end();
    await t?.close();
  });

  it('verifies a range on its own', async () => {
    expect(await verify({ fromSeq: 11, toSeq: 20 })).toMatchObject({
      ok: true,
      fromSeq: 11,
      toSeq: 20,
      checkedEvents: 10,
      checkedCheckpoints: 1,
    });
  });

  it('names the event whose field was edited', async () => {
    await tamper(async () =>
      db.query(`UPDATE audit_event SET record_id = 'KH-ARR-forged' WHERE id = $1`, [await eventIdAt(7)]),
    );
    expect(await verify()).toMatchObject({
      ok: false,
      firstBadSeq: 7,
      reason: expect.stringMatching(/no longer matches/),
    });
  });

  it('notices one microsecond moved on a timestamp', async () => {
    await tamper(async () =>
      db.query(`UPDATE audit_event SET occurred_at = occurred_at + interval '1 microsecond' WHERE id = $1`, [
        await eventIdAt(8),
      ]),
    );
    expect(await verify()).toMatchObject({ ok: false, firstBadSeq: 8 });
  });

  it('names a deleted event', async () => {
    await tamper(async () => db.query(`DELETE FROM audit_event WHERE id = $1`, [await eventIdAt(12)]));
    expect(await verify()).toMatchObject({
      ok: false,
      firstBadSeq: 12,
      reason: expect.stringMatching(/missing/),
    });
  });

  it('names a deleted chain row', async () => {
    await tamper(() => db.query(`DELETE FROM audit_chain WHERE seq = 12`));
    expect(await verify()).toMatchObject({
      ok: false,
      firstBadSeq: 12,
      reason: 'chain row 12 is missing (the next one is 13)',
    });
  });

  it('names the seq where an event and its chain row were deleted and the rest renumbered', async () => {
    await tamper(async () => {
      const id = await eventIdAt(12);
      await db.query(`DELETE FROM audit_chain WHERE seq = 12`);
      await db.query(`DELETE FROM audit_event WHERE id = $1`, [id]);
      await db.query(`UPDATE audit_chain SET seq = seq + 1000000 WHERE seq > 12`);
      await db.query(`UPDATE audit_chain SET seq = seq - 1000001 WHERE seq > 1000000`);
    });
    expect(await verify()).toMatchObject({
      ok: false,
      firstBadSeq: 12,
      reason: expect.stringMatching(/does not link/),
    });
  });

  it('names the first of two swapped events (chain rows pointing at each other’s event)', async () => {
    await tamper(async () => {
      const [a, b] = [await eventIdAt(4), await eventIdAt(9)];
      await db.query(`UPDATE audit_chain SET event_id = -1 WHERE seq = 4`);
      await db.query(`UPDATE audit_chain SET event_id = $1 WHERE seq = 9`, [a]);
      await db.query(`UPDATE audit_chain SET event_id = $1 WHERE seq = 4`, [b]);
    });
    expect(await verify()).toMatchObject({ ok: false, firstBadSeq: 4 });
  });

  it('names the first of two swapped events (event ids exchanged)', async () => {
    await tamper(async () => {
      const [a, b] = [await eventIdAt(5), await eventIdAt(6)];
      await db.query(`UPDATE audit_event SET id = -1 WHERE id = $1`, [a]);
      await db.query(`UPDATE audit_event SET id = $1 WHERE id = $2`, [a, b]);
      await db.query(`UPDATE audit_event SET id = $1 WHERE id = -1`, [b]);
    });
    expect(await verify()).toMatchObject({ ok: false, firstBadSeq: 5 });
  });

  it('names a chain row re-pointed at a forged event', async () => {
    await tamper(async () => {
      const { rows } = await db.query(
        `INSERT INTO audit_event (actor_kind, actor_country, action, outcome, owner_country)
         VALUES ('user', 'KH', 'arrest.release', 'success', 'KH') RETURNING id`,
      );
      await db.query(`UPDATE audit_chain SET event_id = $1 WHERE seq = 15`, [rows[0].id]);
    });
    expect(await verify()).toMatchObject({ ok: false, firstBadSeq: 15 });
  });

  it('names the row after a forged event inserted in the middle with a correct link', async () => {
    await tamper(async () => {
      const { rows } = await db.query(
        `INSERT INTO audit_event (actor_kind, actor_country, action, outcome, owner_country)
         VALUES ('user', 'KH', 'arrest.release', 'success', 'KH') RETURNING ${canonicalEventColumns('audit_event')}`,
      );
      await db.query(`UPDATE audit_chain SET seq = seq + 1000000 WHERE seq >= 15`);
      await db.query(`UPDATE audit_chain SET seq = seq - 999999 WHERE seq > 1000000`);
      const prev = (await db.query(`SELECT hash FROM audit_chain WHERE seq = 14`)).rows[0].hash;
      await db.query(`INSERT INTO audit_chain (seq, event_id, prev_hash, hash) VALUES (15, $1, $2, $3)`, [
        rows[0].id,
        prev,
        eventHash(prev, rows[0]),
      ]);
    });
    // Row 15 is self-consistent; the original event, now at 16, no longer links to it.
    expect(await verify()).toMatchObject({
      ok: false,
      firstBadSeq: 16,
      reason: expect.stringMatching(/does not link/),
    });
  });

  it('catches a whole chain rewritten consistently from the start through the first signed checkpoint', async () => {
    await tamper(async () => {
      await db.query(`UPDATE audit_event SET action = 'arrest.cancel' WHERE id = $1`, [await eventIdAt(1)]);
      await rehashFrom(1);
    });
    expect(await verify()).toMatchObject({
      ok: false,
      checkedEvents: 30,
      firstBadSeq: 10,
      reason: expect.stringMatching(/rewritten/),
    });
  });

  it('catches checkpoints re-signed with another key, or forged under the real key id', async () => {
    const attacker = generateKeyPairSync('ed25519');
    await tamper(async () => {
      await db.query(`UPDATE audit_event SET action = 'arrest.cancel' WHERE id = $1`, [await eventIdAt(3)]);
      await rehashFrom(1);
      const { rows } = await db.query(
        `SELECT k.seq::text AS seq, c.hash, to_char(k.signed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS signed_at
           FROM audit_checkpoint k JOIN audit_chain c ON c.seq = k.seq`,
      );
      for (const row of rows)
        await db.query(`UPDATE audit_checkpoint SET hash = $1, signature = $2, key_id = $3 WHERE seq = $4`, [
          row.hash,
          sign(null, checkpointPayload(row.seq, row.hash, row.signed_at), attacker.privateKey),
          keyIdOf(attacker.publicKey),
          row.seq,
        ]);
    });
    expect(await verify()).toMatchObject({
      ok: false,
      firstBadSeq: 10,
      reason: expect.stringMatching(/unknown key/),
    });
    await tamper(() =>
      db.query(
        `UPDATE audit_checkpoint k SET key_id = b.key_id FROM backup_audit_checkpoint b WHERE b.seq = k.seq`,
      ),
    );
    expect(await verify()).toMatchObject({
      ok: false,
      firstBadSeq: 10,
      reason: expect.stringMatching(/invalid signature/),
    });
  });

  it('names a cut-off tail under a checkpoint', async () => {
    await tamper(async () => {
      const ids = (await db.query(`SELECT event_id FROM audit_chain WHERE seq >= 20`)).rows.map(
        (r) => r.event_id,
      );
      await db.query(`DELETE FROM audit_chain WHERE seq >= 20`);
      await db.query(`DELETE FROM audit_event WHERE id = ANY($1::bigint[])`, [ids]);
    });
    expect(await verify()).toMatchObject({
      ok: false,
      firstBadSeq: 20,
      reason: expect.stringMatching(/missing/),
    });
  });

  it('cannot see a consistent rewrite after the last signed checkpoint (the documented weak window)', async () => {
    await tamper(async () => {
      await db.query(`UPDATE audit_event SET action = 'arrest.cancel' WHERE id = $1`, [await eventIdAt(25)]);
      await rehashFrom(25);
    });
    expect(await verify()).toMatchObject({ ok: true, checkedEvents: 30 });
  });
});
