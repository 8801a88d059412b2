import { Injectable } from '@nestjs/common';
import { returningRows } from '../../database/returning';
import { TransactionService } from '../../database/transaction.service';

/** An account's second factor as stored: the secrets still sealed (MfaSecretBox). */
export interface StoredMfa {
  secret: string | null;
  pendingSecret: string | null;
  enabledAt: Date | null;
  lastTimeStep: number | null;
}

export interface StoredRecoveryCode {
  id: string;
  salt: string;
  codeHash: string;
}

/**
 * The SQL of the second factor: the sealed secrets and last accepted time step on `app_user`, the
 * recovery codes in `mfa_recovery_code`. Sign-in bookkeeping: the account's `version` never changes here.
 * Each "use" is one conditional statement, so two requests racing with one code cannot both win.
 */
@Injectable()
export class MfaStore {
  constructor(private readonly tx: TransactionService) {}

  async of(userId: string): Promise<StoredMfa | null> {
    const rows: Array<{
      mfa_secret: string | null;
      mfa_pending_secret: string | null;
      mfa_enabled_at: Date | null;
      mfa_last_time_step: string | null;
    }> = await this.tx.manager.query(
      `SELECT mfa_secret, mfa_pending_secret, mfa_enabled_at, mfa_last_time_step FROM app_user WHERE id = $1`,
      [userId],
    );
    const row = rows[0];
    if (!row) return null;
    return {
      secret: row.mfa_secret,
      pendingSecret: row.mfa_pending_secret,
      enabledAt: row.mfa_enabled_at ? new Date(row.mfa_enabled_at) : null,
      lastTimeStep: row.mfa_last_time_step === null ? null : Number(row.mfa_last_time_step),
    };
  }

  /** The sealed secrets of the accounts that turned the second factor on last (the key check's sample). */
  async lastEnabled(count: number): Promise<Array<{ userId: string; secret: string }>> {
    const rows: Array<{ id: string; mfa_secret: string }> = await this.tx.manager.query(
      `SELECT id, mfa_secret FROM app_user WHERE mfa_enabled_at IS NOT NULL AND mfa_secret IS NOT NULL
        ORDER BY mfa_enabled_at DESC LIMIT $1`,
      [count],
    );
    return rows.map((r) => ({ userId: r.id, secret: r.mfa_secret }));
  }

  /** A new enrolment replaces any pending one; refused (false) once a second factor is on. */
  async setPending(userId: string, sealed: string): Promise<boolean> {
    const rows = await returningRows(
      this.tx.manager,
      `UPDATE app_user SET mfa_pending_secret = $2 WHERE id = $1 AND mfa_enabled_at IS NULL RETURNING id`,
      [userId, sealed],
    );
    return rows.length === 1;
  }

  /** Turns on the pending secret that was checked (`sealed`): false when another request changed it. */
  async enable(userId: string, sealed: string, timeStep: number, now: Date): Promise<boolean> {
    const rows = await returningRows(
      this.tx.manager,
      `UPDATE app_user SET mfa_secret = mfa_pending_secret, mfa_pending_secret = NULL, mfa_enabled_at = $3,
              mfa_last_time_step = $4, mfa_reset_by = NULL
        WHERE id = $1 AND mfa_pending_secret = $2 AND mfa_enabled_at IS NULL RETURNING id`,
      [userId, sealed, now, timeStep],
    );
    return rows.length === 1;
  }

  /**
   * Off: secrets (a pending one too), last time step and recovery codes gone; `resetBy`: the admin whose
   * reset it is (null: its owner turned it off). False when no second factor is on: a pending enrolment
   * alone is nothing to turn off, and the caller answers 409.
   */
  async clear(userId: string, resetBy: string | null): Promise<boolean> {
    const rows = await returningRows(
      this.tx.manager,
      `UPDATE app_user SET mfa_secret = NULL, mfa_pending_secret = NULL, mfa_enabled_at = NULL,
              mfa_last_time_step = NULL, mfa_reset_by = $2
        WHERE id = $1 AND mfa_enabled_at IS NOT NULL RETURNING id`,
      [userId, resetBy],
    );
    await this.tx.manager.query(`DELETE FROM mfa_recovery_code WHERE user_id = $1`, [userId]);
    return rows.length === 1;
  }

  /** Accepts a code's time step once: false when it (or a later one) was accepted already. */
  async useTimeStep(userId: string, timeStep: number): Promise<boolean> {
    const rows = await returningRows(
      this.tx.manager,
      `UPDATE app_user SET mfa_last_time_step = $2
        WHERE id = $1 AND mfa_enabled_at IS NOT NULL
          AND (mfa_last_time_step IS NULL OR mfa_last_time_step < $2) RETURNING id`,
      [userId, timeStep],
    );
    return rows.length === 1;
  }

  async replaceRecoveryCodes(userId: string, codes: Array<{ salt: string; hash: string }>): Promise<void> {
    await this.tx.manager.query(`DELETE FROM mfa_recovery_code WHERE user_id = $1`, [userId]);
    await this.tx.manager.query(
      `INSERT INTO mfa_recovery_code (user_id, salt, code_hash)
       SELECT $1, s, h FROM unnest($2::text[], $3::text[]) AS c(s, h)`,
      [userId, codes.map((c) => c.salt), codes.map((c) => c.hash)],
    );
  }

  async unusedRecoveryCodes(userId: string): Promise<StoredRecoveryCode[]> {
    const rows: Array<{ id: string; salt: string; code_hash: string }> = await this.tx.manager.query(
      `SELECT id, salt, code_hash FROM mfa_recovery_code WHERE user_id = $1 AND used_at IS NULL`,
      [userId],
    );
    return rows.map((r) => ({ id: r.id, salt: r.salt, codeHash: r.code_hash }));
  }

  /** Burns one recovery code: false when a concurrent request used it first. Answers the codes left. */
  async burnRecoveryCode(userId: string, id: string, now: Date): Promise<number | null> {
    const rows = await returningRows(
      this.tx.manager,
      `UPDATE mfa_recovery_code SET used_at = $3 WHERE id = $2 AND user_id = $1 AND used_at IS NULL RETURNING id`,
      [userId, id, now],
    );
    if (rows.length !== 1) return null;
    const left: Array<{ n: number }> = await this.tx.manager.query(
      `SELECT count(*)::int AS n FROM mfa_recovery_code WHERE user_id = $1 AND used_at IS NULL`,
      [userId],
    );
    return left[0]?.n ?? 0;
  }

  /** Issues the account's enrolment pass, replacing an earlier one (`mfa_enrolment_pass`). */
  async setEnrolmentPass(
    userId: string,
    pass: { salt: string; hash: string },
    issuedBy: string | null,
    issuedAt: Date,
    expiresAt: Date,
  ): Promise<void> {
    await this.tx.manager.query(
      `INSERT INTO mfa_enrolment_pass (user_id, salt, pass_hash, issued_by, issued_at, expires_at)
       VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (user_id) DO UPDATE SET salt = EXCLUDED.salt, pass_hash = EXCLUDED.pass_hash,
         issued_by = EXCLUDED.issued_by, issued_at = EXCLUDED.issued_at, expires_at = EXCLUDED.expires_at`,
      [userId, pass.salt, pass.hash, issuedBy, issuedAt, expiresAt],
    );
  }

  /** The account's enrolment pass while it is valid at `now`, or null. */
  async enrolmentPassOf(userId: string, now: Date): Promise<{ salt: string; hash: string } | null> {
    const rows: Array<{ salt: string; pass_hash: string }> = await this.tx.manager.query(
      `SELECT salt, pass_hash FROM mfa_enrolment_pass WHERE user_id = $1 AND expires_at > $2`,
      [userId, now],
    );
    return rows[0] ? { salt: rows[0].salt, hash: rows[0].pass_hash } : null;
  }

  /** Uses up the pass that was checked (`hash`): false when it was replaced, used or expired meanwhile. */
  async useEnrolmentPass(userId: string, hash: string, now: Date): Promise<boolean> {
    const rows = await returningRows(
      this.tx.manager,
      `DELETE FROM mfa_enrolment_pass WHERE user_id = $1 AND pass_hash = $2 AND expires_at > $3
       RETURNING user_id`,
      [userId, hash, now],
    );
    return rows.length === 1;
  }
}
