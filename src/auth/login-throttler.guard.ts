import { Injectable } from '@nestjs/common';
import { ThrottlerGuard, ThrottlerLimitDetail } from '@nestjs/throttler';
import type { ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { TooManyRequestsError } from '../common/errors/domain-errors';
import { createValidationPipe } from '../common/http/validation';
import { LoginDto } from './dto/auth.dto';

const loginBodyPipe = createValidationPipe();

/**
 * Rate-limits sign-in per source address; answers 429 with a plain Retry-After. (The per-username limit
 * counts failures only, so it is applied where the password is checked: FailedSignInThrottle.)
 * Guards run before pipes, so this guard validates the body first (400 naming the field, as the global
 * pipe would) and puts the normalised username back: passport-local, the username's bucket and the
 * account look-up all see the one spelling.
 */
@Injectable()
export class LoginThrottlerGuard extends ThrottlerGuard {
  override async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const body: unknown = await loginBodyPipe.transform(request.body, { type: 'body', metatype: LoginDto });
    request.body = { ...(body as LoginDto) };
    return super.canActivate(context);
  }

  protected override async throwThrottlingException(
    _context: ExecutionContext,
    detail: ThrottlerLimitDetail,
  ): Promise<void> {
    throw new TooManyRequestsError(Math.max(1, Math.ceil(detail.timeToBlockExpire)));
  }
}
