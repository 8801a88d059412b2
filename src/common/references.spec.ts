import { draftIdOf } from './references';

describe('request names before and after sending', () => {
  const id = '3f2a9c1e-7b44-4d0a-9e1f-2c3b4d5e6f70';

  it('a draft id is DRAFT- and the first 8 hex digits of the id, upper-cased', () => {
    expect(draftIdOf(id)).toBe('DRAFT-3F2A9C1E');
  });
});
