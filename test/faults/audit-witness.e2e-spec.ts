import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Client } from 'pg';
import {
  canonicalEventColumns,
  checkpointPayload,
  eventHash,
  GENESIS_HASH,
} from '../../src/audit/audit-canonical';
import { AuditSigningKey } from '../../src/audit/audit-signing-key';
import { officerContext } from '../audit/fixtures';
import {
  aDataDir,
  aSigningKeyPem,
  auditServices,
  recordEvents,
  superuser,
  withTriggersDisabled,
} from '../audit/support';
import { signIn, SignedIn } from '../support/http';
import { createTestApp, TestApp } from '../support/test-app';

interface WitnessLine {
  seq: number;
  hash: string;
  signedAt: string;
  signature: string;
  keyId: string;
}

/**
 * Issue 17: the checkpoint signing key sits beside the app, so whoever takes the host can rewrite the
 * chain and re-sign every checkpoint. Each checkpoint now also goes to AUDIT_WITNESS_FILE (append-only,
 * one JSON line each), and `verify` with a `checkpoint` from it tells a rewritten or cut-off chain.
 */
describe('Audit checkpoints published to a witness file; verify against a witnessed checkpoint', () => {
  let t: TestApp;
  let auditor: SignedIn;
  let db: Client;
  const witnessFile = join(aDataDir(), 'checkpoints.jsonl');
  const ctx = officerContext('KH');
  const lines = (): WitnessLine[] =>
    readFileSync(witnessFile, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as WitnessLine);
  const event = (i: number) => ({
    action: 'arrest.record',
    recordType: 'arrest',
    recordId: `KH-ARR-W${i}`,
    ownerCountry: 'KH',
    after: { custody: 'held' },
  });
  /** Ten events, one at a time, sealed and checkpointed. */
  async function tenEventsAndACheckpoint(round: number): Promise<void> {
    for (let i = 0; i < 10; i++) await recordEvents(t, ctx, 1, () => event(round * 10 + i));
    await auditServices(t).sealer.sealNow({ drain: true, checkpoint: true });
  }
  const verify = (body: object) => auditor.post('/audit-events/verify', body);

  beforeAll(async () => {
    t = await createTestApp(
      {},
      { AUDIT_SEAL_INTERVAL_MS: '0', AUDIT_SIGNING_KEY: aSigningKeyPem(), AUDIT_WITNESS_FILE: witnessFile },
    );
    // Checkpoints and ranges are the platform operator's (a country's auditor learns only "it holds").
    auditor = await signIn(t.server, 'platform.admin');
    db = await superuser(t);
  });
  afterAll(async () => {
    await db?.end();
    await t?.close();
  });

  it('appends one JSON line per signed checkpoint, as the checkpoints API shows it, never rewriting a line', async () => {
    await tenEventsAndACheckpoint(0);
    const first = readFileSync(witnessFile, 'utf8');
    expect(lines()).toHaveLength(1);
    await tenEventsAndACheckpoint(1);
    await tenEventsAndACheckpoint(2);
    const after = readFileSync(witnessFile, 'utf8');
    expect(after.startsWith(first)).toBe(true);
    const api = await auditor.get('/audit-events/checkpoints?limit=10');
    expect(api.status).toBe(200);
    expect(lines()).toEqual([...api.body.items].reverse());
    expect(lines().map((l) => l.seq)).toEqual([...lines().map((l) => l.seq)].sort((a, b) => a - b));
  });

  it('verify with a witnessed checkpoint of the untouched chain: ok', async () => {
    for (const line of lines()) {
      const res = await verify({ checkpoint: { seq: line.seq, hash: line.hash } });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ ok: true, firstBadSeq: null });
    }
  });

  it('refuses a malformed checkpoint, or one outside the verified range, with 400', async () => {
    const [line] = lines();
    expect((await verify({ checkpoint: { seq: line!.seq, hash: 'not-hex' } })).status).toBe(400);
    expect((await verify({ checkpoint: { seq: 0, hash: line!.hash } })).status).toBe(400);
    const outside = await verify({ toSeq: line!.seq - 1, checkpoint: { seq: line!.seq, hash: line!.hash } });
    expect(outside.status).toBe(400);
    expect(outside.body.errors[0].field).toBe('checkpoint.seq');
  });

  it('a chain rewritten and re-signed with the stolen key passes plain verify, but not against the witness', async () => {
    const witnessed = lines()[1]!;
    const signingKey = t.app.get(AuditSigningKey);
    // The attacker owns the database and the signing key: changes an early event, recomputes every
    // hash after it and re-signs every checkpoint, so the database agrees with itself again.
    await withTriggersDisabled(db, async () => {
      const target = (await db.query(`SELECT event_id FROM audit_chain WHERE seq = 3`)).rows[0].event_id;
      await db.query(`UPDATE audit_event SET record_id = 'KH-ARR-rewritten' WHERE id = $1`, [target]);
      const { rows } = await db.query(
        `SELECT c.seq::int AS seq, ${canonicalEventColumns('e')} FROM audit_chain c JOIN audit_event e ON e.id = c.event_id ORDER BY c.seq`,
      );
      let prev = GENESIS_HASH;
      for (const row of rows) {
        const hash = eventHash(prev, row);
        await db.query(`UPDATE audit_chain SET prev_hash = $1, hash = $2 WHERE seq = $3`, [
          prev,
          hash,
          row.seq,
        ]);
        prev = hash;
      }
      const checkpoints = await db.query(
        `SELECT k.seq::text AS seq, c.hash,
                to_char(k.signed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS signed_at
           FROM audit_checkpoint k JOIN audit_chain c ON c.seq = k.seq`,
      );
      for (const k of checkpoints.rows)
        await db.query(`UPDATE audit_checkpoint SET hash = $1, signature = $2 WHERE seq = $3`, [
          k.hash,
          signingKey.sign(checkpointPayload(k.seq, k.hash, k.signed_at)),
          k.seq,
        ]);
    });

    const plain = await verify({});
    expect(plain.body).toMatchObject({ ok: true });
    const against = await verify({ checkpoint: { seq: witnessed.seq, hash: witnessed.hash } });
    expect(against.status).toBe(200);
    expect(against.body).toMatchObject({ ok: false, firstBadSeq: witnessed.seq });
    expect(against.body.reason).toMatch(/does not match the witnessed checkpoint/);
  });

  it('a chain cut off before a witnessed checkpoint is not ok', async () => {
    const last = lines()[lines().length - 1]!;
    await withTriggersDisabled(db, async () => {
      await db.query(`DELETE FROM audit_checkpoint WHERE seq > $1`, [last.seq - 5]);
      const gone = await db.query(`DELETE FROM audit_chain WHERE seq > $1 RETURNING event_id`, [
        last.seq - 5,
      ]);
      await db.query(`DELETE FROM audit_event WHERE id = ANY($1::bigint[])`, [
        gone.rows.map((r) => r.event_id),
      ]);
    });
    const res = await verify({ checkpoint: { seq: last.seq, hash: last.hash } });
    expect(res.body).toMatchObject({ ok: false, firstBadSeq: last.seq });
    expect(res.body.reason).toMatch(/chain ends at seq \d+, before the witnessed checkpoint/);
  });
});
