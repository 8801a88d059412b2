import type { PersonName, QueryName } from './matching.types';
import { consonantSkeleton, phoneticCodes } from './phonetic';
import { prepareEntryName, prepareQueryName, type PartForms } from './prepared-name';
import { romanisationKey } from './romanisation-variants';

export interface SearchKeys {
  /** {@link normaliseName} of the name: index it with pg_trgm for typo-tolerant search. */
  normalised: string;
  /**
   * Exact-match keys, each prefixed by its kind so kinds never collide: `w:` normalised word,
   * `v:` romanisation key, `p:` Double Metaphone code, `s:` consonant skeleton, `j:` the whole name
   * joined without spaces in each word rotation, `f:` the family name with the given names' first
   * letter, `g:` the given names with the family name's first letter, and `e:` the family name with
   * the given names whole or less any one letter. A candidate worth scoring shares at least one key.
   */
  keys: string[];
}

// Beyond four words, rotations multiply keys without finding more people.
const MAX_ROTATED_WORDS = 4;

function partKeys(part: PartForms): string[] {
  const keys = [`v:${part.variant}`, ...part.phonetic.map((code) => `p:${code}`)];
  if (part.skeleton.length >= 2) keys.push(`s:${part.skeleton}`);
  return keys;
}

/**
 * A family name is shared by tens of thousands in a large list, and so is a given name: alone, neither
 * tells the database which of them to score first. Paired with the other part's first letter (which a
 * typo or a romanisation variant rarely changes) they single out a few hundred.
 */
function pairKeys(family: PartForms, given: PartForms | null): string[] {
  if (!given) return [];
  return [`f:${family.variant} ${given.variant.charAt(0)}`, `g:${given.variant} ${family.variant.charAt(0)}`];
}

// Longer given names are never typed letter by letter at a checkpoint; their other keys are rare enough.
const MAX_TYPO_KEYED_LENGTH = 24;

/**
 * A typo in the given names ("Park Mistng" for "Park Misang") breaks every key of that part, and the
 * family name alone is held by tens of thousands. The family name with the given names less any one
 * letter meets every spelling one edit away — a wrong, missing, extra or swapped letter: each side
 * drops the letter that differs — and is held by little more than the namesakes. A typo in the family
 * name is left to the `g:` key, which only its first letter can break.
 */
function typoKeys(family: PartForms, given: PartForms | null): string[] {
  const g = given?.variant ?? '';
  if (g.length < 2 || g.length > MAX_TYPO_KEYED_LENGTH) return [];
  const keys = [`e:${family.variant} ${g}`];
  for (let i = 0; i < g.length; i++) keys.push(`e:${family.variant} ${g.slice(0, i)}${g.slice(i + 1)}`);
  return keys;
}

/**
 * The keys under which a name should be indexed, or looked up, so that the database can fetch the
 * few thousand entries worth scoring. The same function serves both sides: an entry's names when
 * they are stored, the query's names when screening.
 */
export function searchKeys(name: PersonName | QueryName): SearchKeys {
  const prepared =
    typeof name === 'object' && 'kind' in name ? prepareEntryName(name) : prepareQueryName(name);
  const keys = new Set<string>();
  for (const word of prepared.words) {
    keys.add(`w:${word}`);
    keys.add(`v:${romanisationKey(word)}`);
    for (const code of phoneticCodes(romanisationKey(word))) keys.add(`p:${code}`);
    const skeleton = consonantSkeleton(romanisationKey(word));
    if (skeleton.length >= 2) keys.add(`s:${skeleton}`);
  }
  for (const reading of prepared.readings) {
    for (const part of [reading.family, reading.given]) {
      if (part) partKeys(part).forEach((key) => keys.add(key));
    }
    pairKeys(reading.family, reading.given).forEach((key) => keys.add(key));
    typoKeys(reading.family, reading.given).forEach((key) => keys.add(key));
  }
  if (prepared.words.length <= MAX_ROTATED_WORDS) {
    prepared.joinedRotations.forEach((joined) => keys.add(`j:${joined}`));
  }
  return { normalised: prepared.words.join(' '), keys: [...keys].sort() };
}
