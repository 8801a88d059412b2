import { Logger } from '@nestjs/common';
import { createSecretKey, KeyObject, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The HMAC key for access tokens as a KeyObject: jsonwebtoken given a plain string first tries to parse
 * it as a public key, which costs ~360 µs per verification against ~10 µs for a KeyObject.
 * Outside production an unset JWT_SECRET is generated once into DATA_DIR and reused across restarts.
 */
export function loadJwtKey(secret: string | undefined, dataDir: string): KeyObject {
  if (secret) return createSecretKey(Buffer.from(secret, 'utf8'));
  const file = join(dataDir, 'jwt-secret');
  if (!existsSync(file)) {
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(file, randomBytes(48).toString('base64url'), { mode: 0o600 });
    new Logger('Auth').log(`Generated an access-token secret in ${file}`);
  }
  return createSecretKey(Buffer.from(readFileSync(file, 'utf8').trim(), 'utf8'));
}
