/**
 * Replays the retrieval's pre-score (`pickForScoring`, src/screening/candidate-prescore.ts) on the pools
 * `npm run bench:retrieval` wrote with BENCH_DUMP_POOLS (each query's best entries by key weight, in the
 * SQL's order, with their retrieval forms): a pick rule is tried over 3,000 queries in seconds instead of
 * a model run of ten minutes or more. Only rules that pick from what the keys fetched can be tried so.
 *
 *   BENCH_DUMP_POOLS=/tmp/pools.json BENCH_QUERY_SEED=1 npm run bench:retrieval
 *   npx ts-node --transpile-only --project bench/tsconfig.json bench/screening/prescore-replay.ts /tmp/pools.json \
 *     'pre400+u50+tri' 'pre400+u50+edit'
 *
 * A rule: `pre<N>` fetched, `u<U>` most alike added to the key ranking's own choice (the best 100 by
 * weight, ties to 150), and the similarity: `edit` (`formSimilarity`, the app's since session 12, the
 * default), `tri` (pg_trgm's over the whole forms, the app's before), or one of the experiments of
 * `similarityFor` (`pedit<g>`: the parts by edit similarity, the given part weighing g; `pjaro<g>`,
 * `ptri<g>`, `tgedit<g>`, `tgjaro<g>`, `pet`, `pej`).
 */
import { readFileSync } from 'node:fs';
import { distance } from 'fastest-levenshtein';
import { bestFormSimilarity, bestTrigramSimilarity } from '../../src/screening/matching/retrieval-similarity';
import { jaroWinklerSimilarity } from '../../src/screening/matching/string-similarity';
import { CANDIDATE_BUDGET } from '../../src/screening/candidate-pool';

interface DumpedQuery {
  queryForms: string[];
  place: number;
  pool: Array<[number, number, number]>; // [is the intended entry, weight, name id]
  kind: string;
  origin: string;
  why: string;
  q: string;
}

const [file, ...rules] = process.argv.slice(2);
const dump = JSON.parse(readFileSync(file!, 'utf8')) as {
  queries: DumpedQuery[];
  forms: Record<string, string[]>;
};
const SHOW = Number(process.env.SHOW_MISSES ?? 0);

type Similarity = (q: readonly string[], e: readonly string[]) => number;
type PairSimilarity = (q: string, e: string) => number;
const editSim: PairSimilarity = (a, b) =>
  a === b ? 1 : 1 - distance(a, b) / Math.max(a.length, b.length, 1);
const trigramSim: PairSimilarity = (a, b) => bestTrigramSimilarity([a], [b]);
const partwise =
  (part: PairSimilarity, g: number): PairSimilarity =>
  (q, e) => {
    const qs = q.indexOf(' ');
    const es = e.indexOf(' ');
    if (qs < 0 || es < 0) return part(q, e);
    return (part(q.slice(0, qs), e.slice(0, es)) + g * part(q.slice(qs + 1), e.slice(es + 1))) / (1 + g);
  };
const best =
  (pair: PairSimilarity): Similarity =>
  (qf, ef) => {
    let top = 0;
    for (const q of qf) for (const e of ef) top = Math.max(top, pair(q, e));
    return top;
  };
function similarityFor(token: string): Similarity | null {
  if (token === 'tri') return bestTrigramSimilarity;
  if (token === 'edit') return bestFormSimilarity;
  if (token === 'pet') return best((q, e) => partwise(editSim, 1)(q, e) + 1e-3 * trigramSim(q, e));
  if (token === 'pej')
    return best((q, e) => partwise(editSim, 1)(q, e) + 1e-3 * partwise(jaroWinklerSimilarity, 1)(q, e));
  const m = /^(pedit|pjaro|ptri|tgedit|tgjaro)([\d.]+)$/.exec(token);
  if (!m) return null;
  const g = Number(m[2]);
  switch (m[1]) {
    case 'pedit':
      return best(partwise(editSim, g));
    case 'pjaro':
      return best(partwise(jaroWinklerSimilarity, g));
    case 'ptri':
      return best(partwise(trigramSim, g));
    case 'tgedit':
      return best((q, e) => trigramSim(q, e) + g * partwise(editSim, 2)(q, e));
    default:
      return best((q, e) => trigramSim(q, e) + g * partwise(jaroWinklerSimilarity, 2)(q, e));
  }
}

let lastAlikeRank = '';
function picked(query: DumpedQuery, rule: string): { found: boolean; scored: number } {
  const fetched = Number(/pre(\d+)/.exec(rule)?.[1] ?? CANDIDATE_BUDGET.fetched);
  const mostAlike = Number(/u(\d+)/.exec(rule)?.[1] ?? CANDIDATE_BUDGET.mostAlike);
  const byWeight = Number(/w(\d+)/.exec(rule)?.[1] ?? CANDIDATE_BUDGET.scored);
  const cap = Math.floor((byWeight * CANDIDATE_BUDGET.scoredWithTies) / CANDIDATE_BUDGET.scored);
  const similarity =
    rule
      .split('+')
      .map(similarityFor)
      .find((x) => x) ?? bestFormSimilarity;
  const pool = query.pool.slice(0, fetched);
  let taken = Math.min(byWeight, pool.length);
  const last = pool[taken - 1];
  while (last && taken < Math.min(cap, pool.length) && pool[taken]![1] === last[1]) taken++;
  if (pool.slice(0, taken).some(([target]) => target))
    return { found: true, scored: taken + Math.min(mostAlike, pool.length - taken) };
  const cache = new Map<number, number>();
  const rest = pool.slice(taken).map(([target, weight, nameId], place) => {
    let sim = cache.get(nameId);
    if (sim === undefined) {
      sim = similarity(query.queryForms, dump.forms[nameId]!);
      cache.set(nameId, sim);
    }
    return { target, weight, place, sim };
  });
  rest.sort((a, b) => b.sim - a.sim || b.weight - a.weight || a.place - b.place);
  const alike = rest.slice(0, mostAlike);
  const at = rest.findIndex((r) => r.target === 1);
  if (at >= mostAlike)
    lastAlikeRank = `alike rank ${at + 1} of ${rest.length} (sim ${rest[at]!.sim.toFixed(3)}; the ${mostAlike}th ${rest[mostAlike - 1]!.sim.toFixed(3)})`;
  return {
    found: alike.some((r) => r.target === 1),
    scored: taken + alike.length,
  };
}

for (const rule of rules) {
  const tally = new Map<string, { n: number; found: number }>();
  let scored = 0;
  const misses: string[] = [];
  for (const query of dump.queries) {
    lastAlikeRank = '';
    const r = picked(query, rule);
    scored += r.scored;
    for (const label of ['all', `kind ${query.kind}`, `origin ${query.origin}`]) {
      const t = tally.get(label) ?? { n: 0, found: 0 };
      t.n++;
      if (r.found) t.found++;
      tally.set(label, t);
    }
    if (!r.found && misses.length < SHOW) {
      const target = query.pool.find(([t]) => t);
      misses.push(
        `    ${query.kind}: "${query.q}" ${JSON.stringify(query.queryForms)} for ` +
          `${target ? JSON.stringify(dump.forms[target[2]]) : '(beyond the pool)'}, place ${query.place} ${lastAlikeRank}`,
      );
    }
  }
  const all = tally.get('all')!;
  console.log(
    `${rule}: ${((100 * all.found) / all.n).toFixed(2)} % (${all.n - all.found} missed of ${all.n}), ${(scored / all.n).toFixed(0)} scored per query`,
  );
  if (process.env.BY_KIND)
    for (const [label, t] of [...tally].sort())
      if (label !== 'all')
        console.log(`    ${label.padEnd(40)} ${t.n}  ${((100 * t.found) / t.n).toFixed(1)} %`);
  if (misses.length) console.log(misses.join('\n'));
}
