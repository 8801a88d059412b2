import { searchKeys } from './search-keys';

function shared(a: string, b: Parameters<typeof searchKeys>[0]): string[] {
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
    expect(searchKeys('KIM Min-jun').keys).toEqual(expect.arrayContaining(['f:kim m', 'g:mincun k']));
    expect(shared('Gim Minjnu', 'KIM Min-jun')).toContain('f:kim m');
    expect(shared('Kmi Min-jun', 'KIM Min-jun')).toContain('g:mincun k');
    expect(shared('Kim Seo-yeon', 'KIM Min-jun')).not.toContain('f:kim m');
  });

  const sharedOfKind = (kind: string, a: string, b: Parameters<typeof searchKeys>[0]) =>
    shared(a, b).filter((key) => key.startsWith(kind));

  it('pairs the family name with the given names less any one letter, so one typo still meets the entry', () => {
    expect(sharedOfKind('e:', 'Park Mistng', 'PARK Misang')).not.toEqual([]); // a wrong letter
    expect(sharedOfKind('e:', 'Park Misng', 'PARK Misang')).not.toEqual([]); // a missing letter
    expect(sharedOfKind('e:', 'Park Misaang', 'PARK Misang')).not.toEqual([]); // an extra letter
    expect(sharedOfKind('e:', 'Hwang Jucheol', 'HWANG Juncheol')).not.toEqual([]); // a missing letter
    expect(sharedOfKind('e:', 'Hwang Jucnheol', 'HWANG Juncheol')).not.toEqual([]); // two swapped, across ch
    expect(sharedOfKind('e:', 'Pak Misang', 'PARK Misang')).not.toEqual([]); // a spelling of the family name
    expect(sharedOfKind('e:', 'Park Mistnh', 'PARK Misang')).toEqual([]);
    expect(sharedOfKind('e:', 'Park Misang', 'PARK Jisang')).not.toEqual([]);
    expect(sharedOfKind('e:', 'Park Misang', 'KIM Misang')).toEqual([]);
  });

  it('pairs the given names with the family name less any one letter, so a typo in the family name meets the entry', () => {
    expect(sharedOfKind('h:', 'Dnag Thanh Tan', 'DANG Thanh Tan')).not.toEqual([]); // two swapped
    expect(sharedOfKind('h:', 'Sukhsawat Surachai', 'Surachai Suksawat')).not.toEqual([]); // an extra letter
    expect(sharedOfKind('h:', 'Wang Hui', 'WANG Min')).toEqual([]);
    expect(sharedOfKind('h:', 'Wng Hui', 'WU Hui')).toEqual([]);
  });

  it('reads a typed name in the other order too, when a slip unlists the surname that settled it', () => {
    // Hui and Long are surnames somewhere; Wng and Trn are no surname at all.
    expect(
      sharedOfKind('h:', 'Wng Hui', {
        full: 'WANG Hui',
        family: 'Wang',
        given: 'Hui',
        script: 'latin',
        kind: 'primary',
      }),
    ).not.toEqual([]);
    expect(sharedOfKind('h:', 'Trn Dinh Long', 'TRAN Dinh Long')).not.toEqual([]);
  });

  it("reads an Arabic compound (Abdul Aziz, Abu Bakar) at either end of a typed Malay name as the father's name", () => {
    const entry = {
      full: 'Aminah binti Abdul Aziz',
      family: 'Abdul Aziz',
      given: 'Aminah',
      script: 'latin',
      kind: 'primary',
    } as const;
    expect(sharedOfKind('e:', 'Aminah Abdul Aziz', entry)).not.toEqual([]);
    expect(sharedOfKind('e:', 'Abdul Aziz Ajinah', entry)).not.toEqual([]); // swapped, with a slip
    expect(sharedOfKind('e:', 'Abu Bakar Ajinah', entry)).toEqual([]);
  });

  it("reads Abdul typed with one slip as a compound's head, so the father's name still meets the entry's", () => {
    const entry = {
      full: 'Rizal bin Abdul Rahman',
      family: 'Abdul Rahman',
      given: 'Rizal',
      script: 'latin',
      kind: 'primary',
    } as const;
    for (const typed of ['Rizal Abdu Rahman', 'Rizal Abxul Rahman', 'Abdud Rahman Rizal'])
      expect(sharedOfKind('h:', typed, entry)).not.toEqual([]);
    // Two slips from Abdul is another word: read as a given name, as before.
    expect(sharedOfKind('h:', 'Rizal Abxxl Rahman', entry)).toEqual([]);
  });

  it('writes pair keys in a form that other romanisations of the same sounds share', () => {
    // Thai RTGS and passport spellings: th/t, ao/aew, final n/l, Si/Sri.
    expect(sharedOfKind('e:', 'Tawatchai Kaewsakul', 'Thawatchai Kaeosakun')).not.toEqual([]);
    expect(sharedOfKind('f:', 'Supachai Srisombat', 'Suphachai Sisombat')).not.toEqual([]);
    // Korean eo/eu written u, and McCune–Reischauer's unvoiced consonants.
    expect(sharedOfKind('e:', 'Kim Sunggun', 'KIM Seunggeon')).not.toEqual([]);
    expect(sharedOfKind('e:', 'Kim Kyunggun', 'KIM Gyeonggeon')).not.toEqual([]);
  });

  it('keys the consonants of both parts, whole or less one, for another romanisation plus a slip', () => {
    // Meah is a spelling of Meas; Chpntha is Chantha (a spelling of Chanthea) with a slip.
    expect(sharedOfKind('k:', 'Chpntha Meah', 'MEAS Chanthea')).not.toEqual([]);
    expect(sharedOfKind('k:', 'Malee Sukpmaisan', 'Malee Sukphaisan')).not.toEqual([]);
    expect(sharedOfKind('k:', 'Malee Wongsawat', 'Malee Sukphaisan')).toEqual([]);
  });

  it("keys the given names' shape with the family name's consonants, so another romanisation plus a slip still meets the entry", () => {
    // Gyugeon's eo written e, then a wrong letter: two letters from the entry's form, where `e:` keys miss.
    expect(sharedOfKind('x:', 'Lee Gyugexn', 'LEE Gyugeon')).not.toEqual([]);
    expect(sharedOfKind('e:', 'Lee Gyugexn', 'LEE Gyugeon')).toEqual([]);
    expect(sharedOfKind('x:', 'Unung Gim', 'KIM Eunseung')).not.toEqual([]); // swapped, a letter missing
    // The family name romanised another way too (Mao / Mau, Nuon / Nun): its consonants stand for it.
    expect(sharedOfKind('x:', 'Boina Mau', 'MAO Bona')).not.toEqual([]);
    expect(sharedOfKind('x:', 'Vnaak Vichear Nun', 'NUON Vannak Vichea')).not.toEqual([]); // a silent r, two swapped
    // Another given name of another shape, or another family name, shares none.
    expect(sharedOfKind('x:', 'Kim Soyun', 'KIM Minjun')).toEqual([]);
    expect(sharedOfKind('x:', 'Bona Mau', 'MAO Dara')).toEqual([]);
    expect(sharedOfKind('x:', 'Bona Sok', 'MAO Bona')).toEqual([]);
  });

  it('reads a Chinese surname in dialect spelling as each surname it can stand for', () => {
    const entry = { full: '黄文', family: '黄', given: '文', script: 'han', kind: 'primary' } as const;
    const keysOfEntry = new Set(searchKeys(entry).keys);
    const pairKeysShared = (query: string) =>
      searchKeys(query).keys.filter((key) => key.startsWith('f:') && keysOfEntry.has(key));
    expect(pairKeysShared('Wong Wen')).not.toEqual([]); // Cantonese 黄
    expect(pairKeysShared('Ng Wen')).not.toEqual([]); // Hokkien 黄 (also Cantonese 吴)
    expect(pairKeysShared('Tan Wen')).toEqual([]); // 陈
  });

  it('keys a name in Han characters as Cantonese spells it too', () => {
    const entry = { full: '陈家辉', script: 'han', kind: 'primary' } as const;
    const keysOfEntry = new Set(searchKeys(entry).keys);
    const shared = searchKeys('CHAN KA FAI').keys.filter(
      (key) => key.startsWith('e:') && keysOfEntry.has(key),
    );
    expect(shared).toContain('e:can kafai');
  });

  it('reads a surname in the Wade–Giles spelling of Taiwan passports as its pinyin one', () => {
    const entry = { full: '谢淑华', family: '谢', given: '淑华', script: 'han', kind: 'primary' } as const;
    const keysOfEntry = new Set(searchKeys(entry).keys);
    const shared = searchKeys('Hsieh Shu-hua').keys.filter(
      (key) => key.startsWith('e:') && keysOfEntry.has(key),
    );
    expect(shared).not.toEqual([]);
  });

  it('does not take Muhammad at the start of a name for a family name', () => {
    expect(
      sharedOfKind('e:', 'Md Shafiq Mansor', {
        full: 'Muhammad Shafiq bin Mansor',
        family: 'Mansor',
        given: 'Muhammad Shafiq',
      }),
    ).not.toEqual([]);
  });

  it('keys the year of birth with the name, so the namesake born that year is scored first', () => {
    const withYear = (name: string, birthDate: string) =>
      searchKeys(name, birthDate).keys.filter((key) => key.startsWith('y:'));
    expect(withYear('Nguyen Van Anh', '1988-04-02')).toEqual(withYear('NGUYỄN Văn Anh', '1988'));
    expect(withYear('Nguyen Van Anh', '1988-04-02')).not.toEqual([]);
    expect(withYear('Nguyen Van Anh', '1988')).not.toEqual(withYear('Nguyen Van Anh', '1989'));
    expect(searchKeys('Nguyen Van Anh').keys.filter((key) => key.startsWith('y:'))).toEqual([]);
  });

  it("keys the family name's consonants with the given initial and the year of birth, so another romanisation of both still meets the namesake born that year", () => {
    const sharedYearShape = (query: string, queryBirth: string, entry: string, entryBirth: string) => {
      const entryKeys = new Set(searchKeys(entry, entryBirth).keys);
      return searchKeys(query, queryBirth).keys.filter((key) => key.startsWith('b:') && entryKeys.has(key));
    };
    // Sam / Sum, Borey / Boei (another romanisation, a letter missing, the order swapped): no y: key meets.
    expect(sharedYearShape('Boei Sum', '1989-01-16', 'SAM Borey', '1989-01-16')).not.toEqual([]);
    expect(sharedYearShape('Makkaa Sum', '2002', 'SAM Makara', '2002-05-30')).not.toEqual([]);
    expect(sharedYearShape('Mau Bona', '1979', 'MAO Bona', '1979-11-02')).not.toEqual([]);
    // Another year, another given initial or another family name's consonants share none.
    expect(sharedYearShape('Boei Sum', '1990', 'SAM Borey', '1989-01-16')).toEqual([]);
    expect(sharedYearShape('Dara Sum', '1989', 'SAM Borey', '1989-01-16')).toEqual([]);
    expect(sharedYearShape('Sok Bopha', '1989', 'SAM Borey', '1989-01-16')).toEqual([]);
    expect(searchKeys('SAM Borey').keys.filter((key) => key.startsWith('b:'))).toEqual([]);
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
