import { Injectable } from '@nestjs/common';
import { TransactionHost } from '@nestjs-cls/transactional';
import { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import { setTimeout as sleep } from 'node:timers/promises';
import type { EntityManager } from 'typeorm';
import { backoffMs, isRetryableTransactionError, MAX_TRANSACTION_ATTEMPTS } from './retry-policy';

/**
 * Runs a command in one transaction. Everything called inside reads `tx.manager` and so joins the same
 * transaction without passing it around; the business change and its audit event commit or roll back
 * together. A serialization failure or deadlock re-runs the whole command.
 */
@Injectable()
export class TransactionService {
  constructor(private readonly host: TransactionHost<TransactionalAdapterTypeOrm>) {}

  /** The entity manager of the running transaction, or the plain one outside a transaction. */
  get manager(): EntityManager {
    return this.host.tx;
  }

  get inTransaction(): boolean {
    return this.host.isTransactionActive();
  }

  async run<T>(command: () => Promise<T>): Promise<T> {
    if (this.inTransaction) return command();
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.host.withTransaction(command);
      } catch (error) {
        if (attempt >= MAX_TRANSACTION_ATTEMPTS || !isRetryableTransactionError(error)) throw error;
        await sleep(backoffMs(attempt));
      }
    }
  }
}
