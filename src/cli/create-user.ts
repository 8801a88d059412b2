// npm run user:create -- --admin --username kr.chief --name "Chief Admin" --agency <agency id>
// Creates the first real admin of a country without demo data. The password comes from
// NEW_USER_PASSWORD or is generated and printed once.
import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { MfaEnrolmentPassService } from '../auth/mfa/mfa-enrolment-pass.service';
import { MfaPolicy } from '../auth/mfa/mfa-policy';
import { UsersService } from '../users/users.service';
import { runCli } from './app-context';
import { COUNTRY_ROLES, CountryRole } from '../common/permissions/roles';
import { commandLineContext } from '../users/command-line-actor';

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
  const ctx = commandLineContext();
  const user = await app.get(UsersService).create(ctx, {
    username: values.username,
    displayName: values.name ?? values.username,
    agencyId: values.agency,
    roles,
    password,
  });
  process.stdout.write(`Created ${user.username} (${user.roles.join(', ')}) in ${user.countryCode}.\n`);
  if (!process.env.NEW_USER_PASSWORD) process.stdout.write(`Initial password (shown once): ${password}\n`);
  if (app.get(MfaPolicy).requiredFor(roles)) {
    // MFA_REQUIRED_ROLES: the account's first enrolment needs a pass, and no admin may exist yet to issue it.
    const { enrolmentPass, expiresAt } = (await app
      .get(MfaEnrolmentPassService)
      .issueForUsername(ctx, user.username))!;
    process.stdout.write(
      `Second-factor enrolment pass (shown once, valid until ${expiresAt}): ${enrolmentPass}\n`,
    );
  }
  return 0;
});
