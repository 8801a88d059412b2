import type { PartForms, PreparedName } from './prepared-name';
import { isTypo, jaroWinklerSimilarity } from './string-similarity';

export type PartMatchLevel = 'exact' | 'variant' | 'phonetic' | 'typo' | 'initial' | 'different';

export interface PartComparison {
  level: PartMatchLevel;
  /** 0 to 1. */
  similarity: number;
}

export interface NameComparison {
  /** 0 to 1. */
  score: number;
  reasons: string[];
}

// How much each level is worth: a listed romanisation is nearly as good as the same spelling; a
// phonetic or typing resemblance is good evidence but produces look-alikes; an initial is weak.
const LEVEL_SIMILARITY = { exact: 1, variant: 0.95, phonetic: 0.88, initial: 0.6 } as const;
const FAMILY_WEIGHT = 0.5;
const GIVEN_WEIGHT = 0.5;
// When only one side has given names, the family name alone says little (a quarter of Koreans are Kims).
const FAMILY_ONLY_FACTOR = 0.75;

const LEVEL_WORDS: Record<PartMatchLevel, string> = {
  exact: 'exact',
  variant: 'romanisation variant',
  phonetic: 'phonetic match',
  typo: 'spelling close (typo)',
  initial: 'initial matches',
  different: 'differs',
};

function matchesAsInitials(initials: PartForms, full: PartForms): boolean {
  return initials.initialsOnly && (initials.plain === full.initials || initials.plain[0] === full.plain[0]);
}

function soundsAlike(a: PartForms, b: PartForms, jaroWinkler: number): boolean {
  if (a.loose === b.loose) return true;
  if (a.phonetic.some((code) => b.phonetic.includes(code))) return true;
  // Same consonants, vowels apart: the usual gap between transliterations of one Asian name.
  const minimumSimilarity = a.skeleton.length >= 4 ? 0.6 : 0.75;
  return a.skeleton.length >= 3 && a.skeleton === b.skeleton && jaroWinkler >= minimumSimilarity;
}

/** How alike two family names, or two sets of given names, are. */
export function compareParts(a: PartForms, b: PartForms): PartComparison {
  if (a.plain === b.plain) return { level: 'exact', similarity: LEVEL_SIMILARITY.exact };
  if (a.variant === b.variant) return { level: 'variant', similarity: LEVEL_SIMILARITY.variant };
  if (matchesAsInitials(a, b) || matchesAsInitials(b, a)) {
    return { level: 'initial', similarity: LEVEL_SIMILARITY.initial };
  }
  const jaroWinkler = jaroWinklerSimilarity(a.variant, b.variant);
  if (soundsAlike(a, b, jaroWinkler)) return { level: 'phonetic', similarity: LEVEL_SIMILARITY.phonetic };
  if (isTypo(a.variant, b.variant) || jaroWinkler >= 0.9) {
    return { level: 'typo', similarity: Math.max(0.8, Math.min(0.87, 0.75 + 0.12 * jaroWinkler)) };
  }
  return { level: 'different', similarity: 0.6 * jaroWinkler };
}

function transliterationReason(query: PreparedName, entry: PreparedName): string[] {
  const script = entry.script !== 'latin' ? entry.script : query.script;
  if (script === 'latin' || query.script === entry.script) return [];
  return [`name transliterated from ${script} matches`];
}

/**
 * How alike a query name and an entry name are, trying every reading of which words are the family
 * name, so that family-first and given-first spellings of one person meet.
 */
export function compareNames(query: PreparedName, entry: PreparedName): NameComparison {
  if (query.words.length === 0 || entry.words.length === 0) return { score: 0, reasons: [] };

  const entryJoined = entry.words.join('');
  const rotation = query.joinedRotations.indexOf(entryJoined);
  if (rotation >= 0) {
    const reasons = ['full name exact after normalisation'];
    if (rotation > 0) reasons.push('given and family names in swapped order');
    return { score: 1, reasons: [...reasons, ...transliterationReason(query, entry)] };
  }

  let best: NameComparison = { score: 0, reasons: [] };
  for (const queryReading of query.readings) {
    for (const entryReading of entry.readings) {
      const family = compareParts(queryReading.family, entryReading.family);
      const reasons = [`family name ${LEVEL_WORDS[family.level]}`];
      let score: number;
      let partsAlike = family.level !== 'different';
      if (queryReading.given && entryReading.given) {
        const given = compareParts(queryReading.given, entryReading.given);
        score = FAMILY_WEIGHT * family.similarity + GIVEN_WEIGHT * given.similarity;
        reasons.push(`given name ${LEVEL_WORDS[given.level]}`);
        partsAlike &&= given.level !== 'different';
        // Only worth saying when the names resemble each other in that order.
        if (partsAlike && queryReading.familyFirst !== entryReading.familyFirst) {
          reasons.push('given and family names in swapped order');
        }
      } else if (queryReading.given || entryReading.given) {
        score = FAMILY_ONLY_FACTOR * family.similarity;
        reasons.push('given name missing on one side');
      } else {
        score = family.similarity;
      }
      if (score > best.score) best = { score, reasons };
    }
  }
  if (best.score >= 0.7) best.reasons.push(...transliterationReason(query, entry));
  return best;
}
