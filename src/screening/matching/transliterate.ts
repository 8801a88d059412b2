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
  return anyAscii(prepared);
}
