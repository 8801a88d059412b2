import { pairCache } from './bounded-memo';
import {
  PART_ID_RANGE,
  partForms,
  type NameReading,
  type PartForms,
  type PreparedName,
} from './prepared-name';
import { comparePatronymicNames } from './compare-patronymics';
import { sameChineseSurname } from './chinese-surnames';
import { compareGivenSyllables, nameSyllables } from './given-name-syllables';
import {
  hasSyllabicGivenNames,
  isKhmerSurname,
  isKnownSurname,
  isVietnameseFamilyName,
  isVietnameseSurname,
} from './name-origins';
import { isListedVariant } from './romanisation-variants';
import { distance } from 'fastest-levenshtein';
import { endingForm, givenNamesEndApart } from './name-endings';
import { differInMarks, isVietnameseWord } from './native-forms';
import { isTypo, jaroWinklerSimilarity } from './string-similarity';

export type PartMatchLevel =
  | 'exact'
  | 'variant'
  | 'dialect'
  | 'phonetic'
  | 'typo'
  | 'initial'
  | 'different'
  | 'another-name'
  | 'another-name-or-slip';

export interface PartComparison {
  level: PartMatchLevel;
  /** 0 to 1. */
  similarity: number;
}

/** The outcome of comparing two names; {@link nameReasons} puts it in words when it is worth reading. */
export interface NameComparison {
  /** 0 to 1. */
  score: number;
  query: PreparedName;
  entry: PreparedName;
  /** Set when the whole name is the same, in written order (0) or rotated. */
  exactRotation: number | null;
  best: ReadingComparison | null;
  /** Set when the names were compared as own name + father's name (Malay patronymics). */
  patronymic?: { reasons: string[] };
  /** Set when the names are alike but written apart where it counts: why they are two names. */
  anotherName?: string;
}

// How much each level is worth: a listed romanisation is nearly as good as the same spelling; a
// phonetic or typing resemblance is good evidence but produces look-alikes; an initial is weak.
const LEVEL_SIMILARITY = { exact: 1, variant: 0.95, dialect: 0.93, phonetic: 0.88, initial: 0.6 } as const;
const FAMILY_WEIGHT = 0.5;
const GIVEN_WEIGHT = 0.5;
// When only one side has given names, the family name alone says little (a quarter of Koreans are Kims).
const FAMILY_ONLY_FACTOR = 0.75;
// A different valid given name is another person: it weighs less than an unrelated spelling would.
const ANOTHER_NAME_SIMILARITY = 0;
/**
 * What a name that resembles another but is written apart where it counts is worth (the same family
 * name with another given name): below any alert, whatever the date of birth says.
 */
export const ANOTHER_NAME_SCORE = FAMILY_WEIGHT + GIVEN_WEIGHT * ANOTHER_NAME_SIMILARITY;

const LEVEL_WORDS: Record<PartMatchLevel, string> = {
  exact: 'exact',
  variant: 'romanisation variant',
  dialect: 'dialect spelling of the same Chinese surname',
  phonetic: 'phonetic match',
  typo: 'spelling close (typo)',
  initial: 'initial matches',
  different: 'differs',
  'another-name': 'differs (another valid name, not a typo)',
  'another-name-or-slip':
    'one letter apart, making another valid name (a slip only if the date of birth agrees)',
};

function matchesAsInitials(initials: PartForms, full: PartForms): boolean {
  return initials.initialsOnly && (initials.plain === full.initials || initials.plain[0] === full.plain[0]);
}

function soundsAlike(a: PartForms, b: PartForms, jaroWinkler: number): boolean {
  if (a.loose === b.loose) return true;
  // Double Metaphone alone hears too much alike ("Zhang" and "Jung"): the spelling must agree too.
  if (jaroWinkler >= 0.8 && a.phonetic.some((code) => b.phonetic.includes(code))) return true;
  // Same consonants, vowels apart: the usual gap between transliterations of one Asian name.
  const minimumSimilarity = a.skeleton.length >= 4 ? 0.6 : 0.75;
  return a.skeleton.length >= 3 && a.skeleton === b.skeleton && jaroWinkler >= minimumSimilarity;
}

/** How alike two family names, or two sets of given names, are. */
export function compareParts(a: PartForms, b: PartForms): PartComparison {
  if (a.plain === b.plain) return { level: 'exact', similarity: LEVEL_SIMILARITY.exact };
  if (a.variant === b.variant) return { level: 'variant', similarity: LEVEL_SIMILARITY.variant };
  // One query part meets the same entry parts (surnames above all) again and again: remember those
  // comparisons, in a cache bounded by bytes (holding keys, not the parts, so nothing else is kept alive).
  const key = a.id * PART_ID_RANGE + b.id;
  let comparison = rememberedComparisons.get(key);
  if (!comparison) {
    comparison = compareDifferentParts(a, b);
    rememberedComparisons.set(key, comparison);
  }
  return comparison;
}

// 7 MB: the Malay rules' own caches (patronymic readings, loose parses) take room from the eighth, so
// that all the engine's caches stay within the 50 MB bounded-work.spec.ts holds them to.
const rememberedComparisons = pairCache<PartComparison>('part-comparisons', 7 * 1024 * 1024);

function compareDifferentParts(a: PartForms, b: PartForms): PartComparison {
  if (matchesAsInitials(a, b) || matchesAsInitials(b, a)) {
    return { level: 'initial', similarity: LEVEL_SIMILARITY.initial };
  }
  const [spokenA, spokenB] = [withoutSilentFinalR(a.key), withoutSilentFinalR(b.key)];
  if (spokenA !== a.key || spokenB !== b.key)
    return compareParts(partForms(spokenA.split(' ')), partForms(spokenB.split(' ')));
  const jaroWinkler = jaroWinklerSimilarity(a.variant, b.variant);
  if (soundsAlike(a, b, jaroWinkler)) return { level: 'phonetic', similarity: LEVEL_SIMILARITY.phonetic };
  if (isTypo(a.variant, b.variant) || jaroWinkler >= 0.9 || readAlikeByOcr(a.plain, b.plain)) {
    return { level: 'typo', similarity: Math.max(0.8, Math.min(0.87, 0.75 + 0.12 * jaroWinkler)) };
  }
  return { level: 'different', similarity: 0.6 * jaroWinkler };
}

/**
 * UNGEGN's romanisation of Khmer writes a final consonant's subscript r, which is not spoken and which
 * passports leave out: Péchr / PICH, Vichĕtr / VICHET, Chandr / CHAN.
 */
function withoutSilentFinalR(key: string): string {
  return key.replace(/(?<=[aeiou][bcdgkpt]h?)r\b/g, '');
}

/**
 * OCR of a machine-readable zone reads m as rn (YIM as YIRN, PERUMAL as PERURNAL): one slip of the
 * reader, however short the name, so as close as a typing slip. (Digits read for letters are undone
 * earlier, in normalise-name.ts.)
 */
export function readAlikeByOcr(a: string, b: string): boolean {
  return a.replace(/rn/g, 'm') === b.replace(/rn/g, 'm');
}

function transliterationReason(query: PreparedName, entry: PreparedName): string[] {
  const script = entry.script !== 'latin' ? entry.script : query.script;
  if (script === 'latin' || query.script === entry.script) return [];
  return [`name transliterated from ${script} matches`];
}

export interface ReadingComparison {
  score: number;
  family: PartComparison;
  given: PartComparison | null;
  /** Whether one side has given names and the other has none. */
  givenMissing: boolean;
  swapped: boolean;
  /** How the given names were lined up, when not word for word (a Vietnamese middle name). */
  givenNote?: string;
}

/**
 * Given names compared as parts, then, in the Thai, Khmer and other traditions, by how they end
 * (name-endings.ts), and in the Korean, Chinese and Vietnamese traditions (read from
 * the family names, and never when either is a Khmer surname), syllable by syllable.
 */
function compareGivenNames(query: NameReading, entry: NameReading, writtenInHan = false): PartComparison {
  const comparison = compareParts(query.given!, entry.given!);
  if (comparison.level === 'exact' || comparison.level === 'variant') return comparison;
  const families = [query.family.plain, entry.family.plain];
  // A name written in Han characters on either side is Chinese, whatever its romanised surname
  // shares with Khmer ones (陈 Chan).
  if (!writtenInHan && (families.some(isKhmerSurname) || !families.some(hasSyllabicGivenNames))) {
    // Thai, Khmer and other given names written as one word: another ending is another name.
    if (!givenNamesEndApart(query.given!.key, entry.given!.key)) return comparison;
    return anotherName(endingForm(query.given!.plain), endingForm(entry.given!.plain));
  }
  const verdict = compareGivenSyllables(query.given!, entry.given!);
  if (verdict === 'another-name') return anotherName(query.given!.plain, entry.given!.plain);
  if (verdict === 'same') return { level: 'variant', similarity: LEVEL_SIMILARITY.variant };
  // Neither given name reads as name syllables: not a Korean, Chinese or Vietnamese one after all
  // (LIM Vanna is Khmer: Lim is a Khmer surname too), so judged by how it ends.
  const unreadable = [query.given!, entry.given!].every((given) => nameSyllables(given.key).length === 0);
  if (unreadable && givenNamesEndApart(query.given!.key, entry.given!.key)) {
    return anotherName(endingForm(query.given!.plain), endingForm(entry.given!.plain));
  }
  return comparison;
}

// One letter apart, a valid name may still be a slip (Sophea typed Sopheap, Jun-ho typed Jumho): a
// date of birth that agrees in full decides for the slip; without it, it stays another name.
const ONE_LETTER_APART_SIMILARITY = 0.5;

function anotherName(a: string, b: string): PartComparison {
  return distance(a, b) === 1
    ? { level: 'another-name-or-slip', similarity: ONE_LETTER_APART_SIMILARITY }
    : { level: 'another-name', similarity: ANOTHER_NAME_SIMILARITY };
}

/** Family names compared as parts, and as the dialect spellings of one Chinese surname. */
function compareFamilyNames(query: PartForms, entry: PartForms, fromLatin: boolean): PartComparison {
  const comparison = compareParts(query, entry);
  if (comparison.similarity >= LEVEL_SIMILARITY.dialect) return comparison;
  if (sameChineseSurname(query.plain, entry.plain))
    return { level: 'dialect', similarity: LEVEL_SIMILARITY.dialect };
  // Two surnames that are both listed, and not as spellings of one another, are two families (Dang
  // and Duong, Leung and Lung, Jung and Jang), however alike they look; not judged when one side was
  // transliterated from Thai or Khmer script, whose letter-by-letter reading is rough (ជា is "cha").
  if (
    fromLatin &&
    comparison.level !== 'different' &&
    isListedSurname(query.plain) &&
    isListedSurname(entry.plain)
  ) {
    return anotherName(query.plain, entry.plain);
  }
  return comparison;
}

const isListedSurname = (family: string) => isListedVariant(family) || isKnownSurname(family);

function compareReadings(
  query: NameReading,
  entry: NameReading,
  vietnamese: boolean,
  fromLatin: boolean,
  writtenInHan: boolean,
): ReadingComparison {
  const family = compareFamilyNames(query.family, entry.family, fromLatin);
  const swapped = query.familyFirst !== entry.familyFirst;
  if (query.given && entry.given) {
    let given = compareGivenNames(query, entry, writtenInHan);
    let givenNote: string | undefined;
    const vietnameseName =
      vietnamese ||
      [query, entry].some((r) => isVietnameseSurname(r.family.plain) || hasVietnameseMiddleName(r));
    // Only worth lining up when the family names agree: otherwise the reading decides nothing.
    if (given.level !== 'exact' && vietnameseName && family.similarity >= LEVEL_SIMILARITY.phonetic) {
      const other = vietnameseGivenComparison(query, entry, swapped);
      if (other && other.comparison.similarity > given.similarity)
        ({ comparison: given, note: givenNote } = other);
    }
    const score = FAMILY_WEIGHT * family.similarity + GIVEN_WEIGHT * given.similarity;
    return { score, family, given, givenMissing: false, swapped, givenNote };
  }
  const givenMissing = query.given !== null || entry.given !== null;
  const score = givenMissing ? FAMILY_ONLY_FACTOR * family.similarity : family.similarity;
  return { score, family, given: null, givenMissing, swapped };
}

// A middle name left out costs a little: "Lan Nguyen" is most likely, not surely, Nguyễn Thị Lan.
const MIDDLE_NAME_MISSING_FACTOR = 0.92;

const withGiven = (reading: NameReading, words: readonly string[]): NameReading => ({
  ...reading,
  given: partForms(words),
});

/**
 * A Vietnamese name is family name, middle name(s), then the given name the person is called by
 * (Nguyễn Thị Lan). Abroad the middle name is often left out ("Lan Nguyen") and, written given name
 * first, the called name moves to the front ("Hanh Thi Quach" for Quách Thị Hạnh). Compared so, the
 * given names may agree where word by word they do not; only the called name must always be there.
 */
function vietnameseGivenComparison(
  query: NameReading,
  entry: NameReading,
  swapped: boolean,
): { comparison: PartComparison; note: string } | null {
  const queryWords = query.given!.key.split(' ');
  const entryWords = entry.given!.key.split(' ');
  if (queryWords.length !== entryWords.length) {
    // The shorter one is the longer one's last words: the middle names are left out.
    const [shorter, longer] = queryWords.length < entryWords.length ? [query, entry] : [entry, query];
    const kept = (shorter === query ? queryWords : entryWords).length;
    const longerWords = longer === query ? queryWords : entryWords;
    const calledName = withGiven(longer, longerWords.slice(-kept));
    const comparison =
      shorter === query ? compareGivenNames(query, calledName) : compareGivenNames(calledName, entry);
    if (['different', 'another-name', 'another-name-or-slip'].includes(comparison.level)) return null;
    return {
      comparison: { ...comparison, similarity: comparison.similarity * MIDDLE_NAME_MISSING_FACTOR },
      note: 'middle name missing on one side',
    };
  }
  if (!swapped || queryWords.length < 2) return null;
  // Written given name first, the called name (last in Vietnamese order) comes first.
  const [familyFirst, givenFirst] = query.familyFirst ? [query, entry] : [entry, query];
  const words = familyFirst === query ? queryWords : entryWords;
  const moved = withGiven(familyFirst, [...words.slice(-1), ...words.slice(0, -1)]);
  const comparison =
    familyFirst === query ? compareGivenNames(moved, givenFirst) : compareGivenNames(givenFirst, moved);
  if (['different', 'another-name', 'another-name-or-slip'].includes(comparison.level)) return null;
  return { comparison, note: 'called name written first, before the middle name' };
}

function readingReasons(best: ReadingComparison): string[] {
  const reasons = [`family name ${LEVEL_WORDS[best.family.level]}`];
  if (best.given) {
    reasons.push(`given name ${LEVEL_WORDS[best.given.level]}`);
    // Only worth saying when the names resemble each other in that order.
    if (best.swapped && best.family.level !== 'different' && best.given.level !== 'different') {
      reasons.push('given and family names in swapped order');
    }
  }
  if (best.givenMissing) reasons.push('given name missing on one side');
  if (best.givenNote) reasons.push(best.givenNote);
  return reasons;
}

/** Why two names were found alike, or not, in a screener's words. */
export function nameReasons(comparison: NameComparison): string[] {
  const { query, entry, exactRotation, best } = comparison;
  if (comparison.anotherName) return [comparison.anotherName];
  if (comparison.patronymic) return comparison.patronymic.reasons;
  if (exactRotation !== null) {
    const reasons = ['full name exact after normalisation'];
    if (exactRotation > 0) reasons.push('given and family names in swapped order');
    return [...reasons, ...transliterationReason(query, entry)];
  }
  if (!best) return [];
  const reasons = readingReasons(best);
  if (best.score >= 0.7) reasons.push(...transliterationReason(query, entry));
  return reasons;
}

const writtenVietnamese = (name: PreparedName) => name.marked?.some(isVietnameseWord) ?? false;

/**
 * A Vietnamese name (written with its diacritics, or a Vietnamese national's) says which end is the
 * family name by its surnames: Quách Thị Hạnh is family name first, Minh Trần family name last; a
 * reading that puts a given name in the family name's place is not tried. A name typed whole may have
 * been read the other way by a surname of another country at its other end (Son in "DUONG SON" is a
 * Korean one): it is then read as its Vietnamese surname says.
 */
function vietnameseOrder(name: PreparedName, vietnamese: boolean): readonly NameReading[] {
  if (!vietnamese || name.words.length < 2) return name.readings;
  const first = isVietnameseFamilyName(name.words[0]!);
  const last = isVietnameseFamilyName(name.words[name.words.length - 1]!);
  if (first === last) return name.readings;
  const kept = name.readings.filter((reading) => reading.familyFirst === first);
  if (kept.length || name.familyWritten) return kept.length ? kept : name.readings;
  const [family, given] = first
    ? [name.words.slice(0, 1), name.words.slice(1)]
    : [name.words.slice(-1), name.words.slice(0, -1)];
  return [{ family: partForms(family), given: partForms(given), familyFirst: first }];
}

// Thị and Văn, the commonest middle names, mark a name as Vietnamese whatever its family name.
const VIETNAMESE_MIDDLE_NAME = /(^| )(thi|van)( |$)/;
const hasVietnameseMiddleName = (reading: NameReading) =>
  reading.given !== null && VIETNAMESE_MIDDLE_NAME.test(reading.given.key);

/**
 * How alike a query name and an entry name are, trying every reading of which words are the family
 * name, so that family-first and given-first spellings of one person meet.
 */
export function compareNames(
  query: PreparedName,
  entry: PreparedName,
  /** Whether the person is known to be Vietnamese (a nationality), whatever the names' spelling. */
  vietnamesePerson = false,
): NameComparison {
  const comparison = compareNamesAsSpelled(query, entry, vietnamesePerson);
  if (
    comparison.score > ANOTHER_NAME_SCORE &&
    query.marked &&
    entry.marked &&
    differInMarks(query.marked, entry.marked)
  ) {
    return {
      ...comparison,
      score: ANOTHER_NAME_SCORE,
      anotherName: 'same letters, other diacritics: another name',
    };
  }
  return comparison;
}

function compareNamesAsSpelled(
  query: PreparedName,
  entry: PreparedName,
  vietnamesePerson: boolean,
): NameComparison {
  if (query.words.length === 0 || entry.words.length === 0) {
    return { score: 0, query, entry, exactRotation: null, best: null };
  }
  // Before the rotation check: "Ismail bin Ahmad" has the words of "Ahmad bin Ismail" in another order.
  const patronymic = comparePatronymicNames(query.written, entry.written);
  if (patronymic) {
    return { score: patronymic.score, query, entry, exactRotation: null, best: null, patronymic };
  }
  const rotation = query.joinedRotations.indexOf(entry.joined);
  if (rotation >= 0) return { score: 1, query, entry, exactRotation: rotation, best: null };

  const queryVietnamese = vietnamesePerson || writtenVietnamese(query);
  const entryVietnamese = vietnamesePerson || writtenVietnamese(entry);
  const vietnamese = queryVietnamese || entryVietnamese;
  const fromLatin = ![query.script, entry.script].some((script) => script === 'thai' || script === 'khmer');
  const writtenInHan = query.script === 'han' || entry.script === 'han';
  let best: ReadingComparison | null = null;
  for (const queryReading of [...vietnameseOrder(query, queryVietnamese), ...query.extraReadings]) {
    for (const entryReading of [...vietnameseOrder(entry, entryVietnamese), ...entry.extraReadings]) {
      const comparison = compareReadings(queryReading, entryReading, vietnamese, fromLatin, writtenInHan);
      if (!best || comparison.score > best.score) best = comparison;
    }
  }
  return { score: best?.score ?? 0, query, entry, exactRotation: null, best };
}

const ANOTHER_NAME_LEVELS: ReadonlySet<PartMatchLevel> = new Set(['another-name', 'another-name-or-slip']);

/** Whether a comparison found the names to be two different valid names (not merely unlike). */
export function saysAnotherName(comparison: NameComparison): boolean {
  if (comparison.anotherName) return true;
  if (comparison.patronymic)
    return comparison.patronymic.reasons.some((reason) => reason.includes('another person'));
  const best = comparison.best;
  return (
    !!best &&
    (ANOTHER_NAME_LEVELS.has(best.family.level) ||
      (!!best.given && ANOTHER_NAME_LEVELS.has(best.given.level)))
  );
}
