import { Injectable } from '@nestjs/common';
import { isIPv6 } from 'node:net';
import { returningRows } from '../database/returning';
import { TransactionService } from '../database/transaction.service';
import { AUTH_LIMITS } from './auth-settings';

/** An address the account signed in from within `AUTH_LIMITS.familiarAddressMs`, with its own lockout. */
export interface FamiliarAddress {
  address: string;
  lockedUntil: Date | null;
}

/**
 * One spelling per address, so one client is one address here however it reached the server: an IPv4
 * client seen through a dual-stack socket or proxy (`::ffff:198.51.100.7`, `::FFFF:c633:6407`) is its
 * IPv4 address, and an IPv6 one is in its compressed lower-case form (`2001:DB8:0::1` → `2001:db8::1`).
 * Two spellings would be two addresses, each with a lockout and a throttle bucket of its own.
 */
export function canonicalAddress(address: string): string {
  const raw = address.trim();
  if (!isIPv6(raw)) return raw.toLowerCase();
  let ipv6: string;
  try {
    ipv6 = new URL(`http://[${raw}]/`).hostname.slice(1, -1);
  } catch {
    return raw.toLowerCase(); // a zone (`fe80::1%eth0`): kept as given
  }
  const mapped = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(ipv6);
  if (!mapped) return ipv6;
  const [high, low] = [parseInt(mapped[1]!, 16), parseInt(mapped[2]!, 16)];
  return [high >> 8, high & 0xff, low >> 8, low & 0xff].join('.');
}

/** Sign-ins since this make an address the account's own. */
function familiarSince(now: Date): Date {
  return new Date(now.getTime() - AUTH_LIMITS.familiarAddressMs);
}

/**
 * The addresses each account signed in from lately (`sign_in_address`), each with a lockout of its
 * own. Wrong passwords from an address the account never signed in from lock the account (app_user);
 * wrong passwords from one of its own addresses lock that address as well. So a stranger who keeps an
 * account locked does not keep its owner out: the right password from the owner's own address is
 * weighed against that address's lockout only (CredentialsService).
 */
@Injectable()
export class SignInAddressesStore {
  constructor(private readonly tx: TransactionService) {}

  /** The address when the account signed in from it lately, else null. */
  async familiar(userId: string, sourceIp: string | null, now: Date): Promise<FamiliarAddress | null> {
    if (!sourceIp) return null;
    const address = canonicalAddress(sourceIp);
    const rows: Array<{ locked_until: Date | null }> = await this.tx.manager.query(
      `SELECT locked_until FROM sign_in_address
        WHERE user_id = $1 AND address = $2 AND last_signed_in_at > $3`,
      [userId, address, familiarSince(now)],
    );
    const row = rows[0];
    return row ? { address, lockedUntil: row.locked_until ? new Date(row.locked_until) : null } : null;
  }

  /** A sign-in succeeded from `address`: it is the account's (again), with no failures; stale ones go. */
  async signedIn(userId: string, sourceIp: string | null, now: Date): Promise<void> {
    await this.tx.manager.query(
      `DELETE FROM sign_in_address
        WHERE user_id = $1 AND last_signed_in_at <= $2`,
      [userId, familiarSince(now)],
    );
    if (!sourceIp) return;
    const address = canonicalAddress(sourceIp);
    await this.tx.manager.query(
      `INSERT INTO sign_in_address (user_id, address, last_signed_in_at) VALUES ($1, $2, $3)
       ON CONFLICT (user_id, address) DO UPDATE
         SET last_signed_in_at = EXCLUDED.last_signed_in_at, failed_logins = 0,
             failed_logins_since = NULL, locked_until = NULL`,
      [userId, address, now],
    );
  }

  /**
   * Forgets the addresses no account signed in from within `familiarAddressMs` (`familiar` already
   * ignores them; `signedIn` drops an account's own at its next sign-in, and this catches the accounts
   * that never sign in again): addresses are personal data, kept no longer than they count.
   */
  async sweep(now: Date): Promise<number> {
    const gone = await returningRows(
      this.tx.manager,
      `DELETE FROM sign_in_address
        WHERE last_signed_in_at <= $1
        RETURNING 1`,
      [familiarSince(now)],
    );
    return gone.length;
  }

  /**
   * The account's password was replaced (the owner's change, an admin's reset): an address earned its
   * standing with the old one, so each is a stranger again, except `keep` (the address the owner changed
   * it from, already its own). Otherwise whoever had the old password keeps guessing the new one at its
   * address past the account's lockout, with a throttle bucket of its own.
   */
  async forgetAll(userId: string, keep: string | null = null): Promise<void> {
    await this.tx.manager.query(
      `DELETE FROM sign_in_address WHERE user_id = $1 AND ($2::text IS NULL OR address <> $2::text)`,
      [userId, keep],
    );
  }

  /** An admin lifted the account's lockout: its addresses' lockouts end too. */
  async unlockAll(userId: string): Promise<void> {
    await this.tx.manager.query(
      `UPDATE sign_in_address SET failed_logins = 0, failed_logins_since = NULL, locked_until = NULL
        WHERE user_id = $1 AND (failed_logins <> 0 OR locked_until IS NOT NULL)`,
      [userId],
    );
  }
}
