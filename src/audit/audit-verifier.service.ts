import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { setImmediate } from 'node:timers/promises';
import { DataSource } from 'typeorm';
import { canonicalEventColumns, GENESIS_HASH } from './audit-canonical';
import { ChainRowWithEvent, checkCheckpoint, CheckpointRow, checkLink } from './audit-chain-check';
import { AuditSigningKey } from './audit-signing-key';
import { ValidationFailedError } from '../common/errors/domain-errors';

export interface VerifyRange {
  fromSeq?: number;
  toSeq?: number;
  /** A checkpoint kept outside the database (seq, hash hex): the recomputed chain must match it. */
  checkpoint?: { seq: number; hash: string };
}

export interface VerifyResult {
  ok: boolean;
  /** Chain rows checked before the first problem (or all of them). */
  checkedEvents: number;
  checkedCheckpoints: number;
  fromSeq: number;
  toSeq: number;
  firstBadSeq: number | null;
  reason: string | null;
}

export const VERIFY_BATCH_SIZE = 5000;

const CHECKPOINT_COLUMNS = `k.seq::text AS seq, k.hash,
  to_char(k.signed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS signed_at, k.signature, k.key_id`;

/**
 * Recomputes the chain from the events and checks it: contiguous seq, each row linked to the previous
 * hash, each event present and unchanged, and every signed checkpoint in range valid and equal to the
 * recomputed hash at its seq. Reads keyset-paginated batches, so memory stays flat however long the
 * chain is. Stops at the first problem and names its seq.
 */
@Injectable()
export class AuditVerifierService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly signingKey: AuditSigningKey,
  ) {}

  async verify(range: VerifyRange = {}): Promise<VerifyResult> {
    const fromSeq = Math.max(1, range.fromSeq ?? 1);
    // The end is the highest seq the chain or a checkpoint knows, so a cut-off tail under a checkpoint shows.
    const [{ top }] = await this.dataSource.query(
      `SELECT greatest((SELECT max(seq) FROM audit_chain), (SELECT max(seq) FROM audit_checkpoint), 0)::text AS top`,
    );
    const toSeq = Math.min(range.toSeq ?? Number(top), Number(top));
    const witnessed = range.checkpoint;
    if (witnessed && (witnessed.seq < fromSeq || (range.toSeq !== undefined && witnessed.seq > range.toSeq)))
      throw new ValidationFailedError([
        { field: 'checkpoint.seq', message: 'checkpoint.seq must lie between fromSeq and toSeq' },
      ]);
    const result: VerifyResult = {
      ok: true,
      checkedEvents: 0,
      checkedCheckpoints: 0,
      fromSeq,
      toSeq,
      firstBadSeq: null,
      reason: null,
    };
    const bad = (seq: number, reason: string): VerifyResult =>
      Object.assign(result, { ok: false, firstBadSeq: seq, reason });
    // A chain that ends before the witnessed seq was cut off (or never had it): no hash to compare.
    if (witnessed && witnessed.seq > toSeq)
      return bad(
        witnessed.seq,
        `the chain ends at seq ${toSeq}, before the witnessed checkpoint at seq ${witnessed.seq}`,
      );
    if (toSeq < fromSeq) return result;

    let prev = GENESIS_HASH;
    if (fromSeq > 1) {
      const rows: Array<{ hash: Buffer }> = await this.dataSource.query(
        `SELECT hash FROM audit_chain WHERE seq = $1`,
        [fromSeq - 1],
      );
      if (!rows.length) return bad(fromSeq - 1, `chain row ${fromSeq - 1} is missing`);
      prev = rows[0].hash;
    }

    const publicKey = this.signingKey.publicKey;
    const keyId = this.signingKey.keyId;
    let expected = BigInt(fromSeq);
    let after = fromSeq - 1;
    while (after < toSeq) {
      const rows: ChainRowWithEvent[] = await this.dataSource.query(
        `SELECT c.seq::text AS seq, c.event_id::text AS event_id, c.prev_hash, c.hash,
                e.id IS NOT NULL AS event_present, ${canonicalEventColumns('e')}
           FROM audit_chain c LEFT JOIN audit_event e ON e.id = c.event_id
          WHERE c.seq > $1 AND c.seq <= $2
          ORDER BY c.seq
          LIMIT ${VERIFY_BATCH_SIZE}`,
        [after, toSeq],
      );
      // The batch covers (after, batchEnd]; a short batch is the last one.
      const batchEnd = rows.length === VERIFY_BATCH_SIZE ? Number(rows[rows.length - 1].seq) : toSeq;
      const hashes = new Map<number, Buffer>();
      let failure: { seq: number; reason: string } | null = null;
      for (const [index, row] of rows.entries()) {
        // Hashing is synchronous: let requests in between during a long verification.
        if (index > 0 && index % 250 === 0) await setImmediate();
        const link = checkLink(expected, prev, row);
        if (!link.ok) {
          failure = link.failure;
          break;
        }
        hashes.set(Number(row.seq), link.hash);
        prev = link.hash;
        expected += 1n;
        result.checkedEvents++;
      }
      if (!failure && expected <= BigInt(batchEnd))
        failure = { seq: Number(expected), reason: `chain row ${expected} is missing` };

      const checkpoints: CheckpointRow[] = await this.dataSource.query(
        `SELECT ${CHECKPOINT_COLUMNS} FROM audit_checkpoint k WHERE k.seq > $1 AND k.seq <= $2 ORDER BY k.seq`,
        [after, failure ? failure.seq - 1 : batchEnd],
      );
      for (const checkpoint of checkpoints) {
        const reason = checkCheckpoint(checkpoint, hashes.get(Number(checkpoint.seq)), publicKey, keyId);
        if (reason) return bad(Number(checkpoint.seq), reason);
        result.checkedCheckpoints++;
      }
      if (failure) return bad(failure.seq, failure.reason);
      const atWitness = witnessed ? hashes.get(witnessed.seq) : undefined;
      if (witnessed && atWitness && atWitness.toString('hex') !== witnessed.hash)
        return bad(
          witnessed.seq,
          `the chain recomputed from the events does not match the witnessed checkpoint at seq ${witnessed.seq}`,
        );
      after = batchEnd;
    }
    return result;
  }
}
