import { boundedMemo, byteBoundedCache } from './bounded-memo';
import { isChineseSurname } from './chinese-surnames';
import type { NameScript, PersonName, QueryName } from './matching.types';
import { normalisedWords } from './normalise-name';
import { consonantSkeletonOfLoose, looseForm, phoneticCodesOfWords } from './phonetic';
import { isListedSurname, romanisationKey } from './romanisation-variants';
import { detectScript } from '../../common/text/name-script';
import { markedWords, nativeForm, withoutThaiTitle, type MarkedWord } from './native-forms';
import { romaniseThai } from './thai-romanisation';
import { cantoneseSyllables } from './cantonese';

/** Every comparable form of one name part (a family name, or all given names written together). */
export interface PartForms {
  /** The normalised words with single spaces: identifies the part. */
  key: string;
  /** A small number naming this part while it is cached, so comparisons can be remembered by pair. */
  id: number;
  /** Normalised words joined without spaces, so "Min Jun" and "Min-jun" agree. */
  plain: string;
  /** Each word folded to its romanisation key, then joined. */
  variant: string;
  loose: string;
  skeleton: string;
  phonetic: string[];
  /** First letters of the words ("mj" for "Min Jun"). */
  initials: string;
  /** Whether every word is a single letter, as in "M. J." */
  initialsOnly: boolean;
}

/** One reading of which words are the family name. */
export interface NameReading {
  family: PartForms;
  given: PartForms | null;
  /** Whether the family name is written before the given names in the original. */
  familyFirst: boolean;
}

export interface PreparedName {
  /** The name as written, for the screener. */
  written: string;
  script: NameScript;
  words: readonly string[];
  /** The words joined without spaces. */
  joined: string;
  /** Word order variants of the whole name joined, for a check that ignores order and spacing. */
  joinedRotations: string[];
  readings: NameReading[];
  /** Whether the family name was written apart; if not, the readings are guesses from the words' order. */
  familyWritten: boolean;
  /**
   * The name in its own script, when that is Hangul, Thai, Khmer or Han: the letters without spaces or
   * titles (Han as the reading of each character, so traditional and simplified forms agree). A native
   * script writes a person's name one way, so two different native forms are two names.
   */
  native: string | null;
  /**
   * Readings beside the engine's own: a Thai-script name romanised by RTGS with its unwritten vowels
   * (thai-romanisation.ts), beside any-ascii's letter-by-letter ones; a Chinese name written after an
   * English given name (Michelle Teo Bee Leng) read without it; these two are compared but never
   * indexed. A name in Han characters read in Cantonese (cantonese.ts), which is indexed too
   * (search-keys.ts): Hong Kong and Malaysian passports write it so.
   */
  extraReadings: NameReading[];
  /** The words with their diacritics, when the name is in Latin letters and carries some (Vietnamese). */
  marked: readonly MarkedWord[] | null;
}

// Scripts whose names are written family name first; a name recorded in them is read that way only.
const FAMILY_FIRST_SCRIPTS: ReadonlySet<NameScript> = new Set(['hangul', 'han', 'khmer']);

// Ids wrap after 2^26 parts; pair keys (id × 2^26 + id) stay exact integers. A part lives in the
// caches for far fewer creations than that, so a wrapped id never meets a stale pair.
export const PART_ID_RANGE = 2 ** 26;
let nextPartId = 0;

const partFormsOfJoinedWords = boundedMemo('part-forms', (spacedWords: string): PartForms => {
  const words = spacedWords.split(' ');
  const variant = words.map(romanisationKey).join('');
  const loose = looseForm(variant);
  return {
    key: spacedWords,
    id: (nextPartId = (nextPartId + 1) % PART_ID_RANGE),
    plain: words.join(''),
    variant,
    loose,
    skeleton: consonantSkeletonOfLoose(loose),
    phonetic: phoneticCodesOfWords(words.map(romanisationKey)),
    initials: words.map((word) => word.charAt(0)).join(''),
    initialsOnly: words.every((word) => word.length === 1),
  };
});

/** The comparable forms of a family name or of given names; the result is shared, never change it. */
export function partForms(words: readonly string[]): PartForms {
  return partFormsOfJoinedWords(words.join(' '));
}

function rotations(words: readonly string[]): string[] {
  return words.map((_, start) => [...words.slice(start), ...words.slice(0, start)].join(''));
}

function readingOf(family: readonly string[], given: readonly string[], familyFirst: boolean): NameReading {
  return { family: partForms(family), given: given.length > 0 ? partForms(given) : null, familyFirst };
}

/**
 * Readings when only the full name is known: family name first, last, or both when unclear. A known
 * Asian surname at one end only ("Kim Minjun", "Minjun Kim") settles it.
 */
// A Chinese surname in dialect spelling (Ong, Teo, Leung) settles the order as a listed one does.
const isSurname = (word: string) => isListedSurname(word) || isChineseSurname(word);

function readingsOfFullName(words: readonly string[], script: NameScript): NameReading[] {
  if (words.length === 1) return [readingOf(words, [], true)];
  const familyFirst = readingOf(words.slice(0, 1), words.slice(1), true);
  const familyLast = readingOf(words.slice(-1), words.slice(0, -1), false);
  if (FAMILY_FIRST_SCRIPTS.has(script)) return [familyFirst];
  const firstIsSurname = isSurname(words[0]!);
  const lastIsSurname = isSurname(words[words.length - 1]!);
  if (firstIsSurname && !lastIsSurname) return [familyFirst];
  if (lastIsSurname && !firstIsSurname) return [familyLast];
  return [familyFirst, familyLast];
}

/**
 * Chinese Singaporeans, Malaysians and Hongkongers often write an English given name before the
 * Chinese name (Michelle Teo Bee Leng, MICHELLE TEO BEE LENG): when the second of three or more words
 * is a Chinese surname, the name is also read from it, family name first, without the English name.
 */
function chineseAfterEnglishName(words: readonly string[]): NameReading[] {
  if (words.length < 3 || !isChineseSurname(words[1]!) || isSurname(words[0]!)) return [];
  return [readingOf(words.slice(1, 2), words.slice(2), true)];
}

function romanisedThaiReadings(written: string): NameReading[] {
  const words = romaniseThai(withoutThaiTitle(written));
  // Thai writes the given name first, the family name last.
  if (words.length < 2) return words.length ? [readingOf(words, [], true)] : [];
  return [readingOf(words.slice(-1), words.slice(0, -1), false)];
}

/**
 * A name in Han characters read in Cantonese, as Hong Kong and Malaysian documents write it (陈家辉:
 * CHAN KA FAI), family name first: the family name given apart, or else the first character.
 */
function cantoneseReadings(
  written: string,
  family: string | undefined,
  given: string | undefined,
): NameReading[] {
  const han = written.replace(/\s+/g, '');
  const familyHan = family?.replace(/\s+/g, '') || han.slice(0, 1);
  const givenHan =
    given?.replace(/\s+/g, '') ?? (han.startsWith(familyHan) ? han.slice(familyHan.length) : '');
  const familySyllables = cantoneseSyllables(familyHan);
  const givenSyllables = givenHan ? cantoneseSyllables(givenHan) : [];
  if (!familySyllables || !givenSyllables) return [];
  return [readingOf([familySyllables.join('')], givenSyllables, true)];
}

function prepare(
  written: string,
  script: NameScript,
  family: string | undefined,
  given: string | undefined,
): PreparedName {
  const words = normalisedWords(written);
  const familyWords: readonly string[] = family ? normalisedWords(family) : [];
  let readings: NameReading[];
  if (familyWords.length > 0) {
    const givenWords = given ? normalisedWords(given) : words.filter((word) => !familyWords.includes(word));
    const familyFirst = words.length === 0 || words[0] === familyWords[0];
    readings = [readingOf(familyWords, givenWords, familyFirst)];
  } else {
    readings = words.length > 0 ? readingsOfFullName(words, script) : [];
  }
  return {
    written,
    script,
    words,
    joined: words.join(''),
    joinedRotations: rotations(words),
    readings,
    familyWritten: familyWords.length > 0,
    native: nativeForm(written, script),
    extraReadings:
      script === 'thai'
        ? romanisedThaiReadings(written)
        : script === 'han'
          ? cantoneseReadings(written, family, given)
          : family
            ? []
            : chineseAfterEnglishName(words),
    marked: script === 'latin' ? markedWords(written) : null,
  };
}

// Blacklist rows arrive fresh from the database for every screening; a name prepared once is reused.
// Bounded by bytes, the longest unused first out: a flood of distinct names typed at checkpoints
// evicts older names instead of growing the heap.
const preparedNames = byteBoundedCache<PreparedName>('prepared-names', 16 * 1024 * 1024);

function preparedName(full: string | undefined, family: string | undefined, given: string | undefined) {
  const written = full || [family, given].filter(Boolean).join(' ');
  const key = `${written}\u0000${family ?? ''}\u0000${given ?? ''}`;
  const found = preparedNames.get(key);
  if (found) return found;
  const prepared = prepare(written, detectScript(written), family, given);
  preparedNames.set(key, prepared);
  return prepared;
}

/** The comparable forms of a blacklist entry's name; shared between callers, never change it. */
export function prepareEntryName(name: PersonName): PreparedName {
  return preparedName(name.full, name.family, name.given);
}

/** The comparable forms of a name typed at the checkpoint; shared between callers, never change it. */
export function prepareQueryName(name: QueryName): PreparedName {
  return typeof name === 'string'
    ? preparedName(name, undefined, undefined)
    : preparedName(name.full, name.family, name.given);
}
