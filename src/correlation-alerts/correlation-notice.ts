/**
 * What a correlation alert says, built only from what its reader's country may see: its own case (id and
 * reference), the identifier as the case holds it (its match key: the same for both records), and the
 * newly visible record as that country reads it (a request's reference and kind, a shared case by the
 * share's reference, the country on the record's other side). Pure, so the wording and what it may
 * name are unit-tested.
 */

/** One correlation found by the trigger, with the facts the notice names. */
export interface CorrelationFacts {
  caseId: string;
  caseReference: string;
  /** `identifier_match_key`: `<kind>:<value>` (a passport `passport:<country>:<number>`). */
  matchKey: string;
  recordType: 'request' | 'case' | 'arrest';
  recordId: string;
  /** A request's kind (`information`, `asset_freeze`, …), or `case`, or `arrest`. */
  recordKind: string;
  /** As the country reads it: the request's reference (the same for both sides), a share's reference. */
  recordReference: string | null;
  /** Who sent the request (or answered it, for findings on the country's own request), who shared the case. */
  fromCountry: string;
  /**
   * Where the record carries it: `identifiers.phones`, `findings.identifiers.bankAccounts`, `target` (a
   * freeze target), `persons.phones` (a person named in it), `findings.persons.documents`.
   */
  field: string;
}

export interface CorrelationIdentifier {
  kind: string;
  value: string;
  /** A passport's issuing country. */
  qualifier: string | null;
}

const KIND_LABEL: Record<string, string> = {
  phone: 'phone number',
  bank_account: 'account',
  wallet: 'wallet',
  passport: 'passport',
  compound: 'compound',
  web: 'web address',
};

const RECORD_LABEL: Record<string, string> = {
  information: 'information request',
  asset_freeze: 'freeze request',
  repatriation: 'repatriation request',
  blacklist: 'blacklist proposal',
  release: 'release request',
  case: 'shared case',
  arrest: 'arrest record',
};

/** Which part of the record carries it: its identifiers, a freeze target, a person named, the findings. */
function partOf(
  field: string,
): 'findings' | 'freeze_target' | 'persons' | 'person' | 'place' | 'identifiers' {
  if (field.startsWith('findings.')) return 'findings';
  if (field === 'target') return 'freeze_target';
  if (field.startsWith('persons.')) return 'persons';
  // An arrest: its arrested person, or where it happened.
  if (field.startsWith('person.')) return 'person';
  if (field === 'place') return 'place';
  return 'identifiers';
}

/** The identifier a match key names, as the case holds it (normalised). */
export function identifierOfKey(matchKey: string): CorrelationIdentifier {
  const at = matchKey.indexOf(':');
  const kind = at < 0 ? matchKey : matchKey.slice(0, at);
  const rest = at < 0 ? '' : matchKey.slice(at + 1);
  if (kind === 'passport') {
    const split = rest.indexOf(':');
    return split < 0
      ? { kind, value: rest, qualifier: null }
      : { kind, value: rest.slice(split + 1), qualifier: rest.slice(0, split) || null };
  }
  return { kind, value: rest, qualifier: null };
}

/**
 * The notification's payload. The record is named by the reference its reader's country knows it by and
 * the country on its other side, never by anything of a third country's thread.
 */
export function correlationNotice(f: CorrelationFacts): Record<string, unknown> {
  const identifier = identifierOfKey(f.matchKey);
  const part = partOf(f.field);
  const label = RECORD_LABEL[f.recordKind] ?? 'request';
  const named = f.recordReference ?? `a ${label}`;
  const where =
    part === 'findings'
      ? `${f.fromCountry}'s answer to ${label} ${named}`
      : `${f.fromCountry}'s ${label} ${named}`;
  const shown = identifier.qualifier ? `${identifier.value} (${identifier.qualifier})` : identifier.value;
  return {
    caseId: f.caseId,
    caseReference: f.caseReference,
    identifier,
    record: {
      type: f.recordType,
      id: f.recordId,
      kind: f.recordKind,
      reference: f.recordReference,
      fromCountry: f.fromCountry,
      part,
    },
    message: `The ${KIND_LABEL[identifier.kind] ?? identifier.kind} ${shown} of case ${f.caseReference} is in ${where}.`,
  };
}
