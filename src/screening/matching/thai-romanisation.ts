/**
 * Thai script romanised as the Royal Thai General System of Transcription does (Royal Institute,
 * 1999), closely enough to meet a passport's spelling: any-ascii writes each letter and leaves out the
 * vowels Thai does not write (นพพร comes out "nphphr", ธนากร "thnakr"), so a Thai-script name never
 * met its passport spelling (Nopporn, Thanakorn). Here a syllable without a written vowel gets the
 * inherent one (o in a closed syllable, a in an open one), consonants at the end of a syllable take
 * their final sound (ร ล ญ ณ → n, ด ต ท ศ ส… → t, พ บ ป → p, ข ค → k), the vowels written before
 * their consonant are read after it, and clusters (ปร, กล, ศร…) keep their r or l. Used as a second
 * reading of a Thai-script name, beside any-ascii's.
 */

const INITIAL: Readonly<Record<string, string>> = {
  ก: 'k',
  ข: 'kh',
  ฃ: 'kh',
  ค: 'kh',
  ฅ: 'kh',
  ฆ: 'kh',
  ง: 'ng',
  จ: 'ch',
  ฉ: 'ch',
  ช: 'ch',
  ซ: 's',
  ฌ: 'ch',
  ญ: 'y',
  ฎ: 'd',
  ฏ: 't',
  ฐ: 'th',
  ฑ: 'th',
  ฒ: 'th',
  ณ: 'n',
  ด: 'd',
  ต: 't',
  ถ: 'th',
  ท: 'th',
  ธ: 'th',
  น: 'n',
  บ: 'b',
  ป: 'p',
  ผ: 'ph',
  ฝ: 'f',
  พ: 'ph',
  ฟ: 'f',
  ภ: 'ph',
  ม: 'm',
  ย: 'y',
  ร: 'r',
  ล: 'l',
  ว: 'w',
  ศ: 's',
  ษ: 's',
  ส: 's',
  ห: 'h',
  ฬ: 'l',
  อ: '',
  ฮ: 'h',
};
const FINAL: Readonly<Record<string, string>> = {
  ก: 'k',
  ข: 'k',
  ค: 'k',
  ฆ: 'k',
  ง: 'ng',
  จ: 't',
  ช: 't',
  ซ: 't',
  ฌ: 't',
  ญ: 'n',
  ฎ: 't',
  ฏ: 't',
  ฐ: 't',
  ฑ: 't',
  ฒ: 't',
  ณ: 'n',
  ด: 't',
  ต: 't',
  ถ: 't',
  ท: 't',
  ธ: 't',
  น: 'n',
  บ: 'p',
  ป: 'p',
  พ: 'p',
  ฟ: 'p',
  ภ: 'p',
  ม: 'm',
  ย: 'i',
  ร: 'n',
  ล: 'n',
  ว: 'w',
  ศ: 't',
  ษ: 't',
  ส: 't',
  ฬ: 'n',
};
const VOWELS: Readonly<Record<string, string>> = {
  ะ: 'a',
  'ั': 'a',
  า: 'a',
  ๅ: 'a',
  ำ: 'am',
  'ิ': 'i',
  'ี': 'i',
  'ึ': 'ue',
  'ื': 'ue',
  'ุ': 'u',
  'ู': 'u',
  เ: 'e',
  แ: 'ae',
  โ: 'o',
  ใ: 'ai',
  ไ: 'ai',
  เะ: 'e',
  แะ: 'ae',
  โะ: 'o',
  เา: 'ao',
  เาะ: 'o',
  เิ: 'oe',
  เี: 'ia',
  เื: 'uea',
  'ัว': 'ua',
};
const VOWEL_MARK = /[\u0E30-\u0E39\u0E40-\u0E45]|\u0E47/;
const IGNORED = /[\u0E48-\u0E4B]|\u0E46/g; // tone marks, ๆ
// True clusters (กร กล กว ขร ขว คร คล คว ตร ปร ปล พร พล ผล), and ศร/สร, written "sr" on passports (Sri).
const CLUSTERS = new Set('กร กล กว ขร ขล ขว คร คล คว ตร ปร ปล พร พล ผล ศร สร'.split(' '));
// A letter under the thanthakhat is silent, with the ท or ต before a silent ร (จันทร์ "chan").
const SILENT_LETTER = /[ทต]ร\u0E4C|[\u0E01-\u0E2E][\u0E34\u0E38]?\u0E4C/g;
const LEADING_VOWEL = /([\u0E40-\u0E44])([\u0E01-\u0E2E])/g;

const isConsonant = (char: string | undefined) => char !== undefined && char in INITIAL;

function romaniseWord(thai: string): string {
  const word = thai.replace(IGNORED, '').replace(SILENT_LETTER, '').replace(LEADING_VOWEL, '$2$1');
  const chars = [...word];
  // Whether the consonant at j carries a vowel of its own (a mark, or อ read as the vowel o).
  const voiced = (j: number) =>
    VOWEL_MARK.test(chars[j + 1] ?? '') ||
    (chars[j + 1] === 'อ' && !VOWEL_MARK.test(chars[j + 2] ?? '') && j + 1 > 0);
  let out = '';
  let i = 0;
  while (i < chars.length) {
    const char = chars[i]!;
    if (char === 'ฤ') {
      out += 'rue';
      i++;
      continue;
    }
    if (!isConsonant(char)) {
      out += VOWELS[char] ?? '';
      i++;
      continue;
    }
    let initial = INITIAL[char]!;
    i++;
    if (CLUSTERS.has(char + (chars[i] ?? '')) && voiced(i)) {
      initial += INITIAL[chars[i]!];
      i++;
    }
    let marks = '';
    while (i < chars.length && VOWEL_MARK.test(chars[i]!)) marks += chars[i++];
    let vowel: string;
    if (marks === 'ั' && chars[i] === 'ว') {
      vowel = 'ua';
      i++;
    } else if (marks === 'เี' && chars[i] === 'ย') {
      vowel = 'ia';
      i++;
    } else if ((marks === 'เื' || marks === 'เ') && chars[i] === 'อ') {
      vowel = marks === 'เ' ? 'oe' : 'uea';
      i++;
    } else if (!marks && chars[i] === 'อ' && i + 1 <= chars.length && !VOWEL_MARK.test(chars[i + 1] ?? '')) {
      vowel = 'o';
      i++;
    } else if (marks) {
      vowel = VOWELS[marks] ?? [...marks].map((mark) => VOWELS[mark] ?? '').join('');
    } else {
      // No written vowel: closed by the next consonant (o), or open before a voiced one (a).
      const closes = isConsonant(chars[i]) && !voiced(i);
      vowel = closes ? 'o' : 'a';
      if (closes) {
        out += `${initial}o${FINAL[chars[i]!] ?? ''}`;
        i++;
        continue;
      }
    }
    // A consonant after the vowel ends the syllable, unless it would leave a last consonant stranded.
    const next = chars[i];
    const stranded = isConsonant(chars[i + 1]) && i + 2 === chars.length && !voiced(i + 1);
    if (isConsonant(next) && !voiced(i) && !stranded && vowel !== 'am') {
      out += `${initial}${vowel}${FINAL[next!] ?? ''}`;
      i++;
    } else out += `${initial}${vowel}`;
  }
  return out;
}

/** A Thai-script name romanised word by word (lowercase Latin words). */
/** A Thai-script name romanised word by word (lowercase Latin words); prepared names are cached. */
export function romaniseThai(thai: string): string[] {
  return thai
    .normalize('NFC')
    .split(/[\s.]+/)
    .filter(Boolean)
    .map(romaniseWord)
    .filter(Boolean);
}
