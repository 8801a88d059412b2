import { randomUUID } from 'node:crypto';
import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { TransactionHost } from '@nestjs-cls/transactional';
import { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import { AppConfig } from '../config/app-config.service';
import { NotificationListener } from '../database/notification-listener';
import { AUTH_LIMITS } from './auth-settings';
import { InvalidationAcks } from './invalidation-acks';

export type Invalidation = { kind: 'user' | 'session'; id: string };

const CHANNEL = 'case_desk_user_cache';
/** `user:<id>` or `session:<id>`, with the sender's nonce when it waits for acknowledgements. */
const PAYLOAD = /^(user|session):([0-9a-f-]{36})(?: ([0-9a-f-]{36}))?$/;
const ACK = /^ack:([0-9a-f-]{36})$/;
/** How the listening sessions show in pg_stat_activity: the sender counts them to know who answers. */
const LISTENER_NAME = 'case-desk-user-cache';

/**
 * Tells every app instance on the database that a user or session changed, so each drops its cached
 * copy at once rather than after the cache's two seconds (PostgreSQL NOTIFY, heard through LISTEN).
 * Sent inside the running transaction when there is one: PostgreSQL delivers it at COMMIT, never for a
 * change that rolls back, and never before the change can be read. On the embedded database one
 * process holds the data, so there is nobody to tell.
 *
 * Sent after the change has committed, it also waits until every instance listening on the database
 * has acknowledged dropping its copy (bounded by the cache's own lifetime, after which no copy from
 * before the change is left anyway): so when a disable, a reset or a sign-out answers, the user's
 * next request is refused by every instance, not only once the notification happens to arrive.
 */
@Injectable()
export class UserCacheInvalidations implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('UserCache');
  private readonly handlers: Array<{ drop: (i: Invalidation) => void; dropAll: () => void }> = [];
  private listener: NotificationListener | null = null;
  private readonly acks = new InvalidationAcks();

  constructor(
    private readonly config: AppConfig,
    private readonly txHost: TransactionHost<TransactionalAdapterTypeOrm>,
  ) {}

  get shared(): boolean {
    return !this.config.usesEmbeddedDatabase;
  }

  /**
   * Whether this instance hears the others' invalidations now. Not while its LISTEN connection is
   * down (lost, reconnecting, or not yet up): another instance's change then neither reaches it nor
   * waits for it (the sender counts only the sessions listening), so it must keep no copy meanwhile.
   * Always on the embedded database, where no other instance can change a user.
   */
  get hearing(): boolean {
    return !this.shared || this.listener?.listening === true;
  }

  subscribe(drop: (i: Invalidation) => void, dropAll: () => void): void {
    this.handlers.push({ drop, dropAll });
  }

  async publish(invalidation: Invalidation): Promise<void> {
    if (!this.shared) return;
    const payload = `${invalidation.kind}:${invalidation.id}`;
    // Inside a transaction it is delivered at COMMIT, after this returns: the cache's bound applies.
    if (this.txHost.isTransactionActive()) {
      await this.txHost.tx.query(`SELECT pg_notify($1, $2)`, [CHANNEL, payload]);
      return;
    }
    const nonce = randomUUID();
    this.acks.register(nonce);
    try {
      const [{ listeners }] = (await this.txHost.tx.query(
        `SELECT pg_notify($1, $2), (SELECT count(*)::int FROM pg_stat_activity
                                     WHERE datname = current_database() AND application_name = $3) AS listeners`,
        [CHANNEL, `${payload} ${nonce}`, LISTENER_NAME],
      )) as Array<{ listeners: number }>;
      const all = await this.acks.settle(nonce, listeners, AUTH_LIMITS.userCacheMs);
      if (!all) this.logger.warn({ payload, listeners }, 'not every instance acknowledged in time');
    } catch (error) {
      this.acks.forget(nonce);
      // The change itself has committed; the other instances drop the user within the cache's lifetime.
      this.logger.warn({ err: (error as Error).message, payload }, 'cache invalidation not sent');
    }
  }

  async onApplicationBootstrap(): Promise<void> {
    if (!this.shared) return;
    this.listener = new NotificationListener({
      url: this.config.get('DATABASE_URL')!,
      channel: CHANNEL,
      applicationName: LISTENER_NAME,
      onMessage: (payload) => this.heard(payload),
      // Lost: what is said from now on is not heard, so what is kept is dropped and nothing is kept
      // until the connection is back (`hearing`). Back: what was said meanwhile is dropped too.
      onLost: () => {
        for (const h of this.handlers) h.dropAll();
      },
      onReconnect: () => {
        for (const h of this.handlers) h.dropAll();
      },
    });
    await this.listener.start();
  }

  private heard(payload: string): void {
    const ack = ACK.exec(payload);
    if (ack) return this.acks.heard(ack[1]);
    const match = PAYLOAD.exec(payload);
    if (!match) return;
    const invalidation = { kind: match[1] as Invalidation['kind'], id: match[2] };
    this.logger.debug(invalidation, 'invalidation heard');
    for (const h of this.handlers) h.drop(invalidation);
    if (match[3]) void this.listener?.notify(`ack:${match[3]}`);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.listener?.close();
  }
}
