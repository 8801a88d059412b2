import type { NameScript, PersonName, ScreeningCandidate, ScreeningQuery } from './matching.types';
import { DEFAULT_THRESHOLD } from './rank-candidates';
import { scoreCandidate } from './score-candidate';

function nameOf(full: string, parts: Partial<PersonName> = {}, script: NameScript = 'latin'): PersonName {
  return { full, script, kind: 'primary', ...parts };
}

function candidate(names: PersonName[], details: Partial<ScreeningCandidate> = {}): ScreeningCandidate {
  return { id: 'entry-1', names, ...details };
}

const kimMinjun = candidate([nameOf('KIM Min-jun', { family: 'KIM', given: 'Min-jun' })]);

function score(query: ScreeningQuery | string, entry: ScreeningCandidate) {
  return scoreCandidate(typeof query === 'string' ? { names: [query] } : query, entry);
}

describe('scoreCandidate: a name however it is spelled', () => {
  it('matches across case, accents and diacritics', () => {
    const match = score('NGUYEN VAN DUC', candidate([nameOf('Nguyễn Văn Đức')]));
    expect(match.score).toBeGreaterThanOrEqual(DEFAULT_THRESHOLD);
    expect(match.reasons).toContain('full name exact after normalisation');
  });

  it('matches a Korean name written given name first', () => {
    const match = score('Minjun Kim', kimMinjun);
    expect(match.score).toBeGreaterThanOrEqual(DEFAULT_THRESHOLD);
    expect(match.reasons).toEqual(
      expect.arrayContaining([
        'full name exact after normalisation',
        'given and family names in swapped order',
      ]),
    );
    expect(match.matchedNames).toEqual({ query: 'Minjun Kim', entry: kimMinjun.names[0] });
  });

  it('matches a Khmer name written family name last', () => {
    const entry = candidate([nameOf('SOK Chanthea', { family: 'SOK', given: 'Chanthea' })]);
    const match = score('Chanthea Sok', entry);
    expect(match.score).toBeGreaterThanOrEqual(DEFAULT_THRESHOLD);
    expect(match.reasons).toContain('given and family names in swapped order');
  });

  it.each([
    ['Lee', 'Yi'],
    ['Lee', 'Rhee'],
    ['Lee', 'I'],
    ['Park', 'Pak'],
    ['Park', 'Bak'],
    ['Choi', 'Choe'],
    ['Jung', 'Jeong'],
    ['Jung', 'Chung'],
  ])('matches the Korean surname %s spelled %s as a romanisation variant', (recorded, typed) => {
    const entry = candidate([nameOf(`${recorded} Seo-yeon`, { family: recorded, given: 'Seo-yeon' })]);
    const match = score(`${typed} Seoyeon`, entry);
    expect(match.score).toBeGreaterThanOrEqual(DEFAULT_THRESHOLD);
    expect(match.reasons).toContain('family name romanisation variant');
    expect(match.reasons).toContain('given name exact');
  });

  it('matches a Hangul name against its Latin spelling', () => {
    const match = score(
      'Kim Minjun',
      candidate([nameOf('김민준', { family: '김', given: '민준' }, 'hangul')]),
    );
    expect(match.score).toBeGreaterThanOrEqual(DEFAULT_THRESHOLD);
    expect(match.reasons).toContain('name transliterated from hangul matches');
  });

  it('matches a Khmer-script name against the passport spelling', () => {
    const entry = candidate([nameOf('សុខ ចាន់ថា', { family: 'សុខ', given: 'ចាន់ថា' }, 'khmer')]);
    const match = score({ names: [{ family: 'SOK', given: 'CHANTHEA' }] }, entry);
    expect(match.score).toBeGreaterThanOrEqual(DEFAULT_THRESHOLD);
    expect(match.reasons).toEqual(
      expect.arrayContaining(['family name romanisation variant', 'name transliterated from khmer matches']),
    );
  });

  it('matches a Thai-script name against the usual romanisation', () => {
    const entry = candidate([nameOf('สมชาย ใจดี', { given: 'สมชาย', family: 'ใจดี' }, 'thai')]);
    const match = score('Somchai Jaidee', entry);
    expect(match.score).toBeGreaterThanOrEqual(DEFAULT_THRESHOLD);
    expect(match.reasons).toContain('name transliterated from thai matches');
  });

  it('matches Thai romanisation variants (ai/ay, ee/i)', () => {
    const entry = candidate([nameOf('Somchai Jaidee', { given: 'Somchai', family: 'Jaidee' })]);
    expect(score('Somchay Jaidi', entry).score).toBeGreaterThanOrEqual(DEFAULT_THRESHOLD);
  });

  it('matches an Arabic-script name without short vowels against its Latin spelling', () => {
    const match = score('محمد عبد الله', candidate([nameOf('Muhammad Abdullah')]));
    expect(match.score).toBeGreaterThanOrEqual(DEFAULT_THRESHOLD);
    expect(match.reasons).toContain('name transliterated from arabic matches');
  });

  it('matches a Malay name with the patronymic connector and an abbreviated Muhammad', () => {
    const match = score('Mohd Faizal bin Ismail', candidate([nameOf('Muhammad Faizal Ismail')]));
    expect(match.score).toBeGreaterThanOrEqual(DEFAULT_THRESHOLD);
  });

  it('matches a typo in the given name', () => {
    const match = score('Kim Mihjun', kimMinjun);
    expect(match.score).toBeGreaterThanOrEqual(DEFAULT_THRESHOLD);
    expect(match.reasons).toContain('family name exact');
    expect(match.reasons).toContain('given name spelling close (typo)');
  });

  it('matches a name that sounds the same', () => {
    const match = score('Kim Minjoon', kimMinjun);
    expect(match.score).toBeGreaterThanOrEqual(DEFAULT_THRESHOLD);
    // Syllable by syllable, joon is a passport spelling of 준 jun: the same syllables.
    expect(match.reasons).toContain('given name romanisation variant');
  });

  it('counts a given-name initial only as weak evidence that needs the date of birth', () => {
    const entry = candidate([nameOf('KIM Min-jun', { family: 'KIM', given: 'Min-jun' })], {
      dateOfBirth: '1990-03-14',
    });
    const initialOnly = score('M Kim', entry);
    const initialAndBirthDate = score({ names: ['M Kim'], dateOfBirth: '1990-03-14' }, entry);
    expect(initialOnly.reasons).toContain('given name initial matches');
    expect(initialOnly.score).toBeLessThan(DEFAULT_THRESHOLD);
    expect(initialAndBirthDate.score).toBeGreaterThanOrEqual(DEFAULT_THRESHOLD);
  });

  it('finds a person under an alias and says so', () => {
    const entry = candidate([
      nameOf('CHEA Sophara', { family: 'CHEA', given: 'Sophara' }),
      { full: 'Tony Chea', given: 'Tony', family: 'Chea', script: 'latin', kind: 'alias' },
    ]);
    const match = score('Tony Chea', entry);
    expect(match.score).toBeGreaterThanOrEqual(DEFAULT_THRESHOLD);
    expect(match.matchedNames?.entry.kind).toBe('alias');
    expect(match.reasons).toContain('matched on an alias');
  });
});

describe('scoreCandidate: a different person', () => {
  it('scores a clearly different name below the threshold', () => {
    const match = score('Park Jisoo', kimMinjun);
    expect(match.score).toBeLessThan(0.3);
    expect(match.reasons).toContain('given name differs');
  });

  it('keeps a namesake sharing only the surname below the threshold', () => {
    expect(score('Kim Jisoo', kimMinjun).score).toBeLessThan(DEFAULT_THRESHOLD);
  });

  it('keeps a different name from another script below the threshold', () => {
    const match = score('Maria Garcia', candidate([nameOf('សុខ ចាន់ថា', {}, 'khmer')]));
    expect(match.score).toBeLessThan(0.3);
  });
});

describe('scoreCandidate: details beside the name', () => {
  const entry = candidate([nameOf('KIM Min-jun', { family: 'KIM', given: 'Min-jun' })], {
    dateOfBirth: '1990-03-14',
    nationalities: ['KR'],
    sex: 'male',
    documents: [{ type: 'passport', number: 'M12345678', issuingCountry: 'KR' }],
  });

  it('raises the score for a matching date of birth and nationality', () => {
    const nameOnly = score('Kim Minjun', entry);
    const withDetails = score({ names: ['Kim Minjun'], dateOfBirth: '1990-03-14', nationality: 'KR' }, entry);
    expect(withDetails.score).toBeGreaterThan(nameOnly.score);
    expect(withDetails.reasons).toEqual(
      expect.arrayContaining(['date of birth matches', 'nationality matches']),
    );
  });

  it('keeps a candidate born one year off, but takes an exact name born years apart below the threshold', () => {
    const slip = score({ names: ['Kim Minjun'], dateOfBirth: '1991-03-14' }, entry);
    expect(slip.score).toBeLessThan(score('Kim Minjun', entry).score);
    expect(slip.score).toBeGreaterThanOrEqual(DEFAULT_THRESHOLD);
    expect(slip.reasons).toContain('date of birth year differs (by 1)');
    const namesake = score({ names: ['Kim Minjun'], dateOfBirth: '1992-03-14' }, entry);
    expect(namesake.score).toBeLessThan(DEFAULT_THRESHOLD);
    expect(namesake.reasons).toContain('date of birth year differs (by 2)');
  });

  it('lowers the score when nationality or sex differ', () => {
    const match = score({ names: ['Kim Minjun'], nationality: 'KH', sex: 'female' }, entry);
    expect(match.score).toBeLessThan(score('Kim Minjun', entry).score);
    expect(match.reasons).toEqual(expect.arrayContaining(['nationality differs', 'sex differs']));
  });

  it('treats a document number from the same country as a near-certain hit even under another name', () => {
    const match = score(
      { names: ['Tran Van Nam'], document: { number: 'm1234 5678', issuingCountry: 'KR' } },
      entry,
    );
    expect(match.score).toBeGreaterThanOrEqual(0.98);
    expect(match.reasons[0]).toBe('document number exact');
  });
});
