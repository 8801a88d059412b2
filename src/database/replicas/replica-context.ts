import { AsyncLocalStorage } from 'node:async_hooks';
import type { EntityManager } from 'typeorm';

/**
 * The standby's entity manager while a `@ReadsFromReplica()` handler runs on one (set by
 * `ReplicaRoutingInterceptor`). `TransactionService.manager` answers with it outside a transaction;
 * inside a transaction every query stays on the primary.
 */
export const replicaRead = new AsyncLocalStorage<EntityManager>();
