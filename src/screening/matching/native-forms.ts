import anyAscii from 'any-ascii';
import type { NameScript } from './matching.types';

/**
 * What a name says in its own writing, before transliteration blurs it: the native spelling of a
 * Hangul, Thai, Khmer or Han name, and the diacritics of a Vietnamese name in Latin letters.
 */

// Thai titles written before the given name, often joined to it (นายธนากร): Mr (นาย), Mrs (นาง),
// Miss (นางสาว, abbreviated น.ส.), Master and Miss for children (เด็กชาย ด.ช., เด็กหญิง ด.ญ.). The
// longest first: นาง is the beginning of นางสาว. Source: Thai Royal Institute, "คำนำหน้านาม" (Name
// Title Act B.E. 2505).
const THAI_TITLES = ['นางสาว', 'เด็กหญิง', 'เด็กชาย', 'น.ส.', 'ด.ช.', 'ด.ญ.', 'นาย', 'นาง'];
// A title is only taken off when a name of at least two Thai letters follows it.
const THAI_TITLE = new RegExp(
  `^\\s*(?:${THAI_TITLES.map((t) => t.replace(/\./g, '\\.')).join('|')})\\s*(?=[\\u0E01-\\u0E2E].)`,
);

/** A Thai name without the title (Mr, Mrs, Miss…) written before it. */
export function withoutThaiTitle(text: string): string {
  return text.replace(THAI_TITLE, '');
}

const NATIVE_SCRIPTS: ReadonlySet<NameScript> = new Set(['hangul', 'thai', 'khmer']);
const NOT_LETTERS = /[\s\p{P}\u200B-\u200D\uFEFF]/gu;
const HAN = /\p{Script=Han}/u;

/**
 * The native form of a name written in Hangul, Thai or Khmer (its letters, without spaces,
 * punctuation or a Thai title) or Han (each character's reading, so 楊 and 杨 agree); null otherwise.
 */
export function nativeForm(written: string, script: NameScript): string | null {
  const text = written.normalize('NFC');
  if (script === 'han') {
    return [...text]
      .filter((char) => HAN.test(char))
      .map((char) => anyAscii(char).toLowerCase())
      .join(' ');
  }
  if (!NATIVE_SCRIPTS.has(script)) return null;
  return (script === 'thai' ? withoutThaiTitle(text) : text).replace(NOT_LETTERS, '');
}

// Vietnamese marks a vowel's quality (ă â ê ô ơ ư, and đ) and the syllable's tone (à á ả ã ạ):
// both make another word (Hương and Hường, Nam and Năm). Tones are kept apart from the letters,
// because one tone is placed on either vowel by different conventions (Hoà and Hòa are one name).
const TONE_MARKS = /[\u0300\u0301\u0303\u0309\u0323]/g;
const ANY_MARK = /\p{M}/gu;

export interface MarkedWord {
  /** Lowercase ASCII letters, as normalisation writes the word. */
  plain: string;
  /** The letters with their quality marks, then the tone. */
  marked: string;
}

/**
 * The words of a Latin-letter name with their diacritics, or null when it carries none (a passport's
 * machine-readable zone, a name typed without accents): only then can two spellings that differ in
 * their marks alone be the same name.
 */
export function markedWords(written: string): MarkedWord[] | null {
  const decomposed = written.normalize('NFD').toLowerCase();
  if (!/[\p{M}đ]/u.test(decomposed)) return null;
  return decomposed
    .split(/[^\p{L}\p{M}]+/u)
    .filter(Boolean)
    .map((word) => {
      const tones = (word.match(TONE_MARKS) ?? []).sort().join('');
      const letters = word.replace(TONE_MARKS, '').normalize('NFC');
      return { plain: word.replace(ANY_MARK, '').replace(/đ/g, 'd'), marked: `${letters}${tones}` };
    });
}

/**
 * Whether two names, both written with diacritics, have a word with the same letters but other
 * marks: Dương Thị Hường is not Dương Thị Hương.
 */
export function differInMarks(query: readonly MarkedWord[], entry: readonly MarkedWord[]): boolean {
  return query.some((word) => {
    const same = entry.filter((other) => other.plain === word.plain);
    return same.length > 0 && !same.some((other) => other.marked === word.marked);
  });
}

// Letters only Vietnamese writes among Latin scripts (ă â ê ô ơ ư đ), or a tone on a vowel.
const VIETNAMESE_LETTERS = /[ăâêôơưđ]|[\u0300\u0301\u0303\u0309\u0323]/u;

/** Whether a marked word is written the Vietnamese way. */
export function isVietnameseWord(word: MarkedWord): boolean {
  return VIETNAMESE_LETTERS.test(word.marked);
}
