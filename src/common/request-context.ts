import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import type { Role } from './permissions/roles';

/** Who is acting: always read from the server-side user record, never from the request body. */
export interface Actor {
  kind: 'user';
  userId: string;
  username: string;
  agencyId: string | null;
  /** The one country the person acts for; null only for the platform administrator. */
  countryCode: string | null;
  roles: Role[];
  /** The sign-in session (refresh-token family) the access token belongs to. */
  sessionId?: string;
  /** The account signs in with a second factor (TOTP); read by the MFA policy of the global guard. */
  mfaEnabled?: boolean;
}

export interface SystemActor {
  kind: 'system';
  /** The job or command acting, e.g. `seed`, `deadline-job`. */
  name: string;
}

/** Travels as the first argument of service methods (Vendure's `RequestContext`). */
export interface RequestContext {
  actor: Actor | SystemActor | null;
  requestId: string | null;
  sourceIp: string | null;
  userAgent: string | null;
}

export function systemContext(name: string): RequestContext {
  return { actor: { kind: 'system', name }, requestId: null, sourceIp: null, userAgent: null };
}

export function contextFromRequest(request: FastifyRequest): RequestContext {
  const user = (request as FastifyRequest & { user?: Actor }).user;
  const agent = request.headers['user-agent'];
  return {
    actor: user ?? null,
    requestId: String(request.id),
    sourceIp: request.ip ?? null,
    userAgent: typeof agent === 'string' ? agent.slice(0, 512) : null,
  };
}

/** `@Ctx() ctx: RequestContext` in a controller handler. */
export const Ctx = createParamDecorator((_: unknown, host: ExecutionContext) =>
  contextFromRequest(host.switchToHttp().getRequest<FastifyRequest>()),
);

/** The signed-in user of a context; the global guard guarantees one on every non-public route. */
export function actorOf(ctx: RequestContext): Actor {
  if (ctx.actor?.kind !== 'user') throw new Error('This operation needs a signed-in user');
  return ctx.actor;
}
