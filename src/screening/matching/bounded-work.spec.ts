import { matchingCacheBytes } from './bounded-memo';
import type { ScreeningCandidate } from './matching.types';
import {
  MAX_PREPARED_NAME_CHARS,
  MAX_PREPARED_NAME_WORDS,
  normalisedWords,
  preparedNameProblem,
} from './normalise-name';
import { rankCandidates } from './rank-candidates';
import { transliterateToLatin, transliteratesPast } from './transliterate';
import { detectScript } from '../../common/text/name-script';

// The caps of all the engine's caches together (names 16 MB, words, part forms, comparisons 8 MB each…).
const ALL_CACHES_CAP = 50 * 1024 * 1024;

describe('bounded work for hostile names', () => {
  it('refuses a name that expands past the caps once transliterated, whatever its typed length', () => {
    expect(preparedNameProblem('\uFDFD'.repeat(20))).toMatch(/too long once transliterated/);
    expect(preparedNameProblem('张'.repeat(60))).toMatch(/too long/);
    expect(preparedNameProblem('a '.repeat(MAX_PREPARED_NAME_WORDS + 1))).toMatch(/too long/);
  });

  it('refuses a name that expands past the caps before transliterating it whole, as the whole would', () => {
    // U+FDFA is 18 characters under NFKC; U+FDFD has no decomposition but is 24 letters in Latin.
    for (const name of ['\uFDFA'.repeat(150), `${'\uFDFD'.repeat(150)} 7`, '\uFDFD'.repeat(6)])
      expect(preparedNameProblem(name)).toMatch(/too long once transliterated/);
    // The early count agrees with the letters of the whole transliteration, on either side of the cap.
    for (const name of [
      '\uFDFD'.repeat(5),
      '\uFDFD'.repeat(6),
      'محمد بن سلمان',
      'សុខ ដារា',
      'Щ'.repeat(40),
      'Щ'.repeat(30),
    ]) {
      const script = detectScript(name);
      const letters = transliterateToLatin(name, script).replace(/[^A-Za-z]/g, '').length;
      expect({ name, early: transliteratesPast(name, script, 120) }).toEqual({ name, early: letters > 120 });
    }
  });

  it('accepts the long names of the region', () => {
    for (const name of [
      'Muhammad Nur Hafiz bin Abdul Rahman',
      'Siti Nurul Aisyah binti Mohd Kamaruddin',
      'Prayut Chan-o-cha',
      'ประยุทธ์ จันทร์โอชา',
      '남궁민수',
      'Nguyễn Thị Minh Khai',
      'សុខ ដារា',
    ])
      expect(preparedNameProblem(name)).toBeNull();
  });

  it('cuts a name stored before the caps to them when it is screened against', () => {
    const words = normalisedWords('\uFDFD'.repeat(200));
    expect(words.length).toBeLessThanOrEqual(MAX_PREPARED_NAME_WORDS);
    expect(words.join(' ').length).toBeLessThanOrEqual(MAX_PREPARED_NAME_CHARS);
  });

  it('keeps the caches under their byte caps through a flood of distinct names', () => {
    const entries: ScreeningCandidate[] = ['Kim Minjun', 'Nguyen Van Thanh', 'Ahmad bin Ismail'].map(
      (full, at) => ({ id: `e${at}`, names: [{ full, script: 'latin', kind: 'primary' }] }),
    );
    const started = Date.now();
    // Distinct long names, each 10 words of 11 letters: nothing repeats, so nothing is ever a cache hit.
    for (let i = 0; i < 10_000; i++) {
      const word = (n: number) => `q${(i * 10 + n).toString(36).padStart(10, 'x')}`;
      rankCandidates({ names: [Array.from({ length: 10 }, (_, n) => word(n)).join(' ')] }, entries);
    }
    const { total, cap, byCache } = matchingCacheBytes();
    expect(cap).toBeLessThanOrEqual(ALL_CACHES_CAP);
    expect(total).toBeLessThanOrEqual(cap);
    expect(byCache['prepared-names']).toBeLessThanOrEqual(16 * 1024 * 1024);
    expect(Date.now() - started).toBeLessThan(60_000);
  });
});
