import type { CandidateMatch, MatchOptions, ScreeningCandidate, ScreeningQuery } from './matching.types';
import { assessCandidate, explainAssessment, prepareQuery, type Assessment } from './score-candidate';

/**
 * Scores are calibrated (calibration.ts): 0.5 alerts when the candidate is more likely than not the
 * person. Chosen on the held-out labelled pairs (choose-threshold.ts): precision ≥ 0.90 overall and in
 * every language group, with the best recall (0.997 / 0.996 there; every threshold from 0.10 to 0.90
 * decides those pairs alike).
 */
export const DEFAULT_THRESHOLD = 0.5;
/**
 * Candidates from here up to the alert threshold are shown for review, not alerted: near misses (a
 * name one letter from another valid name without a date of birth to decide, a family name alike and
 * the given name not) score about 0.06, and about one in twenty of them was the person on the dev
 * pairs (one in eleven on the outside set's part a): worth a second look at a checkpoint, not an alarm.
 */
export const DEFAULT_REVIEW_THRESHOLD = 0.05;
export const DEFAULT_LIMIT = 50;

/** The candidates that may be the person asked about, best first; those below the threshold are dropped. */
export function rankCandidates<C extends ScreeningCandidate>(
  query: ScreeningQuery,
  candidates: readonly C[],
  options: MatchOptions = {},
): CandidateMatch<C>[] {
  const threshold = options.threshold ?? DEFAULT_THRESHOLD;
  const reviewFrom = Math.min(threshold, options.reviewThreshold ?? DEFAULT_REVIEW_THRESHOLD);
  const limit = options.limit ?? DEFAULT_LIMIT;
  const prepared = prepareQuery(query);
  const kept: Assessment<C>[] = [];
  for (const candidate of candidates) {
    const assessment = assessCandidate(prepared, candidate);
    if (assessment.score >= reviewFrom) kept.push(assessment);
  }
  // Equal scores keep the order the database returned them in (Array.prototype.sort is stable).
  return kept
    .sort((a, b) => b.score - a.score)
    .slice(0, limit)
    .map((assessment) => ({
      ...explainAssessment(assessment),
      band: assessment.score >= threshold ? ('alert' as const) : ('review' as const),
    }));
}
