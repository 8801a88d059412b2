import { Injectable } from '@nestjs/common';
import { TransactionHost } from '@nestjs-cls/transactional';
import { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import { AsyncLocalStorage } from 'node:async_hooks';
import { Logger } from '@nestjs/common';
import { setTimeout as sleep } from 'node:timers/promises';
import type { EntityManager } from 'typeorm';
import { replicaRead } from './replicas/replica-context';
import { isStalePlan } from './pg-errors';
import { backoffMs, isRetryableTransactionError, MAX_TRANSACTION_ATTEMPTS } from './retry-policy';

/**
 * Runs a command in one transaction. Everything called inside reads `tx.manager` and so joins the same
 * transaction without passing it around; the business change and its audit event commit or roll back
 * together. A serialization failure or deadlock re-runs the whole command.
 */
interface TransactionHooks {
  beforeCommit: Array<() => Promise<void>>;
  afterCommit: Array<() => Promise<void>>;
  afterEnd: Array<() => Promise<void>>;
  /** Opened by `runEnclosing`: commands run inside it end as if they were the transaction. */
  enclosing: boolean;
  /** Commands of an enclosing transaction now running (only the outermost one flushes hooks). */
  depth: number;
}

@Injectable()
export class TransactionService {
  private readonly hooks = new AsyncLocalStorage<TransactionHooks>();
  private readonly logger = new Logger('Transactions');
  private readonly everyCommit: Array<() => Promise<void>> = [];

  constructor(private readonly host: TransactionHost<TransactionalAdapterTypeOrm>) {}

  /**
   * Runs `hook` as the last work of the running transaction, just before COMMIT, in the order registered.
   * For a step that takes a hot row lock (a gap-free counter): done last, the lock is held only for the
   * commit itself instead of for the whole command. A failing hook rolls everything back.
   */
  beforeCommit(hook: () => Promise<void>): void {
    const hooks = this.hooks.getStore();
    if (!hooks || !this.inTransaction) throw new Error('beforeCommit needs a running transaction');
    hooks.beforeCommit.push(hook);
  }

  /**
   * Runs `hook` as the very last work of *every* transaction this service runs, after the command's own
   * before-commit hooks, whatever the command: for work that database triggers queue in the writing
   * transaction and the app must finish there (announcing correlations found by a trigger). Register at
   * start-up (`onModuleInit`); keep it to one cheap indexed query when there is nothing to do.
   */
  onEveryCommit(hook: () => Promise<void>): void {
    this.everyCommit.push(hook);
  }

  /**
   * Runs `hook` once the running transaction has committed (never if it rolls back): for telling the
   * outside world, as Vendure's event bus does. Outside a transaction it runs at once.
   */
  afterCommit(hook: () => Promise<void>): void {
    const hooks = this.hooks.getStore();
    if (hooks && this.inTransaction) hooks.afterCommit.push(hook);
    else
      void hook().catch((error: unknown) =>
        this.logger.error({ err: error, msg: 'after-commit hook failed' }),
      );
  }

  /**
   * The entity manager of the running transaction; outside a transaction the plain one, or a standby's
   * while a `@ReadsFromReplica()` handler runs on one (`replicaRead`).
   */
  get manager(): EntityManager {
    if (!this.host.isTransactionActive()) {
      const standby = replicaRead.getStore();
      if (standby) return standby;
    }
    return this.host.tx;
  }

  /** True while this request's reads outside a transaction go to a standby. */
  get readsFromStandby(): boolean {
    return !this.host.isTransactionActive() && replicaRead.getStore() !== undefined;
  }

  /**
   * Runs `read` in one read-only snapshot: a transaction on the standby this request reads from, or
   * `run` on the primary. For a read whose figures must agree with each other (statistics); it may not
   * write, and the `beforeCommit`/`afterCommit` hooks are not available on a standby.
   */
  readSnapshot<T>(read: (manager: EntityManager) => Promise<T>): Promise<T> {
    const standby = this.inTransaction ? undefined : replicaRead.getStore();
    if (standby) return this.onStandby(standby, read);
    return this.run(() => read(this.manager));
  }

  private async onStandby<T>(
    standby: EntityManager,
    read: (manager: EntityManager) => Promise<T>,
  ): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await standby.transaction((manager) => read(manager));
      } catch (error) {
        // A read prepared before a migration: named anew by now (named-statements.ts), so once more.
        if (attempt > 1 || !isStalePlan(error)) throw error;
      }
    }
  }

  /**
   * Runs `hook` once the running transaction has ended, committed or rolled back, on a connection of its
   * own: for records that must outlive a refused request (an access denial). Writing them at once on a
   * second connection would deadlock the embedded database, whose pool has a single connection.
   */
  afterTransaction(hook: () => Promise<void>): Promise<void> {
    const hooks = this.hooks.getStore();
    if (hooks && this.inTransaction) {
      hooks.afterEnd.push(hook);
      return Promise.resolve();
    }
    return hook();
  }

  get inTransaction(): boolean {
    return this.host.isTransactionActive();
  }

  async run<T>(command: () => Promise<T>): Promise<T> {
    if (this.inTransaction) {
      const hooks = this.hooks.getStore();
      if (!hooks?.enclosing || hooks.depth > 0) return command();
      // A command inside `runEnclosing`: its services build their answers once `run` returns (a case's
      // reference is numbered just before COMMIT), so its before-commit hooks run now, at its end.
      hooks.depth++;
      try {
        const value = await command();
        for (const hook of hooks.beforeCommit.splice(0)) await hook();
        return value;
      } finally {
        hooks.depth--;
      }
    }
    return this.runTransaction(command, false);
  }

  /**
   * Opens a transaction around a whole request handler, so a wrapper (an idempotency claim) shares the
   * handler's transaction and commits or dies with it. The handler's own `run` calls join it and behave
   * as if they had opened it, except that COMMIT and the after-commit hooks wait for the wrapper.
   */
  runEnclosing<T>(command: () => Promise<T>): Promise<T> {
    if (this.inTransaction) throw new Error('runEnclosing must open the transaction');
    return this.runTransaction(command, true);
  }

  private async runTransaction<T>(command: () => Promise<T>, enclosing: boolean): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      const hooks: TransactionHooks = {
        beforeCommit: [],
        afterCommit: [],
        afterEnd: [],
        enclosing,
        depth: 0,
      };
      try {
        const result = await this.hooks.run(hooks, () =>
          this.host.withTransaction(async () => {
            const value = await command();
            for (const hook of hooks.beforeCommit) await hook();
            for (const hook of this.everyCommit) await hook();
            return value;
          }),
        );
        await this.runHooks(hooks.afterCommit, 'after-commit');
        return result;
      } catch (error) {
        if (attempt >= MAX_TRANSACTION_ATTEMPTS || !isRetryableTransactionError(error)) throw error;
        await sleep(backoffMs(attempt));
      } finally {
        await this.runHooks(hooks.afterEnd, 'after-transaction');
      }
    }
  }

  private async runHooks(hooks: Array<() => Promise<void>>, kind: string): Promise<void> {
    for (const hook of hooks) {
      await hook().catch((error: unknown) => this.logger.error({ err: error, msg: `${kind} hook failed` }));
    }
  }
}
