import { detectScript } from './name-script';

describe('detectScript: the script a name is written in, from its letters', () => {
  it('reads each script of the region, and Latin with diacritics as Latin', () => {
    expect(detectScript('김민준')).toBe('hangul');
    expect(detectScript('សុខ ដារា')).toBe('khmer');
    expect(detectScript('สมชาย')).toBe('thai');
    expect(detectScript('王伟')).toBe('han');
    expect(detectScript('Nguyễn Văn An')).toBe('latin');
    expect(detectScript('Ахмед')).toBe('other');
  });
});
