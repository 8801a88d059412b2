import type { CandidateMatch, MatchOptions, ScreeningCandidate, ScreeningQuery } from './matching.types';
import { assessCandidate, explainAssessment, prepareQuery, type Assessment } from './score-candidate';

/**
 * Scores are calibrated (calibration.ts): 0.5 alerts when the candidate is more likely than not the
 * person. Chosen on the held-out labelled pairs (choose-threshold.ts): precision ≥ 0.90 overall and in
 * every language group, with the best recall (0.984 / 0.996 there; every threshold from 0.20 to 0.85
 * decides those pairs alike).
 */
export const DEFAULT_THRESHOLD = 0.5;
/**
 * Candidates from here up to the alert threshold are shown for review, not alerted: about one in six
 * of them was the person on the dev pairs, worth a second look at a checkpoint, not an alarm.
 */
export const DEFAULT_REVIEW_THRESHOLD = 0.15;
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
