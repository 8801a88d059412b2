import type { Evidence } from './evidence';
import type { ScreeningCandidate, ScreeningQuery } from './matching.types';

// Nationality barely moves the score: scam-network members travel on passports of several countries.
export function compareNationality(query: ScreeningQuery, candidate: ScreeningCandidate): Evidence | null {
  if (!query.nationality || !candidate.nationalities?.length) return null;
  const nationality = query.nationality.toUpperCase();
  return candidate.nationalities.some((code) => code.toUpperCase() === nationality)
    ? { adjustment: 0.02, reason: 'nationality matches' }
    : { adjustment: -0.04, reason: 'nationality differs' };
}

export function compareSex(query: ScreeningQuery, candidate: ScreeningCandidate): Evidence | null {
  const known = (sex: string | null | undefined) => sex === 'male' || sex === 'female';
  if (!known(query.sex) || !known(candidate.sex) || query.sex === candidate.sex) return null;
  return { adjustment: -0.15, reason: 'sex differs' };
}
