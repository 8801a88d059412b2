import { Reflector } from '@nestjs/core';
import type { AuditService } from '../audit/audit.service';
import { UnauthenticatedError } from '../common/errors/domain-errors';
import { AuthenticationGuard } from './authentication.guard';
import type { MfaPolicy } from './mfa/mfa-policy';

describe('AuthenticationGuard: what a failed authentication answers', () => {
  const guard = new AuthenticationGuard(new Reflector(), {} as AuditService, {} as MfaPolicy);

  it('a missing or bad token is a 401', () => {
    expect(() => guard.handleRequest(null, false)).toThrow(UnauthenticatedError);
  });

  it('a token of a user who may no longer sign in stays a 401', () => {
    const revoked = new UnauthenticatedError('The access token is no longer valid; sign in again.');
    expect(() => guard.handleRequest(revoked, false)).toThrow(revoked);
  });

  it('the database failing while the user is looked up is not blamed on the token (passed on, not a 401)', () => {
    const outage = new Error('Connection terminated unexpectedly');
    expect(() => guard.handleRequest(outage, false)).toThrow(outage);
  });

  it('a verified user passes', () => {
    const actor = { userId: 'u1' };
    expect(guard.handleRequest(null, actor)).toBe(actor);
  });
});
