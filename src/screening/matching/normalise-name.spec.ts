import { normaliseName } from './normalise-name';
import { romanisationKey } from './romanisation-variants';
import { detectScript } from '../../common/text/name-script';

describe('normaliseName', () => {
  it('ignores case, accents and Vietnamese diacritics', () => {
    expect(normaliseName('Nguyễn Văn Đức')).toBe('nguyen van duc');
    expect(normaliseName('NGUYEN van DUC')).toBe('nguyen van duc');
  });

  it('joins hyphenated parts and drops punctuation and extra spaces', () => {
    expect(normaliseName('KIM  Min-jun')).toBe('kim minjun');
    expect(normaliseName("O'Neil, Mary-Ann.")).toBe('oneil maryann');
  });

  it('splits an unspaced Hangul name into family name and given name', () => {
    expect(normaliseName('김민준')).toBe('gim minjun');
    expect(normaliseName('남궁민수')).toBe('namgung minsu');
  });

  it('writes a Hangul final consonant k, t or p at the end of a syllable, as passports do', () => {
    expect(normaliseName('박서연')).toBe('bak seoyeon');
    expect(normaliseName('곽민준')).toBe('gwak minjun');
    expect(normaliseName('석진')).toBe('seok jin');
    expect(normaliseName('육성민')).toBe('yuk seongmin');
    expect(normaliseName('옥지훈')).toBe('ok jihun');
    expect(normaliseName('이민혁')).toBe('i minhyeok');
  });

  it('carries a Hangul final consonant over to a vowel that follows', () => {
    // 석우 is "Seogu" in Revised Romanization: the ㄱ is voiced before the vowel.
    expect(normaliseName('김석우')).toBe('gim seogu');
  });

  it('splits an unspaced Chinese name after the family character', () => {
    expect(normaliseName('张伟')).toBe('zhang wei');
  });

  it('drops silent Thai letters and reads leading vowels in spoken order', () => {
    // ประยุทธ์ จันทร์โอชา is romanised "Prayut Chan-o-cha": the letters under the thanthakhat are silent.
    expect(normaliseName('ประยุทธ์')).toBe('prayuth');
    // ใจ is spoken "jai" though the vowel is written first.
    expect(normaliseName('สมชาย ใจดี')).toBe('smchay chaidi');
  });

  it('transliterates Khmer and Arabic script', () => {
    expect(normaliseName('សុខ ចាន់ថា')).toBe('sokh chanatha');
    expect(normaliseName('محمد')).toBe('mhmd');
  });

  it('leaves out Malay and Tamil patronymic connectors', () => {
    expect(normaliseName('Ahmad bin Ismail')).toBe('ahmad ismail');
    expect(normaliseName('Siti binti Hassan')).toBe('siti hassan');
    expect(normaliseName('Raj a/l Kumar')).toBe('raj kumar');
  });

  it('keeps a first word or a Hangul syllable that only looks like a connector', () => {
    expect(normaliseName('Bin Min-su')).toBe('bin minsu');
    expect(normaliseName('빈민수')).toBe('bin minsu');
  });
});

describe('detectScript', () => {
  it.each([
    ['김민준', 'hangul'],
    ['សុខ', 'khmer'],
    ['สมชาย', 'thai'],
    ['张伟', 'han'],
    ['محمد', 'arabic'],
    ['Иван', 'other'],
    ['Nguyễn Văn Đức', 'latin'],
  ])('reads %s as %s', (name, script) => {
    expect(detectScript(name)).toBe(script);
  });
});

describe('romanisationKey', () => {
  it.each([
    ['Lee', ['yi', 'rhee', 'i', 'lee']],
    ['Park', ['pak', 'bak', 'park']],
    ['Choi', ['choe', 'choi']],
    ['Jung', ['jeong', 'chung', 'jung']],
    ['Kim', ['gim', 'kim']],
    ['Kwak', ['gwak', 'kwak']],
    ['Seok', ['seok', 'suk']],
    ['Yook', ['yook', 'yuk']],
    ['Ok', ['ok', 'oak']],
    ['Myung', ['myeong', 'myung', 'myong']],
  ])('folds the spellings of %s to one key', (_surname, spellings) => {
    expect(new Set(spellings.map(romanisationKey)).size).toBe(1);
  });

  it.each([
    ['박', 'Park'],
    ['곽', 'Kwak'],
    ['석', 'Suk'],
    ['육', 'Yook'],
    ['옥', 'Oak'],
    ['명', 'Myung'],
    ['백', 'Paik'],
  ])('folds the transliteration of %s with %s', (hangul, latin) => {
    const [family] = normaliseName(`${hangul}민준`).split(' ');
    expect(romanisationKey(family!)).toBe(romanisationKey(latin.toLowerCase()));
  });

  it('keeps unrelated surnames apart', () => {
    expect(romanisationKey('kim')).not.toBe(romanisationKey('park'));
    expect(romanisationKey('smith')).toBe('smith');
  });
});
