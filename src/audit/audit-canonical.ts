import { createHash } from 'node:crypto';

/**
 * The pure heart of the hash chain: how an event is serialized for hashing and how one link is
 * computed. No database, no Nest: the sealer, the verifier, the benchmark and any outside verifier
 * share exactly this code.
 */

/** `prev_hash` of the first chain row. */
export const GENESIS_HASH: Buffer = Buffer.alloc(32);

/**
 * An audit event as hashed. Timestamps are ISO 8601 UTC strings with microseconds (read with
 * `to_char`, see `CANONICAL_EVENT_COLUMNS`), bigints and xid8 as decimal strings.
 */
export interface CanonicalEventRow {
  id: string;
  occurred_at: string;
  tx_id: string;
  actor_kind: string;
  actor_user_id: string | null;
  actor_username: string | null;
  actor_agency_id: string | null;
  actor_country: string | null;
  actor_roles: string[];
  action: string;
  outcome: string;
  record_type: string | null;
  record_id: string | null;
  owner_country: string | null;
  counterpart_country: string | null;
  changes: unknown;
  details: unknown;
  request_id: string | null;
  source_ip: string | null;
  user_agent: string | null;
  /**
   * A random value per event (since migration 1763800025000; null before), hashed only when present:
   * without it, a field withheld from a reader cannot be recovered from the hashes by guessing.
   */
  salt?: string | null;
}

/** Every hashed field, in one list, so a new column cannot be hashed by one side and not the other. */
export const CANONICAL_FIELDS: ReadonlyArray<keyof CanonicalEventRow> = [
  'id',
  'occurred_at',
  'tx_id',
  'actor_kind',
  'actor_user_id',
  'actor_username',
  'actor_agency_id',
  'actor_country',
  'actor_roles',
  'action',
  'outcome',
  'record_type',
  'record_id',
  'owner_country',
  'counterpart_country',
  'changes',
  'details',
  'request_id',
  'source_ip',
  'user_agent',
  'salt',
];

/** The SQL select list producing a `CanonicalEventRow` from `audit_event` aliased as `alias`. */
export function canonicalEventColumns(alias = 'e'): string {
  return `${alias}.id::text AS id,
    to_char(${alias}.occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS occurred_at,
    ${alias}.tx_id::text AS tx_id, ${alias}.actor_kind, ${alias}.actor_user_id::text AS actor_user_id,
    ${alias}.actor_username, ${alias}.actor_agency_id::text AS actor_agency_id,
    ${alias}.actor_country::text AS actor_country, ${alias}.actor_roles, ${alias}.action, ${alias}.outcome,
    ${alias}.record_type, ${alias}.record_id, ${alias}.owner_country::text AS owner_country,
    ${alias}.counterpart_country::text AS counterpart_country, ${alias}.changes, ${alias}.details,
    ${alias}.request_id, ${alias}.source_ip, ${alias}.user_agent, ${alias}.salt::text AS salt`;
}

/**
 * Deterministic JSON: object keys sorted by code point at every depth, no whitespace, `undefined`
 * members dropped (as JSON.stringify does), arrays kept in order. Non-finite numbers are refused.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string' || typeof value === 'boolean') return JSON.stringify(value);
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error(`Cannot serialize the number ${value}`);
    return JSON.stringify(value);
  }
  if (typeof value === 'bigint') return JSON.stringify(value.toString());
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (Array.isArray(value)) return `[${value.map((item) => canonicalJson(item)).join(',')}]`;
  if (typeof value === 'object') {
    const object = value as Record<string, unknown>;
    // Array.prototype.sort without a comparator orders by UTF-16 code units: the same on every engine.
    const parts: string[] = [];
    for (const key of Object.keys(object).sort()) {
      if (object[key] !== undefined) parts.push(`${JSON.stringify(key)}:${canonicalJson(object[key])}`);
    }
    return `{${parts.join(',')}}`;
  }
  throw new Error(`Cannot serialize a ${typeof value}`);
}

/** The bytes hashed for one event: the canonical JSON of exactly `CANONICAL_FIELDS`. */
export function canonicalEvent(row: CanonicalEventRow): string {
  const parts: string[] = [];
  for (const [field, prefix] of SORTED_FIELD_PREFIXES) {
    if (field === 'salt' && !row.salt) continue; // events from before salts hash as they always did
    parts.push(prefix + canonicalJson(row[field] ?? null));
  }
  return `{${parts.join(',')}}`;
}

/** `CANONICAL_FIELDS` in canonical (sorted) order with their `"name":` prefix, computed once. */
const SORTED_FIELD_PREFIXES: ReadonlyArray<[keyof CanonicalEventRow, string]> = [...CANONICAL_FIELDS]
  .sort()
  .map((field) => [field, `${JSON.stringify(field)}:`]);

/** `SHA-256(prev_hash || canonical(event))`. */
export function chainHash(prevHash: Buffer, canonical: string): Buffer {
  return createHash('sha256').update(prevHash).update(canonical, 'utf8').digest();
}

export function eventHash(prevHash: Buffer, row: CanonicalEventRow): Buffer {
  return chainHash(prevHash, canonicalEvent(row));
}

/** An ISO 8601 UTC time with microseconds, the form `to_char(... 'US')` produces. */
export function isoMicros(date: Date): string {
  return date.toISOString().replace(/Z$/, '000Z');
}

/** What a checkpoint signs: `{"hash":"<hex>","seq":"<n>","signedAt":"<iso µs>"}`. */
export function checkpointPayload(seq: string, hash: Buffer, signedAt: string): Buffer {
  return Buffer.from(canonicalJson({ seq, hash: hash.toString('hex'), signedAt }), 'utf8');
}
