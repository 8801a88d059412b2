import { distance } from 'fastest-levenshtein';
import jaroWinkler from 'talisman/metrics/jaro-winkler';

/** Jaro-Winkler similarity, 0 to 1: rewards a shared beginning, which names typed in a hurry keep. */
export function jaroWinklerSimilarity(a: string, b: string): number {
  if (a === b) return 1;
  if (a.length === 0 || b.length === 0) return 0;
  return jaroWinkler(a, b);
}

/** Whether two words are one or two keystrokes apart, allowing more for longer words. */
export function isTypo(a: string, b: string): boolean {
  const shorter = Math.min(a.length, b.length);
  if (shorter < 4) return false;
  const allowed = shorter >= 8 ? 2 : 1;
  if (Math.abs(a.length - b.length) > allowed) return false;
  return distance(a, b) <= allowed;
}
