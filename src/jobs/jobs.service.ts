import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import PgBoss from 'pg-boss';
import { DataSource } from 'typeorm';
import { setTimeout as sleep } from 'node:timers/promises';
import { AppConfig } from '../config/app-config.service';
import { backoffMs, isRetryableTransactionError, MAX_TRANSACTION_ATTEMPTS } from '../database/retry-policy';

export interface JobDefinition {
  name: string;
  handler: (data: Record<string, unknown>) => Promise<void>;
  /** Cron expression (minute granularity) for recurring jobs; pg-boss runs each tick on one instance only. */
  cron?: string;
}

/**
 * Background jobs on PostgreSQL with pg-boss: no other server to run, safe with several app instances.
 * On the embedded database pg-boss talks through the app's single PGlite connection instead of a pool.
 * Its schema is installed by a migration (`migrate: false` here).
 */
@Injectable()
export class JobsService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Jobs');
  private readonly definitions = new Map<string, JobDefinition>();
  private boss: PgBoss | null = null;
  /** This process's worker of each job, woken when it queues one (pg-boss otherwise polls). */
  private readonly workerIds = new Map<string, string>();
  /** Queues this process made before its first send to each (when it runs no jobs: `send`). */
  private readonly queuesMade = new Set<string>();

  constructor(
    private readonly config: AppConfig,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  /** Declares a job; call from `onModuleInit`. Its worker starts with the application. */
  define(definition: JobDefinition): void {
    this.definitions.set(definition.name, definition);
  }

  /** The jobs this process defined, by name (a service that defines none in its setting is absent). */
  get names(): string[] {
    return [...this.definitions.keys()];
  }

  /**
   * Runs a defined job's handler here and now, as its worker would run one job of it (throwing what the
   * handler throws), whether or not jobs run in this process. The audit oracle drives every job through
   * this (test/audit/jobs-audited.e2e.ts).
   */
  async runNow(name: string, data: Record<string, unknown> = {}): Promise<void> {
    const job = this.definitions.get(name);
    if (!job) throw new Error(`No job ${name} is defined`);
    await job.handler(data);
  }

  /**
   * Queues a job. A process that runs no jobs (`JOBS_ENABLED=false`) on PostgreSQL still queues the ones
   * its requests create, for the instances that run them to pick up at their next poll; only on the
   * embedded database, where no other process can run them, is it a no-op (the sweepers catch up).
   */
  async send(name: string, data: object, options: PgBoss.SendOptions = {}): Promise<void> {
    if (!this.boss) return;
    // A process that only queues makes a queue when it first sends to it (pg-boss refuses a send to a
    // queue it does not know), not all of them at start-up: most such processes send to few.
    if (!this.workerIds.has(name) && !this.queuesMade.has(name)) {
      await this.createQueue(this.boss, name);
      this.queuesMade.add(name);
    }
    await this.boss.send(name, data, options);
    const workerId = this.workerIds.get(name);
    if (workerId) this.boss.notifyWorker(workerId);
  }

  /**
   * An SQL condition: no live job (queued, waiting to retry or running) of the job named by `nameSql`
   * under the `singletonKey` `keySql`. pg-boss keeps a `singletonKey` unique only in queues of its
   * singleton policies, and ours are `standard`: a second `send` with the key queues a second job beside
   * a live one. A sweeper that re-queues work whose job may only be late puts this in its query, before
   * its LIMIT: filtered after, a backlog of work merely waiting on its jobs fills the LIMIT, and work
   * whose job was really lost waits until the backlog drains. pg-boss 10 keeps every job in
   * `pgboss.job`, its `job_state` enum ordered created < retry < active < completed < cancelled < failed.
   * The schema is a migration's, so this reads the same with jobs off in this process (another
   * instance's jobs count).
   */
  static noLiveJob(nameSql: string, keySql: string): string {
    return `NOT EXISTS (SELECT 1 FROM pgboss.job live_job
                         WHERE live_job.name = ${nameSql} AND live_job.singleton_key = ${keySql}
                           AND live_job.state < 'completed')`;
  }

  async onApplicationBootstrap(): Promise<void> {
    const runsJobs = this.config.get('JOBS_ENABLED');
    if (!runsJobs && this.config.usesEmbeddedDatabase) return;
    const url = this.config.get('DATABASE_URL');
    const boss = new PgBoss({
      // A process that only queues has no pool of its own: its sends go through the app's connections.
      ...(url && runsJobs
        ? { connectionString: url, max: 2 }
        : {
            db: {
              executeSql: async (text: string, values: unknown[]) => ({
                rows: await this.dataSource.query(text, values),
              }),
            },
          }),
      schema: 'pgboss',
      migrate: false,
      supervise: runsJobs,
      schedule: runsJobs,
    });
    boss.on('error', (error: unknown) => this.logger.error({ err: error, msg: 'pg-boss error' }));
    await boss.start();
    const pollingIntervalSeconds = Math.max(0.5, this.pollIntervalMs() / 1000);
    for (const job of runsJobs ? this.definitions.values() : []) {
      await this.createQueue(boss, job.name);
      const workerId = await boss.work(job.name, { pollingIntervalSeconds }, async ([item]) =>
        job.handler((item?.data ?? {}) as Record<string, unknown>),
      );
      this.workerIds.set(job.name, workerId);
      if (job.cron) await boss.schedule(job.name, job.cron);
    }
    this.boss = boss;
    this.logger.log(
      runsJobs
        ? `Jobs running: ${[...this.definitions.keys()].join(', ')}`
        : 'Jobs queued here, run by the instances with JOBS_ENABLED=true',
    );
  }

  /**
   * JOBS_POLL_INTERVAL_MS, else 2 s on PostgreSQL and 30 s on the embedded database: there only this
   * process can queue a job, and it wakes its worker when it does, so polling only picks up the
   * recurring jobs pg-boss schedules (a minute apart), and an idle server stays quiet enough for V8 to
   * give memory back (bench/README "Session 12: embedded idle").
   */
  private pollIntervalMs(): number {
    return this.config.get('JOBS_POLL_INTERVAL_MS') ?? (this.config.usesEmbeddedDatabase ? 30_000 : 2_000);
  }

  /**
   * Creates a queue (a no-op when it exists). Instances starting at the same time on a database where
   * the queue is new deadlock inside pg-boss (each inserts its queue row, then creates a partition
   * with a foreign key to the queue table); the loser simply tries again.
   */
  private async createQueue(boss: PgBoss, name: string): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await boss.createQueue(name);
      } catch (error) {
        if (attempt >= MAX_TRANSACTION_ATTEMPTS || !isRetryableTransactionError(error)) throw error;
        await sleep(backoffMs(attempt));
      }
    }
  }

  async onApplicationShutdown(): Promise<void> {
    const boss = this.boss;
    this.boss = null;
    await boss?.stop({ graceful: true, wait: true, timeout: 10_000 });
  }
}
