import type { CanonicalEventRow } from './audit-canonical';
import type { CheckpointRow } from './audit-chain-check';

/** An event row as the auditor queries read it: the hashed fields plus its chain position, if sealed. */
export interface AuditEventRow extends CanonicalEventRow {
  seq: string | null;
  hash: Buffer | null;
}

export interface AuditEventResponse {
  id: string;
  occurredAt: string;
  actor: {
    kind: string;
    userId: string | null;
    username: string | null;
    agencyId: string | null;
    country: string | null;
    roles: string[];
  };
  action: string;
  outcome: string;
  recordType: string | null;
  recordId: string | null;
  ownerCountry: string | null;
  counterpartCountry: string | null;
  changes: unknown;
  details: unknown;
  requestId: string | null;
  sourceIp: string | null;
  userAgent: string | null;
  /**
   * Chain hash and the event's salt (hashed with it; null for events from before salts); null until
   * the sealer has chained the event (within about a second). Hash and salt are null for a reader who
   * does not see the event whole (another country's comment, staff details or owner). The event's
   * position in the chain is not shown: the chain holds every country's events, and its positions
   * would tell an auditor how many events the others made. Nor, as a country's auditor reads it, is
   * the salt, nor the hash of an event without one: the hashed row and transaction numbers count the
   * others' events too, and the hash would confirm guesses of them (`asReadBy`, probe r27).
   */
  seal: { hash: string | null; salt: string | null } | null;
}

/** `name`: how the event is shown (`AuditEventIds.nameOf`), never its row id. */
export function toAuditEventResponse(row: AuditEventRow, name: string): AuditEventResponse {
  return {
    id: name,
    occurredAt: row.occurred_at,
    actor: {
      kind: row.actor_kind,
      userId: row.actor_user_id,
      username: row.actor_username,
      agencyId: row.actor_agency_id,
      country: row.actor_country,
      roles: row.actor_roles,
    },
    action: row.action,
    outcome: row.outcome,
    recordType: row.record_type,
    recordId: row.record_id,
    ownerCountry: row.owner_country,
    counterpartCountry: row.counterpart_country,
    changes: row.changes ?? null,
    details: row.details ?? null,
    requestId: row.request_id,
    sourceIp: row.source_ip,
    userAgent: row.user_agent,
    seal: row.seq ? { hash: row.hash?.toString('hex') ?? null, salt: row.salt ?? null } : null,
  };
}

export interface CheckpointResponse {
  seq: number;
  /** SHA-256 chain hash at `seq`, hex. */
  hash: string;
  signedAt: string;
  /** Ed25519 signature, base64, over `{"hash":…,"seq":"…","signedAt":…}` (sorted keys, no spaces). */
  signature: string;
  keyId: string;
}

export function toCheckpointResponse(row: CheckpointRow): CheckpointResponse {
  return {
    seq: Number(row.seq),
    hash: row.hash.toString('hex'),
    signedAt: row.signed_at,
    signature: row.signature.toString('base64'),
    keyId: row.key_id,
  };
}

export const CSV_COLUMNS = [
  'id',
  'occurredAt',
  'actorKind',
  'actorUserId',
  'actorUsername',
  'actorAgencyId',
  'actorCountry',
  'actorRoles',
  'action',
  'outcome',
  'recordType',
  'recordId',
  'ownerCountry',
  'counterpartCountry',
  'changes',
  'details',
  'requestId',
  'sourceIp',
  'userAgent',
  'sealHash',
] as const;

/**
 * One RFC 4180 field. A text that a spreadsheet would run as a formula (=, +, -, @, tab, CR) is
 * prefixed with an apostrophe.
 */
export function csvField(value: unknown): string {
  if (value === null || value === undefined) return '';
  let text = typeof value === 'string' ? value : JSON.stringify(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function toCsvLine(event: AuditEventResponse): string {
  const values = [
    event.id,
    event.occurredAt,
    event.actor.kind,
    event.actor.userId,
    event.actor.username,
    event.actor.agencyId,
    event.actor.country,
    event.actor.roles.join(' '),
    event.action,
    event.outcome,
    event.recordType,
    event.recordId,
    event.ownerCountry,
    event.counterpartCountry,
    event.changes,
    event.details,
    event.requestId,
    event.sourceIp,
    event.userAgent,
    event.seal?.hash ?? null,
  ];
  return `${values.map(csvField).join(',')}\r\n`;
}
