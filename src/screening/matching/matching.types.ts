import type { NameScript } from '../../common/text/name-script';

/** Writing systems a blacklist name may be recorded in. */
export type { NameScript };

export type NameKind = 'primary' | 'alias' | 'former';

/** One name of a blacklisted person, as the proposing country recorded it. */
export interface PersonName {
  full: string;
  given?: string;
  family?: string;
  script: NameScript;
  kind: NameKind;
}

export interface IdentityDocument {
  type: string;
  number: string;
  /** ISO 3166-1 alpha-2. */
  issuingCountry: string;
}

export type Sex = 'male' | 'female' | 'unknown';

/** The person of an active blacklist entry, as the engine needs it. */
export interface ScreeningCandidate {
  id: string;
  names: PersonName[];
  /** `YYYY`, `YYYY-MM` or `YYYY-MM-DD`. */
  dateOfBirth?: string | null;
  /** ISO 3166-1 alpha-2 codes. */
  nationalities?: string[];
  sex?: Sex | null;
  documents?: IdentityDocument[];
}

/** A name typed at the checkpoint: free text, or the surname and given names read from a passport. */
export type QueryName = string | { full?: string; given?: string; family?: string };

export interface ScreeningQuery {
  names: QueryName[];
  /** `YYYY`, `YYYY-MM` or `YYYY-MM-DD`. */
  dateOfBirth?: string | null;
  /** ISO 3166-1 alpha-2. */
  nationality?: string | null;
  sex?: Sex | null;
  document?: { number: string; issuingCountry?: string | null; type?: string | null } | null;
}

export interface MatchOptions {
  /** Candidates scoring at least this are alerts. Default 0.5 (scores are calibrated). */
  threshold?: number;
  /** Candidates from this up to `threshold` are returned in the `review` band; below, dropped. Default 0.15. */
  reviewThreshold?: number;
  /** At most this many candidates are returned, best first. Default 50. */
  limit?: number;
}

export interface MatchedNamePair {
  /** The query name as typed. */
  query: string;
  /** The entry's name that matched best. */
  entry: PersonName;
}

export interface CandidateMatch<C extends ScreeningCandidate = ScreeningCandidate> {
  candidate: C;
  /** 0 (no resemblance) to 1 (certain). */
  score: number;
  /** Null when no name of the candidate resembles the query (a document hit alone). */
  matchedNames: MatchedNamePair | null;
  /** Why the candidate scored as it did, strongest evidence first, in words a screener reads. */
  reasons: string[];
  /** `alert` at or above the threshold; `review` in the band below it (set by rankCandidates). */
  band?: 'alert' | 'review';
}
