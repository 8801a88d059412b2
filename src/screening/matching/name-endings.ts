import { boundedMemo } from './bounded-memo';

/**
 * Thai and Khmer given names are built of syllables too, but romanised as one word (Thanawat,
 * Sophea), and the names of a family or a village often share their beginning: Sophea / Sopheap,
 * Vanna / Vannak, Sophal / Sophat, Sothea / Sotheavy, Thanawat / Thanawut, Nattapong / Nattaphon,
 * Wichai / Wichit, Nopporn / Noppadon. Romanisation varies the letters of one sound (ph/p, th/t,
 * ee/i, oo/u, a final r after a vowel, doubled letters, a/o and o/u in Khmer), and a slip drops, adds
 * or swaps a letter; neither changes how the name ends. Another ending is another name:
 * - another final consonant, or one added or dropped (Sophea / Sopheap, Sophal / Sophat);
 * - a whole syllable added or dropped (Sothea / Sotheavy, Nopporn / Noppadon);
 * - another vowel in the last syllable, where romanisations do not confuse the two (Thanawat /
 *   Thanawut, Malee / Malai).
 * Only names that share their first syllable are judged: two names apart from the start are told
 * apart by the spelling comparison already. Sources: Royal Thai General System of Transcription
 * (Royal Institute, 1999); UNGEGN romanisation of Khmer (BGN/PCGN 1972), for the letter equivalences.
 */
const ENDING_FOLDS: ReadonlyArray<[RegExp, string]> = [
  [/ph/g, 'p'],
  [/th/g, 't'],
  [/dh/g, 'd'],
  [/kh/g, 'k'],
  [/chh?/g, 'c'],
  [/[jz]/g, 'c'],
  [/q/g, 'k'],
  [/v/g, 'w'],
  // Khmer ៅ at the end: ov on passports, ŏu in UNGEGN, au letter by letter (Pov, Pŏu, Pau).
  [/([aeiou])w$/, '$1u'],
  [/y/g, 'i'],
  [/ee/g, 'i'],
  [/oo/g, 'u'],
  // Thai อร "orn", Khmer "ear": an r after a vowel, before a consonant or at the end, is not spoken.
  [/([aeiou])r(?=[^aeiou]|$)/g, '$1'],
  [/([aeiou])h$/, '$1'],
  [/(.)\1+/g, '$1'],
  // Thai finals are written two ways on passports: ล as l or n (Kamol / Kamon, Noppadol / Noppadon),
  // ด as d, dh or t, ง as ng or nk, and so on: one sound each.
  [/n(g?)k$/, 'ng'],
  [/l$/, 'n'],
  [/d$/, 't'],
  [/(?<!n)g$/, 'k'],
  [/b$/, 'p'],
  // Khmer ច at the end is written ch or t (Sreynich, Sreynit).
  [/c$/, 't'],
];

/**
 * A given name as its ending is judged. Twenty replacements per word, asked for both names of every
 * pair of given names compared: remembered, as a three-word name against 200 candidates spent most of
 * its scoring here (bench/README.md, session 29).
 */
export const endingForm: (word: string) => string = boundedMemo(
  'ending-forms',
  (word) => {
    let folded = word;
    for (const [pattern, replacement] of ENDING_FOLDS) folded = folded.replace(pattern, replacement);
    return folded;
  },
  512 * 1024,
);

const VOWEL = /[aeiou]/;
// Vowel letters of one syllable that romanisations of Thai and Khmer write: anything else is a slip.
const NUCLEI = new Set(
  'a e i o u ae ai ao au ea eo eu ia ie io iu oa oe oi ou ua ue ui uo uea uai oei iao ieu'.split(' '),
);
// Vowels that romanisations of one Thai or Khmer vowel alternate between (Sophal / Sophol, Bopha /
// Bupha, Sophea / Sophia, Prasert / Prasoet, Vichet / Vichit, Sopheak / Sophak): the same name.
const SAME_VOWEL = new Set(
  'a|o o|u u|ou au|ou e|i a|ea e|ea ea|ia ea|ie e|ae e|oe ue|eu u|ue u|eu o|eo ua|uea ai|ei i|ie'.split(' '),
);
const sameVowel = (a: string, b: string) =>
  a === b || SAME_VOWEL.has(`${a}|${b}`) || SAME_VOWEL.has(`${b}|${a}`);

const isSwap = (a: string, b: string) => {
  if (a.length !== b.length) return false;
  const at = [...a].findIndex((char, i) => char !== b[i]);
  return at >= 0 && a[at] === b[at + 1] && a[at + 1] === b[at] && a.slice(at + 2) === b.slice(at + 2);
};

/** Whether two spellings of a one-word given name end as two different names. */
export function endsAsAnotherName(first: string, second: string): boolean {
  if (isSwap(first, second)) return false;
  const a = endingForm(first);
  const b = endingForm(second);
  if (a === b) return false;
  let prefix = 0;
  while (prefix < a.length && a[prefix] === b[prefix]) prefix++;
  // Apart from the first syllable on: not this rule's to judge.
  if (prefix < 3) return false;
  let suffix = 0;
  while (
    suffix < Math.min(a.length, b.length) - prefix &&
    a[a.length - 1 - suffix] === b[b.length - 1 - suffix]
  ) {
    suffix++;
  }
  const chunkA = a.slice(prefix, a.length - suffix);
  const chunkB = b.slice(prefix, b.length - suffix);
  const added = chunkA || chunkB;
  // Whether what differs lies in the last syllable: only its vowels and final consonants follow.
  const inLastSyllable = /^[aeiou]*[^aeiou]*$/.test(a.slice(a.length - suffix));
  if (!chunkA || !chunkB) {
    // A whole syllable added (a vowel and a consonant), or a final consonant added at the end.
    if (VOWEL.test(added) && /[^aeiou]/.test(added)) return true;
    if (!VOWEL.test(added)) return suffix === 0;
    return inLastSyllable && lastVowelsDiffer(a, b);
  }
  const consonantsA = chunkA.replace(/[aeiou]/g, '');
  const consonantsB = chunkB.replace(/[aeiou]/g, '');
  // Another final consonant.
  if (suffix === 0 && consonantsA !== consonantsB && (consonantsA || consonantsB)) return true;
  // Another vowel in the last syllable.
  return !consonantsA && !consonantsB && inLastSyllable && lastVowelsDiffer(a, b);
}

function lastVowelsDiffer(a: string, b: string): boolean {
  const nucleusA = lastNucleus(a);
  const nucleusB = lastNucleus(b);
  return NUCLEI.has(nucleusA) && NUCLEI.has(nucleusB) && !sameVowel(nucleusA, nucleusB);
}

const lastNucleus = (form: string) => /([aeiou]+)[^aeiou]*$/.exec(form)?.[1] ?? '';

/**
 * Given names (words separated by spaces) that end as two different names: compared word by word
 * when they have as many words and only one pair differs, else whole.
 */
export function givenNamesEndApart(query: string, entry: string): boolean {
  const queryWords = query.split(' ');
  const entryWords = entry.split(' ');
  if (queryWords.length === entryWords.length && queryWords.length > 1) {
    const differing = queryWords
      .map((word, i) => [word, entryWords[i]!] as const)
      .filter(([a, b]) => endingForm(a) !== endingForm(b));
    return differing.length === 1 && endsAsAnotherName(differing[0]![0], differing[0]![1]);
  }
  return endsAsAnotherName(queryWords.join(''), entryWords.join(''));
}
