import { bestFormSimilarity, formSimilarity, trigramSimilarity } from './retrieval-similarity';
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

describe('formSimilarity', () => {
  it('compares the family and the given parts apart, each by edit distance over the longer', () => {
    expect(formSimilarity('kim iunwon', 'kim iunwon')).toBe(1);
    // Family alike (1), given one letter of six away (5/6).
    expect(formSimilarity('kim iunwn', 'kim iunwon')).toBe((1 + (1 - 1 / 6)) / 2);
    // A form of one part is compared whole.
    expect(formSimilarity('kim', 'kin')).toBe(1 - 1 / 3);
  });

  it('lets a slipped letter in a short given name cost one letter, not most of its trigrams', () => {
    // "Huaun Rhee" for LEE Hooneun: the given name one letter away outranks names that only share
    // the family name and a beginning.
    expect(formSimilarity('li huaun', 'li hunun')).toBeGreaterThan(formSimilarity('li huaun', 'li hualim'));
    expect(formSimilarity('li huaun', 'li hunun')).toBeGreaterThan(
      trigramSimilarity(['li huaun'], ['li hunun']),
    );
  });
});
