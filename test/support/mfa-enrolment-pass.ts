import { MfaEnrolmentPassService } from '../../src/auth/mfa/mfa-enrolment-pass.service';
import { commandLineContext } from '../../src/users/command-line-actor';
import type { TestApp } from './test-app';

/**
 * An enrolment pass for `username`, issued as `npm run user:create` issues one (no admin asked): for
 * tests whose every admin must enrol first, so none could issue it through the API.
 */
export async function enrolmentPassFromCommandLine(t: TestApp, username: string): Promise<string> {
  const issued = await t.app.get(MfaEnrolmentPassService).issueForUsername(commandLineContext(), username);
  return issued!.enrolmentPass;
}
