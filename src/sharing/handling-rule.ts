import { HANDLING_CODES, type HandlingCode } from './handling-code';

/**
 * TLP 2.0 as this product applies it to data one country received from another (README, "Handling
 * codes"). Pure: the release services read the facts (`ReleaseService` for persons,
 * `IdentifierReleaseService` for identifiers, through `identifier-rule.ts`); the decision is made here.
 *
 * | code           | the receiving country may pass it on to …                                       |
 * |----------------|----------------------------------------------------------------------------------|
 * | `CLEAR`        | anyone                                                                            |
 * | `GREEN`        | a member of an active framework that both the receiver and the originator belong to |
 * | `AMBER`        | only a country the originator consented to (an accepted `release` request)        |
 * | `AMBER+STRICT` | nobody: the receiving country only                                                |
 * | `RED`          | nobody: the named recipients only                                                 |
 *
 * Giving a person back to the country that owns it is always allowed; a person that came from another
 * country with no provenance at all is not passed on (deny by default).
 */

export function stricter(a: HandlingCode, b: HandlingCode): HandlingCode {
  return HANDLING_CODES.indexOf(a) >= HANDLING_CODES.indexOf(b) ? a : b;
}

export function looser(a: HandlingCode, b: HandlingCode): HandlingCode {
  return HANDLING_CODES.indexOf(a) <= HANDLING_CODES.indexOf(b) ? a : b;
}

/** One way the holding country received the person. */
export interface Receipt {
  handlingCode: HandlingCode;
}

export interface ReleaseFacts {
  /** The country that holds the person and wants to pass it on (the caller's). */
  holder: string;
  recipient: string;
  /** The country that owns the person's record: its originator. */
  originator: string;
  receipts: Receipt[];
  /** An active framework has the recipient, the holder and the originator as members. */
  recipientInGreenCircle: boolean;
  /** The originator consented to this person going from the holder to the recipient. */
  releaseGranted: boolean;
}

export type ReleaseDecision =
  /** `floor`: the least restrictive code the recipient may receive it under (null: the holder's own). */
  | { allowed: true; floor: HandlingCode | null }
  | { allowed: false; rule: HandlingCode | 'NO-PROVENANCE'; askable: boolean };

export function decideRelease(facts: ReleaseFacts): ReleaseDecision {
  if (facts.holder === facts.originator || facts.recipient === facts.originator)
    return { allowed: true, floor: null };
  const codes = [...new Set(facts.receipts.map((r) => r.handlingCode))].sort(
    (a, b) => HANDLING_CODES.indexOf(a) - HANDLING_CODES.indexOf(b),
  );
  for (const code of codes) {
    if (code === 'CLEAR') return { allowed: true, floor: 'CLEAR' };
    if (code === 'GREEN' && facts.recipientInGreenCircle) return { allowed: true, floor: 'GREEN' };
    if ((code === 'GREEN' || code === 'AMBER') && facts.releaseGranted)
      return { allowed: true, floor: 'AMBER' };
  }
  const rule = codes[0] ?? 'NO-PROVENANCE';
  return { allowed: false, rule, askable: rule === 'GREEN' || rule === 'AMBER' };
}

/** The code a released person travels under: the channel's own, never looser than what allowed it. */
export function carriedCode(channel: HandlingCode, decision: { floor: HandlingCode | null }): HandlingCode {
  return decision.floor ? stricter(channel, decision.floor) : channel;
}
