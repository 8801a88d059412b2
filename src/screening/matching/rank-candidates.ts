import type { CandidateMatch, MatchOptions, ScreeningCandidate, ScreeningQuery } from './matching.types';
import { assessCandidate, explainAssessment, prepareQuery, type Assessment } from './score-candidate';

export const DEFAULT_THRESHOLD = 0.7;
export const DEFAULT_LIMIT = 50;

/** The candidates that may be the person asked about, best first; those below the threshold are dropped. */
export function rankCandidates<C extends ScreeningCandidate>(
  query: ScreeningQuery,
  candidates: readonly C[],
  options: MatchOptions = {},
): CandidateMatch<C>[] {
  const threshold = options.threshold ?? DEFAULT_THRESHOLD;
  const limit = options.limit ?? DEFAULT_LIMIT;
  const prepared = prepareQuery(query);
  const kept: Assessment<C>[] = [];
  for (const candidate of candidates) {
    const assessment = assessCandidate(prepared, candidate);
    if (assessment.score >= threshold) kept.push(assessment);
  }
  // Equal scores keep the order the database returned them in (Array.prototype.sort is stable).
  return kept
    .sort((a, b) => b.score - a.score)
    .slice(0, limit)
    .map(explainAssessment);
}
