import { ConflictError, FieldError, ValidationFailedError } from '../common/errors/domain-errors';

/** Where a holder asks an originator's consent to pass a person on. */
export const RELEASE_REQUESTS_PATH = '/api/v1/release-requests';

/**
 * A release the handling code does not allow (409). It names the rule and how to ask for consent, never
 * another country's record: only the field the caller sent and the code the caller received it under.
 */
export class ReleaseRefusedError extends ConflictError {
  override readonly code = 'release-refused';
  override readonly title = 'Refused by the handling code';
  constructor(errors: FieldError[], rules: string[], recipient: string, askable: boolean) {
    const codes = rules
      .map((r) => (r === 'NO-PROVENANCE' ? 'no recorded handling code' : `TLP:${r}`))
      .join(', ');
    super(
      askable
        ? `Data received from another country under ${codes} may not go to ${recipient} without its originator's consent; ask for it with POST ${RELEASE_REQUESTS_PATH}.`
        : `Data received from another country under ${codes} is never passed on to ${recipient}.`,
    );
    this.extensions.errors = errors;
    this.extensions.rules = rules;
    if (askable) this.extensions.askRelease = RELEASE_REQUESTS_PATH;
  }
}

/**
 * Something new would reach a country through a share or request made while a framework joined the
 * two countries, and none does now (409): what was given stays given, nothing more goes.
 */
export class NoActiveFrameworkError extends ConflictError {
  override readonly code = 'no-active-framework';
  override readonly title = 'No active cooperation framework';
  constructor(
    holder: string,
    readonly recipient: string,
  ) {
    super(
      `No active cooperation framework joins ${holder} and ${recipient}: nothing more goes to ${recipient} through what was shared or sent before. Revoke the share, or renew the framework.`,
    );
    this.extensions.recipientCountry = recipient;
  }
}

/** A link inside the holder's country that would widen what it holds only for RED recipients. */
export function staysWithRedRecipients(
  refused: Array<{ field: string }>,
  holder: string,
): ReleaseRefusedError {
  return new ReleaseRefusedError(
    refused.map((r) => ({
      field: r.field,
      message: `${r.field} was received under TLP:RED: it stays with the named recipients of the request it came with`,
    })),
    ['RED'],
    holder,
    false,
  );
}

/** A refusal of what the handling codes keep in, naming each field once per rule. */
export function refusal(
  refused: Array<{ field: string; rule: string; askable: boolean }>,
  recipient: string,
): ReleaseRefusedError {
  // A value weighed in several forms (a phone's national number too) is named once per field and rule.
  const messages = refused.map(
    (r) =>
      `${r.field} was received under ${r.rule === 'NO-PROVENANCE' ? 'no recorded handling code' : `TLP:${r.rule}`} and may not go to ${recipient}`,
  );
  return new ReleaseRefusedError(
    refused
      .map((r, i) => ({ field: r.field, message: messages[i] }))
      .filter((e, i) => messages.indexOf(e.message) === i),
    [...new Set(refused.map((r) => r.rule))],
    recipient,
    refused.every((r) => r.askable),
  );
}

/** A share asked for a country no framework joins to the caller's today: bad input (400), on the field. */
export function noFramework(from: string, to: string): ValidationFailedError {
  return new ValidationFailedError([
    { field: 'countryCode', message: `no active cooperation framework joins ${from} and ${to}` },
  ]);
}
