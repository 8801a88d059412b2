import { distance } from 'fastest-levenshtein';
import type { PersonName, QueryName } from './matching.types';
import { chineseSurnameReadings } from './chinese-surnames';
import { consonantSkeleton, consonantSkeletonOfLoose, looseForm, phoneticCodes } from './phonetic';
import {
  partForms,
  prepareEntryName,
  prepareQueryName,
  type NameReading,
  type PartForms,
  type PreparedName,
} from './prepared-name';
import { romanisationKey } from './romanisation-variants';

export interface SearchKeys {
  /** {@link normaliseName} of the name: index it with pg_trgm for typo-tolerant search. */
  normalised: string;
  /**
   * Exact-match keys, each prefixed by its kind so kinds never collide: `w:` normalised word,
   * `v:` romanisation key, `p:` Double Metaphone code, `s:` consonant skeleton, `j:` the whole name
   * joined without spaces in each word rotation, `f:` the family name with the given names' first
   * letter, `g:` the given names with the family name's first letter, and `e:` the family name with
   * the given names whole or less any one letter, `h:` the given names with the family name whole or
   * less any one letter, `k:` both parts' consonants (whole or less one), `y:` family name, given
   * consonants and year of birth, `x:` the family name's consonants with the given names' shape
   * (whole or less one mark), `b:` the family name's consonants, the given names' first letter and
   * the year of birth. A candidate worth scoring shares at least one key.
   */
  keys: string[];
}

// Beyond four words, rotations multiply keys without finding more people.
const MAX_ROTATED_WORDS = 4;

function partKeys(part: PartForms): string[] {
  const keys = [`v:${part.variant}`, ...part.phonetic.map((code) => `p:${code}`)];
  if (part.skeleton.length >= 2) keys.push(`s:${part.skeleton}`);
  return keys;
}

// Retrieval may be looser than scoring, which decides: these folds merge spellings that romanisation
// systems write differently for the same sound, at the cost of a few more holders per key. Korean
// eo/eu are u on most passports (Jeong/Jung, Geon/Gun, Seung/Sung); McCune–Reischauer writes the
// unvoiced consonant where Revised Romanization writes the voiced one (Kyong/Gyeong, Pak/Bak); Thai
// ศรี is Si in RTGS and Sri on passports, แก้ว Kaeo or Kaew; Korean ㄹ is r or l.
const RETRIEVAL_FOLDS: ReadonlyArray<[RegExp, string]> = [
  [/aew/g, 'aeo'], // Thai แก้ว: Kaeo in RTGS, Kaew on passports
  // An h after the first letter mostly marks aspiration or a long vowel, written or not as the
  // clerk chose (Chhay / Chay, Rithy / Rity, Suh / Su); ph, th, kh, ch and sh lose it too.
  [/(?<=.)h/g, ''],
  [/(?<!a)e[ou]/g, 'u'],
  [/^sr/, 's'],
];
const VOICING_FOLDS: ReadonlyArray<[RegExp, string]> = [
  [/g/g, 'k'],
  [/d/g, 't'],
  [/b/g, 'p'],
  [/r/g, 'l'],
];

const fold = (text: string, folds: ReadonlyArray<[RegExp, string]>) =>
  folds.reduce((folded, [pattern, replacement]) => folded.replace(pattern, replacement), text);

/** A part as retrieval keys write it: its one form, its consonants. */
interface KeyForm {
  form: string;
  skeleton: string;
}

function keyFormOf(variant: string): KeyForm {
  const form = fold(looseForm(fold(variant, RETRIEVAL_FOLDS)), VOICING_FOLDS);
  return { form, skeleton: consonantSkeletonOfLoose(form) };
}

/**
 * The family name's key forms: its own, and for a Chinese surname in a dialect spelling each pinyin
 * surname it can stand for (Wong: wang and huang), so that "Wong Wen" meets an entry written 黄文.
 */
function familyKeyForms(family: PartForms): KeyForm[] {
  const readings = family.key.includes(' ') ? [] : chineseSurnameReadings(family.key);
  const forms = new Map<string, KeyForm>();
  for (const variant of [family.variant, ...readings]) {
    const form = keyFormOf(variant);
    forms.set(form.form, form);
  }
  return [...forms.values()];
}

/**
 * A family name is shared by tens of thousands in a large list, and so is a given name: alone, neither
 * tells the database which of them to score first. Paired with the other part's first letter (which a
 * typo or a romanisation variant rarely changes) they single out a few hundred.
 */
function pairKeys(family: KeyForm, given: KeyForm): string[] {
  return [`f:${family.form} ${given.form.charAt(0)}`, `g:${given.form} ${family.form.charAt(0)}`];
}

const withoutOneLetter = (text: string) => Array.from(text, (_, i) => text.slice(0, i) + text.slice(i + 1));

/**
 * The consonants of both parts, and of both with one consonant of either part missing: what survives
 * another romanisation of each part (Chanthea / Chantha, Kaeosakun / Kaewsakul) together with one slip
 * of a consonant ("Chpntha", "Sukpmaisan") or the order swapped.
 */
function skeletonKeys(family: KeyForm, given: KeyForm): string[] {
  const f = family.skeleton;
  const g = given.skeleton;
  if (!f || !g || f.length + g.length > MAX_TYPO_KEYED_LENGTH) return [];
  return [
    `k:${f} ${g}`,
    ...withoutOneLetter(g)
      .filter(Boolean)
      .map((shorter) => `k:${f} ${shorter}`),
    ...withoutOneLetter(f)
      .filter(Boolean)
      .map((shorter) => `k:${shorter} ${g}`),
  ];
}

// Longer given names are never typed letter by letter at a checkpoint; their other keys are rare enough.
const MAX_TYPO_KEYED_LENGTH = 24;

/**
 * A typo in the given names ("Park Mistng" for "Park Misang") breaks every key of that part, and the
 * family name alone is held by tens of thousands. The family name with the given names less any one
 * letter meets every spelling one edit away — a wrong, missing, extra or swapped letter: each side
 * drops the letter that differs — and is held by little more than the namesakes. A typo in the family
 * name is left to the `g:` key, which only its first letter can break.
 */
function typoKeys(family: KeyForm, given: KeyForm): string[] {
  const g = given.form;
  if (g.length < 2 || g.length > MAX_TYPO_KEYED_LENGTH) return [];
  const keys = [`e:${family.form} ${g}`];
  for (let i = 0; i < g.length; i++) keys.push(`e:${family.form} ${g.slice(0, i)}${g.slice(i + 1)}`);
  return keys;
}

/**
 * The mirror of {@link typoKeys} for a typo in the family name ("Wng Hui" for Wang Hui, "Suda Sakeat"
 * for Suda Sakrat): the given names whole with the family name whole or less any one letter. Alone,
 * the given names are held by thousands ("g:hui w" by every Wang, Wei and Wu Hui); with the family
 * name less the letter that differs, by little more than the namesakes.
 */
function familyTypoKeys(family: KeyForm, given: KeyForm): string[] {
  const f = family.form;
  const g = given.form;
  if (f.length < 2 || g.length < 2 || f.length + g.length > MAX_TYPO_KEYED_LENGTH) return [];
  return [`h:${g} ${f}`, ...withoutOneLetter(f).map((shorter) => `h:${g} ${shorter}`)];
}

/**
 * A common name has dozens of namesakes in a large list, all holding the same keys; the year of birth
 * tells the database which of them to score first when the query carries one. Keyed with the family
 * name and the given names' consonants (which survive a vowel slip or another romanisation), and with
 * the family name and the given names' first letter only, which a slip of a consonant in the given
 * names keeps ("Kim Youxggeon" born 1991: one of the few hundred Kims born that year whose given name
 * begins with a Y, not one of the thousands of Kim Y…).
 */
function birthYearKeys(family: KeyForm, given: KeyForm, birthYear: string | null): string[] {
  if (!birthYear || !given.form) return [];
  const keys = [`y:${family.form} ${given.form.charAt(0)} ${birthYear}`];
  if (given.skeleton) keys.push(`y:${family.form} ${given.skeleton} ${birthYear}`);
  return keys;
}

/**
 * The family name's consonants with the given names' first letter and the year of birth (`b:`): the
 * `y:` keys' evidence when the family name is romanised another way too ("Boei Sum" born 1989 for SAM
 * Borey, "Makkaa Sum" born 2002 for SAM Makara). Sam and Sum, Mao and Mau, Nuon and Nun keep their
 * consonants; with the year, a family consonant skeleton and an initial are held by a few dozen
 * entries, where the same key without the year ("k:sm p") is held by hundreds.
 */
function birthYearShapeKeys(familyConsonants: string, given: KeyForm, birthYear: string | null): string[] {
  if (!birthYear || !familyConsonants || !given.form) return [];
  return [`b:${familyConsonants} ${given.form.charAt(0)} ${birthYear}`];
}

// Thai and Khmer romanisations write a silent r after a vowel or leave it out (Kittingam /
// Kittingarm, Sar / Sa, Vichea / Vichear); shapes leave it out.
const SILENT_R: [RegExp, string] = [/([aeiou])r(?=[^aeiou]|$)/g, '$1'];

/**
 * A name part's shape: its retrieval form without a silent r, each run of vowels (and of the glides w
 * and y) written as one `a`. Romanisations of Korean, Khmer and Thai names disagree mostly on vowels
 * (Soyun / Soyeon, Bona / Boina, Vibol / Vibul, Mao / Mau, Vong / Vung, eo / u / o) and keep the
 * consonants and where the syllables break, which is what a shape keeps.
 */
function shapeOf(variant: string): string {
  const form = fold(fold(looseForm(fold(variant, RETRIEVAL_FOLDS)), [SILENT_R]), VOICING_FOLDS);
  return form.replace(/[aeiouwy]+/g, 'a');
}

/**
 * A short given name typed with another romanisation AND a slip ("Boina Mau" for MAO Bona, "Lee
 * Gyugexn" for LEE Gyugeon, "Vnaak Vichear Nun" for NUON Vannak Vichea) is two or more letters from the
 * entry's: the `e:` keys miss it, and the pair keys of a common family name are held by thousands. The
 * given names' shape, whole or less any one mark (a slip: each side drops the mark that differs), with
 * the family name's consonants — which survive its other romanisations too (Mao / Mau, Nuon / Nun,
 * Seng / Seang) — is held by a few dozen names (`x:`). A shape of one mark is too common to key.
 */
function shapeKeys(familyConsonants: string, givenShape: string): string[] {
  if (!familyConsonants || givenShape.length < 2 || givenShape.length > MAX_TYPO_KEYED_LENGTH) return [];
  const keys = [`x:${familyConsonants} ${givenShape}`];
  if (givenShape.length >= 3)
    for (const shape of withoutOneLetter(givenShape)) keys.push(`x:${familyConsonants} ${shape}`);
  return keys;
}

// An Arabic name of the form ʿAbd al-… ("servant of" one of God's names) is never written as its
// first word alone: Abdul Aziz, Abd Rahman and Abu Bakar are each one name, and a Malay father's name
// is often one of them.
const ARABIC_COMPOUND_HEADS = new Set(['abdul', 'abd', 'abdel', 'abdull', 'abu']);

/**
 * A compound's head as typed at a checkpoint: one of the heads, or Abdul with one slip ("Abdu",
 * "Abxul", "Abdud": the typo falls in the father's name as often as anywhere). Read as a head, the
 * father's name meets the entry's through the keys that allow one slip in the family part (`h:`);
 * read as a word of the given names, the query shares only keys held by thousands (Rizal, Rahman).
 */
function isCompoundHead(word: string): boolean {
  return ARABIC_COMPOUND_HEADS.has(word) || (word.length >= 4 && distance(word, 'abdul') === 1);
}

/**
 * Readings of a name typed whole that retrieval adds to the engine's own (which scoring keeps):
 *
 * - A Malay name typed without its connector, father's name last or (swapped) first: "Aminah Abdul
 *   Aziz", "Abdul Aziz Aminah". The engine's readings take one word for the family name, "Aziz" or
 *   "Abdul", and never meet an entry whose father's name is "Abdul Aziz": such a compound at either
 *   end is read as the family name too.
 * - The other order, when a listed surname at one end settled it: a typo in the family name unlists
 *   it, and a given name that is also a surname somewhere then takes its place ("Wng Hui" is read as
 *   the Cantonese surname Hui, "Trn Đình Long" as Long).
 */
function retrievalReadings(prepared: PreparedName, typed: boolean): NameReading[] {
  const words = prepared.words;
  if (!typed || prepared.script !== 'latin' || words.length < 2) return [];
  const readings: NameReading[] = [];
  const reading = (family: readonly string[], given: readonly string[], familyFirst: boolean) =>
    readings.push({ family: partForms(family), given: partForms(given), familyFirst });
  if (words.length <= MAX_ROTATED_WORDS && prepared.readings.length === 1) {
    if (prepared.readings[0]!.familyFirst) reading(words.slice(-1), words.slice(0, -1), false);
    else reading(words.slice(0, 1), words.slice(1), true);
  }
  if (words.length >= 3 && isCompoundHead(words[words.length - 2]!)) {
    reading(words.slice(-2), words.slice(0, -2), false);
  }
  if (words.length >= 3 && isCompoundHead(words[0]!)) reading(words.slice(0, 2), words.slice(2), true);
  return readings;
}

/**
 * A name in Han characters as Cantonese spells it (陈家辉 as CHAN KA FAI: prepared-name.ts). Keyed by the
 * whole name and the name less one letter (`e:`) of its Cantonese family name only: those single it out
 * for a Hong Kong or Malaysian spelling, and every kind of key for it
 * made a list whose Chinese names are in Han hold a fifth more keys (42.7 -> 51.9 a name at a million) and
 * cost the bench's other queries recall (bench/README.md, session 30).
 */
function cantonese(prepared: PreparedName): readonly NameReading[] {
  return prepared.script === 'han' ? prepared.extraReadings : [];
}

/**
 * The name as retrieval reads it, one "family given" string per reading (and per pinyin reading of a
 * dialect surname), each part in its retrieval form: what the candidate pool's pre-score compares
 * (`retrieval-similarity.ts`). The same folds as the keys, so "Yeonwn Gim" and KIM Yunwon are
 * compared as "kim yunwn" and "kim yunwon".
 */
export function retrievalForms(name: PersonName | QueryName): string[] {
  const recorded = typeof name === 'object' && 'kind' in name;
  const prepared = recorded ? prepareEntryName(name) : prepareQueryName(name);
  const typedWhole = !recorded && (typeof name === 'string' || !name.family);
  const forms = new Set<string>();
  for (const reading of [
    ...prepared.readings,
    ...retrievalReadings(prepared, typedWhole),
    ...cantonese(prepared),
  ]) {
    const given = reading.given ? keyFormOf(reading.given.variant).form : '';
    for (const family of familyKeyForms(reading.family)) {
      forms.add(given ? `${family.form} ${given}` : family.form);
    }
  }
  return [...forms];
}

/**
 * The retrieval forms of several names, each once: what an entry's screening profile stores and what a
 * query's are compared with (pg_trgm in the retrieval statement, `pickForScoring` in its model).
 */
export function retrievalFormsOf(names: ReadonlyArray<PersonName | QueryName>): string[] {
  return [...new Set(names.flatMap((name) => retrievalForms(name)))];
}

/**
 * The keys under which a name should be indexed, or looked up, so that the database can fetch the
 * few thousand entries worth scoring. The same function serves both sides: an entry's names when
 * they are stored, the query's names when screening; with the person's date of birth (`YYYY`,
 * `YYYY-MM` or `YYYY-MM-DD`) when it is known.
 */
export function searchKeys(name: PersonName | QueryName, birthDate?: string | null): SearchKeys {
  const birthYear = birthDate ? birthDate.slice(0, 4) : null;
  const recorded = typeof name === 'object' && 'kind' in name;
  const prepared = recorded ? prepareEntryName(name) : prepareQueryName(name);
  const typedWhole = !recorded && (typeof name === 'string' || !name.family);
  const keys = new Set<string>();
  for (const word of prepared.words) {
    keys.add(`w:${word}`);
    keys.add(`v:${romanisationKey(word)}`);
    for (const code of phoneticCodes(romanisationKey(word))) keys.add(`p:${code}`);
    const skeleton = consonantSkeleton(romanisationKey(word));
    if (skeleton.length >= 2) keys.add(`s:${skeleton}`);
  }
  for (const reading of [...prepared.readings, ...retrievalReadings(prepared, typedWhole)]) {
    for (const part of [reading.family, reading.given]) {
      if (part) partKeys(part).forEach((key) => keys.add(key));
    }
    if (!reading.given) continue;
    const given = keyFormOf(reading.given.variant);
    const familyConsonants = shapeOf(reading.family.variant).replace(/a/g, '');
    for (const key of shapeKeys(familyConsonants, shapeOf(reading.given.variant))) keys.add(key);
    for (const key of birthYearShapeKeys(familyConsonants, given, birthYear)) keys.add(key);
    for (const family of familyKeyForms(reading.family)) {
      for (const key of [
        ...pairKeys(family, given),
        ...typoKeys(family, given),
        ...familyTypoKeys(family, given),
        ...skeletonKeys(family, given),
        ...birthYearKeys(family, given, birthYear),
      ])
        keys.add(key);
    }
  }
  for (const reading of cantonese(prepared)) {
    if (!reading.given) continue;
    const given = keyFormOf(reading.given.variant);
    typoKeys(keyFormOf(reading.family.variant), given).forEach((key) => keys.add(key));
  }
  if (prepared.words.length <= MAX_ROTATED_WORDS) {
    prepared.joinedRotations.forEach((joined) => keys.add(`j:${joined}`));
  }
  return { normalised: prepared.words.join(' '), keys: [...keys].sort() };
}
