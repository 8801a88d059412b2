/**
 * `npm run bench:retrieval`: the screening retrieval (src/screening/candidate-pool.ts) modelled in
 * memory over a million entries of the regional mix, without a database, to try
 * key designs before `npm run bench:screening` measures the real thing. The model follows the SQL:
 * each key's holder count, the rarest keys taken while the rarer add up to under the budget, at most
 * the budget's holders read per key in entry-id order (ids are random), the weight
 * (1 + ln(budget / holders))² summed per entry, the best MAX_CANDIDATES by weight then id and those
 * tied with the last, and the pre-score's picks among the rest of those fetched (BENCH_VARIANTS
 * below). It prints a cost proxy: keys probed (count lookups) and holders read per query, profile
 * rows fetched and candidates scored per variant. A million entries take 4–10 minutes on a quiet
 * shared VM (20–40 under load, more with several variants).
 * Entries sharing a name share its keys, so keys are made once per distinct name.
 *
 *   BENCH_SCREENING_ENTRIES=1000000 BENCH_SCREENING_QUERIES=3000 npm run bench:retrieval
 */
import { entryKeys, queryKeys } from '../../src/screening/entry-keys';
import { CANDIDATE_BUDGET } from '../../src/screening/candidate-pool';
import type { ScreeningQuery } from '../../src/screening/matching';
import { retrievalFormsOf } from '../../src/screening/matching/search-keys';
import { bestFormSimilarity, bestTrigramSimilarity } from '../../src/screening/matching/retrieval-similarity';
import { distance } from 'fastest-levenshtein';
import { writeFileSync } from 'node:fs';
import { jaroWinklerSimilarity } from '../../src/screening/matching/string-similarity';
import { ORIGINS, pick, seededRandom, type Origin } from '../screening-matching.population';
import { queryFor, VARIANT_KINDS } from '../screening-matching.variants';
import { regionalName, syntheticEntry, type SyntheticEntry } from './synthetic-blacklist';

const ENTRIES = Number(process.env.BENCH_SCREENING_ENTRIES ?? 1_000_000);
const QUERIES = Number(process.env.BENCH_SCREENING_QUERIES ?? 3000);
// Other budgets can be tried without touching the app: BENCH_HOLDERS_READ, BENCH_SCORED.
const BASE_HOLDERS = Number(process.env.BENCH_HOLDERS_READ ?? CANDIDATE_BUDGET.holdersRead);
const HOLDERS = BASE_HOLDERS;
const expandedCount = new Map<string, number>();
const minHolders: Array<{ min: number; target: number }> = [];
const foundByQuery: Array<{ min: number; found: boolean }> = [];
const SCORED = Number(process.env.BENCH_SCORED ?? CANDIDATE_BUDGET.scored);
// The population and the queries have seeds of their own, so key designs can be tuned on one set of
// queries and measured on another over the same list (BENCH_QUERY_SEED; by default the population's).
const SEED = Number(process.env.BENCH_SEED ?? 20261203);
const random = seededRandom(SEED);
const QUERY_SEED = process.env.BENCH_QUERY_SEED ? Number(process.env.BENCH_QUERY_SEED) : null;
// BENCH_QUERY_SEEDS=1,2: the tuning and the held-out queries in one run, over one population (built once).
const QUERY_SEEDS: Array<number | null> = process.env.BENCH_QUERY_SEEDS
  ? process.env.BENCH_QUERY_SEEDS.split(',').map(Number)
  : [QUERY_SEED];

interface ModelEntry {
  entry: SyntheticEntry;
  nameId: number;
  rank: number; // stands for the random uuid: the order holders are read in
}

function load() {
  const nameIds = new Map<string, number>();
  const nameKeys: string[][] = [];
  const entries: ModelEntry[] = [];
  const byName: number[][] = [];
  for (let i = 0; i < ENTRIES; i++) {
    const entry = syntheticEntry(regionalName(random), i, random);
    const signature = JSON.stringify(entry.candidate.names);
    let nameId = nameIds.get(signature);
    if (nameId === undefined) {
      nameId = nameKeys.length;
      nameIds.set(signature, nameId);
      nameKeys.push(entryKeys({ names: entry.candidate.names, documents: [] } as never));
      byName.push([]);
    }
    byName[nameId]!.push(i);
    entries.push({ entry, nameId, rank: random() });
  }
  const namesByKey = new Map<string, number[]>();
  nameKeys.forEach((keys, nameId) => {
    for (const key of keys) {
      const list = namesByKey.get(key);
      if (list) list.push(nameId);
      else namesByKey.set(key, [nameId]);
    }
  });
  // Keys with the year of birth differ between namesakes: kept per entry, made once per name with a
  // placeholder year that each entry's year replaces (the key ends with the year).
  const yearKeyTemplates = new Map<number, string[]>();
  const entriesByKey = new Map<string, number[]>();
  entries.forEach(({ entry, nameId }, i) => {
    if (!entry.candidate.dateOfBirth) return;
    let templates = yearKeyTemplates.get(nameId);
    if (!templates) {
      templates = entryKeys({ ...entry.candidate, documents: [], birthDate: '0000' } as never).filter((k) =>
        /^[yb]:/.test(k),
      );
      yearKeyTemplates.set(nameId, templates);
    }
    const year = entry.candidate.dateOfBirth.slice(0, 4);
    for (const template of templates) {
      const key = `${template.slice(0, -4)}${year}`;
      const list = entriesByKey.get(key);
      if (list) list.push(i);
      else entriesByKey.set(key, [i]);
    }
  });
  const holdersOf = (key: string) =>
    entriesByKey.get(key) ?? (namesByKey.get(key) ?? []).flatMap((nameId) => byName[nameId]!);
  const holders = (key: string) =>
    entriesByKey.get(key)?.length ??
    (namesByKey.get(key) ?? []).reduce((sum, nameId) => sum + byName[nameId]!.length, 0);
  const keysOf = (i: number) => {
    const { entry, nameId } = entries[i]!;
    const year = entry.candidate.dateOfBirth?.slice(0, 4);
    const yearKeys = year ? (yearKeyTemplates.get(nameId) ?? []).map((t) => `${t.slice(0, -4)}${year}`) : [];
    return [...nameKeys[nameId]!, ...yearKeys];
  };
  const yearKeyCount = () => [...entriesByKey.values()].map((list) => list.length);
  return {
    entries,
    byName,
    namesByKey,
    holders,
    holdersOf,
    keysOf,
    yearKeyCount,
    distinctNames: nameKeys.length,
  };
}

type Model = ReturnType<typeof load>;

/** The candidate-pool SQL, in memory: the ids of the entries it would score, and why one was not. */
/**
 * Ways of ranking the holders, tried side by side on the same queries (BENCH_VARIANTS, comma-separated;
 * misses are shown for the first). The default is the app's since session 8,
 * `sq+ties+pre400+u50`: each key weighing (1 + ln(budget / holders))² (`sq`), the best SCORED and
 * every entry tied with the last up to CANDIDATE_BUDGET.scoredWithTies (`ties`), the best 400 by
 * weight fetched (`pre400`) and the 50 of the others fetched whose retrieval forms look most like
 * the query's added (`u50`, src/screening/candidate-prescore.ts). `sq+ties` is session 7's SQL, `base`
 * the one before (the unsquared sum, no ties); `ties<f>` ties up to f × SCORED; `w<A>` the best A by
 * weight (ties up to 1.5 A) instead of SCORED; `pre<N>` alone ranks the N fetched by similarity
 * only, `mix<b>` by similarity + b × weight / the best weight.
 */
const VARIANTS = (
  process.env.BENCH_VARIANTS ??
  `sq+ties+pre${CANDIDATE_BUDGET.fetched}+u${CANDIDATE_BUDGET.mostAlike}+ut${CANDIDATE_BUDGET.mostAlikeWithTies / CANDIDATE_BUDGET.mostAlike}`
).split(',');
const scoredCount = new Map<string, number>();
// The cost proxy per variant: profile rows fetched (what the SQL returns), beside those scored.
const fetchedCount = new Map<string, number>();
let probes = 0;
let holdersReadTotal = 0;

// An entry's retrieval forms, made once per distinct name.
const formsByName = new Map<number, string[]>();
function entryForms(model: Model, i: number): string[] {
  const { entry, nameId } = model.entries[i]!;
  let forms = formsByName.get(nameId);
  if (!forms) {
    forms = retrievalFormsOf(entry.candidate.names);
    formsByName.set(nameId, forms);
  }
  return forms;
}

// EXPERIMENT (session 12): other similarities for the pre-score, by variant token:
// `pjaro<g>` / `pedit<g>` / `ptri<g>`: family and given parts compared apart (Jaro-Winkler, 1 - edit
// distance / longer, trigrams), the given part weighing g times the family part; `tgedit<g>` the
// trigram similarity of the whole plus the partwise edit similarity times g.
const editSim = (a: string, b: string) =>
  a === b ? 1 : 1 - distance(a, b) / Math.max(a.length, b.length, 1);
const trigramSim = (a: string, b: string) => bestTrigramSimilarity([a], [b]);
function partwise(part: (a: string, b: string) => number, g: number) {
  return (q: string, e: string) => {
    const qs = q.indexOf(' ');
    const es = e.indexOf(' ');
    if (qs < 0 || es < 0) return part(q, e);
    return (part(q.slice(0, qs), e.slice(0, es)) + g * part(q.slice(qs + 1), e.slice(es + 1))) / (1 + g);
  };
}
function similarityOf(variant: string): (q: readonly string[], e: readonly string[]) => number {
  const m = /\+(pjaro|pedit|ptri|tgedit)([\d.]+)/.exec(variant);
  if (!m) return bestFormSimilarity;
  const g = Number(m[2]);
  const pair =
    m[1] === 'pjaro'
      ? partwise(jaroWinklerSimilarity, g)
      : m[1] === 'pedit'
        ? partwise(editSim, g)
        : m[1] === 'ptri'
          ? partwise(trigramSim, g)
          : (q: string, e: string) => trigramSim(q, e) + g * partwise(editSim, 2)(q, e);
  return (qf, ef) => {
    let best = 0;
    for (const q of qf) for (const e of ef) best = Math.max(best, pair(q, e));
    return best;
  };
}

// BENCH_DUMP_POOLS=<file>: for each query, the best DUMP_DEPTH by key weight (in the SQL's order) with
// their names' retrieval forms, written as JSON, so that pick rules can be tried on them in seconds
// (bench/screening/prescore-replay.ts) instead of a model run each.
const DUMP_DEPTH = Number(process.env.BENCH_DUMP_DEPTH ?? 1000);
const poolDump: Array<Record<string, unknown>> | null = process.env.BENCH_DUMP_POOLS ? [] : null;
const dumpedForms = new Map<number, string[]>();

function retrieve(
  model: Model,
  keys: string[],
  target = -1,
  variant = 'base',
  queryForms: string[] = [],
): { scored: Set<number>; why: string } {
  const targetKeys = new Set(target >= 0 ? model.keysOf(target) : []);
  const counted = keys
    .map((key) => ({ key, holders: model.holders(key) }))
    .filter((k) => k.holders > 0)
    .sort((a, b) => a.holders - b.holders || (a.key < b.key ? -1 : 1));
  // EXPERIMENT (session 16): `ad<T>h<H>p<F>`: a query whose rarest key is held by T or more (nothing
  // in it is specific: a common short name, slipped) reads H holders and fetches F instead.
  const adapt = /ad(\d+)h(\d+)p(\d+)/.exec(variant);
  const expanded = !!adapt && (counted[0]?.holders ?? 0) >= Number(adapt[1]);
  const HOLDERS = expanded ? Number(adapt![2]) : BASE_HOLDERS;
  if (expanded) expandedCount.set(variant, (expandedCount.get(variant) ?? 0) + 1);
  if (target >= 0) minHolders.push({ min: counted[0]?.holders ?? 0, target });
  const weight = new Map<number, number>();
  const kindWeights = new Map<number, Map<string, number>>();
  let rarer = 0;
  const skipped: string[] = [];
  const cut: string[] = [];
  for (const { key, holders } of counted) {
    const held = targetKeys.has(key);
    if (rarer >= HOLDERS) {
      if (held) skipped.push(`${key}(${holders})`);
      continue;
    }
    rarer += holders;
    let read = model.holdersOf(key);
    if (read.length > HOLDERS) {
      read = read.sort((a, b) => model.entries[a]!.rank - model.entries[b]!.rank).slice(0, HOLDERS);
    }
    if (held && !read.includes(target)) cut.push(`${key}(${holders})`);
    if (target >= 0) holdersReadTotal += read.length;
    const w0 = 1 + Math.log(HOLDERS / Math.min(holders, HOLDERS));
    // EXPERIMENT (session 15): `ymul<f>` multiplies the weight of the year keys (y:, b:) by f,
    // `boost-<kinds>-<f>` that of the kinds named by their letters (boost-eh-2: e: and h: keys twice).
    const yw = /ymul([\d.]+)/.exec(variant);
    const boost = /boost-([a-z]+)-([\d.]+)/.exec(variant);
    const w =
      (variant.includes('sq') ? w0 * w0 : w0) *
      (yw && /^[yb]:/.test(key) ? Number(yw[1]) : 1) *
      (boost && boost[1]!.includes(key.charAt(0)) ? Number(boost[2]) : 1);
    if (variant.includes('kmax')) {
      // EXPERIMENT (session 15): each kind of key counts once per entry, its rarest shared key.
      const kind = key.slice(0, key.indexOf(':'));
      for (const i of read) {
        let kinds = kindWeights.get(i);
        if (!kinds) kindWeights.set(i, (kinds = new Map()));
        kinds.set(kind, Math.max(kinds.get(kind) ?? 0, w));
      }
    } else for (const i of read) weight.set(i, (weight.get(i) ?? 0) + w);
  }
  for (const [i, kinds] of kindWeights)
    weight.set(
      i,
      [...kinds.values()].reduce((x, y) => x + y, 0),
    );
  if (target >= 0) probes += keys.length;
  const ranked = [...weight.entries()].sort(
    (a, b) => b[1] - a[1] || model.entries[a[0]]!.rank - model.entries[b[0]]!.rank,
  );
  if (target >= 0 && poolDump) {
    const place = ranked.findIndex(([i]) => i === target);
    poolDump.push({
      queryForms,
      targetName: model.entries[target]!.nameId,
      place,
      pool: ranked.slice(0, DUMP_DEPTH).map(([i, w]) => {
        const nameId = model.entries[i]!.nameId;
        if (!dumpedForms.has(nameId)) dumpedForms.set(nameId, entryForms(model, i));
        return [i === target ? 1 : 0, Number(w.toFixed(9)), nameId];
      }),
    });
  }
  // pre<N>: the best N by weight are fetched and ranked again by the similarity of their retrieval
  // forms to the query's (weight breaking ties); mix<b> ranks them by similarity + b × weight / the
  // best weight instead; u<U>: the SQL's own choice by weight (w<A>: the best A, ties up to 1.5 A)
  // is kept and the U most alike of the other fetched entries are added.
  const tiesRule = /ties([\d.]*)/.exec(variant);
  const withTies = (list: [number, number][], levelOf: (e: [number, number]) => string, n: number) => {
    let taken = Math.min(n, list.length);
    if (tiesRule && taken > 0) {
      const cap = Math.min(
        list.length,
        tiesRule[1]
          ? Math.floor(Number(tiesRule[1]) * n)
          : Math.floor((CANDIDATE_BUDGET.scoredWithTies * n) / SCORED),
      );
      const last = levelOf(list[taken - 1]!);
      while (taken < cap && levelOf(list[taken]!) === last) taken++;
    }
    return list.slice(0, taken).map(([i]) => i);
  };
  const weightLevel = ([, w]: [number, number]) => w.toFixed(9);
  const pre = /pre(\d+)/.exec(variant);
  const union = /\+u(\d+)/.exec(variant);
  const base = /w(\d+)/.exec(variant);
  const mix = /mix([\d.]+)/.exec(variant);
  let fetched = 0;
  let chosen: number[];
  if (!pre) chosen = withTies(ranked, weightLevel, SCORED);
  else {
    const pool = ranked.slice(0, expanded ? Number(adapt![3]) : Number(pre[1]));
    fetched = pool.length;
    const best = pool[0]?.[1] ?? 1;
    const alike = new Map<number, number>();
    const simOf = similarityOf(variant);
    for (const [i, w] of pool) {
      const sim = simOf(queryForms, entryForms(model, i));
      alike.set(i, mix ? sim + (Number(mix[1]) * w) / best : sim);
    }
    const byAlike = (list: [number, number][]) =>
      [...list].sort(
        (a, b) =>
          alike.get(b[0])! - alike.get(a[0])! ||
          b[1] - a[1] ||
          model.entries[a[0]]!.rank - model.entries[b[0]]!.rank,
      );
    if (union) {
      chosen = withTies(pool, weightLevel, base ? Number(base[1]) : SCORED);
      const kept = new Set(chosen);
      const others = byAlike(pool.filter(([i]) => !kept.has(i)));
      // ut<f> (session 29): those tied with the U-th most alike (alike and weighing the same: namesakes)
      // too, up to f × U, as the SQL's alike_numbered.
      const alikeTies = /ut([\d.]+)/.exec(variant);
      let taken = Math.min(Number(union[1]), others.length);
      if (alikeTies && taken > 0) {
        const cap = Math.min(others.length, Math.floor(Number(alikeTies[1]) * Number(union[1])));
        const level = ([i, w]: [number, number]) => `${alike.get(i)!.toFixed(9)} ${w.toFixed(9)}`;
        const last = level(others[taken - 1]!);
        while (taken < cap && level(others[taken]!) === last) taken++;
      }
      chosen.push(...others.slice(0, taken).map(([i]) => i));
    } else {
      chosen = withTies(byAlike(pool), ([i, w]) => `${alike.get(i)!.toFixed(9)} ${w.toFixed(9)}`, SCORED);
    }
  }
  const scored = new Set(chosen);
  scoredCount.set(variant, (scoredCount.get(variant) ?? 0) + scored.size);
  fetchedCount.set(variant, (fetchedCount.get(variant) ?? 0) + (pre ? fetched : scored.size));
  let why = '';
  if (target >= 0 && !scored.has(target)) {
    const w = weight.get(target);
    if (w === undefined) {
      why =
        skipped.length || cut.length
          ? `shared keys not read: ${[...skipped, ...cut].join(' ')}`
          : 'no shared key';
    } else {
      const above = ranked.filter(([, x]) => x > w + 1e-9).length;
      const tied = ranked.filter(([, x]) => Math.abs(x - w) <= 1e-9).length;
      why = `weight ${w.toFixed(2)}: ${above} above, ${tied} tied`;
    }
    // BENCH_MISS_KEYS=1: the keys the intended entry shares with the query, with their holders.
    if (process.env.BENCH_MISS_KEYS) {
      const shared = counted.filter((k) => targetKeys.has(k.key)).map((k) => `${k.key}(${k.holders})`);
      why += `; shared: ${shared.join(' ')}`;
    }
  }
  return { scored, why };
}

function runQueries(model: Model, byOrigin: Map<Origin, number[]>, querySeed: number | null) {
  const tally = new Map<string, { n: number; found: number }>();
  const count = (label: string, found: boolean) => {
    const t = tally.get(label) ?? { n: 0, found: 0 };
    t.n++;
    if (found) t.found++;
    tally.set(label, t);
  };
  const misses: string[] = [];
  const queryRandom = querySeed === null ? random : seededRandom(querySeed);
  console.log(
    `population seed ${SEED}, query seed ${querySeed ?? '(the population stream)'}, ${QUERIES} queries`,
  );
  scoredCount.clear();
  fetchedCount.clear();
  probes = 0;
  holdersReadTotal = 0;
  for (let q = 0; q < QUERIES; q++) {
    const origin = pick(queryRandom, ORIGINS);
    const target = pick(queryRandom, byOrigin.get(origin)!);
    const kind = VARIANT_KINDS[q % VARIANT_KINDS.length]!;
    const entry = model.entries[target]!.entry;
    const query: ScreeningQuery = queryFor(entry, kind, queryRandom);
    const keys = queryKeys(query.names, undefined, query.dateOfBirth);
    const queryForms = retrievalFormsOf(query.names);
    const { scored, why } = retrieve(model, keys, target, VARIANTS[0], queryForms);
    if (poolDump)
      Object.assign(poolDump[poolDump.length - 1]!, { kind, origin, why, q: String(query.names[0]) });
    const found = scored.has(target);
    foundByQuery.push({ min: minHolders[minHolders.length - 1]?.min ?? 0, found });
    for (const variant of VARIANTS.slice(1)) {
      const other = retrieve(model, keys, -1, variant, queryForms).scored.has(target);
      for (const label of ['all', `kind ${kind}`, `origin ${origin}`]) count(`${variant}: ${label}`, other);
    }
    const namesakes = model.byName[model.entries[target]!.nameId]!.length;
    for (const label of ['all', `origin ${origin}`, `kind ${kind}`]) count(label, found);
    count(namesakes > SCORED ? `namesakes > ${SCORED}` : `namesakes ≤ ${SCORED}`, found);
    if (!found && misses.length < Number(process.env.BENCH_SHOW_MISSES ?? 0))
      misses.push(
        `  ${kind}: "${String(query.names[0])}" for ${entry.candidate.names.map((n) => n.full).join(' / ')} (${namesakes} namesakes, dob ${query.dateOfBirth ?? '-'}): ${why}`,
      );
  }
  console.log(`intended entry among the ${SCORED} scored (budget ${HOLDERS} holders):`);
  for (const [label, t] of [...tally.entries()].sort()) {
    console.log(
      `  ${label.padEnd(40)} ${t.n} queries  ${((100 * t.found) / t.n).toFixed(label.endsWith('all') ? 2 : 1)} %` +
        (label.endsWith('all') ? ` (${t.n - t.found} missed)` : ''),
    );
  }
  for (const [variant, n] of scoredCount)
    console.log(
      `  ${variant}: ${(n / QUERIES).toFixed(1)} scored, ` +
        `${(fetchedCount.get(variant)! / QUERIES).toFixed(1)} profile rows fetched per query`,
    );
  console.log(
    `  cost: ${(probes / QUERIES).toFixed(1)} keys probed (count lookups), ${(holdersReadTotal / QUERIES).toFixed(0)} holders read per query`,
  );
  if (misses.length) console.log(`misses:\n${misses.join('\n')}`);
  for (const t of [20, 50, 100, 200, 300, 500, 800, 1200, 2000]) {
    const over = foundByQuery.filter((f) => f.min >= t);
    console.log(
      `  rarest key held by >= ${t}: ${((100 * over.length) / foundByQuery.length).toFixed(1)} % of queries, ${over.filter((f) => !f.found).length} of the misses`,
    );
  }
  for (const [variant, n] of expandedCount)
    console.log(`  ${variant}: ${((100 * n) / QUERIES).toFixed(1)} % of queries expanded`);
  foundByQuery.length = 0;
  minHolders.length = 0;
  expandedCount.clear();
}

function main() {
  const started = Date.now();
  const model = load();
  const keysPerEntry = [...model.namesByKey.values()].reduce(
    (sum, nameIds) => sum + nameIds.reduce((n, nameId) => n + model.byName[nameId]!.length, 0),
    0,
  );
  const yearKeys = model.yearKeyCount().reduce((x, y) => x + y, 0);
  console.log(
    `${(keysPerEntry / ENTRIES).toFixed(1)} name keys and ${(yearKeys / ENTRIES).toFixed(2)} year keys per entry; ${ENTRIES} entries, ${model.distinctNames} distinct names (${(ENTRIES / model.distinctNames).toFixed(1)} per name), ` +
      `${model.namesByKey.size} distinct keys; built in ${((Date.now() - started) / 1000).toFixed(0)} s`,
  );
  const byOrigin = new Map<Origin, number[]>(ORIGINS.map((o) => [o, []]));
  model.entries.forEach((e, i) => byOrigin.get(e.entry.origin)!.push(i));
  for (const [origin, ids] of byOrigin) {
    const namesakes = ids.map((i) => model.byName[model.entries[i]!.nameId]!.length).sort((a, b) => a - b);
    const over = namesakes.filter((n) => n > SCORED).length;
    console.log(
      `  ${origin.padEnd(10)} ${ids.length} entries; namesakes of an entry: median ${namesakes[namesakes.length >> 1]}, ` +
        `p99 ${namesakes[Math.floor(namesakes.length * 0.99)]}, more than ${SCORED}: ${((100 * over) / ids.length).toFixed(1)} %`,
    );
  }
  for (const querySeed of QUERY_SEEDS) runQueries(model, byOrigin, querySeed);
  if (poolDump) {
    writeFileSync(
      process.env.BENCH_DUMP_POOLS!,
      JSON.stringify({ queries: poolDump, forms: Object.fromEntries(dumpedForms) }),
    );
    console.log(`pools written to ${process.env.BENCH_DUMP_POOLS}`);
  }
}

main();
