import { cantoneseSyllables, hongKongSpelling } from './cantonese';

describe('Chinese names read in Cantonese, as Hong Kong writes them', () => {
  it.each([
    ['陈家辉', 'chan ka fai'],
    ['王文华', 'wong man wa'],
    ['张伟', 'cheung wai'],
    ['梁朝伟', 'leung chiu wai'],
    ['吴俊杰', 'ng chun kit'],
    ['郭富城', 'kwok fu sing'],
    ['许冠文', 'hui kun man'],
    ['杨颖', 'yeung wing'],
    ['陳家輝', 'chan ka fai'], // traditional characters
  ])('reads %s as %s', (han, latin) => expect(cantoneseSyllables(han)?.join(' ')).toBe(latin));

  it('writes Jyutping with unvoiced initials, j as y, and the finals passports use', () => {
    expect(['gaa', 'zoeng', 'jyun', 'seoi', 'ceon', 'gwok', 'dak', 'bou'].map(hongKongSpelling)).toEqual([
      'ka',
      'cheung',
      'yuen',
      'sui',
      'chun',
      'kwok',
      'tak',
      'po',
    ]);
  });

  it('has no reading for what is not a Han character', () => {
    expect(cantoneseSyllables('陈A')).toBeNull();
    expect(cantoneseSyllables('')).toBeNull();
  });
});
