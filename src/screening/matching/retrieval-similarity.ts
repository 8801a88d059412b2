/**
 * How alike two names look to retrieval, cheaply: the share of letter trigrams their retrieval forms
 * (`retrievalForms`) have in common, as PostgreSQL's pg_trgm counts them (each word padded with two
 * spaces before and one after, a trigram counted once, shared / all). Word order does not matter, so
 * a swapped name compares as well as its entry's own order.
 *
 * Why: the candidate pool ranks entries by the rarity of the keys they share with the query, which
 * says little about how close the whole name is when every shared key is held by hundreds (a Korean
 * given name with another romanisation and a typo among 57,000 Kims). The best few hundred by key
 * weight are ranked again by this before the full scoring picks its hundred.
 */
export function trigramSimilarity(a: readonly string[], b: readonly string[]): number {
  const left = trigramsOf(a);
  const right = trigramsOf(b);
  let shared = 0;
  for (const trigram of left) if (right.has(trigram)) shared++;
  const all = left.size + right.size - shared;
  return all === 0 ? 0 : shared / all;
}

/** The best similarity between any form of one name and any form of the other. */
export function bestFormSimilarity(queryForms: readonly string[], entryForms: readonly string[]): number {
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
