import { ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard } from '@nestjs/passport';
import type { FastifyRequest } from 'fastify';
import { AuditService } from '../audit/audit.service';
import { ForbiddenError, UnauthenticatedError } from '../common/errors/domain-errors';
import { IS_PUBLIC } from '../common/http/public.decorator';
import { Actor, contextFromRequest } from '../common/request-context';
import { Permission, rolesGrant } from '../common/permissions/permissions';
import { REQUIRED_PERMISSION } from '../common/permissions/require-permission.decorator';
import { MfaEnrolmentRequiredError } from './mfa/mfa-errors';
import { MfaPolicy, OPEN_BEFORE_MFA_ENROLMENT } from './mfa/mfa-policy';

/**
 * The global guard: every route needs a valid access token unless marked `@Public()`, and a
 * `@RequirePermission(...)` that the caller's roles grant. A route with neither is closed to everyone.
 * A caller whose role requires a second factor they have not enrolled (MFA_REQUIRED_ROLES) gets 403
 * `mfa-enrolment-required` on every route but those marked `@OpenBeforeMfaEnrolment()`.
 */
@Injectable()
export class AuthenticationGuard extends AuthGuard('jwt') {
  constructor(
    private readonly reflector: Reflector,
    private readonly audit: AuditService,
    private readonly mfa: MfaPolicy,
  ) {
    super();
  }

  override async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)) return true;
    await super.canActivate(context);

    const request = context.switchToHttp().getRequest<FastifyRequest & { user: Actor }>();
    (request.raw as typeof request.raw & { user?: { id: string } }).user = { id: request.user.userId };
    const permission = this.reflector.getAllAndOverride<Permission | undefined>(REQUIRED_PERMISSION, targets);
    if (permission && rolesGrant(request.user.roles, permission)) {
      // MFA_REQUIRED_ROLES: until the caller enrols a second factor, only their own account's routes open.
      if (
        this.mfa.awaitsEnrolment(request.user) &&
        !this.reflector.getAllAndOverride<boolean>(OPEN_BEFORE_MFA_ENROLMENT, targets)
      )
        throw new MfaEnrolmentRequiredError();
      return true;
    }

    await this.audit.recordIndependently(contextFromRequest(request), {
      action: 'access.denied',
      outcome: 'denied',
      details: {
        route: `${request.method} ${request.routeOptions?.url ?? request.url}`,
        permission: permission ?? null,
      },
    });
    throw new ForbiddenError('Your roles do not allow this.');
  }

  /**
   * A token that does not verify, or names a user who may no longer sign in, is a 401. Any other error
   * (the database unreachable while the user is looked up) is ours, not the caller's: it goes on to the
   * error filter (503 during an outage), so a client does not throw away a good token.
   */
  override handleRequest<T>(error: unknown, user: T): T {
    if (error) throw error;
    if (!user) throw new UnauthenticatedError('A valid access token is required.');
    return user;
  }
}
