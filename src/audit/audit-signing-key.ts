import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  KeyObject,
  sign,
  verify,
} from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { AppConfig } from '../config/app-config.service';

export const SIGNING_KEY_FILE = 'audit-signing-key.pem';

/** Short fingerprint of a public key: the first 16 hex digits of SHA-256 over its SPKI DER form. */
export function keyIdOf(publicKey: KeyObject): string {
  return createHash('sha256')
    .update(publicKey.export({ type: 'spki', format: 'der' }))
    .digest('hex')
    .slice(0, 16);
}

/** Reads an Ed25519 private key given as PEM text, base64 of PEM, or base64 of PKCS#8 DER. */
export function parsePrivateKey(text: string): KeyObject {
  const trimmed = text.trim();
  let key: KeyObject;
  if (trimmed.startsWith('-----BEGIN')) key = createPrivateKey(trimmed.replace(/\\n/g, '\n'));
  else {
    const bytes = Buffer.from(trimmed, 'base64');
    const decoded = bytes.toString('utf8');
    key = decoded.startsWith('-----BEGIN')
      ? createPrivateKey(decoded)
      : createPrivateKey({ key: bytes, format: 'der', type: 'pkcs8' });
  }
  if (key.asymmetricKeyType !== 'ed25519')
    throw new Error('AUDIT_SIGNING_KEY must be an Ed25519 private key');
  return key;
}

export function verifySignature(publicKey: KeyObject, payload: Buffer, signature: Buffer): boolean {
  try {
    return verify(null, payload, publicKey, signature);
  } catch {
    return false;
  }
}

/**
 * The Ed25519 key that signs audit checkpoints: `AUDIT_SIGNING_KEY` when set, otherwise a key generated
 * once into `DATA_DIR/audit-signing-key.pem` (mode 0600) and reused. Loaded on first use, so an app
 * that never checkpoints never touches DATA_DIR.
 */
@Injectable()
export class AuditSigningKey implements OnModuleInit {
  private readonly logger = new Logger(AuditSigningKey.name);
  private loaded?: { privateKey: KeyObject; publicKey: KeyObject; keyId: string };

  constructor(private readonly config: AppConfig) {}

  /** A configured key that cannot be read stops the start-up, instead of failing the first checkpoint. */
  onModuleInit(): void {
    if (this.config.get('AUDIT_SIGNING_KEY')) this.load();
  }

  get keyId(): string {
    return this.load().keyId;
  }

  get publicKey(): KeyObject {
    return this.load().publicKey;
  }

  publicKeyPem(): string {
    return this.load().publicKey.export({ type: 'spki', format: 'pem' }).toString();
  }

  sign(payload: Buffer): Buffer {
    return sign(null, payload, this.load().privateKey);
  }

  private load(): { privateKey: KeyObject; publicKey: KeyObject; keyId: string } {
    if (this.loaded) return this.loaded;
    const configured = this.config.get('AUDIT_SIGNING_KEY');
    let privateKey: KeyObject;
    try {
      privateKey = configured ? parsePrivateKey(configured) : this.fromDataDir();
    } catch (error) {
      const source = configured ? 'AUDIT_SIGNING_KEY' : `DATA_DIR/${SIGNING_KEY_FILE}`;
      throw new Error(`Invalid configuration:\n  ${source}: ${(error as Error).message}`);
    }
    const publicKey = createPublicKey(privateKey);
    this.loaded = { privateKey, publicKey, keyId: keyIdOf(publicKey) };
    return this.loaded;
  }

  private fromDataDir(): KeyObject {
    const dir = resolve(this.config.get('DATA_DIR'));
    const file = join(dir, SIGNING_KEY_FILE);
    try {
      return parsePrivateKey(readFileSync(file, 'utf8'));
    } catch (error) {
      if ((error as { code?: string }).code !== 'ENOENT') throw error;
    }
    mkdirSync(dir, { recursive: true });
    const { privateKey } = generateKeyPairSync('ed25519');
    const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    try {
      // 'wx': if another process created the file meanwhile, use theirs instead of overwriting it.
      writeFileSync(file, pem, { mode: 0o600, flag: 'wx' });
    } catch (error) {
      if ((error as { code?: string }).code === 'EEXIST') return parsePrivateKey(readFileSync(file, 'utf8'));
      throw error;
    }
    const message = `Generated the audit signing key into ${file}; keep its public key outside this system`;
    if (this.config.isProduction) this.logger.warn(`${message}. AUDIT_SIGNING_KEY is not set in production.`);
    else this.logger.log(message);
    return privateKey;
  }
}
