import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { catchError, concatMap, from, Observable, of } from 'rxjs';
import { ConflictError, UnprocessableError, ValidationFailedError } from '../common/errors/domain-errors';
import type { Actor } from '../common/request-context';
import { IDEMPOTENT } from './idempotent.decorator';
import { IdempotencyService, requestFingerprint } from './idempotency.service';

const KEY_FORMAT = /^[\x21-\x7e]{1,255}$/;

class IdempotencyKeyReusedError extends UnprocessableError {
  override readonly code = 'idempotency-key-reused';
}

/**
 * Stripe's idempotency semantics for endpoints marked `@Idempotent()`: the first answer for a user and
 * key is stored and replayed; the same key with another body is a 422; a retry while the first call
 * is still running is a 409; keys expire after 24 hours.
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  constructor(
    private readonly reflector: Reflector,
    private readonly store: IdempotencyService,
  ) {}

  async intercept(context: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    if (!this.reflector.get<boolean>(IDEMPOTENT, context.getHandler())) return next.handle();
    const request = context.switchToHttp().getRequest<FastifyRequest & { user?: Actor }>();
    const reply = context.switchToHttp().getResponse<FastifyReply>();
    const key = request.headers['idempotency-key'];
    if (key === undefined || !request.user) return next.handle();
    if (typeof key !== 'string' || !KEY_FORMAT.test(key)) {
      throw new ValidationFailedError([
        { field: 'Idempotency-Key', message: 'Idempotency-Key must be 1–255 visible ASCII characters' },
      ]);
    }
    const userId = request.user.userId;
    const fingerprint = requestFingerprint(request.method, request.url.split('?')[0]!, request.body);
    const claim = await this.store.claim(userId, key, fingerprint);
    if (claim.kind === 'mismatch')
      throw new IdempotencyKeyReusedError('This Idempotency-Key was used with a different request.');
    if (claim.kind === 'running')
      throw new ConflictError('A request with this Idempotency-Key is still being processed; retry shortly.');
    if (claim.kind === 'replay') {
      void reply.status(claim.status).header('Idempotent-Replayed', 'true');
      return of(claim.body);
    }
    const status = (Reflect.getMetadata('__httpCode__', context.getHandler()) as number | undefined) ?? 201;
    return next.handle().pipe(
      concatMap((body) => from(this.store.complete(userId, key, status, body).then(() => body))),
      catchError((error: unknown) => from(this.store.release(userId, key).then(() => Promise.reject(error)))),
    );
  }
}
