import { actorOfUser } from './user-actor';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Clock } from '../common/time/clock';
import type { Actor } from '../common/request-context';
import { User } from './user.entity';
import { AUTH_LIMITS } from './auth-settings';
import { SessionsService } from './sessions.service';
import { Invalidation, UserCacheInvalidations } from './user-cache-invalidations';

interface Entry {
  actor: Actor | null;
  passwordChangedAt: Date;
  sessionStartedAt: Date | null;
  loadedAt: number;
}

/**
 * Looks the user and their session up again on every request, so disabling a user, changing their
 * roles, resetting their password or signing out takes effect at once. Answers are kept for at most
 * two seconds, and dropped immediately when any instance on the database changes the user or session
 * (this one directly, the others through UserCacheInvalidations).
 */
@Injectable()
export class CurrentUserCache {
  private readonly entries = new Map<string, Entry>();
  /**
   * Counts the drops. A load that was under way when a drop came read the user before the change (its
   * statements may have run before the change committed, the drop arrives after): it is not kept, and
   * is read again, or the stale copy would outlive the drop for the cache's two seconds.
   */
  private drops = 0;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly sessions: SessionsService,
    private readonly clock: Clock,
    private readonly invalidations: UserCacheInvalidations,
  ) {
    invalidations.subscribe(
      (i) => this.drop(i),
      () => {
        this.drops++;
        this.entries.clear();
      },
    );
  }

  /** The actor for a token, or null when the token must be refused. */
  async actorFor(userId: string, sessionId: string, issuedAt: Date): Promise<Actor | null> {
    const key = `${userId}:${sessionId}`;
    // While this instance cannot hear the others (its LISTEN connection is down), a change made on
    // another instance would not wait for it: every request reads the user (probe r35).
    let entry = this.invalidations.hearing ? this.entries.get(key) : undefined;
    if (!entry || Date.now() - entry.loadedAt > AUTH_LIMITS.userCacheMs) {
      const drops = this.drops;
      entry = await this.load(userId, sessionId);
      // A drop while loading: read again, now after the change, and keep only a read no drop overtook.
      if (this.drops !== drops) {
        const again = this.drops;
        entry = await this.load(userId, sessionId);
        if (this.drops === again) this.keep(key, entry);
      } else this.keep(key, entry);
    }
    const now = this.clock.now();
    if (!entry.actor || !entry.sessionStartedAt) return null;
    if (this.sessions.sessionEnded(entry.sessionStartedAt, now)) return null;
    // A token issued before the last password change belongs to a session the reset meant to end.
    if (issuedAt.getTime() < Math.floor(entry.passwordChangedAt.getTime() / 1000) * 1000) return null;
    return entry.actor;
  }

  private keep(key: string, entry: Entry): void {
    if (this.invalidations.hearing) this.entries.set(key, entry);
  }

  /** Inside a transaction, the other instances hear of it when it commits. */
  async invalidateUser(userId: string): Promise<void> {
    const invalidation: Invalidation = { kind: 'user', id: userId };
    this.drop(invalidation);
    await this.invalidations.publish(invalidation);
  }

  async invalidateSession(sessionId: string): Promise<void> {
    const invalidation: Invalidation = { kind: 'session', id: sessionId };
    this.drop(invalidation);
    await this.invalidations.publish(invalidation);
  }

  private drop({ kind, id }: Invalidation): void {
    this.drops++;
    const matches =
      kind === 'user' ? (key: string) => key.startsWith(`${id}:`) : (key: string) => key.endsWith(`:${id}`);
    for (const key of this.entries.keys()) if (matches(key)) this.entries.delete(key);
  }

  private async load(userId: string, sessionId: string): Promise<Entry> {
    // The copy's age counts from before it was read: a read that waited (for a pooled connection, on a
    // busy database) is as old as its start, so no change is held back longer than the cache's lifetime
    // when an invalidation is missed (a LISTEN connection that died without a word; probe r35).
    const loadedAt = Date.now();
    const user = await this.dataSource.getRepository(User).findOneBy({ id: userId });
    const sessionStartedAt = await this.sessions.activeSessionStart(sessionId);
    // An unconfirmed password reset: no token of the account works (its sessions already ended with it).
    const active = user && user.status === 'active' && !user.passwordResetBy;
    return {
      actor: active ? actorOfUser(user, sessionId) : null,
      passwordChangedAt: user?.passwordChangedAt ?? new Date(0),
      sessionStartedAt,
      loadedAt,
    };
  }
}
