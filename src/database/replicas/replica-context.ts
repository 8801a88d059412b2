import { AsyncLocalStorage } from 'node:async_hooks';
import type { EntityManager } from 'typeorm';

/**
 * The standby a request reads from, while a `@ReadsFromReplica()` handler runs (set by
 * `ReplicaRoutingInterceptor`). `TransactionService.manager` answers with it outside a transaction;
 * inside one every query stays on the primary.
 */
export const replicaRead = new AsyncLocalStorage<EntityManager>();
