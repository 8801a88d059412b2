/**
 * What a correlation alert says, built only from what its reader's country may see: its own case (id and
 * reference), the identifier as the case holds it (its match key: the same for both records), and the
 * newly visible record as that country reads it (a request's reference, its kind, the other country of
 * that request). Pure, so the wording and what it may name are unit-tested.
 */

/** One correlation found by the trigger, with the facts the notice names. */
export interface CorrelationFacts {
  caseId: string;
  caseReference: string;
  /** `identifier_match_key`: `<kind>:<value>` (a passport `passport:<country>:<number>`). */
  matchKey: string;
  requestId: string;
  requestKind: string;
  /** The request's reference (the same for both sides); null only for a request never sent. */
  requestReference: string | null;
  /** The country the record became visible to (the case's). */
  country: string;
  originCountry: string;
  targetCountry: string;
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

const REQUEST_LABEL: Record<string, string> = {
  information: 'information request',
  asset_freeze: 'freeze request',
  repatriation: 'repatriation request',
  blacklist: 'blacklist proposal',
  release: 'release request',
};

/** Which part of the record carries it: its identifiers, a freeze target, a person named, the findings. */
function partOf(field: string): 'findings' | 'freeze_target' | 'persons' | 'identifiers' {
  if (field.startsWith('findings.')) return 'findings';
  if (field === 'target') return 'freeze_target';
  if (field.startsWith('persons.')) return 'persons';
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
 * The notification's payload. The record is named by its reference and the country on its other side —
 * who sent it (or, for findings on the country's own request, who answered) — never by anything of a
 * third country's thread.
 */
export function correlationNotice(f: CorrelationFacts): Record<string, unknown> {
  const identifier = identifierOfKey(f.matchKey);
  const findings = f.field.startsWith('findings.');
  const fromCountry = f.country === f.targetCountry ? f.originCountry : f.targetCountry;
  const requestLabel = REQUEST_LABEL[f.requestKind] ?? 'request';
  const named = f.requestReference ?? 'a request';
  const where = findings
    ? `${fromCountry}'s answer to ${requestLabel} ${named}`
    : `${fromCountry}'s ${requestLabel} ${named}`;
  const shown = identifier.qualifier ? `${identifier.value} (${identifier.qualifier})` : identifier.value;
  return {
    caseId: f.caseId,
    caseReference: f.caseReference,
    identifier,
    record: {
      type: 'request',
      id: f.requestId,
      kind: f.requestKind,
      reference: f.requestReference,
      fromCountry,
      part: partOf(f.field),
    },
    message: `The ${KIND_LABEL[identifier.kind] ?? identifier.kind} ${shown} of case ${f.caseReference} is in ${where}.`,
  };
}
