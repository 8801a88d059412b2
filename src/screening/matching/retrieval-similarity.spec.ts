import { bestFormSimilarity, trigramSimilarity } from './retrieval-similarity';
import { retrievalForms } from './search-keys';

describe('retrievalForms', () => {
  it('writes each reading as its family and given parts in their retrieval forms', () => {
    // Y before a vowel is i, eo is u, g is k and the given names are joined: as the keys write them.
    expect(retrievalForms('Gim Yeon-won')).toContain('kim iunwon');
    expect(
      retrievalForms({ full: 'KIM Yunwon', family: 'Kim', given: 'Yunwon', kind: 'primary' } as never),
    ).toEqual(['kim iunwon']);
  });

  it('reads a dialect surname as each pinyin surname it stands for', () => {
    expect(retrievalForms('Wong Wen')).toEqual(expect.arrayContaining(['wank wen', 'huank wen']));
  });
});

describe('trigramSimilarity', () => {
  it('counts shared trigrams over all, as pg_trgm does', () => {
    expect(trigramSimilarity(['kim'], ['kim'])).toBe(1);
    expect(trigramSimilarity(['kim'], ['lee'])).toBe(0);
    // "  k", " ki", "kim", "im " against "  k", " ki", "kin", "in ": 2 shared of 6.
    expect(trigramSimilarity(['kim'], ['kin'])).toBeCloseTo(2 / 6);
  });

  it('ignores word order', () => {
    expect(trigramSimilarity(['yunwun kim'], ['kim yunwun'])).toBe(1);
  });
});

describe('bestFormSimilarity', () => {
  it('puts the name typed above names that share keys with it by coincidence', () => {
    const query = retrievalForms('Yeonwn Gim');
    const intended = bestFormSimilarity(query, retrievalForms('Kim Yunwon'));
    expect(intended).toBeGreaterThan(bestFormSimilarity(query, retrievalForms('Kim Yunsu')));
    expect(intended).toBeGreaterThan(bestFormSimilarity(query, retrievalForms('Kim Wonyeon')));
  });

  it('takes the best pair of forms', () => {
    expect(bestFormSimilarity(['lee soyu', 'soyu lee'], ['kim soyu', 'lee soyu'])).toBe(1);
  });
});
