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
