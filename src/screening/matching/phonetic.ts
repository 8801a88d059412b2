import doubleMetaphone from 'talisman/phonetics/double-metaphone';

// Romanisations of Asian names differ mostly in how they write aspiration (ph/p, th/t, kh/k), the
// j/ch/z sounds, long vowels (ee, oo) and doubled letters. Folding those gives one form per sound.
const LOOSE_FOLDS: ReadonlyArray<[RegExp, string]> = [
  // Thai อร is "on" in RTGS and "orn" on most passports (Phonthip / Pornthip, Chaiyaphon / Chaiyaporn).
  [/orn/g, 'on'],
  [/ph/g, 'p'],
  [/th/g, 't'],
  [/kh/g, 'k'],
  [/gh/g, 'g'],
  [/bh/g, 'b'],
  [/dh/g, 'd'],
  [/sh/g, 's'],
  [/ch/g, 'c'],
  [/[jz]/g, 'c'],
  [/q/g, 'k'],
  [/x/g, 's'],
  [/v/g, 'w'],
  [/ee|ea/g, 'i'],
  [/oo|ou/g, 'u'],
  [/eo/g, 'o'],
  [/ae/g, 'e'],
  [/y/g, 'i'],
  [/(.)\1+/g, '$1'],
  [/(.)h$/, '$1'],
  // A Thai final ล is an n in RTGS and an l on most passports (Wongkun / Wongkul, Phon / Phol).
  [/([ou])l$/, '$1n'],
];

/** A spelling-independent form of a name word ("Somchay" and "Somchai" both give "somcai"). */
export function looseForm(word: string): string {
  let folded = word;
  for (const [pattern, replacement] of LOOSE_FOLDS) folded = folded.replace(pattern, replacement);
  return folded;
}

/**
 * The consonants of the loose form: vowels are what transliterations of Khmer, Thai and Arabic
 * disagree on most ("chanatha" from Khmer script, "Chanthea" on a passport; Arabic script writes no
 * short vowels at all, so "Abdullah" comes back as "bdllh").
 */
export function consonantSkeleton(word: string): string {
  return consonantSkeletonOfLoose(looseForm(word));
}

/** {@link consonantSkeleton} of a word already in its loose form. */
export function consonantSkeletonOfLoose(loose: string): string {
  return loose.replace(/[aeiouw]/g, '').replace(/(.)\1+/g, '$1');
}

/** Double Metaphone codes of a word: the primary and, when different, the alternate pronunciation. */
export function phoneticCodes(word: string): string[] {
  if (word.length === 0) return [];
  const [primary, alternate] = doubleMetaphone(word);
  const codes = primary === alternate ? [primary] : [primary, alternate];
  return codes.filter((code) => code.length > 0);
}

/**
 * Double Metaphone codes of a name part, word by word: the algorithm keeps only four sounds, so two
 * given names joined together ("Ngoc Thao", "Ngoc Trung") would otherwise sound the same.
 */
export function phoneticCodesOfWords(words: readonly string[]): string[] {
  const codes = words.map((word) => doubleMetaphone(word));
  const primary = codes.map(([code]) => code).join(' ');
  const alternate = codes.map(([, code]) => code).join(' ');
  return (primary === alternate ? [primary] : [primary, alternate]).filter((code) => code.trim().length > 0);
}
