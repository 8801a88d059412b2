// npm run user:enrolment-pass -- --username kr.chief
// Issues a one-time second-factor enrolment pass for an existing account whose roles require a second
// factor (MFA_REQUIRED_ROLES) when no enrolled admin of its country can: every admin once `admin` is
// listed on a running deployment, the platform administrator, a first admin whose printed pass expired.
// Audited as `user.mfa.enrolment_pass.issue` by the command line; refused once the account has a factor.
import 'reflect-metadata';
import { parseArgs } from 'node:util';
import { MfaEnrolmentPassService } from '../auth/mfa/mfa-enrolment-pass.service';
import { commandLineContext } from '../users/command-line-actor';
import { runCli } from './app-context';

const { values } = parseArgs({ options: { username: { type: 'string' } } });

runCli(async (app) => {
  if (!values.username) {
    process.stderr.write('Usage: npm run user:enrolment-pass -- --username NAME\n');
    return 2;
  }
  const issued = await app
    .get(MfaEnrolmentPassService)
    .issueForUsername(commandLineContext(), values.username);
  if (!issued) {
    process.stderr.write(`No account is named '${values.username}'.\n`);
    return 1;
  }
  process.stdout.write(
    `Second-factor enrolment pass for ${issued.username} (shown once, valid until ${issued.expiresAt}): ${issued.enrolmentPass}\n`,
  );
  return 0;
});
