import { generateKeyPairSync, sign } from 'node:crypto';
import { checkpointPayload, eventHash, GENESIS_HASH } from './audit-canonical';
import { anEvent } from '../../test/audit/fixtures';
import { ChainRowWithEvent, checkCheckpoint, checkLink } from './audit-chain-check';
import type { AppConfig } from '../config/app-config.service';
import { AuditSigningKey, keyIdOf, parsePrivateKey } from './audit-signing-key';

function chain(count: number): ChainRowWithEvent[] {
  const rows: ChainRowWithEvent[] = [];
  let prev = GENESIS_HASH;
  for (let i = 1; i <= count; i++) {
    const event = anEvent({ id: String(i), action: `case.step${i}` });
    const hash = eventHash(prev, event);
    rows.push({ ...event, seq: String(i), event_id: event.id, prev_hash: prev, hash, event_present: true });
    prev = hash;
  }
  return rows;
}

function firstFailure(rows: ChainRowWithEvent[]): { seq: number; reason: string } | null {
  let prev = GENESIS_HASH;
  let expected = 1n;
  for (const row of rows) {
    const result = checkLink(expected, prev, row);
    if (!result.ok) return result.failure;
    prev = result.hash;
    expected++;
  }
  return null;
}

describe('chain verification helpers', () => {
  it('accepts an untouched chain', () => {
    expect(firstFailure(chain(5))).toBeNull();
  });

  it('names the seq of an edited event', () => {
    const rows = chain(5);
    rows[2] = { ...rows[2], record_id: 'KR-CASE-2026-999999' };
    expect(firstFailure(rows)).toEqual({ seq: 3, reason: expect.stringMatching(/no longer matches/) });
  });

  it('names a missing chain row, a missing event and a broken link', () => {
    const rows = chain(5);
    expect(firstFailure([...rows.slice(0, 1), ...rows.slice(2)])).toMatchObject({ seq: 2 });
    const noEvent = chain(5);
    noEvent[3] = { ...noEvent[3], event_present: false };
    expect(firstFailure(noEvent)).toEqual({ seq: 4, reason: expect.stringMatching(/missing/) });
    const relinked = chain(5);
    relinked[1] = { ...relinked[1], prev_hash: Buffer.alloc(32, 9) };
    expect(firstFailure(relinked)).toEqual({ seq: 2, reason: expect.stringMatching(/does not link/) });
  });

  it('checks a checkpoint signature, its key and its hash', () => {
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    const keyId = keyIdOf(publicKey);
    const hash = Buffer.alloc(32, 7);
    const signedAt = '2026-11-22T10:00:00.123000Z';
    const checkpoint = {
      seq: '10',
      hash,
      signed_at: signedAt,
      signature: sign(null, checkpointPayload('10', hash, signedAt), privateKey),
      key_id: keyId,
    };
    expect(checkCheckpoint(checkpoint, hash, publicKey, keyId)).toBeNull();
    expect(checkCheckpoint(checkpoint, Buffer.alloc(32, 8), publicKey, keyId)).toMatch(/rewritten/);
    expect(checkCheckpoint(checkpoint, undefined, publicKey, keyId)).toMatch(/missing/);
    expect(checkCheckpoint({ ...checkpoint, seq: '11' }, hash, publicKey, keyId)).toMatch(
      /invalid signature/,
    );
    expect(checkCheckpoint({ ...checkpoint, key_id: 'other' }, hash, publicKey, keyId)).toMatch(
      /unknown key/,
    );
  });

  it('reads an Ed25519 key as PEM, base64 PEM or base64 DER and refuses other key types', () => {
    const { privateKey } = generateKeyPairSync('ed25519');
    const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const der = privateKey.export({ type: 'pkcs8', format: 'der' });
    for (const text of [pem, Buffer.from(pem).toString('base64'), der.toString('base64')])
      expect(parsePrivateKey(text).asymmetricKeyType).toBe('ed25519');
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
    expect(() => parsePrivateKey(ec.export({ type: 'pkcs8', format: 'pem' }).toString())).toThrow(/Ed25519/);
  });

  it('stops the start-up on a configured key it cannot read', () => {
    const config = { get: () => 'not a key', isProduction: false } as unknown as AppConfig;
    expect(() => new AuditSigningKey(config).onModuleInit()).toThrow(
      /Invalid configuration:\n {2}AUDIT_SIGNING_KEY/,
    );
  });
});
