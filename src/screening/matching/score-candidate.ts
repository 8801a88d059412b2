import { compareNames, type NameComparison } from './compare-names';
import { compareDatesOfBirth } from './date-of-birth';
import type { Evidence } from './evidence';
import { compareDocuments } from './identity-document';
import type { CandidateMatch, PersonName, ScreeningCandidate, ScreeningQuery } from './matching.types';
import { compareNationality, compareSex } from './nationality-and-sex';
import { prepareEntryName, prepareQueryName, type PreparedName } from './prepared-name';

// A name, however exact, leaves room for namesakes; date of birth, nationality and sex share the rest.
const NAME_WEIGHT = 0.85;
// Without a document, certainty stays below any document hit, so a document hit always ranks first.
const WITHOUT_DOCUMENT_CEILING = 0.97;
const DOCUMENT_HIT_FLOOR = 0.98;

const KIND_REASON: Record<PersonName['kind'], string | null> = {
  primary: null,
  alias: 'matched on an alias',
  former: 'matched on a former name',
};

/** A query with its names prepared once, to score against many candidates. */
export interface PreparedQuery {
  query: ScreeningQuery;
  names: PreparedName[];
}

export function prepareQuery(query: ScreeningQuery): PreparedQuery {
  return { query, names: query.names.map(prepareQueryName) };
}

// Candidates are read-only to the engine, so their prepared names can be kept as long as the object
// lives: a caller that screens many queries against the same loaded entries prepares them once.
const preparedCandidateNames = new WeakMap<ScreeningCandidate, PreparedName[]>();

function preparedNamesOf(candidate: ScreeningCandidate): PreparedName[] {
  let prepared = preparedCandidateNames.get(candidate);
  if (!prepared) {
    prepared = candidate.names.map(prepareEntryName);
    preparedCandidateNames.set(candidate, prepared);
  }
  return prepared;
}

interface BestNamePair {
  queryName: PreparedName;
  entryName: PersonName;
  comparison: NameComparison;
}

function bestNamePair(query: PreparedQuery, candidate: ScreeningCandidate): BestNamePair | null {
  const entryNames = preparedNamesOf(candidate);
  let best: BestNamePair | null = null;
  for (const queryName of query.names) {
    entryNames.forEach((entryName, index) => {
      const comparison = compareNames(queryName, entryName);
      if (comparison.score > 0 && (!best || comparison.score > best.comparison.score)) {
        best = { queryName, entryName: candidate.names[index], comparison };
      }
    });
  }
  return best;
}

const roundScore = (score: number) => Math.round(Math.min(1, Math.max(0, score)) * 1000) / 1000;

/** How likely the candidate is the person the checkpoint is asking about, and why. */
export function scoreCandidate<C extends ScreeningCandidate>(
  query: ScreeningQuery | PreparedQuery,
  candidate: C,
): CandidateMatch<C> {
  const prepared = 'names' in query && 'query' in query ? query : prepareQuery(query);
  const names = bestNamePair(prepared, candidate);
  const nameScore = names?.comparison.score ?? 0;
  const nameReasons = names ? [...names.comparison.reasons] : ['no name resembles the query'];
  const kindReason = names ? KIND_REASON[names.entryName.kind] : null;
  if (kindReason) nameReasons.push(kindReason);

  const document = compareDocuments(prepared.query, candidate.documents);
  const details = [
    compareDatesOfBirth(prepared.query.dateOfBirth, candidate.dateOfBirth),
    compareNationality(prepared.query, candidate),
    compareSex(prepared.query, candidate),
  ].filter((evidence): evidence is Evidence => evidence !== null);

  let score: number;
  if (document?.certain) {
    score = DOCUMENT_HIT_FLOOR + (1 - DOCUMENT_HIT_FLOOR) * nameScore;
  } else {
    const adjustments = [document, ...details].reduce(
      (sum, evidence) => sum + (evidence?.adjustment ?? 0),
      0,
    );
    score = Math.min(WITHOUT_DOCUMENT_CEILING, NAME_WEIGHT * nameScore + adjustments);
  }

  return {
    candidate,
    score: roundScore(score),
    matchedNames: names ? { query: names.queryName.written, entry: names.entryName } : null,
    reasons: [...(document ? [document.reason] : []), ...nameReasons, ...details.map((d) => d.reason)],
  };
}
