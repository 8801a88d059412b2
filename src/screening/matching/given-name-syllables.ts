import anyAscii from 'any-ascii';
import { boundedMemo, pairCache } from './bounded-memo';
import { PART_ID_RANGE, type PartForms } from './prepared-name';
import { looseForm } from './phonetic';
import { transliterateToLatin } from './transliterate';
import { cantoneseSpellings } from './cantonese';

/**
 * Korean, Chinese and Vietnamese given names are made of syllables, each a valid name syllable of its
 * language. A syllable that becomes another valid syllable (지훈 Jihoon / 지환 Jihwan, 建国 Jianguo /
 * 建军 Jianjun, Lan / Lanh) is another name, hence another person, not a typo: a typo is a slip that
 * does not produce another name. Spelling variants of one syllable (hoon/hun, woo/u, chin/jin) are
 * told apart from different syllables by their sound.
 */

// Passport spellings of Korean syllables that Revised Romanization writes otherwise (MOFA guidance).
const PASSPORT_SYLLABLES = [
  'woo',
  'joon',
  'soo',
  'joo',
  'koo',
  'yoo',
  'choo',
  'doo',
  'hoon',
  'young',
  'sung',
  'kyung',
  'hee',
  'suk',
  'hyuk',
  'hyun',
  'yoon',
  'jee',
  'suh',
  'chul',
  'kwang',
  'yong',
];

/**
 * How a syllable sounds, whatever the romanisation: initial k/p/t as g/b/d (McCune–Reischauer writes
 * the unvoiced), wu/woo as u, eo as u (Korean passports write 성 Sung, 현 Hyun, 서 Suh) and ui as i
 * (희 Hee). Eu stays apart: passports keep 승 Seung and 성 Sung apart.
 */
export const syllableSound = boundedMemo(
  'syllable-sounds',
  (syllable: string): string => {
    const folded = syllable
      .replace(/^k/, 'g')
      .replace(/^p/, 'b')
      .replace(/^t/, 'd')
      .replace(/^wu|^woo/, 'u')
      .replace(/eo|ou/g, 'u')
      .replace(/ui/g, 'i')
      // Vietnamese final nh is its own sound (Lan and Lanh are two names): kept from the h-dropping fold.
      .replace(/nh$/, 'ny');
    return looseForm(folded);
  },
  256 * 1024,
);

const NAME_FINALS = new Set([0, 1, 4, 8, 16, 17, 21]);

// Built once, from any-ascii's readings: every Hangul syllable in Revised Romanization (finals as
// k/t/p, as in names) and every pinyin syllable of the CJK Unified Ideographs; then passport spellings
// and the Cantonese syllables (cantonese.ts).
let spellings: Set<string> | null = null;
let sounds: Set<string> | null = null;
function inventory(): { spellings: Set<string>; sounds: Set<string> } {
  if (!spellings || !sounds) {
    const all = new Set<string>(PASSPORT_SYLLABLES);
    for (let code = 0xac00; code <= 0xd7a3; code++) {
      // Only the finals names use (none, ㄱ ㄴ ㄹ ㅁ ㅂ ㅇ): 선ㅎ's "seonh" would make a typo a syllable.
      if (!NAME_FINALS.has((code - 0xac00) % 28)) continue;
      const latin = transliterateToLatin(String.fromCodePoint(code), 'hangul').toLowerCase();
      if (/^[a-z]{1,6}$/.test(latin)) all.add(latin);
    }
    for (let code = 0x4e00; code <= 0x9fa5; code++) {
      const latin = anyAscii(String.fromCodePoint(code)).toLowerCase();
      if (/^[a-z]{1,6}$/.test(latin)) all.add(latin);
    }
    // Cantonese syllables as Hong Kong and Malaysia write them (Ka Fai, Kwok Wing): 辉 Fai and 伟 Wai are
    // two names as 辉 Hui and 伟 Wei are.
    for (const syllable of cantoneseSpellings()) all.add(syllable);
    spellings = all;
    sounds = new Set([...all].map(syllableSound));
  }
  return { spellings, sounds };
}

// A Vietnamese syllable once ICAO has dropped the diacritics: initial consonant, vowel cluster, final.
const VIETNAMESE_SYLLABLE =
  /^(ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdghklmnprstvx])?(uye|oai|oay|uay|uoi|uou|ieu|yeu|oa|oe|uy|ua|uo|ie|ye|ia|ai|ao|au|ay|eo|eu|iu|oi|ui|ou|[aeiouy])(ch|ng|nh|[cmnpt])?$/;

function isNameSyllable(syllable: string): boolean {
  return inventory().spellings.has(syllable) || VIETNAMESE_SYLLABLE.test(syllable);
}

/**
 * The readings of a given name as name syllables: its words, each split into the fewest name
 * syllables (every such split: "hyeonu" is hyeon-u or hyeo-nu), or none when a word cannot be read
 * as name syllables (Thai, Khmer, Malay names; most typos).
 */
export const nameSyllables = boundedMemo(
  'given-name-syllables',
  (spacedWords: string): string[][] => {
    let readings: string[][] = [[]];
    for (const word of spacedWords.split(' ')) {
      const splits = isNameSyllable(word) ? [[word]] : splitWord(word);
      if (!splits.length) return [];
      readings = readings
        .flatMap((before) => splits.map((split) => [...before, ...split]))
        .slice(0, MAX_READINGS);
    }
    return readings;
  },
  1024 * 1024,
);

const MAX_READINGS = 8;

// Every fewest-syllable split of a word, by dynamic programming (words are short: at most 4 syllables).
function splitWord(word: string): string[][] {
  if (word.length > 24) return [];
  const best: Array<string[][] | null> = [[[]]];
  for (let end = 1; end <= word.length; end++) {
    best[end] = null;
    for (let start = Math.max(0, end - 6); start < end; start++) {
      const before = best[start];
      // Joined words are Korean or pinyin (Vietnamese writes each syllable apart): their syllables only.
      if (!before || !inventory().spellings.has(word.slice(start, end))) continue;
      const extended = before.map((split) => [...split, word.slice(start, end)]);
      const current = best[end];
      if (!current || extended[0]!.length < current[0]!.length) best[end] = extended.slice(0, MAX_READINGS);
      else if (extended[0]!.length === current[0]!.length) current.push(...extended.slice(0, MAX_READINGS));
    }
  }
  const found = best[word.length];
  return found && found[0]!.length <= 4 ? found.slice(0, MAX_READINGS) : [];
}

/**
 * `same`: some reading of each is the same syllables, spelled differently (Woojin / U-jin / Woo Jin);
 * `another-name`: otherwise, when some readings differ in one syllable only, each side's a valid
 * syllable (Jihoon / Jihwan); null: no verdict (not syllabic, or too different to say).
 */
export function compareGivenSyllables(query: PartForms, entry: PartForms): 'same' | 'another-name' | null {
  // Screening compares one query's given names with thousands of entries': remember each verdict.
  const key = query.id * PART_ID_RANGE + entry.id;
  const remembered = verdicts.get(key);
  if (remembered !== undefined) return remembered === 'none' ? null : remembered;
  const verdict = syllableVerdict(query.key, entry.key);
  verdicts.set(key, verdict ?? 'none');
  return verdict;
}

const verdicts = pairCache<'same' | 'another-name' | 'none'>('given-name-verdicts', 4 * 1024 * 1024);

function syllableVerdict(query: string, entry: string): 'same' | 'another-name' | null {
  let oneApart = false;
  for (const a of nameSyllables(query)) {
    for (const b of nameSyllables(entry)) {
      if (a.length !== b.length) continue;
      let differing = 0;
      for (let i = 0; i < a.length; i++) if (syllableSound(a[i]!) !== syllableSound(b[i]!)) differing++;
      if (differing === 0) return 'same';
      if (differing === 1) oneApart = true;
    }
  }
  return oneApart ? 'another-name' : null;
}
