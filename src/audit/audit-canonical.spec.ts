import { createHash } from 'node:crypto';
import {
  CANONICAL_FIELDS,
  canonicalEvent,
  CanonicalEventRow,
  canonicalJson,
  chainHash,
  checkpointPayload,
  eventHash,
  GENESIS_HASH,
  isoMicros,
} from './audit-canonical';
import { anEvent } from '../../test/audit/fixtures';

describe('canonical serialization of audit events', () => {
  it('sorts keys at every depth and keeps array order', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: 1, y: 2 }], c: 'x' } })).toBe(
      '{"a":{"c":"x","d":[3,{"y":2,"z":1}]},"b":1}',
    );
  });

  it('gives the same text whatever order the keys arrived in', () => {
    const a = anEvent({ changes: { after: { x: 1, y: 2 } } });
    const b = anEvent({ changes: { after: { y: 2, x: 1 } } });
    expect(canonicalEvent(a)).toBe(canonicalEvent(b));
  });

  it('includes every hashed field, nulls as null, and nothing else', () => {
    const salted = { ...anEvent(), salt: '6f1c2d4e-0000-4000-8000-000000000001' };
    const parsed = JSON.parse(canonicalEvent({ ...salted, extra: 'ignored' } as CanonicalEventRow));
    expect(Object.keys(parsed).sort()).toEqual([...CANONICAL_FIELDS].sort());
    expect(parsed.actor_agency_id).toBeNull();
    expect(parsed.occurred_at).toBe('2026-11-22T10:00:00.123456Z');
    const picked = Object.fromEntries(CANONICAL_FIELDS.map((field) => [field, salted[field]]));
    expect(canonicalEvent(salted)).toBe(canonicalJson(picked));
  });

  it('hashes an event from before salts exactly as it was hashed then (no salt member at all)', () => {
    const unsalted = JSON.parse(canonicalEvent(anEvent()));
    expect('salt' in unsalted).toBe(false);
    expect(eventHash(GENESIS_HASH, anEvent())).not.toEqual(
      eventHash(GENESIS_HASH, { ...anEvent(), salt: '6f1c2d4e-0000-4000-8000-000000000001' }),
    );
  });

  it('escapes strings as JSON and refuses non-finite numbers', () => {
    expect(canonicalJson({ s: 'a"b\n\u2028' })).toBe('{"s":"a\\"b\\n\u2028"}');
    expect(() => canonicalJson({ n: Number.NaN })).toThrow(/NaN/);
    expect(canonicalJson({ u: undefined, n: null })).toBe('{"n":null}');
  });

  it('changes when any single field changes (microseconds included)', () => {
    const base = canonicalEvent(anEvent());
    expect(canonicalEvent(anEvent({ occurred_at: '2026-11-22T10:00:00.123457Z' }))).not.toBe(base);
    expect(canonicalEvent(anEvent({ outcome: 'denied' }))).not.toBe(base);
    expect(canonicalEvent(anEvent({ actor_roles: ['officer', 'liaison'] }))).not.toBe(base);
  });

  it('hashes SHA-256(prev_hash || canonical) from a genesis of 32 zero bytes', () => {
    const canonical = canonicalEvent(anEvent());
    const expected = createHash('sha256')
      .update(Buffer.concat([Buffer.alloc(32), Buffer.from(canonical, 'utf8')]))
      .digest();
    expect(GENESIS_HASH).toEqual(Buffer.alloc(32));
    expect(chainHash(GENESIS_HASH, canonical)).toEqual(expected);
    expect(eventHash(GENESIS_HASH, anEvent())).toEqual(expected);
    expect(eventHash(expected, anEvent())).not.toEqual(expected);
  });

  it('formats times with microseconds and signs a sorted-key checkpoint payload', () => {
    expect(isoMicros(new Date('2026-11-22T10:00:00.123Z'))).toBe('2026-11-22T10:00:00.123000Z');
    const payload = checkpointPayload('42', Buffer.alloc(32, 1), '2026-11-22T10:00:00.123000Z');
    expect(payload.toString()).toBe(
      `{"hash":"${'01'.repeat(32)}","seq":"42","signedAt":"2026-11-22T10:00:00.123000Z"}`,
    );
  });
});
