import {
  ANOTHER_NAME_SCORE,
  compareNames,
  nameReasons,
  saysAnotherName,
  type NameComparison,
} from './compare-names';
import { calibratedScore, DOCUMENT_HIT_FLOOR } from './calibration';
import { compareDatesOfBirth } from './date-of-birth';
import type { Evidence } from './evidence';
import { compareDocuments, type DocumentEvidence } from './identity-document';
import type { CandidateMatch, PersonName, ScreeningCandidate, ScreeningQuery } from './matching.types';
import { compareNationality, compareSex } from './nationality-and-sex';
import { prepareEntryName, prepareQueryName, type PreparedName } from './prepared-name';

// A name, however exact, leaves room for namesakes; date of birth, nationality and sex share the rest.
const NAME_WEIGHT = 0.85;
// Without a document, certainty stays below any document hit, so a document hit always ranks first.
const WITHOUT_DOCUMENT_CEILING = 0.97;

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

interface BestNamePair {
  entryName: PersonName;
  comparison: NameComparison;
}

const SCRIPT_WORDS: Partial<Record<PreparedName['script'], string>> = {
  hangul: 'Hangul',
  han: 'Chinese characters',
  thai: 'Thai script',
  khmer: 'Khmer script',
};

/**
 * The best-matching pair of names. When the query and the entry both write the name in one native
 * script (Hangul, Thai, Khmer, Han), that spelling decides: a native script writes a person's name
 * one way, so two different native spellings are two names (오경미 and 오경민, សុភា and សុភាព), however
 * alike their romanisations are; the entry's Latin names cannot outvote it.
 */
function bestNamePair(query: PreparedQuery, candidate: ScreeningCandidate): BestNamePair | null {
  const entryNames = candidate.names.map(prepareEntryName);
  // Vietnamese names are read as such (which end is the family name, a middle name left out) when
  // either side says the person is Vietnamese, however the names are spelt.
  const vietnamesePerson = [query.query.nationality, ...(candidate.nationalities ?? [])].some(
    (code) => code?.toUpperCase() === 'VN',
  );
  let best: BestNamePair | null = null;
  let bestLatin: BestNamePair | null = null;
  let nativeAgrees = false;
  let nativeDiffers: string | null = null;
  for (const queryName of query.names) {
    for (let index = 0; index < entryNames.length; index++) {
      const entryName = entryNames[index]!;
      if (queryName.native && entryName.native && queryName.script === entryName.script) {
        if (queryName.native === entryName.native) nativeAgrees = true;
        else nativeDiffers = SCRIPT_WORDS[queryName.script] ?? queryName.script;
      }
      const comparison = compareNames(queryName, entryName, vietnamesePerson);
      const pair = { entryName: candidate.names[index]!, comparison };
      if (comparison.score > 0 && (!best || comparison.score > best.comparison.score)) best = pair;
      if (queryName.script === 'latin' && entryName.script === 'latin') {
        if (!bestLatin || comparison.score > bestLatin.comparison.score) bestLatin = pair;
      }
    }
  }
  if (best && nativeDiffers && !nativeAgrees && best.comparison.score >= ANOTHER_NAME_SCORE) {
    const anotherName = `written in ${nativeDiffers} on both sides, the name differs: another name`;
    best = { ...best, comparison: { ...best.comparison, score: ANOTHER_NAME_SCORE, anotherName } };
  }
  // Thai script transliterates roughly (its short vowels are not written): a Latin query read against
  // an entry's Thai name cannot outvote the entry's own Latin name saying "another name".
  if (best && bestLatin && best !== bestLatin && LOSSY_SCRIPTS.has(best.comparison.entry.script)) {
    if (saysAnotherName(bestLatin.comparison)) best = bestLatin;
  }
  return best;
}

const LOSSY_SCRIPTS: ReadonlySet<PreparedName['script']> = new Set(['thai']);

/** The evidence about one candidate, before it is put in words. */
export interface Assessment<C extends ScreeningCandidate> {
  candidate: C;
  /** Calibrated: about the share of true hits among candidates scored so (see calibration.ts). */
  score: number;
  /** The engine's evidence sum before calibration, for fitting it. */
  rawScore: number;
  names: BestNamePair | null;
  document: DocumentEvidence | null;
  details: Evidence[];
}

const roundScore = (score: number) => Math.round(Math.min(1, Math.max(0, score)) * 1000) / 1000;

/** The score alone: ranking thousands of candidates puts in words only those that are kept. */
export function assessCandidate<C extends ScreeningCandidate>(
  query: PreparedQuery,
  candidate: C,
): Assessment<C> {
  const names = bestNamePair(query, candidate);
  const nameScore = names?.comparison.score ?? 0;
  const document = compareDocuments(query.query, candidate.documents);
  const details = [
    compareDatesOfBirth(query.query.dateOfBirth, candidate.dateOfBirth),
    compareNationality(query.query, candidate),
    compareSex(query.query, candidate),
  ].filter((evidence): evidence is Evidence => evidence !== null);

  let score: number;
  if (document?.certain) {
    score = DOCUMENT_HIT_FLOOR + (1 - DOCUMENT_HIT_FLOOR) * nameScore;
  } else {
    let adjustments = document?.adjustment ?? 0;
    for (const evidence of details) adjustments += evidence.adjustment;
    score = Math.min(WITHOUT_DOCUMENT_CEILING, NAME_WEIGHT * nameScore + adjustments);
  }
  return { candidate, score: roundScore(calibratedScore(score)), rawScore: score, names, document, details };
}

/** The assessment as the screener sees it: score, the names that matched, and the reasons. */
export function explainAssessment<C extends ScreeningCandidate>(
  assessment: Assessment<C>,
): CandidateMatch<C> {
  const { candidate, score, names, document, details } = assessment;
  const reasons: string[] = [];
  if (document) reasons.push(document.reason);
  if (names) {
    reasons.push(...nameReasons(names.comparison));
    const kindReason = KIND_REASON[names.entryName.kind];
    if (kindReason) reasons.push(kindReason);
  } else {
    reasons.push('no name resembles the query');
  }
  reasons.push(...details.map((evidence) => evidence.reason));
  return {
    candidate,
    score,
    matchedNames: names ? { query: names.comparison.query.written, entry: names.entryName } : null,
    reasons,
  };
}

/** How likely the candidate is the person the checkpoint is asking about, and why. */
export function scoreCandidate<C extends ScreeningCandidate>(
  query: ScreeningQuery | PreparedQuery,
  candidate: C,
): CandidateMatch<C> {
  const prepared = 'query' in query ? query : prepareQuery(query);
  return explainAssessment(assessCandidate(prepared, candidate));
}
