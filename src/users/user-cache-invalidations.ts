import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { TransactionHost } from '@nestjs-cls/transactional';
import { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import { AppConfig } from '../config/app-config.service';
import { NotificationListener } from '../database/notification-listener';

export type Invalidation = { kind: 'user' | 'session'; id: string };

const CHANNEL = 'case_desk_user_cache';
const PAYLOAD = /^(user|session):([0-9a-f-]{36})$/;

/**
 * Tells every app instance on the database that a user or session changed, so each drops its cached
 * copy at once rather than after the cache's two seconds (PostgreSQL NOTIFY, heard through LISTEN).
 * Sent inside the running transaction when there is one: PostgreSQL delivers it at COMMIT, never for a
 * change that rolls back, and never before the change can be read. On the embedded database one
 * process holds the data, so there is nobody to tell.
 */
@Injectable()
export class UserCacheInvalidations implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('UserCache');
  private readonly handlers: Array<{ drop: (i: Invalidation) => void; dropAll: () => void }> = [];
  private listener: NotificationListener | null = null;

  constructor(
    private readonly config: AppConfig,
    private readonly txHost: TransactionHost<TransactionalAdapterTypeOrm>,
  ) {}

  get shared(): boolean {
    return !this.config.usesEmbeddedDatabase;
  }

  subscribe(drop: (i: Invalidation) => void, dropAll: () => void): void {
    this.handlers.push({ drop, dropAll });
  }

  async publish(invalidation: Invalidation): Promise<void> {
    if (!this.shared) return;
    const payload = `${invalidation.kind}:${invalidation.id}`;
    if (this.txHost.isTransactionActive()) {
      await this.txHost.tx.query(`SELECT pg_notify($1, $2)`, [CHANNEL, payload]);
      return;
    }
    try {
      await this.txHost.tx.query(`SELECT pg_notify($1, $2)`, [CHANNEL, payload]);
    } catch (error) {
      // The change itself has committed; the other instances drop the user within the cache's lifetime.
      this.logger.warn({ err: (error as Error).message, payload }, 'cache invalidation not sent');
    }
  }

  async onApplicationBootstrap(): Promise<void> {
    if (!this.shared) return;
    this.listener = new NotificationListener({
      url: this.config.get('DATABASE_URL')!,
      channel: CHANNEL,
      onMessage: (payload) => {
        const match = PAYLOAD.exec(payload);
        if (!match) return;
        const invalidation = { kind: match[1] as Invalidation['kind'], id: match[2] };
        this.logger.debug(invalidation, 'invalidation heard');
        for (const h of this.handlers) h.drop(invalidation);
      },
      onReconnect: () => {
        for (const h of this.handlers) h.dropAll();
      },
    });
    await this.listener.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.listener?.close();
  }
}
