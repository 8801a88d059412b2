// The name-matching engine for border screening: pure functions, no database, no Nest.
export type {
  CandidateMatch,
  IdentityDocument,
  MatchedNamePair,
  MatchOptions,
  NameKind,
  NameScript,
  PersonName,
  QueryName,
  ScreeningCandidate,
  ScreeningQuery,
  Sex,
} from './matching.types';
export { normaliseName } from './normalise-name';
export { normaliseDocumentNumber } from './identity-document';
export { retrievalForms, retrievalFormsOf, searchKeys, type SearchKeys } from './search-keys';
export { bestFormSimilarity } from './retrieval-similarity';
export { prepareQuery, scoreCandidate, type PreparedQuery } from './score-candidate';
export {
  DEFAULT_LIMIT,
  DEFAULT_REVIEW_THRESHOLD,
  DEFAULT_THRESHOLD,
  rankCandidates,
} from './rank-candidates';
export { detectScript } from '../../common/text/name-script';
