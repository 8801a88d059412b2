// npm run user:create -- --admin --username kr.chief --name "Chief Admin" --agency <agency id>
// Creates the first real admin of a country without demo data. The password comes from
// NEW_USER_PASSWORD or is generated and printed once.
import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { UsersService } from '../users/users.service';
import { runCli } from './app-context';
import { COUNTRY_ROLES, CountryRole, PLATFORM_ADMIN } from '../common/permissions/roles';

const { values } = parseArgs({
  options: {
    admin: { type: 'boolean', default: false },
    username: { type: 'string' },
    name: { type: 'string' },
    agency: { type: 'string' },
    roles: { type: 'string' },
  },
});

runCli(async (app) => {
  if (!values.username || !values.agency) {
    process.stderr.write(
      'Usage: npm run user:create -- --admin --username NAME --name "Display Name" --agency AGENCY_ID [--roles officer,liaison]\n',
    );
    return 2;
  }
  const roles = (values.admin ? ['admin'] : (values.roles ?? '').split(',').filter(Boolean)) as CountryRole[];
  if (!roles.length || roles.some((r) => !COUNTRY_ROLES.includes(r))) {
    process.stderr.write(`Roles must be among ${COUNTRY_ROLES.join(', ')}\n`);
    return 2;
  }
  const password = process.env.NEW_USER_PASSWORD ?? randomBytes(12).toString('base64url');
  const ctx = {
    actor: {
      kind: 'user' as const,
      userId: '00000000-0000-0000-0000-000000000000',
      username: 'cli',
      agencyId: null,
      countryCode: null,
      roles: [PLATFORM_ADMIN],
    },
    requestId: null,
    sourceIp: null,
    userAgent: 'cli',
  };
  const user = await app.get(UsersService).create(ctx, {
    username: values.username,
    displayName: values.name ?? values.username,
    agencyId: values.agency,
    roles,
    password,
  });
  process.stdout.write(`Created ${user.username} (${user.roles.join(', ')}) in ${user.countryCode}.\n`);
  if (!process.env.NEW_USER_PASSWORD) process.stdout.write(`Initial password (shown once): ${password}\n`);
  return 0;
});
