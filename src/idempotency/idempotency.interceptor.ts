import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { from, lastValueFrom, Observable } from 'rxjs';
import { ConflictError, UnprocessableError, ValidationFailedError } from '../common/errors/domain-errors';
import type { Actor } from '../common/request-context';
import { TransactionService } from '../database/transaction.service';
import { IDEMPOTENT } from './idempotent.decorator';
import { IdempotencyService, isClaimTimeout, requestFingerprint } from './idempotency.service';

const KEY_FORMAT = /^[\x21-\x7e]{1,255}$/;

class IdempotencyKeyReusedError extends UnprocessableError {
  override readonly code = 'idempotency-key-reused';
}

type Outcome = { replayed: false; body: unknown } | { replayed: true; status: number; body: unknown };

/**
 * Stripe's idempotency semantics for endpoints marked `@Idempotent()`: the first answer for a user and
 * key is stored and replayed; the same key with another body is a 422; keys expire after 24 hours.
 *
 * The handler runs inside one transaction that also claims the key and stores the answer (the
 * handler's own `tx.run` joins it), so the claim can never outlive the work: a call killed half-way
 * leaves the key free for an immediate retry. A retry arriving while the first call still runs waits
 * for it (up to CLAIM_WAIT) and then replays its answer, or gets 409 if it is still running.
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  constructor(
    private readonly reflector: Reflector,
    private readonly store: IdempotencyService,
    private readonly tx: TransactionService,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
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
    const fingerprint = requestFingerprint(
      request.method,
      request.url.split('?')[0]!,
      request.body,
      request.query,
    );
    const status = (Reflect.getMetadata('__httpCode__', context.getHandler()) as number | undefined) ?? 201;

    const run = this.tx.runEnclosing(async (): Promise<Outcome> => {
      await this.store.claim(userId, key);
      const stored = await this.store.storedAnswer(userId, key, fingerprint);
      if (stored.kind === 'mismatch')
        throw new IdempotencyKeyReusedError('This Idempotency-Key was used with a different request.');
      if (stored.kind === 'replay') return { replayed: true, status: stored.status, body: stored.body };
      // Called here, inside the transaction's async context, so the handler joins this transaction.
      const body = await lastValueFrom(next.handle(), { defaultValue: undefined });
      await this.store.store(userId, key, fingerprint, status, body);
      return { replayed: false, body };
    });
    return from(
      run.then(
        (outcome) => {
          if (outcome.replayed) void reply.status(outcome.status).header('Idempotent-Replayed', 'true');
          return outcome.body;
        },
        (error: unknown) => {
          if (isClaimTimeout(error))
            throw new ConflictError(
              'A request with this Idempotency-Key is still being processed; retry shortly.',
            );
          throw error;
        },
      ),
    );
  }
}
