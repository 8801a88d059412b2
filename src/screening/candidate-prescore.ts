import { bestFormSimilarity, retrievalFormsOf, type PersonName, type QueryName } from './matching';

/** A candidate as the retrieval SQL returns it: with the summed rarity of the keys it shares. */
export interface WeighedCandidate<T> {
  candidate: T;
  weight: number;
}

export interface ScoringBudget {
  /** The best this many by key weight are scored... */
  byWeight: number;
  /** ...and those tied with the last of them, up to this many (namesakes hold the same keys)... */
  byWeightWithTies: number;
  /** ...and this many more of the others fetched: those whose names look most like the query's... */
  mostAlike: number;
  /** ...and those as alike and weighing the same as the last of them, up to this many (by default none). */
  mostAlikeWithTies?: number;
}

const byWeightThenId = <T extends { id: string }>(a: WeighedCandidate<T>, b: WeighedCandidate<T>) =>
  b.weight - a.weight || compareIds(a.candidate.id, b.candidate.id);

const compareIds = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * The candidates worth the full scoring, out of the few hundred fetched in key-weight order: the key
 * ranking's own choice (the best by weight, with ties), then the ones whose names look most like the
 * query's (`bestFormSimilarity` of their retrieval forms) among the rest.
 *
 * Why both: key weights say little when every key the intended entry shares is held by hundreds
 * ("Yeonwn Gim" for KIM Yunwon among 57,000 Kims: other Kim names of ~30 namesakes each share rarer
 * keys by coincidence, and it ranks a few hundred down), and that is where a comparison of the names
 * themselves helps; but the trigram comparison alone is coarse (a short name shares as many trigrams
 * as the right one) and lost some the weights had found. A trigram comparison of two short strings
 * costs microseconds; scoring a candidate costs ten times that.
 *
 * The retrieval runs this choice in SQL (`CANDIDATES_SQL` in candidate-pool.ts, fuzzystrmatch's
 * `levenshtein` over the forms stored in each profile, as `formSimilarity` computes it), so that only the
 * picked rows are read out whole; this is its model, for the benchmark that models the retrieval and for
 * the test that holds the two to the same picks.
 */
export function pickForScoring<T extends { id: string; names: PersonName[] }>(
  queryNames: readonly QueryName[],
  fetched: readonly WeighedCandidate<T>[],
  budget: ScoringBudget,
): T[] {
  const byWeight = [...fetched].sort(byWeightThenId);
  let taken = Math.min(budget.byWeight, byWeight.length);
  const cap = Math.min(budget.byWeightWithTies, byWeight.length);
  const last = byWeight[taken - 1];
  while (last && taken < cap && byWeight[taken]!.weight === last.weight) taken++;
  const rest = byWeight.slice(taken);
  if (!rest.length || budget.mostAlike <= 0) return byWeight.slice(0, taken).map((w) => w.candidate);
  const queryForms = retrievalFormsOf(queryNames);
  const alike = rest
    .map((w) => ({
      ...w,
      similarity: bestFormSimilarity(queryForms, retrievalFormsOf(w.candidate.names)),
    }))
    .sort((a, b) => b.similarity - a.similarity || byWeightThenId(a, b));
  let alikeTaken = Math.min(budget.mostAlike, alike.length);
  const alikeCap = Math.min(Math.max(budget.mostAlikeWithTies ?? 0, alikeTaken), alike.length);
  const lastAlike = alike[alikeTaken - 1];
  while (
    lastAlike &&
    alikeTaken < alikeCap &&
    alike[alikeTaken]!.similarity === lastAlike.similarity &&
    alike[alikeTaken]!.weight === lastAlike.weight
  )
    alikeTaken++;
  return [...byWeight.slice(0, taken), ...alike.slice(0, alikeTaken)].map((w) => w.candidate);
}
