import { SetMetadata } from '@nestjs/common';

export const READS_FROM_REPLICA = 'case-desk:reads-from-replica';

/**
 * Marks a read-only handler (a list, statistics) whose queries may go to a streaming standby when
 * DATABASE_REPLICA_URLS is set. Only handlers that write nothing may carry it: a standby refuses writes.
 * The caller still reads their own writes, and an unfit standby is skipped (`ReadReplicas.managerFor`).
 */
export const ReadsFromReplica = () => SetMetadata(READS_FROM_REPLICA, true);
