import { Injectable } from '@nestjs/common';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { IsNull, Not } from 'typeorm';
import { Clock } from '../common/time/clock';
import { TransactionService } from '../database/transaction.service';
import { AUTH_LIMITS } from './auth-settings';
import { RefreshToken } from './refresh-token.entity';

export interface IssuedSession {
  familyId: string;
  refreshToken: string;
  sessionStartedAt: Date;
}

export type RotationResult =
  | { outcome: 'rotated'; session: IssuedSession; userId: string }
  | { outcome: 'reused'; familyId: string; userId: string }
  | { outcome: 'invalid' };

const hashToken = (token: string) => createHash('sha256').update(token).digest();

/** Refresh-token families: one per sign-in, rotated on every refresh, revoked as a whole. */
@Injectable()
export class SessionsService {
  constructor(
    private readonly tx: TransactionService,
    private readonly clock: Clock,
  ) {}

  private get tokens() {
    return this.tx.manager.getRepository(RefreshToken);
  }

  async start(userId: string): Promise<IssuedSession> {
    const now = this.clock.now();
    return this.issue(userId, randomUUID(), now);
  }

  async rotate(presented: string): Promise<RotationResult> {
    const now = this.clock.now();
    const token = await this.tokens.findOneBy({ tokenHash: hashToken(presented) });
    if (!token || token.revokedAt) return { outcome: 'invalid' };
    if (token.rotatedAt) return { outcome: 'reused', familyId: token.familyId, userId: token.userId };
    if (token.expiresAt <= now || this.sessionEnded(token.sessionStartedAt, now))
      return { outcome: 'invalid' };
    await this.lockSessionsOf(token.userId);
    // Conditional update: of two refreshes with one token, exactly one rotates it; the other is a reuse.
    const claimed = await this.tokens.update(
      { id: token.id, rotatedAt: IsNull(), revokedAt: IsNull() },
      { rotatedAt: now },
    );
    if (claimed.affected !== 1) return { outcome: 'reused', familyId: token.familyId, userId: token.userId };
    const session = await this.issue(token.userId, token.familyId, token.sessionStartedAt);
    return { outcome: 'rotated', session, userId: token.userId };
  }

  async revokeFamily(familyId: string): Promise<number> {
    const [owner]: Array<{ user_id: string }> = await this.tx.manager.query(
      `SELECT user_id FROM refresh_token WHERE family_id = $1 LIMIT 1`,
      [familyId],
    );
    if (owner) await this.lockSessionsOf(owner.user_id);
    const result = await this.tokens.update(
      { familyId, revokedAt: IsNull() },
      { revokedAt: this.clock.now() },
    );
    return result.affected ?? 0;
  }

  async revokeAllOfUser(userId: string): Promise<void> {
    await this.lockSessionsOf(userId);
    await this.tokens.update({ userId, revokedAt: IsNull() }, { revokedAt: this.clock.now() });
  }

  /** Every session of the user but `keepFamilyId` (the one that proved something the others did not). */
  async revokeOthersOfUser(userId: string, keepFamilyId: string | undefined): Promise<number> {
    await this.lockSessionsOf(userId);
    const result = await this.tokens.update(
      { userId, revokedAt: IsNull(), ...(keepFamilyId ? { familyId: Not(keepFamilyId) } : {}) },
      { revokedAt: this.clock.now() },
    );
    return result.affected ?? 0;
  }

  /** When the session started, or null when it was revoked or never existed. */
  async activeSessionStart(familyId: string): Promise<Date | null> {
    const rows: Array<{ started: Date; revoked: boolean }> = await this.tx.manager.query(
      `SELECT min(session_started_at) AS started, bool_or(revoked_at IS NOT NULL) AS revoked
         FROM refresh_token WHERE family_id = $1`,
      [familyId],
    );
    const row = rows[0];
    if (!row?.started || row.revoked) return null;
    return new Date(row.started);
  }

  /**
   * Rotations and revocations of a user's sessions, one at a time (until the transaction ends): a
   * refresh racing a logout (or a disable, a password reset) claimed the old token and inserted its
   * successor, which the revocation's UPDATE, begun before that insert committed, never saw — a refresh
   * token that kept rotating after logout. Now the revocation waits for the rotation and revokes its
   * successor too, or the rotation waits and finds its token revoked.
   */
  private async lockSessionsOf(userId: string): Promise<void> {
    await this.tx.manager.query(`SELECT pg_advisory_xact_lock(hashtextextended('sessions:' || $1, 0))`, [
      userId,
    ]);
  }

  sessionEnded(sessionStartedAt: Date, now: Date): boolean {
    return now.getTime() >= sessionStartedAt.getTime() + AUTH_LIMITS.sessionMaxMs;
  }

  private async issue(userId: string, familyId: string, sessionStartedAt: Date): Promise<IssuedSession> {
    const refreshToken = randomBytes(32).toString('base64url');
    await this.tokens.insert({
      familyId,
      userId,
      tokenHash: hashToken(refreshToken),
      sessionStartedAt,
      expiresAt: new Date(sessionStartedAt.getTime() + AUTH_LIMITS.sessionMaxMs),
    });
    return { familyId, refreshToken, sessionStartedAt };
  }
}
