import type { ScreeningCandidate } from './matching.types';
import { rankCandidates } from './rank-candidates';

function entry(id: string, full: string, details: Partial<ScreeningCandidate> = {}): ScreeningCandidate {
  return { id, names: [{ full, script: 'latin', kind: 'primary' }], ...details };
}

const documentHit = entry('document-hit', 'Choe Youngho', {
  documents: [{ type: 'passport', number: 'M70001234', issuingCountry: 'KR' }],
});
const exactNameAndBirthDate = entry('exact-name-and-birth-date', 'Park Jihoon', {
  dateOfBirth: '1988-07-02',
});
const phoneticNameOnly = entry('phonetic-name-only', 'Pak Jihun');
const differentPerson = entry('different-person', 'Nguyen Thi Lan', { dateOfBirth: '1988-07-02' });

describe('rankCandidates', () => {
  const query = {
    names: ['PARK Jihoon'],
    dateOfBirth: '1988-07-02',
    nationality: 'KR',
    document: { number: 'M7000-1234', issuingCountry: 'KR' },
  };

  it('ranks a document hit above an exact name with date of birth, above a phonetic name alone', () => {
    const ranked = rankCandidates(query, [
      phoneticNameOnly,
      differentPerson,
      exactNameAndBirthDate,
      documentHit,
    ]);
    expect(ranked.map((match) => match.candidate.id)).toEqual([
      'document-hit',
      'exact-name-and-birth-date',
      'phonetic-name-only',
    ]);
    expect(ranked[0].score).toBeGreaterThan(ranked[1].score);
    expect(ranked[1].score).toBeGreaterThan(ranked[2].score);
    for (const match of ranked) expect(match.reasons.length).toBeGreaterThan(0);
  });

  it('drops candidates below the threshold, which the caller can raise', () => {
    const candidates = [phoneticNameOnly, exactNameAndBirthDate, differentPerson];
    expect(rankCandidates(query, candidates).map((match) => match.candidate.id)).not.toContain(
      'different-person',
    );
    const ranked = rankCandidates(query, candidates);
    const strict = rankCandidates(query, candidates, {
      threshold: ranked[0]!.score,
      reviewThreshold: ranked[0]!.score,
    });
    expect(strict.map((match) => match.candidate.id)).toEqual(['exact-name-and-birth-date']);
  });

  it('names the band: alert at or above the threshold, review in the band below, dropped under it', () => {
    const ranked = rankCandidates({ names: ['Pak Jihun'] }, [phoneticNameOnly, differentPerson], {
      threshold: 0.99,
      reviewThreshold: 0.5,
    });
    expect(ranked.map((match) => [match.candidate.id, match.band])).toEqual([
      ['phonetic-name-only', 'review'],
    ]);
    const alerted = rankCandidates({ names: ['Pak Jihun'] }, [phoneticNameOnly]);
    expect(alerted.map((match) => match.band)).toEqual(['alert']);
  });

  it('returns at most the requested number of candidates', () => {
    const namesakes = Array.from({ length: 5 }, (_, index) => entry(`namesake-${index}`, 'Park Jihoon'));
    expect(rankCandidates({ names: ['Park Jihoon'] }, namesakes, { limit: 3 })).toHaveLength(3);
  });

  it('scores every query name and keeps the best pair', () => {
    const ranked = rankCandidates({ names: ['Unknown Person', 'Jihoon Park'] }, [exactNameAndBirthDate]);
    expect(ranked[0].matchedNames?.query).toBe('Jihoon Park');
  });
});
