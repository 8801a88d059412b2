import { Injectable } from '@nestjs/common';
import { returningRows } from '../database/returning';
import { TransactionService } from '../database/transaction.service';
import { AUTH_LIMITS } from './auth-settings';

/** An address the account signed in from within `AUTH_LIMITS.familiarAddressMs`, with its own lockout. */
export interface FamiliarAddress {
  address: string;
  lockedUntil: Date | null;
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
  async familiar(userId: string, address: string | null, now: Date): Promise<FamiliarAddress | null> {
    if (!address) return null;
    const rows: Array<{ locked_until: Date | null }> = await this.tx.manager.query(
      `SELECT locked_until FROM sign_in_address
        WHERE user_id = $1 AND address = $2 AND last_signed_in_at > $3::timestamptz - make_interval(secs => $4 / 1000.0)`,
      [userId, address, now, AUTH_LIMITS.familiarAddressMs],
    );
    const row = rows[0];
    return row ? { address, lockedUntil: row.locked_until ? new Date(row.locked_until) : null } : null;
  }

  /** A sign-in succeeded from `address`: it is the account's (again), with no failures; stale ones go. */
  async signedIn(userId: string, address: string | null, now: Date): Promise<void> {
    await this.tx.manager.query(
      `DELETE FROM sign_in_address
        WHERE user_id = $1 AND last_signed_in_at <= $2::timestamptz - make_interval(secs => $3 / 1000.0)`,
      [userId, now, AUTH_LIMITS.familiarAddressMs],
    );
    if (!address) return;
    await this.tx.manager.query(
      `INSERT INTO sign_in_address (user_id, address, last_signed_in_at) VALUES ($1, $2, $3)
       ON CONFLICT (user_id, address) DO UPDATE
         SET last_signed_in_at = EXCLUDED.last_signed_in_at, failed_logins = 0,
             failed_logins_since = NULL, locked_until = NULL`,
      [userId, address, now],
    );
  }

  /**
   * Counts a wrong password from one of the account's own addresses toward that address's lockout, as
   * CredentialsService counts it on the account (one atomic statement). The end of the lockout when this
   * one locked the address, else null.
   */
  async countWrongPassword(userId: string, address: string, now: Date): Promise<Date | null> {
    const [row] = await returningRows<{ failed_logins: number; locked_until: Date | null }>(
      this.tx.manager,
      `WITH counted AS (
         SELECT user_id, address,
                CASE WHEN failed_logins_since IS NOT NULL AND failed_logins_since > $3::timestamptz - make_interval(secs => $4 / 1000.0)
                     THEN failed_logins + 1 ELSE 1 END AS n,
                CASE WHEN failed_logins_since IS NOT NULL AND failed_logins_since > $3::timestamptz - make_interval(secs => $4 / 1000.0)
                     THEN failed_logins_since ELSE $3::timestamptz END AS since
           FROM sign_in_address WHERE user_id = $1 AND address = $2 FOR UPDATE
       )
       UPDATE sign_in_address a SET failed_logins = c.n, failed_logins_since = c.since,
              locked_until = CASE WHEN c.n >= $5 THEN $3::timestamptz + make_interval(secs => $6 / 1000.0) ELSE a.locked_until END
         FROM counted c WHERE a.user_id = c.user_id AND a.address = c.address
       RETURNING a.failed_logins, a.locked_until`,
      [
        userId,
        address,
        now,
        AUTH_LIMITS.lockoutWindowMs,
        AUTH_LIMITS.lockoutThreshold,
        AUTH_LIMITS.lockoutDurationMs,
      ],
    );
    return row && row.failed_logins === AUTH_LIMITS.lockoutThreshold && row.locked_until
      ? new Date(row.locked_until)
      : null;
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
        WHERE last_signed_in_at <= $1::timestamptz - make_interval(secs => $2 / 1000.0)
        RETURNING 1`,
      [now, AUTH_LIMITS.familiarAddressMs],
    );
    return gone.length;
  }

  /** An admin lifted the account's lockout (or reset its password): its addresses' lockouts end too. */
  async unlockAll(userId: string): Promise<void> {
    await this.tx.manager.query(
      `UPDATE sign_in_address SET failed_logins = 0, failed_logins_since = NULL, locked_until = NULL
        WHERE user_id = $1 AND (failed_logins <> 0 OR locked_until IS NOT NULL)`,
      [userId],
    );
  }
}
