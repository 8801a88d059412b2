import { createCipheriv, createDecipheriv, hkdfSync, KeyObject, randomBytes } from 'node:crypto';

const VERSION = 'v1';
const IV_BYTES = 12;
const TAG_BYTES = 16;

/**
 * Seals TOTP secrets with AES-256-GCM so a database dump alone does not give them: the key lives in the
 * environment (MFA_ENCRYPTION_KEY, else derived from the access-token secret), never in the database.
 * The user's id is the additional data: a sealed secret copied onto another account's row does not open.
 * Stored as `v1:` + base64url(iv | tag | ciphertext).
 */
export class MfaSecretBox {
  private readonly key: Buffer;

  constructor(keyMaterial: Buffer) {
    this.key = Buffer.from(
      hkdfSync('sha256', keyMaterial, 'case-desk', 'mfa-secret-box/v1', 32) as ArrayBuffer,
    );
  }

  /** MFA_ENCRYPTION_KEY when set, else the access-token key's bytes. */
  static fromConfig(configured: string | undefined, jwtKey: KeyObject): MfaSecretBox {
    return new MfaSecretBox(configured ? Buffer.from(configured, 'utf8') : jwtKey.export());
  }

  seal(secret: string, userId: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    cipher.setAAD(Buffer.from(userId, 'utf8'));
    const body = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()]);
    return `${VERSION}:${Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url')}`;
  }

  /** The secret, or null when it was not sealed under this key for this user (a changed key, a copied row). */
  open(sealed: string, userId: string): string | null {
    const [version, payload] = sealed.split(':');
    if (version !== VERSION || !payload) return null;
    const bytes = Buffer.from(payload, 'base64url');
    if (bytes.length <= IV_BYTES + TAG_BYTES) return null;
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.key, bytes.subarray(0, IV_BYTES));
      decipher.setAAD(Buffer.from(userId, 'utf8'));
      decipher.setAuthTag(bytes.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
      return Buffer.concat([
        decipher.update(bytes.subarray(IV_BYTES + TAG_BYTES)),
        decipher.final(),
      ]).toString('utf8');
    } catch {
      return null;
    }
  }
}

export const MFA_SECRET_BOX = Symbol('MFA_SECRET_BOX');
