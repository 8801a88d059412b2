import type { HandlingCode } from './handling-code';
import { decideRelease, ReleaseDecision, stricter } from './handling-rule';
import type { IdentifierReceipt } from './identifier-provenance.store';

/**
 * An identifier with no receipt is the holder's own. Otherwise each originator's receipts are weighed
 * as a person's would be; the first originator whose rule allows it is the one it travels on from.
 */
export function decideIdentifier(
  holder: string,
  recipient: string,
  receipts: IdentifierReceipt[],
):
  | { originator: string; floor: HandlingCode | null }
  | { refused: { rule: string; originator: string; askable: boolean } } {
  if (!receipts.length) return { originator: holder, floor: null };
  const denials: Array<{ rule: string; originator: string; askable: boolean }> = [];
  for (const originator of new Set(receipts.map((r) => r.originator_country))) {
    const mine = receipts.filter((r) => r.originator_country === originator);
    // A consent covers the receipts of the number it was given for. Receipts of the same key it does not
    // cover (another country's phone with the same national digits) are weighed on their own: the
    // loosest receipt governs one number's receipts, not two numbers' (probe r16).
    const granted = mine.filter((r) => r.granted);
    const groups =
      granted.length && granted.length < mine.length ? [granted, mine.filter((r) => !r.granted)] : [mine];
    const decisions = groups.map((group) =>
      decideRelease({
        holder,
        recipient,
        originator,
        receipts: group.map((r) => ({ handlingCode: r.handling_code })),
        recipientInGreenCircle: group.some((r) => r.green_circle),
        releaseGranted: group.some((r) => r.granted),
      }),
    );
    const denied = decisions.find((d): d is Extract<ReleaseDecision, { allowed: false }> => !d.allowed);
    if (!denied) return { originator, floor: strictestFloor(decisions) };
    denials.push({ rule: denied.rule, originator, askable: denied.askable });
  }
  return { refused: denials[0]! };
}

/** Of decisions that all allow, the floor the strictest of them sets (null: none sets one). */
function strictestFloor(decisions: ReleaseDecision[]): HandlingCode | null {
  const floors = decisions.flatMap((d) => (d.allowed && d.floor ? [d.floor] : []));
  return floors.length ? floors.reduce(stricter) : null;
}
