import { DomainError } from '../../common/errors/domain-errors';

/**
 * The password was right and the account signs in with a second factor: send it again with `code`.
 * No token. It tells no more than a password-only account's successful sign-in already does (that the
 * password is right), and wrong passwords still cost a failure each (CredentialsService).
 */
export class MfaRequiredError extends DomainError {
  readonly status = 401;
  readonly code = 'mfa-required';
  readonly title = 'Second factor required';
  constructor() {
    super('This account signs in with a second factor: send the code of the authenticator app as `code`.');
  }
}

/** The caller holds a role of MFA_REQUIRED_ROLES and has not turned a second factor on yet. */
export class MfaEnrolmentRequiredError extends DomainError {
  readonly status = 403;
  readonly code = 'mfa-enrolment-required';
  readonly title = 'Second factor enrolment required';
  constructor() {
    super(
      'Your role requires a second factor: enrol one (POST /auth/mfa/enrolment, then …/confirm) before anything else.',
    );
  }
}
