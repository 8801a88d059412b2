/**
 * `npm run bench:retrieval`: the screening retrieval (src/screening/candidate-pool.ts) modelled in
 * memory over a million entries of the regional mix, in about a minute and without a database, to try
 * key designs before `npm run bench:screening` measures the real thing. The model follows the SQL:
 * each key's holder count, the rarest keys taken while the rarer add up to under the budget, at most
 * the budget's holders read per key in entry-id order (ids are random), the weight
 * 1 + ln(budget / holders) summed per entry, the best MAX_CANDIDATES by weight then id.
 * Entries sharing a name share its keys, so keys are made once per distinct name.
 *
 *   BENCH_SCREENING_ENTRIES=1000000 BENCH_SCREENING_QUERIES=3000 npm run bench:retrieval
 */
import { entryKeys, queryKeys } from '../../src/screening/entry-keys';
import { CANDIDATE_BUDGET } from '../../src/screening/candidate-pool';
import type { ScreeningQuery } from '../../src/screening/matching';
import { ORIGINS, pick, seededRandom, type Origin } from '../screening-matching.population';
import { queryFor, VARIANT_KINDS } from '../screening-matching.variants';
import { regionalName, syntheticEntry, type SyntheticEntry } from './synthetic-blacklist';

const ENTRIES = Number(process.env.BENCH_SCREENING_ENTRIES ?? 1_000_000);
const QUERIES = Number(process.env.BENCH_SCREENING_QUERIES ?? 3000);
// Other budgets can be tried without touching the app: BENCH_HOLDERS_READ, BENCH_SCORED.
const HOLDERS = Number(process.env.BENCH_HOLDERS_READ ?? CANDIDATE_BUDGET.holdersRead);
const SCORED = Number(process.env.BENCH_SCORED ?? CANDIDATE_BUDGET.scored);
const random = seededRandom(Number(process.env.BENCH_SEED ?? 20261203));

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
  // Keys with the year of birth differ between namesakes: kept per entry.
  const entriesByKey = new Map<string, number[]>();
  entries.forEach(({ entry }, i) => {
    if (!entry.candidate.dateOfBirth) return;
    const withYear = entryKeys({
      ...entry.candidate,
      documents: [],
      birthDate: entry.candidate.dateOfBirth,
    } as never);
    for (const key of withYear.filter((k) => k.startsWith('y:'))) {
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
  return { entries, byName, namesByKey, holders, holdersOf, distinctNames: nameKeys.length };
}

type Model = ReturnType<typeof load>;

/** The candidate-pool SQL, in memory: the ids of the entries it would score. */
function retrieve(model: Model, keys: string[]): Set<number> {
  const counted = keys
    .map((key) => ({ key, holders: model.holders(key) }))
    .filter((k) => k.holders > 0)
    .sort((a, b) => a.holders - b.holders || (a.key < b.key ? -1 : 1));
  const weight = new Map<number, number>();
  let rarer = 0;
  for (const { key, holders } of counted) {
    if (rarer >= HOLDERS) break;
    rarer += holders;
    let read = model.holdersOf(key);
    if (read.length > HOLDERS) {
      read = read.sort((a, b) => model.entries[a]!.rank - model.entries[b]!.rank).slice(0, HOLDERS);
    }
    const w = 1 + Math.log(HOLDERS / Math.min(holders, HOLDERS));
    for (const i of read) weight.set(i, (weight.get(i) ?? 0) + w);
  }
  const best = [...weight.entries()]
    .sort((a, b) => b[1] - a[1] || model.entries[a[0]]!.rank - model.entries[b[0]]!.rank)
    .slice(0, SCORED);
  return new Set(best.map(([i]) => i));
}

function main() {
  const started = Date.now();
  const model = load();
  const keysPerEntry = [...model.namesByKey.values()].reduce(
    (sum, nameIds) => sum + nameIds.reduce((n, nameId) => n + model.byName[nameId]!.length, 0),
    0,
  );
  console.log(
    `${(keysPerEntry / ENTRIES).toFixed(1)} name keys per entry; ${ENTRIES} entries, ${model.distinctNames} distinct names (${(ENTRIES / model.distinctNames).toFixed(1)} per name), ` +
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
  const tally = new Map<string, { n: number; found: number }>();
  const count = (label: string, found: boolean) => {
    const t = tally.get(label) ?? { n: 0, found: 0 };
    t.n++;
    if (found) t.found++;
    tally.set(label, t);
  };
  const misses: string[] = [];
  for (let q = 0; q < QUERIES; q++) {
    const origin = pick(random, ORIGINS);
    const target = pick(random, byOrigin.get(origin)!);
    const kind = VARIANT_KINDS[q % VARIANT_KINDS.length]!;
    const entry = model.entries[target]!.entry;
    const query: ScreeningQuery = queryFor(entry, kind, random);
    const found = retrieve(model, queryKeys(query.names, undefined, query.dateOfBirth)).has(target);
    const namesakes = model.byName[model.entries[target]!.nameId]!.length;
    for (const label of ['all', `origin ${origin}`, `kind ${kind}`]) count(label, found);
    count(namesakes > SCORED ? `namesakes > ${SCORED}` : `namesakes ≤ ${SCORED}`, found);
    if (!found && misses.length < Number(process.env.BENCH_SHOW_MISSES ?? 0))
      misses.push(
        `  ${kind}: "${String(query.names[0])}" for ${entry.candidate.names.map((n) => n.full).join(' / ')} (${namesakes} namesakes)`,
      );
  }
  console.log(`intended entry among the ${SCORED} scored (budget ${HOLDERS} holders):`);
  for (const [label, t] of [...tally.entries()].sort()) {
    console.log(`  ${label.padEnd(40)} ${t.n} queries  ${((100 * t.found) / t.n).toFixed(1)} %`);
  }
  if (misses.length) console.log(`misses:\n${misses.join('\n')}`);
}

main();
