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
      // The interceptor's KEY_FORMAT: 1–255 visible ASCII characters.
      schema: { type: 'string', minLength: 1, maxLength: 255 },
      description: 'Retries with the same key return the first answer and create nothing new (24 h).',
    }),
  );
