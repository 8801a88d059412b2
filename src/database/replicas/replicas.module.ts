import { Module } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { ReadReplicas } from './read-replicas.service';
import { ReplicaRoutingInterceptor } from './replica-routing.interceptor';

/** Read replicas (DATABASE_REPLICA_URLS): which reads may leave the primary, and to which standby. */
@Module({
  providers: [ReadReplicas, { provide: APP_INTERCEPTOR, useClass: ReplicaRoutingInterceptor }],
  exports: [ReadReplicas],
})
export class ReplicasModule {}
