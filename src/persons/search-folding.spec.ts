import { foldDocumentNumber, foldName } from './search-folding';

describe('search folding', () => {
  it('drops case, accents and punctuation but keeps the script', () => {
    expect(foldName('NGUYỄN Văn-An')).toBe('nguyen van an');
    expect(foldName('  Kim,  Min-jun ')).toBe('kim min jun');
    expect(foldName('김민준')).toBe('김민준');
  });

  it('compares document numbers without spaces or dashes', () => {
    expect(foldDocumentNumber('m12-345 678')).toBe('M12345678');
  });
});
