import { PLATFORM_ADMIN } from '../common/permissions/roles';
import type { RequestContext } from '../common/request-context';

/**
 * `npm run user:create` acts as the platform administrator without being an account: on a database
 * without demo data it makes a country's first admin before any account exists. Its id is no
 * `app_user` row, so what it creates records no creator.
 */
export const COMMAND_LINE_USER_ID = '00000000-0000-0000-0000-000000000000';

export function commandLineContext(): RequestContext {
  return {
    actor: {
      kind: 'user',
      userId: COMMAND_LINE_USER_ID,
      username: 'cli',
      agencyId: null,
      countryCode: null,
      roles: [PLATFORM_ADMIN],
    },
    requestId: null,
    sourceIp: null,
    userAgent: 'cli',
  };
}
