/**
 * A request's version once it is sent: the same for every request, so the target, which reads versions
 * from then on, learns nothing of how many edits, submissions and returns the origin went through
 * before sending (as it does not read the pre-send history or the draft's creation time). Every
 * version before it is smaller, so a client still holding one is refused (409) as with any stale one.
 */
export const SENT_VERSION = 1_000_000;

/** The version a step leaves: the next one, or `SENT_VERSION` when the step sends the request. */
export function versionAfter(action: string, version: number): number {
  return action === 'approve' ? Math.max(version + 1, SENT_VERSION) : version + 1;
}
