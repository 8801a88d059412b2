import { distance } from 'fastest-levenshtein';

/**
 * How alike two names look to retrieval, cheaply: the share of letter trigrams their retrieval forms
 * (`retrievalForms`) have in common, as PostgreSQL's pg_trgm counts them (each word padded with two
 * spaces before and one after, a trigram counted once, shared / all). Word order does not matter, so
 * a swapped name compares as well as its entry's own order.
 *
 * The retrieval's pre-score compared forms so until session 11; it now compares them part by part
 * ({@link formSimilarity}). Kept for the benchmarks' comparison with it.
 */
export function trigramSimilarity(a: readonly string[], b: readonly string[]): number {
  const left = trigramsOf(a);
  const right = trigramsOf(b);
  let shared = 0;
  for (const trigram of left) if (right.has(trigram)) shared++;
  const all = left.size + right.size - shared;
  return all === 0 ? 0 : shared / all;
}

/**
 * How alike two retrieval forms ("family given") look to the pre-score: the family parts and the given
 * parts compared apart, each by its edit distance over the longer of the two (1 alike, 0 nothing in
 * common), averaged; forms of one part are compared whole. The retrieval statement computes the same
 * with fuzzystrmatch's `levenshtein` (`CANDIDATES_SQL` in candidate-pool.ts), in the same order of
 * operations, so that the two give the same doubles and break ties alike.
 *
 * Why not trigrams any more (bench/README.md, session 12): the names left to the pre-score are short
 * and carry two faults ("Seongdwan Gim" for KIM Sunghwan, "Huaun Rhee" for LEE Hooneun); a trigram count
 * over the whole form is dominated by the family name that every candidate of the pool shares, and
 * one slipped letter in a five-letter given name costs it most of its trigrams. Compared part by part,
 * the given name counts as much as the family name and a letter costs one letter.
 */
export function formSimilarity(query: string, entry: string): number {
  const q = query.indexOf(' ');
  const e = entry.indexOf(' ');
  if (q < 0 || e < 0) return editSimilarity(query, entry);
  const family = editSimilarity(query.slice(0, q), entry.slice(0, e));
  const given = editSimilarity(query.slice(q + 1), entry.slice(e + 1));
  return (family + given) / 2;
}

/** 1 - edit distance / the longer length (1 for two empty strings), as the SQL writes it. */
function editSimilarity(a: string, b: string): number {
  return 1 - distance(a, b) / Math.max(a.length, b.length, 1);
}

/** The best similarity ({@link formSimilarity}) between any form of one name and any form of the other. */
export function bestFormSimilarity(queryForms: readonly string[], entryForms: readonly string[]): number {
  let best = 0;
  for (const q of queryForms) {
    for (const e of entryForms) best = Math.max(best, formSimilarity(q, e));
  }
  return best;
}

/** The trigram form of the pre-score (sessions 8–11), kept for comparison in the benchmarks. */
export function bestTrigramSimilarity(queryForms: readonly string[], entryForms: readonly string[]): number {
  let best = 0;
  for (const q of queryForms) {
    for (const e of entryForms) best = Math.max(best, trigramSimilarity([q], [e]));
  }
  return best;
}

function trigramsOf(texts: readonly string[]): Set<string> {
  const trigrams = new Set<string>();
  for (const text of texts) {
    for (const word of text.split(' ')) {
      if (!word) continue;
      const padded = `  ${word} `;
      for (let i = 0; i + 3 <= padded.length; i++) trigrams.add(padded.slice(i, i + 3));
    }
  }
  return trigrams;
}
