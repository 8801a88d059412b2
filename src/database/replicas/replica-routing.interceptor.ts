import { CallHandler, ExecutionContext, Injectable, Logger, NestInterceptor } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { catchError, concatMap, from, Observable, throwError } from 'rxjs';
import { READS_FROM_REPLICA, REDUCES_VISIBILITY } from './read-route';
import { replicaRead } from './replica-context';
import { EVERYONE, ReadReplicas } from './read-replicas.service';

const WRITES = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** What authentication leaves on the request (`Actor` of src/common, not imported: database is below it). */
interface Authenticated {
  user?: { kind?: string; userId?: string };
}

/** A standby that went away mid-read (not an error of the query itself): the read is retried on the primary. */
export function lostStandby(error: unknown): boolean {
  const e = error as { code?: unknown; message?: unknown; driverError?: unknown };
  const code = typeof e.code === 'string' ? e.code : '';
  const message = typeof e.message === 'string' ? e.message : '';
  return (
    // 08: connection exceptions; 57P: admin/crash shutdown, cannot connect now; 40001 on a standby is a
    // recovery conflict (replay removed rows the read needed).
    /^(08|57P|40001$|ECONN|EPIPE|EHOSTUNREACH|ETIMEDOUT)/.test(code) ||
    /Connection terminated|ECONNREFUSED|timeout exceeded when trying to connect|conflict with recovery/i.test(
      message,
    ) ||
    (e.driverError !== undefined && e.driverError !== error && lostStandby(e.driverError))
  );
}

/**
 * With DATABASE_REPLICA_URLS set: runs a `@ReadsFromReplica()` handler with its reads on a fit standby
 * (or on the primary), and once a user's write has answered, records the primary's WAL position so
 * their next read goes only to a standby that has replayed it. Without standbys it does nothing.
 *
 * Guards run before interceptors, so the user look-up of authentication always reads the primary.
 */
@Injectable()
export class ReplicaRoutingInterceptor implements NestInterceptor {
  private readonly logger = new Logger('ReadReplicas');

  constructor(
    private readonly replicas: ReadReplicas,
    private readonly reflector: Reflector,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (!this.replicas.enabled || context.getType() !== 'http') return next.handle();
    const request = context.switchToHttp().getRequest<FastifyRequest & Authenticated>();
    const userId = request.user?.kind === 'user' ? (request.user.userId ?? null) : null;
    if (WRITES.has(request.method)) {
      const everyone = this.reflector.get<boolean>(REDUCES_VISIBILITY, context.getHandler());
      const writers = [...(userId ? [userId] : []), ...(everyone ? [EVERYONE] : [])];
      return writers.length ? this.recordingWrite(writers, next) : next.handle();
    }
    if (!this.reflector.get<boolean>(READS_FROM_REPLICA, context.getHandler())) return next.handle();
    return from(this.replicas.standbyFor(userId)).pipe(
      concatMap((standby) => {
        if (!standby) return next.handle();
        return new Observable<unknown>((subscriber) =>
          replicaRead.run(standby.manager, () => next.handle().subscribe(subscriber)),
        ).pipe(
          catchError((error: unknown) => {
            if (!lostStandby(error)) return throwError(() => error);
            this.replicas.failed(standby.url, error);
            // Out of the standby's scope, or the retry would read it again.
            return new Observable<unknown>((subscriber) =>
              replicaRead.exit(() => next.handle().subscribe(subscriber)),
            );
          }),
        );
      }),
    );
  }

  /**
   * The command has committed (or rolled back) when the handler answers; the position is stored before
   * the caller hears back, so their very next read finds it. Also after an error: a command may have
   * committed before failing, and a position recorded for nothing only keeps a read on the primary.
   */
  private recordingWrite(writers: string[], next: CallHandler): Observable<unknown> {
    return next.handle().pipe(
      concatMap(async (value) => {
        await this.remember(writers);
        return value;
      }),
      catchError((error: unknown) =>
        from(this.remember(writers)).pipe(concatMap(() => throwError(() => error))),
      ),
    );
  }

  /** A committed write is not answered with a 500 for this: the caller's next reads may lag instead. */
  private async remember(writers: string[]): Promise<void> {
    await Promise.all(writers.map((writer) => this.replicas.recordWrite(writer)))
      .then(() => undefined)
      .catch((error: unknown) =>
        this.logger.warn({ err: error, msg: 'could not record the write position for read-your-writes' }),
      );
  }
}
