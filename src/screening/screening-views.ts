import type { PooledCandidate } from './candidate-pool';
import type { ScreeningCandidateView } from './dto/screening.dto';
import type { CandidateMatch, PersonName } from './matching';

/** Scores as kept (numeric(5,4)): the answer to a screening shows what a later read of it shows. */
export const keptScore = (score: number): string => score.toFixed(4);

/** A candidate read back from the database (GET /screenings/:id, decisions). */
export function candidateViewOfRow(
  r: Record<string, unknown>,
  alertThreshold: number,
): ScreeningCandidateView {
  return {
    id: r.id as string,
    score: Number(r.score),
    // From the kept score and today's threshold: a candidate kept in the review band stays readable.
    band: Number(r.score) >= alertThreshold ? 'alert' : 'review',
    matchedNames: r.matched_entry_name
      ? { query: r.matched_query_name as string, entry: r.matched_entry_name as string }
      : null,
    reasons: r.reasons as string[],
    previouslyCleared: r.previously_cleared as boolean,
    foundBy: r.found_by as 'query' | 'rescreen',
    decision: r.decision as 'confirmed' | 'cleared' | null,
    entry: {
      entryId: r.entry_id as string,
      names: namesView(r.names as PersonName[]),
      birthDate: r.birth_date as string | null,
      nationalities: r.nationalities as string[],
      groundsSummary: r.grounds_summary as string,
      proposingCountry: r.proposing_country as string,
    },
  };
}

/** A candidate of the screening just run, from what the engine scored: nothing is read back. */
export function candidateViewOfMatch(
  match: CandidateMatch<PooledCandidate>,
  candidateId: string,
  previouslyCleared: boolean,
): ScreeningCandidateView {
  const entry = match.candidate;
  return {
    id: candidateId,
    score: Number(keptScore(match.score)),
    band: match.band ?? 'alert',
    matchedNames: match.matchedNames?.entry.full
      ? { query: match.matchedNames.query, entry: match.matchedNames.entry.full }
      : null,
    reasons: match.reasons,
    previouslyCleared,
    foundBy: 'query',
    decision: null,
    entry: {
      entryId: entry.id,
      names: namesView(entry.names),
      birthDate: entry.dateOfBirth ?? null,
      nationalities: entry.nationalities ?? [],
      groundsSummary: entry.groundsSummary,
      proposingCountry: entry.proposingCountry,
    },
  };
}

/** The order GET /screenings/:id lists candidates in: best score first, then candidate id. */
export function byScoreThenId(a: ScreeningCandidateView, b: ScreeningCandidateView): number {
  return b.score - a.score || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

function namesView(names: PersonName[]) {
  return names.map((n) => ({ full: n.full, script: n.script, kind: n.kind }));
}
