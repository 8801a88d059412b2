import type { Actor } from '../common/request-context';
import type { User } from './user.entity';

/** The actor a user's account makes of them: who is acting, for which country, with which roles. */
export function actorOfUser(user: User, sessionId?: string): Actor {
  return {
    kind: 'user',
    userId: user.id,
    username: user.username,
    agencyId: user.agencyId,
    countryCode: user.countryCode,
    roles: user.roles,
    mfaEnabled: Boolean(user.mfaEnabledAt),
    ...(sessionId === undefined ? {} : { sessionId }),
  };
}
