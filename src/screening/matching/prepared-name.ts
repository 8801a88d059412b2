import type { NameScript, PersonName, QueryName } from './matching.types';
import { normalisedWords } from './normalise-name';
import { consonantSkeleton, looseForm, phoneticCodes } from './phonetic';
import { isListedVariant, romanisationKey } from './romanisation-variants';
import { detectScript } from './script';

/** Every comparable form of one name part (a family name, or all given names written together). */
export interface PartForms {
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
  words: string[];
  /** Word order variants of the whole name joined, for a check that ignores order and spacing. */
  joinedRotations: string[];
  readings: NameReading[];
}

// Scripts whose names are written family name first; a name recorded in them is read that way only.
const FAMILY_FIRST_SCRIPTS: ReadonlySet<NameScript> = new Set(['hangul', 'han', 'khmer']);

export function partForms(words: string[]): PartForms {
  const plain = words.join('');
  const variant = words.map(romanisationKey).join('');
  return {
    plain,
    variant,
    loose: looseForm(variant),
    skeleton: consonantSkeleton(variant),
    phonetic: phoneticCodes(variant),
    initials: words.map((word) => word.charAt(0)).join(''),
    initialsOnly: words.length > 0 && words.every((word) => word.length === 1),
  };
}

function rotations(words: string[]): string[] {
  return words.map((_, start) => [...words.slice(start), ...words.slice(0, start)].join(''));
}

function readingOf(family: string[], given: string[], familyFirst: boolean): NameReading {
  return { family: partForms(family), given: given.length > 0 ? partForms(given) : null, familyFirst };
}

/**
 * Readings when only the full name is known: family name first, last, or both when unclear. A known
 * Asian surname at one end only ("Kim Minjun", "Minjun Kim") settles it.
 */
function readingsOfFullName(words: string[], script: NameScript): NameReading[] {
  if (words.length === 1) return [readingOf(words, [], true)];
  const familyFirst = readingOf(words.slice(0, 1), words.slice(1), true);
  const familyLast = readingOf(words.slice(-1), words.slice(0, -1), false);
  if (FAMILY_FIRST_SCRIPTS.has(script)) return [familyFirst];
  const firstIsSurname = isListedVariant(words[0]);
  const lastIsSurname = isListedVariant(words[words.length - 1]);
  if (firstIsSurname && !lastIsSurname) return [familyFirst];
  if (lastIsSurname && !firstIsSurname) return [familyLast];
  return [familyFirst, familyLast];
}

function prepare(
  written: string,
  script: NameScript,
  family: string | undefined,
  given: string | undefined,
): PreparedName {
  const words = normalisedWords(written);
  const familyWords = family ? normalisedWords(family) : [];
  let readings: NameReading[];
  if (familyWords.length > 0) {
    const givenWords = given ? normalisedWords(given) : words.filter((word) => !familyWords.includes(word));
    const familyFirst = words.length === 0 || words[0] === familyWords[0];
    readings = [readingOf(familyWords, givenWords, familyFirst)];
  } else {
    readings = words.length > 0 ? readingsOfFullName(words, script) : [];
  }
  return { written, script, words, joinedRotations: rotations(words), readings };
}

export function prepareEntryName(name: PersonName): PreparedName {
  const written = name.full || [name.family, name.given].filter(Boolean).join(' ');
  return prepare(written, detectScript(written), name.family, name.given);
}

export function prepareQueryName(name: QueryName): PreparedName {
  if (typeof name === 'string') return prepare(name, detectScript(name), undefined, undefined);
  const written = name.full || [name.family, name.given].filter(Boolean).join(' ');
  return prepare(written, detectScript(written), name.family, name.given);
}
