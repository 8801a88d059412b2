import { Logger } from '@nestjs/common';
import { Client } from 'pg';

export interface NotificationListenerOptions {
  url: string;
  channel: string;
  onMessage: (payload: string) => void;
  /**
   * Called after the connection came back: notifications sent while it was down are lost, so whatever
   * they would have invalidated must be treated as invalid now.
   */
  onReconnect: () => void;
  /**
   * Called when the connection is lost (not for a first connection that never listened): from now
   * until `onReconnect`, nothing sent on the channel is heard here.
   */
  onLost?: () => void;
  /** How the session shows in pg_stat_activity. */
  applicationName?: string;
}

export const LISTENER_APPLICATION_NAME = 'case-desk-listen';
const FIRST_RETRY_MS = 250;
const MAX_RETRY_MS = 10_000;

/**
 * PostgreSQL LISTEN on a connection of its own: a pooled connection goes back to the pool and to other
 * queries, and a LISTEN lasts only as long as its session. When the connection drops (server restart,
 * network, idle killer) it reconnects with a doubling delay, listens again, and calls `onReconnect`.
 */
export class NotificationListener {
  private readonly logger = new Logger('Notifications');
  private client: Client | null = null;
  private retryMs = FIRST_RETRY_MS;
  private retryTimer: NodeJS.Timeout | null = null;
  private closed = false;
  private attempts = 0;

  constructor(private readonly options: NotificationListenerOptions) {}

  /** Whether the connection is up and listening now: what is sent on the channel is heard. */
  get listening(): boolean {
    return this.client !== null;
  }

  /** Resolves once listening; a first failure is retried in the background rather than thrown. */
  async start(): Promise<void> {
    await this.connect();
  }

  /**
   * Sends a notification on the listened channel over this connection; false when it is down (what
   * was to be told is then covered by `onReconnect` or the sender's own bound).
   */
  async notify(payload: string): Promise<boolean> {
    const client = this.client;
    if (!client) return false;
    try {
      await client.query(`SELECT pg_notify($1, $2)`, [this.options.channel, payload]);
      return true;
    } catch {
      return false;
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    const client = this.client;
    this.client = null;
    await client?.end().catch(() => undefined);
  }

  private async connect(): Promise<void> {
    if (this.closed) return;
    this.attempts++;
    const client = new Client({
      connectionString: this.options.url,
      connectionTimeoutMillis: 10_000,
      // A listener only reads: without TCP keep-alive, a connection a NAT or firewall dropped without a
      // reset would look alive for good. With it the kernel probes after 10 s idle (then at its own
      // interval) and the loss is noticed, the cache emptied and the connection made again.
      keepAlive: true,
      keepAliveInitialDelayMillis: 10_000,
      // Names the session in pg_stat_activity, for operators.
      application_name: this.options.applicationName ?? LISTENER_APPLICATION_NAME,
    });
    // Both fire on a lost connection; only the first one schedules the retry.
    let lost = false;
    const onLost = (error?: Error) => {
      if (lost || this.closed) return;
      lost = true;
      if (this.client === client) {
        this.client = null;
        this.options.onLost?.();
      }
      this.logger.warn({ err: error?.message }, `LISTEN ${this.options.channel} lost; reconnecting`);
      client.end().catch(() => undefined);
      this.scheduleRetry();
    };
    client.on('error', onLost);
    client.on('end', () => onLost());
    client.on('notification', (message) => {
      if (message.channel === this.options.channel && message.payload)
        this.options.onMessage(message.payload);
    });
    try {
      await client.connect();
      await client.query(`LISTEN "${this.options.channel.replaceAll('"', '""')}"`);
    } catch (error) {
      onLost(error as Error);
      return;
    }
    if (this.closed) {
      await client.end().catch(() => undefined);
      return;
    }
    this.client = client;
    this.retryMs = FIRST_RETRY_MS;
    // Any connection but the first attempt's follows a time when nothing was heard.
    if (this.attempts > 1) this.options.onReconnect();
  }

  private scheduleRetry(): void {
    if (this.closed || this.retryTimer) return;
    const delay = this.retryMs;
    this.retryMs = Math.min(this.retryMs * 2, MAX_RETRY_MS);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      void this.connect();
    }, delay);
    this.retryTimer.unref();
  }
}
