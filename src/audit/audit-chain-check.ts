import type { KeyObject } from 'node:crypto';
import { CanonicalEventRow, checkpointPayload, eventHash } from './audit-canonical';
import { verifySignature } from './audit-signing-key';

/** One `audit_chain` row joined with its event (event columns null when the event is gone). */
export interface ChainRowWithEvent extends CanonicalEventRow {
  seq: string;
  event_id: string;
  prev_hash: Buffer;
  hash: Buffer;
  /** False when no `audit_event` row has `event_id` any more. */
  event_present: boolean;
}

export interface CheckpointRow {
  seq: string;
  hash: Buffer;
  /** ISO 8601 UTC with microseconds, as signed. */
  signed_at: string;
  signature: Buffer;
  key_id: string;
}

export interface LinkFailure {
  seq: number;
  reason: string;
}

/**
 * Checks one chain row against the expected position and the previous hash. Returns the recomputed
 * hash when the row is sound, or what is wrong with it.
 */
export function checkLink(
  expectedSeq: bigint,
  prevHash: Buffer,
  row: ChainRowWithEvent,
): { ok: true; hash: Buffer } | { ok: false; failure: LinkFailure } {
  const seq = BigInt(row.seq);
  if (seq !== expectedSeq)
    return fail(expectedSeq, `chain row ${expectedSeq} is missing (the next one is ${seq})`);
  if (!row.prev_hash.equals(prevHash))
    return fail(seq, `chain row ${seq} does not link to the hash of row ${seq - 1n}`);
  if (!row.event_present) return fail(seq, `event ${row.event_id} sealed at ${seq} is missing`);
  const hash = eventHash(prevHash, row);
  if (!hash.equals(row.hash))
    return fail(
      seq,
      `event ${row.event_id} sealed at ${seq} no longer matches its hash (changed or replaced)`,
    );
  return { ok: true, hash };
}

/**
 * Checks a signed checkpoint against the chain hash recomputed at its seq (undefined when the chain
 * has no row there). Returns a reason, or null when the checkpoint holds.
 */
export function checkCheckpoint(
  checkpoint: CheckpointRow,
  chainHashAtSeq: Buffer | undefined,
  publicKey: KeyObject,
  keyId: string,
): string | null {
  const seq = checkpoint.seq;
  if (checkpoint.key_id !== keyId)
    return `checkpoint ${seq} is signed by unknown key ${checkpoint.key_id} (expected ${keyId})`;
  const payload = checkpointPayload(seq, checkpoint.hash, checkpoint.signed_at);
  if (!verifySignature(publicKey, payload, checkpoint.signature))
    return `checkpoint ${seq} has an invalid signature`;
  if (!chainHashAtSeq) return `chain row ${seq} signed by a checkpoint is missing`;
  if (!chainHashAtSeq.equals(checkpoint.hash))
    return `the chain up to ${seq} was rewritten: its hash differs from the signed checkpoint`;
  return null;
}

function fail(seq: bigint, reason: string): { ok: false; failure: LinkFailure } {
  return { ok: false, failure: { seq: Number(seq), reason } };
}
