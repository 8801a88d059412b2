import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiHeader } from '@nestjs/swagger';

export const IDEMPOTENT = 'idempotent';

/** A create endpoint that honours `Idempotency-Key` (Stripe semantics; see IdempotencyInterceptor). */
export const Idempotent = () =>
  applyDecorators(
    SetMetadata(IDEMPOTENT, true),
    ApiHeader({
      name: 'Idempotency-Key',
      required: false,
      description: 'Retries with the same key return the first answer and create nothing new (24 h).',
    }),
  );
