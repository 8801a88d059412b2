import anyAscii from 'any-ascii';
import type { NameScript } from './matching.types';

// Korean surnames of two syllables; every other Korean surname is the first syllable of the name.
const TWO_SYLLABLE_KOREAN_SURNAMES = new Set([
  '남궁',
  '황보',
  '제갈',
  '선우',
  '독고',
  '사공',
  '서문',
  '동방',
]);

// A Thai consonant (with an optional short vowel) followed by the thanthakhat mark is not pronounced,
// and romanised names leave it out (ประยุทธ์ is "Prayut"): drop it before transliterating.
const THAI_SILENT_LETTER = /[\u0E01-\u0E2E][\u0E34\u0E38]?\u0E4C/g;
// Thai writes the vowels เ แ โ ใ ไ before the consonant they are spoken after (ใจ is "jai"):
// put them back in spoken order so the transliteration reads as people romanise it.
const THAI_LEADING_VOWEL = /([\u0E40-\u0E44])([\u0E01-\u0E2E])/g;

const MR_VOWELS: Readonly<Record<string, string>> = { ŏ: 'eo', ŭ: 'eu', Ŏ: 'Eo', Ŭ: 'Eu' };

// Hangul syllables are U+AC00 + (initial × 21 + vowel) × 28 + final.
const HANGUL_FIRST = 0xac00;
const HANGUL_LAST = 0xd7a3;
const SILENT_INITIAL = 11; // ㅇ: the next syllable starts with its vowel
// Finals that Revised Romanization writes k, t or p at the end of a syllable (any-ascii writes g, d,
// b, s, j… whatever follows, so 박 came out "bag" and 곽 "gwag", far from Park and Kwak).
const FINAL_SOUND: ReadonlyMap<number, string> = new Map([
  ...[1, 2, 24].map((final) => [final, 'k'] as const), // ㄱ ㄲ ㅋ
  ...[7, 19, 20, 22, 23, 25, 27].map((final) => [final, 't'] as const), // ㄷ ㅅ ㅆ ㅈ ㅊ ㅌ ㅎ
  ...[17, 26].map((final) => [final, 'p'] as const), // ㅂ ㅍ
]);

const syllableIndex = (char: string | undefined) => {
  const code = char?.codePointAt(0) ?? -1;
  return code >= HANGUL_FIRST && code <= HANGUL_LAST ? code - HANGUL_FIRST : -1;
};

/**
 * Writes those finals as k/t/p (a Latin letter any-ascii passes through) unless a vowel follows,
 * where the sound carries over and any-ascii's g/d/b is already right: 곽 → "gwak", 석우 → "seogu".
 */
function romaniseHangulFinals(text: string): string {
  const chars = [...text];
  return chars
    .map((char, at) => {
      const index = syllableIndex(char);
      const sound = index >= 0 ? FINAL_SOUND.get(index % 28) : undefined;
      if (!sound) return char;
      const next = syllableIndex(chars[at + 1]);
      if (next >= 0 && Math.floor(next / 588) === SILENT_INITIAL) return char;
      return String.fromCodePoint(HANGUL_FIRST + index - (index % 28)) + sound;
    })
    .join('');
}

/**
 * Han and Hangul names are usually written without a space between family and given name (김민준,
 * 张伟): split the family name off so it can be compared on its own.
 */
function splitUnspacedFamilyName(word: string, script: 'hangul' | 'han'): string {
  const syllables = [...word];
  if (syllables.length < 2 || syllables.length > 5) return word;
  const familyLength =
    script === 'hangul' && TWO_SYLLABLE_KOREAN_SURNAMES.has(syllables.slice(0, 2).join('')) ? 2 : 1;
  if (syllables.length <= familyLength) return word;
  return `${syllables.slice(0, familyLength).join('')} ${syllables.slice(familyLength).join('')}`;
}

/** The name in ASCII Latin letters, as close as practical to how a passport would romanise it. */
export function transliterateToLatin(text: string, script: NameScript): string {
  let prepared = text.normalize('NFKC');
  if (script === 'thai') {
    prepared = prepared.replace(THAI_SILENT_LETTER, '').replace(THAI_LEADING_VOWEL, '$2$1');
  }
  if (script === 'hangul' || script === 'han') {
    prepared = prepared
      .split(/\s+/)
      .map((word) => splitUnspacedFamilyName(word, script))
      .join(' ');
  }
  if (script === 'hangul') prepared = romaniseHangulFinals(prepared);
  // McCune–Reischauer writes 어 and 으 as ŏ and ŭ, which any-ascii reads as plain o and u; Revised
  // Romanization and passports write eo and eu (Kyŏngsu is Gyeongsu, Sŭngmin is Seungmin).
  if (script === 'latin') prepared = prepared.replace(/[ŏŭŎŬ]/g, (letter) => MR_VOWELS[letter]!);
  return anyAscii(prepared);
}

/**
 * Whether the name transliterates to more than `max` Latin letters, found letter by letter and stopping
 * as soon as it does, without building the transliteration. Answers for the scripts that
 * `transliterateToLatin` hands to any-ascii as they are (Khmer, Arabic, other), which maps each character
 * on its own; for the others, whose letters it rewrites, it answers false and leaves the question to
 * the whole transliteration. U+FDFD alone is 24 Latin letters.
 */
export function transliteratesPast(text: string, script: NameScript, max: number): boolean {
  if (script !== 'khmer' && script !== 'arabic' && script !== 'other') return false;
  let letters = 0;
  for (const char of text.normalize('NFKC')) {
    letters += anyAscii(char).replace(/[^A-Za-z]/g, '').length;
    if (letters > max) return true;
  }
  return false;
}
