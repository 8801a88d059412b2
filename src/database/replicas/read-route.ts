import { SetMetadata } from '@nestjs/common';

export const READS_FROM_REPLICA = 'case-desk:reads-from-replica';

/**
 * Marks a handler that only reads (a list, statistics, an audit read) whose queries may go to a
 * streaming standby when DATABASE_REPLICA_URLS is set. Nothing goes to a standby without it: the
 * per-request user look-up and every command stay on the primary. A handler that writes outside
 * `TransactionService.run` must not carry it (a standby refuses writes); writes inside `run` go to the
 * primary anyway. The caller still reads their own writes (`ReadReplicas.standbyFor`).
 */
export const ReadsFromReplica = () => SetMetadata(READS_FROM_REPLICA, true);

export const REDUCES_VISIBILITY = 'case-desk:reduces-visibility';

/**
 * Marks a command that can take a record out of other users' sight (a revoked share, a country leaving
 * a framework, a RED request assigned to another officer). Once it has committed, no standby serves
 * anyone's read until it has replayed the command, so a list never shows for the lag what its reader
 * may no longer see.
 */
export const ReducesVisibility = () => SetMetadata(REDUCES_VISIBILITY, true);
