import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { catchError, from, mergeMap, Observable, throwError } from 'rxjs';
import { READS_FROM_REPLICA } from './read-route';
import { replicaRead } from './replica-context';
import { ReadReplicas } from './read-replicas.service';

const WRITES = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** The errors of a standby that went away mid-read (not of the query itself): retried on the primary. */
function lostConnection(error: unknown): boolean {
  const e = error as { code?: string; message?: string };
  return (
    (typeof e.code === 'string' && /^(08|57P|ECONN|EPIPE|EHOSTUNREACH|ETIMEDOUT)/.test(e.code)) ||
    /Connection terminated|connect ECONNREFUSED|timeout exceeded when trying to connect/i.test(
      e.message ?? '',
    )
  );
}

/**
 * With DATABASE_REPLICA_URLS set: runs a `@ReadsFromReplica()` handler with its queries on a fit
 * standby (or on the primary), and after a user's write answers, records the primary's WAL position so
 * their next read waits for a standby that has it. Without standbys it does nothing.
 */
@Injectable()
export class ReplicaRoutingInterceptor implements NestInterceptor {
  constructor(
    private readonly replicas: ReadReplicas,
    private readonly reflector: Reflector,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (!this.replicas.enabled || context.getType() !== 'http') return next.handle();
    // The signed-in user as the authentication guard left it (common/request-context's Actor): the
    // database folder does not import common, which imports it.
    const request = context
      .switchToHttp()
      .getRequest<FastifyRequest & { user?: { kind: string; userId: string } }>();
    const userId = request.user?.kind === 'user' ? request.user.userId : null;
    if (WRITES.has(request.method)) {
      // The handler has committed when it answers; the position is stored before the caller hears it.
      return next.handle().pipe(
        mergeMap(async (value) => {
          if (userId) await this.replicas.recordWrite(userId);
          return value;
        }),
      );
    }
    if (!this.reflector.get<boolean>(READS_FROM_REPLICA, context.getHandler())) return next.handle();
    return from(this.replicas.managerFor(userId)).pipe(
      mergeMap((chosen) => {
        if (!chosen) return next.handle();
        return new Observable<unknown>((subscriber) =>
          replicaRead.run(chosen.manager, () => next.handle().subscribe(subscriber)),
        ).pipe(
          catchError((error: unknown) => {
            if (!lostConnection(error)) return throwError(() => error);
            this.replicas.failed(chosen.standby, error);
            return next.handle();
          }),
        );
      }),
    );
  }
}
