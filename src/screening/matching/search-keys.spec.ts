import { searchKeys } from './search-keys';

function shared(a: string, b: string): string[] {
  const keysOfB = new Set(searchKeys(b).keys);
  return searchKeys(a).keys.filter((key) => keysOfB.has(key));
}

describe('searchKeys', () => {
  it('gives the normalised name for trigram search and prefixed exact keys', () => {
    const { normalised, keys } = searchKeys('KIM Min-jun');
    expect(normalised).toBe('kim minjun');
    expect(keys).toEqual(
      expect.arrayContaining(['w:kim', 'w:minjun', 'v:kim', 'p:KM', 'j:kimminjun', 'j:minjunkim']),
    );
  });

  it('shares a key between spellings the engine would match', () => {
    expect(shared('Yi Seoyeon', 'Lee Seo-yeon')).toContain('v:lee');
    expect(shared('김민준', 'Kim Minjun')).toContain('v:kim');
    expect(shared('Minjun Kim', 'KIM Min-jun')).toContain('j:kimminjun');
    expect(shared('Kim Min Jun', 'Kim Minjun')).toContain('j:kimminjun');
    expect(shared('สมชาย ใจดี', 'Somchai Jaidee').length).toBeGreaterThan(0);
    expect(shared('محمد عبد الله', 'Muhammad Abdullah').length).toBeGreaterThan(0);
  });

  it('pairs each part of the name with the first letter of the other, which typos and spellings keep', () => {
    expect(searchKeys('KIM Min-jun').keys).toEqual(expect.arrayContaining(['f:kim m', 'g:minjun k']));
    expect(shared('Gim Minjnu', 'KIM Min-jun')).toContain('f:kim m');
    expect(shared('Kmi Min-jun', 'KIM Min-jun')).toContain('g:minjun k');
    expect(shared('Kim Seo-yeon', 'KIM Min-jun')).not.toContain('f:kim m');
  });

  it('pairs the family name with the given names less any one letter, so one typo still meets the entry', () => {
    expect(shared('Park Mistng', 'PARK Misang')).toContain('e:park misng'); // a wrong letter
    expect(shared('Park Misng', 'PARK Misang')).toContain('e:park misng'); // a missing letter
    expect(shared('Park Misaang', 'PARK Misang')).toContain('e:park misang'); // an extra letter
    expect(shared('Hwang Jucnheol', 'HWANG Juncheol')).toContain('e:hwang jucheol'); // two swapped
    expect(shared('Pak Misang', 'PARK Misang')).toContain('e:park misang'); // a spelling of the family name
    expect(shared('Park Mistnh', 'PARK Misang').filter((key) => key.startsWith('e:'))).toEqual([]);
    expect(shared('Park Misang', 'PARK Jisang').filter((key) => key.startsWith('e:'))).toContain(
      'e:park isang',
    );
    expect(shared('Park Misang', 'KIM Misang').filter((key) => key.startsWith('e:'))).toEqual([]);
  });

  it('shares no key between clearly different names', () => {
    expect(shared('Park Jisoo', 'Nguyen Thi Lan')).toEqual([]);
  });

  it('indexes an entry name with its recorded family and given names', () => {
    const { keys } = searchKeys({
      full: '김민준',
      family: '김',
      given: '민준',
      script: 'hangul',
      kind: 'primary',
    });
    expect(keys).toEqual(expect.arrayContaining(['v:kim', 'v:minjun']));
  });
});
