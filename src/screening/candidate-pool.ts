import { Injectable } from '@nestjs/common';
import { Clock } from '../common/time/clock';
import { queryPrepared } from '../database/sql-parts';
import { TransactionService } from '../database/transaction.service';
// The entry's snapshot is read in the matching engine's own shapes (a subset of a person's columns).
import {
  retrievalFormsOf,
  type IdentityDocument,
  type PersonName,
  type QueryName,
  type ScreeningCandidate,
} from './matching';

/**
 * This many entries are scored per query, the best pre-ranked first: fetching a candidate's rows costs
 * about as much as reading a hundred keys, and the right entry ranks near the top (at a million
 * entries, 200 instead of 100 found 1 % more intended entries for 2–3 ms more per query).
 */
const MAX_CANDIDATES = 100;

/**
 * Entries tied with the last of those are scored too, up to this many in all. Namesakes hold the same
 * keys and look the same; with no date of birth in the query nothing tells them apart before scoring,
 * and a cut through them would drop the intended one by the luck of its id (a common name has up to
 * ~80 namesakes in a list of a million, and Korean names that passports spell alike — 김승훈, 김성훈 as
 * Sunghun — share every retrieval key).
 */
const MAX_CANDIDATES_WITH_TIES = 150;

/**
 * The best this many by key weight are fetched; beyond those scored by weight, the MOST_ALIKE of the
 * others whose names look most like the query's are scored too (`candidate-prescore.ts`): when every
 * key the intended entry shares is held by hundreds, coincidences of rarer keys put it a few hundred
 * down the key ranking (bench/README.md, session 8). 100 most alike rather than 50 since session 12: the
 * comparison by edit distance ties less, and the 50 more cost little in the statement (the 400 are
 * compared either way) — 98.77 -> 98.97 % on the model's tuning queries. 500 rather than 400 since
 * session 29, once the integer weights had made the statement 2–3 ms cheaper: at a million, 98.93 ->
 * 99.07 % of the bench's 3,000 queries and 56 -> 52 misses of the model's 9,000, for ~1.3 ms more.
 */
const FETCHED = 500;
const MOST_ALIKE = 100;
/**
 * Those tied with the last of the most alike (as alike, and weighing the same: namesakes) are scored
 * too, up to this many, for the reason of MAX_CANDIDATES_WITH_TIES: at a million, 99.07 -> 99.17 % of the
 * bench's 3,000 queries and 52 -> 48 misses of the model's 9,000, for ~18 more candidates scored (session 29).
 */
const MOST_ALIKE_WITH_TIES = 150;

/**
 * The rarest of the query's keys are read, until about this many holders: in a list of a million,
 * "j:kimminjun" has ~60 holders, "f:kim m" a few thousand and "v:kim" tens of thousands, which are
 * never read. The cost of a query is bounded by this whatever the length of the list: reading and
 * weighing the holders is most of it (8,000 took 10 ms at the median, 2,000 took 3 ms, and found
 * 3 % fewer intended entries — bench/README.md).
 */
const HOLDERS_READ = 2000;

/** The retrieval's budget, for the benchmark that models it (bench/screening/retrieval-model.ts). */
export const CANDIDATE_BUDGET = {
  holdersRead: HOLDERS_READ,
  fetched: FETCHED,
  mostAlike: MOST_ALIKE,
  mostAlikeWithTies: MOST_ALIKE_WITH_TIES,
  scored: MAX_CANDIDATES,
  scoredWithTies: MAX_CANDIDATES_WITH_TIES,
} as const;

/** An active entry as screening scores it, with what a screener needs to see of it. */
export interface PooledCandidate extends ScreeningCandidate {
  groundsSummary: string;
  proposingCountry: string;
}

interface CandidateRow {
  id: string;
  weight: string; // int8, millionths: equal keys weigh exactly the same
  grounds_summary: string;
  proposing_country: string;
  names: PersonName[];
  birth_date: string | null;
  nationalities: string[];
  sex: string | null;
  documents: IdentityDocument[];
}

const PROFILE_COLUMNS = `s.entry_id AS id, s.grounds_summary, s.proposing_country, s.names, s.birth_date, s.nationalities, s.sex, s.documents`;

// Keys are taken rarest first while the holders of the rarer ones add up to less than the budget
// (so the rarest is always taken). Each weighs more the fewer entries hold it, (1 + ln(budget /
// holders))²: the entries sharing the rare parts of the name come first, and one key held by a
// handful (the name less the letter a typo changed) outweighs two held by hundreds each (the family
// name with an initial, a consonant skeleton), which the unsquared sum let win. A key's weight is made
// once, in millionths as an integer: entries holding the same keys tie exactly, whatever order the sum
// took them in, and summing and sorting integers over the ~2,500 holders read took a fifth off the
// statement (a float summed per holder and rounded to numeric per entry: bench/README.md, session 29).
//
// Of the best $4 by weight (`fetched`), the pre-score picks those to score (`pickForScoring` in
// candidate-prescore.ts is its model and says why): the best $6 by weight then id and those tied with
// the $6th, up to $7 (`by_weight`), then the $8 others whose retrieval forms are most like the query's
// ($9): `formSimilarity` (retrieval-similarity.ts) of the best pair of forms — family and given parts
// each by fuzzystrmatch's edit distance over the longer, averaged — then weight, then id, and those tied
// with the $8th in likeness and weight, up to $10 (`alike`). Only those are read out with their names
// and documents.
export const CANDIDATES_SQL = `
WITH query_key AS MATERIALIZED (
  SELECT c.key, c.entries AS holders, sum(c.entries) OVER (ORDER BY c.entries, c.key) - c.entries AS rarer_holders,
         round(1e6 * power(1 + ln($5::float8 / least(c.entries, $5)), 2))::int8 AS weight
    FROM blacklist_search_key_count c
   WHERE c.banning_country = $1 AND c.key = ANY($2::text[]) AND c.entries > 0
), hits AS (
  SELECT k.entry_id, sum(q.weight)::int8 AS weight
    FROM query_key q
    CROSS JOIN LATERAL (SELECT k.entry_id FROM blacklist_search_key k
                         WHERE k.banning_country = $1 AND k.key = q.key LIMIT $5) k
   WHERE q.rarer_holders < $5
   GROUP BY k.entry_id ORDER BY weight DESC, k.entry_id LIMIT $4
), fetched AS MATERIALIZED (
  SELECT s.entry_id, s.retrieval_forms, best.weight,
         row_number() OVER (ORDER BY best.weight DESC, s.entry_id) AS place
    FROM hits best JOIN blacklist_screening_profile s ON s.entry_id = best.entry_id
   WHERE s.banning_country = $1 AND s.expires_on >= $3::date
), by_weight AS (
  SELECT f.entry_id, f.weight, f.place
    FROM fetched f
   WHERE f.place <= $6
      OR f.place <= $7 AND f.weight = (SELECT c.weight FROM fetched c WHERE c.place = $6)
), alike_ranked AS (
  SELECT f.entry_id, f.weight,
         coalesce((SELECT max(CASE WHEN strpos(q, ' ') > 0 AND strpos(e, ' ') > 0
                                   THEN ((1 - levenshtein(x.qf, x.ef)::float8 / greatest(length(x.qf), length(x.ef), 1))
                                         + (1 - levenshtein(x.qg, x.eg)::float8 / greatest(length(x.qg), length(x.eg), 1))) / 2
                                   ELSE 1 - levenshtein(q, e)::float8 / greatest(length(q), length(e), 1) END)
                     FROM unnest($9::text[]) q, unnest(f.retrieval_forms) e,
                          LATERAL (SELECT split_part(q, ' ', 1) AS qf, substr(q, strpos(q, ' ') + 1) AS qg,
                                          split_part(e, ' ', 1) AS ef, substr(e, strpos(e, ' ') + 1) AS eg) x), 0) AS likeness
    FROM fetched f
   WHERE f.place > (SELECT count(*) FROM by_weight)
   ORDER BY likeness DESC, f.weight DESC, f.entry_id
   LIMIT greatest($8::int8, $10::int8)
), alike_numbered AS (
  SELECT a.*, row_number() OVER (ORDER BY a.likeness DESC, a.weight DESC, a.entry_id) AS n FROM alike_ranked a
), alike AS (
  SELECT a.entry_id, a.weight, a.likeness FROM alike_numbered a
   WHERE a.n <= $8 OR (a.likeness, a.weight) = (SELECT l.likeness, l.weight FROM alike_numbered l WHERE l.n = $8)
), picked AS (
  SELECT entry_id, weight, place AS rank FROM by_weight
  UNION ALL
  SELECT entry_id, weight, (SELECT count(*) FROM by_weight)
                           + row_number() OVER (ORDER BY likeness DESC, weight DESC, entry_id) FROM alike
)
SELECT ${PROFILE_COLUMNS}, picked.weight
  FROM picked JOIN blacklist_screening_profile s ON s.entry_id = picked.entry_id
 ORDER BY picked.rank`;

/**
 * Candidate retrieval in PostgreSQL: entries active (and unexpired) in one country that share one
 * of the query's rarer search keys, those sharing the rarest first, read from their screening
 * profiles (`src/blacklist/screening-profile.ts`). The cost follows the query's keys, not the length
 * of the list.
 */
@Injectable()
export class CandidatePool {
  constructor(
    private readonly tx: TransactionService,
    private readonly clock: Clock,
  ) {}

  /**
   * The entries worth scoring for a query's keys and names: those the query's keys rank first, the
   * most alike by name of them.
   */
  async activeCandidates(
    country: string,
    keys: string[],
    names: readonly QueryName[],
  ): Promise<PooledCandidate[]> {
    if (!keys.length) return [];
    // Prepared (named), parsed and planned once per pooled connection: at a million entries, 7.4 -> 5.8 ms
    // wall at the median on one connection (EXPLAIN: planning 0.3 ms, execution 6.7 ms; 195 of 200 runs
    // used the generic plan PostgreSQL switches to after five, and were no slower): bench/README.md, session 11.
    const rows = await queryPrepared<CandidateRow>(this.tx.manager, CANDIDATES_SQL, [
      country,
      keys,
      this.clock.today(),
      FETCHED,
      HOLDERS_READ,
      MAX_CANDIDATES,
      MAX_CANDIDATES_WITH_TIES,
      MOST_ALIKE,
      retrievalFormsOf(names),
      MOST_ALIKE_WITH_TIES,
    ]);
    return rows.map(toCandidate);
  }

  /** One entry as a candidate, if it is active and unexpired in the country. */
  async activeEntry(country: string, entryId: string): Promise<PooledCandidate | null> {
    const [row]: CandidateRow[] = await this.tx.manager.query(
      `SELECT ${PROFILE_COLUMNS} FROM blacklist_screening_profile s
        WHERE s.entry_id = $1 AND s.banning_country = $2 AND s.expires_on >= $3::date`,
      [entryId, country, this.clock.today()],
    );
    return row ? toCandidate(row) : null;
  }
}

function toCandidate(r: CandidateRow): PooledCandidate {
  return {
    id: r.id,
    groundsSummary: r.grounds_summary,
    proposingCountry: r.proposing_country,
    names: r.names,
    dateOfBirth: r.birth_date,
    nationalities: r.nationalities,
    sex: r.sex === 'male' || r.sex === 'female' ? r.sex : null,
    documents: r.documents,
  };
}
