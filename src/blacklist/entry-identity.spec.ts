import { changedIdentityFields, EntryIdentity, identityOf, sameIdentity } from './entry-identity';

const lim: EntryIdentity = {
  names: [{ full: 'LIM Kosal', family: 'Lim', given: 'Kosal', script: 'latin', kind: 'primary' }],
  birthDate: '1988-07-02',
  nationalities: ['KH'],
  sex: 'male',
  documents: [{ type: 'passport', number: 'N00451277', issuingCountry: 'KH' }],
};

describe('entry identity', () => {
  it('is the same whatever order jsonb gave the keys of names and documents back in', () => {
    const reordered: EntryIdentity = {
      ...lim,
      names: [{ kind: 'primary', script: 'latin', given: 'Kosal', family: 'Lim', full: 'LIM Kosal' }],
      documents: [{ issuingCountry: 'KH', number: 'N00451277', type: 'passport' }],
    };
    expect(sameIdentity(lim, reordered)).toBe(true);
  });

  it('names each field that changed', () => {
    const edited: EntryIdentity = {
      ...lim,
      names: [...lim.names, { full: 'Sok Dara', script: 'latin', kind: 'alias' }],
      documents: [{ type: 'passport', number: 'A55501234', issuingCountry: 'MY' }],
    };
    expect(changedIdentityFields(lim, edited)).toEqual(['names', 'documents']);
    expect(changedIdentityFields(lim, { ...lim, birthDate: '1988' })).toEqual(['birthDate']);
    expect(sameIdentity(lim, { ...lim, sex: null })).toBe(false);
  });

  it('takes from a person only what screening uses, with absent fields made empty', () => {
    const person = { ...lim, birthDate: null, sex: null, phones: ['+85512345678'], notes: 'x' } as never;
    expect(identityOf(person)).toEqual({ ...lim, birthDate: null, sex: null });
    expect(Object.keys(identityOf(person))).not.toContain('phones');
  });

  it('treats an undefined optional member like an absent one', () => {
    const withUndefined = { ...lim, names: [{ ...lim.names[0]!, given: undefined }] } as never;
    const without = {
      ...lim,
      names: [{ full: 'LIM Kosal', family: 'Lim', script: 'latin', kind: 'primary' }],
    } as never;
    expect(sameIdentity(withUndefined, without)).toBe(true);
  });
});
