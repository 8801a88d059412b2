import { distance } from 'fastest-levenshtein';
import { romanisationKey } from './romanisation-variants';

/**
 * Malay names are mostly Arabic names in Malay spelling, and they vary in a few known ways only:
 * doubled letters (Hassan / Hasan, Abdullah / Abdulah), q for k (Qadir / Kadir), kh for h
 * (Khairul / Hairul), the vowels e/i and o/u (Hakeem / Hakim, Yusof / Yusuf, Hussein / Hussin),
 * y for i (Aisyah / Aysyah, Muniandy / Muniandi), a final h after a vowel (Aishah / Aisha), a final
 * p for f (Yusop / Yusof), th for t (Kavitha / Kavita). Folding those gives one form per name.
 * Two names whose forms still differ in more than one letter are two names (Hassan / Hussin,
 * Kadir / Karim, Azhar / Azmi, Zulkifli / Zulkarnain), and so are two that differ in their last
 * consonant (Hazim / Haziq, Farid / Faris): a father's name that is another valid name is another
 * father. Source of the spelling conventions: Malaysian National Registration Department naming
 * guidance and the "Malay names" article (Wikipedia), romanisation of Arabic names.
 */
const MALAY_FOLDS: ReadonlyArray<[RegExp, string]> = [
  [/q/g, 'k'],
  [/kh/g, 'h'],
  [/dh/g, 'd'],
  [/th/g, 't'],
  [/ph/g, 'f'],
  [/y/g, 'i'],
  [/e/g, 'i'],
  [/o/g, 'u'],
  [/(.)\1+/g, '$1'],
  [/h$/, ''],
  [/p$/, 'f'],
];

/** One spelling of a Malay name word or words (joined: Abu Bakar and Abubakar are one name). */
export function malaySpelling(joinedKeys: string): string {
  let folded = joinedKeys;
  for (const [pattern, replacement] of MALAY_FOLDS) folded = folded.replace(pattern, replacement);
  return folded;
}

export function malayForm(words: readonly string[]): string {
  return malaySpelling(words.map(romanisationKey).join(''));
}

// Final consonants that stand for one sound class: a slip between two of a class (Subramaniam /
// Subramanian) keeps the name; between classes (Hazim / Haziq, Farid / Faris) it makes another.
const FINAL_CLASS: Readonly<Record<string, string>> = { m: 'nasal', n: 'nasal', g: 'nasal' };
const finalConsonant = (form: string) => /[^aiu]*$/.exec(form)![0];
const finalClass = (form: string) => {
  const final = finalConsonant(form);
  return final.length ? (FINAL_CLASS[final.slice(-1)] ?? final) : '';
};

export type MalayVerdict = 'same' | 'slip' | 'truncated' | 'another-name';

/**
 * How two Malay names (own names or fathers' names, as words) compare: the same name in another
 * spelling, one slip of the keyboard or the scanner that makes no other name, cut short at the end
 * of a machine-readable zone, or another name.
 */
export function compareMalayNames(
  query: readonly string[],
  entry: readonly string[],
  lastOfName: boolean,
): MalayVerdict {
  return malayVerdict(query, entry, lastOfName);
}

function malayVerdict(query: readonly string[], entry: readonly string[], lastOfName: boolean): MalayVerdict {
  const a = malayForm(query);
  const b = malayForm(entry);
  if (a === b) return 'same';
  // A machine-readable zone cuts a long name at its field's end (ZULKARNA for Zulkarnain).
  const [shorter, longer] = a.length < b.length ? [a, b] : [b, a];
  if (lastOfName && shorter.length >= 6 && longer.startsWith(shorter)) return 'truncated';
  const spelledA = query.map(romanisationKey).join('');
  const spelledB = entry.map(romanisationKey).join('');
  if (!oneSlipApart(a, b) && !oneSlipApart(spelledA, spelledB)) return 'another-name';
  // A letter left out or added is a slip (FAIZL, HASSA, ANA for Aina).
  if (a.length !== b.length) return shorter.length >= 3 ? 'slip' : 'another-name';
  // One letter for another in a short name, or one final consonant for another, makes a name.
  if (shorter.length < 4 || isTransposition(a, b)) return shorter.length < 4 ? 'another-name' : 'slip';
  return finalClass(a) === finalClass(b) ? 'slip' : 'another-name';
}

/** One letter apart, or two neighbours swapped. */
export function oneSlipApart(a: string, b: string): boolean {
  return Math.abs(a.length - b.length) <= 1 && (distance(a, b) <= 1 || isTransposition(a, b));
}

function isTransposition(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  const differing = [...a].map((char, i) => (char === b[i] ? -1 : i)).filter((i) => i >= 0);
  return (
    differing.length === 2 &&
    differing[1] === differing[0]! + 1 &&
    a[differing[0]!] === b[differing[1]!] &&
    a[differing[1]!] === b[differing[0]!]
  );
}
