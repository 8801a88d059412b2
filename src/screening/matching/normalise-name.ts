import { boundedMemo } from './bounded-memo';
import { detectScript } from './script';
import { transliterateToLatin } from './transliterate';

// Words that join a Malay or Tamil given name to the father's name ("Ahmad bin Ismail", "Raj a/l Kumar");
// they are often left out on one document and written on another, so they never decide a match.
const PATRONYMIC_CONNECTORS = new Set(['bin', 'binti', 'binte', 'bte', 'bt', 'al', 'ap']);

const NO_CONNECTORS: ReadonlySet<string> = new Set();

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
  const script = detectScript(name);
  const latin = transliterateToLatin(name, script)
    .toLowerCase()
    .replace(/\b([ab])\s*\/\s*([lp])\b/g, '$1$2')
    .replace(/['`’-]/g, '');
  // A connector stands between two names, in Latin letters: "Bin Minsu" and 빈민수 are the surname 빈.
  const connectors = script === 'latin' ? PATRONYMIC_CONNECTORS : NO_CONNECTORS;
  return latin
    .split(/[^a-z]+/)
    .filter((word) => word.length > 0)
    .filter((word, at) => at === 0 || !connectors.has(word));
});
