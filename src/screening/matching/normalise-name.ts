import { boundedMemo } from './bounded-memo';
import { detectScript } from './script';
import { transliterateToLatin } from './transliterate';

// Words that join a Malay or Tamil given name to the father's name ("Ahmad bin Ismail", "Raj a/l Kumar");
// they are often left out on one document and written on another, so they never decide a match.
const PATRONYMIC_CONNECTORS = new Set(['bin', 'binti', 'binte', 'bte', 'bt', 'al', 'ap']);

/**
 * A name reduced to lowercase ASCII words separated by single spaces: transliterated from any script,
 * without accents, punctuation or patronymic connectors, and with hyphenated parts joined
 * ("KIM Min-jun" and "kim minjun" both give "kim minjun"; "김민준" gives "gim minjun").
 * Word order is kept: comparing orders is the matcher's job.
 */
export function normaliseName(name: string): string {
  return normalisedWords(name).join(' ');
}

/** The words of {@link normaliseName}. The array is shared between callers: never change it. */
export const normalisedWords: (name: string) => readonly string[] = boundedMemo((name: string) => {
  const latin = transliterateToLatin(name, detectScript(name))
    .toLowerCase()
    .replace(/\b([ab])\s*\/\s*([lp])\b/g, '$1$2')
    .replace(/['`’-]/g, '');
  return latin.split(/[^a-z]+/).filter((word) => word.length > 0 && !PATRONYMIC_CONNECTORS.has(word));
});
