import { boundedMemo } from './bounded-memo';
import { detectScript } from '../../common/text/name-script';
import { withoutThaiTitle } from './native-forms';
import { transliterateToLatin, transliteratesPast } from './transliterate';

// Words that join a Malay or Tamil given name to the father's name ("Ahmad bin Ismail", "Raj a/l Kumar");
// they are often left out on one document and written on another, so they never decide a match.
const PATRONYMIC_CONNECTORS = new Set(['bin', 'binti', 'binte', 'bte', 'bt', 'al', 'ap']);

const NO_CONNECTORS: ReadonlySet<string> = new Set();

// ICAO 9303 names hold no digits, so a digit in a Latin-letter name is an OCR or typing slip of the
// letter it looks like (CH0I, K1M, 5OK, N6UYEN, 2HANG): read it as that letter rather than split the
// word on it. The pairs are OCR's usual confusions of the machine-readable zone's font (OCR-B).
export const DIGIT_READ_AS_LETTER: Readonly<Record<string, string>> = {
  '0': 'o',
  '1': 'i',
  '2': 'z',
  '5': 's',
  '6': 'g',
  '8': 'b',
};

/** The digits {@link DIGIT_READ_AS_LETTER} reads as letters. */
export const DIGITS_READ_AS_LETTERS = /[012568]/g;

/**
 * A name reduced to lowercase ASCII words separated by single spaces: transliterated from any script,
 * without accents, punctuation or patronymic connectors, and with hyphenated parts joined
 * ("KIM Min-jun" and "kim minjun" both give "kim minjun"; "김민준" gives "gim minjun").
 * Word order is kept: comparing orders is the matcher's job.
 */
export function normaliseName(name: string): string {
  return normalisedWords(name).join(' ');
}

/**
 * Caps on a name's prepared form, counted AFTER transliteration: a few characters can expand a lot
 * (U+FDFD is four Arabic words under NFKC, a Han character several Latin letters), so the length of
 * what was typed bounds nothing. The longest real names in the region stay well inside them
 * ("Muhammad Nur Hafiz bin Abdul Rahman", a Thai full name with its long surname); the word cap is
 * generous because digits in a record's name (read as letters where they look like one) split it.
 */
export const MAX_PREPARED_NAME_CHARS = 120;
export const MAX_PREPARED_NAME_WORDS = 24;

function wordsOf(name: string): string[] {
  const script = detectScript(name);
  const latin = transliterateToLatin(script === 'thai' ? withoutThaiTitle(name) : name, script)
    .toLowerCase()
    .replace(DIGITS_READ_AS_LETTERS, (digit) => (script === 'latin' ? DIGIT_READ_AS_LETTER[digit]! : digit))
    .replace(/\b([ab])\s*\/\s*([lp])\b/g, '$1$2')
    .replace(/['`’-]/g, '');
  // A connector stands between two names, in Latin letters: "Bin Minsu" and 빈민수 are the surname 빈.
  const connectors = script === 'latin' ? PATRONYMIC_CONNECTORS : NO_CONNECTORS;
  const words = latin
    .split(/[^a-z]+/)
    .filter((word) => word.length > 0)
    .filter((word, at) => at === 0 || !connectors.has(word));
  return script === 'latin' ? joinSaePrefix(withoutTitle(words)) : words;
}

// Courtesy titles typed before a name (Mr. Arthit Thongma, MRS NGUYEN THI LAN): never part of it.
const COURTESY_TITLES = new Set(['mr', 'mrs', 'ms', 'miss', 'mister', 'mstr', 'madam', 'mdm']);

function withoutTitle(words: string[]): string[] {
  return words.length > 2 && COURTESY_TITLES.has(words[0]!) ? words.slice(1) : words;
}

/**
 * Thai-Chinese surnames begin with แซ่ "Sae" (the Chinese surname's reading), written joined or apart
 * ("Saetang", "Sae Tang", MRZ "SAE<TANG"): joined, they are one family name.
 */
function joinSaePrefix(words: string[]): string[] {
  const at = words.indexOf('sae');
  if (at < 0 || at === words.length - 1) return words;
  return [...words.slice(0, at), `sae${words[at + 1]}`, ...words.slice(at + 2)];
}

function exceedsCaps(words: readonly string[]): boolean {
  return words.length > MAX_PREPARED_NAME_WORDS || words.join(' ').length > MAX_PREPARED_NAME_CHARS;
}

/**
 * The longest a name may be once NFKC-normalised: the limit every written full name already has
 * (`@MaxNormalisedLength(200)` beside `@IsPreparableName`), so this refuses no name that was accepted.
 * Past it the name is refused without being transliterated: 150 × U+FDFD (2,700 characters under NFKC)
 * was transliterated whole first, 0.25 ms a name, seconds for an import of thousands refused anyway.
 * NFKC itself is cheap (microseconds for those 2,700 characters); transliteration is not.
 */
export const MAX_NORMALISED_NAME_CHARS = 200;

/**
 * Whether the name is past the caps before it is prepared: longer than MAX_NORMALISED_NAME_CHARS under
 * NFKC, or more Latin letters than the prepared form may hold (each letter of the transliteration stays
 * in the prepared form of a name in those scripts, see `transliteratesPast`).
 */
function expandsPastCaps(name: string): boolean {
  return (
    name.normalize('NFKC').length > MAX_NORMALISED_NAME_CHARS ||
    transliteratesPast(name, detectScript(name), MAX_PREPARED_NAME_CHARS)
  );
}

/**
 * Why a name cannot be screened or stored, or null: its prepared form is past the caps. Not cached:
 * a name that is refused must leave nothing behind.
 */
export function preparedNameProblem(name: string): string | null {
  return expandsPastCaps(name) || exceedsCaps(wordsOf(name))
    ? `is too long once transliterated (at most ${MAX_PREPARED_NAME_WORDS} words and ${MAX_PREPARED_NAME_CHARS} letters)`
    : null;
}

/**
 * The words of {@link normaliseName}, cut to the caps (names are refused past them where they are
 * written, but rows stored before the caps existed must not cost more to score). The array is shared
 * between callers: never change it.
 */
export const normalisedWords: (name: string) => readonly string[] = boundedMemo(
  'normalised-words',
  (name) => {
    const words = wordsOf(name);
    if (!exceedsCaps(words)) return words;
    const capped: string[] = [];
    let length = -1;
    for (const word of words.slice(0, MAX_PREPARED_NAME_WORDS)) {
      if (length + 1 + word.length > MAX_PREPARED_NAME_CHARS) break;
      capped.push(word);
      length += 1 + word.length;
    }
    return capped.length ? capped : [words[0]!.slice(0, MAX_PREPARED_NAME_CHARS)];
  },
);
