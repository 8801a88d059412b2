/**
 * Name-matching engine benchmark: speed of rankCandidates, and how well it finds people whose names
 * are spelled differently. Run with `npm run bench:matching` (seeded: the same figures every run).
 */
import { performance } from 'node:perf_hooks';
import {
  DEFAULT_THRESHOLD,
  rankCandidates,
  searchKeys,
  type ScreeningCandidate,
  type ScreeningQuery,
} from '../src/screening/matching';
import {
  generatePopulation,
  ORIGINS,
  pick,
  seededRandom,
  type GeneratedPerson,
} from './screening-matching.population';
import { queryFor, VARIANT_KINDS, type VariantKind } from './screening-matching.variants';

const POPULATION = 10_000;
const PREFILTER_LIMIT = 2_000;
const QUALITY_QUERIES = 1_400;
const TIMED_QUERIES = 200;

const random = seededRandom(20260422);
const people = generatePopulation(POPULATION, random);
const entries = people.map((person) => person.candidate);

/** The database's pre-filter as README describes it: entries sharing a search key, most shared first. */
const entriesByKey = new Map<string, number[]>();
entries.forEach((entry, index) => {
  const keys = new Set(entry.names.flatMap((name) => searchKeys(name).keys));
  for (const key of keys) {
    const list = entriesByKey.get(key) ?? [];
    list.push(index);
    entriesByKey.set(key, list);
  }
});

function prefilter(query: ScreeningQuery): ScreeningCandidate[] {
  const shared = new Map<number, number>();
  const keys = new Set(query.names.flatMap((name) => searchKeys(name).keys));
  for (const key of keys) {
    for (const index of entriesByKey.get(key) ?? []) shared.set(index, (shared.get(index) ?? 0) + 1);
  }
  return [...shared.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, PREFILTER_LIMIT)
    .map(([index]) => entries[index]);
}

// Fresh objects, as rows fresh from the database would be: nothing prepared for them yet.
const freshCopies = (candidates: ScreeningCandidate[]) => candidates.map((candidate) => ({ ...candidate }));

function percentile(sorted: number[], fraction: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * fraction))];
}

function measure(label: string, runs: Array<{ query: ScreeningQuery; candidates: ScreeningCandidate[] }>) {
  const timings = runs.map(({ query, candidates }) => {
    const started = performance.now();
    rankCandidates(query, candidates);
    return performance.now() - started;
  });
  const sorted = [...timings].sort((a, b) => a - b);
  const total = timings.reduce((sum, time) => sum + time, 0);
  console.log(
    `${label.padEnd(52)} ${(runs.length / (total / 1000)).toFixed(0).padStart(6)} queries/s` +
      `   p50 ${percentile(sorted, 0.5).toFixed(2)} ms   p95 ${percentile(sorted, 0.95).toFixed(2)} ms`,
  );
}

function pickPerson(): GeneratedPerson {
  const origin = pick(random, ORIGINS);
  return pick(
    random,
    people.filter((person) => person.origin === origin),
  );
}

function speed() {
  console.log(`\nSpeed (${TIMED_QUERIES} queries each; Node ${process.version})`);
  const queries = Array.from({ length: TIMED_QUERIES }, () =>
    queryFor(pickPerson(), pick(random, VARIANT_KINDS), random),
  );
  const slice = (query: number) => {
    const start = (query * 37) % (entries.length - 2_000);
    return entries.slice(start, start + 2_000);
  };
  rankCandidates(queries[0], entries); // warms the JIT and prepares every entry once
  measure(
    '2,000 candidates, rows fresh from the database',
    queries.map((query, i) => ({ query, candidates: freshCopies(slice(i)) })),
  );
  measure(
    '2,000 candidates, prepared names cached',
    queries.map((query, i) => ({ query, candidates: slice(i) })),
  );
  measure(
    '10,000 candidates, rows fresh from the database',
    queries.slice(0, 50).map((query) => ({ query, candidates: freshCopies(entries) })),
  );
  measure(
    '10,000 candidates, prepared names cached',
    queries.map((query) => ({ query, candidates: entries })),
  );
}

interface Tally {
  queries: number;
  found: number;
  first: number;
  returned: number;
  inPrefilter: number;
}
const emptyTally = (): Tally => ({ queries: 0, found: 0, first: 0, returned: 0, inPrefilter: 0 });

function quality() {
  const byKind = new Map<VariantKind, Tally>(VARIANT_KINDS.map((kind) => [kind, emptyTally()]));
  const byOrigin = new Map(ORIGINS.map((origin) => [origin, emptyTally()]));
  const total = emptyTally();
  for (let i = 0; i < QUALITY_QUERIES; i++) {
    const person = pickPerson();
    const kind = VARIANT_KINDS[i % VARIANT_KINDS.length];
    const query = queryFor(person, kind, random);
    const candidates = prefilter(query);
    // Alerts only: the review band below the threshold is a second look, not an answer.
    const ranked = rankCandidates(query, candidates).filter((match) => match.band === 'alert');
    const position = ranked.findIndex((match) => match.candidate.id === person.candidate.id);
    for (const tally of [total, byKind.get(kind)!, byOrigin.get(person.origin)!]) {
      tally.queries++;
      tally.returned += ranked.length;
      if (position >= 0) tally.found++;
      if (position === 0) tally.first++;
      if (candidates.includes(person.candidate)) tally.inPrefilter++;
    }
  }
  const line = (label: string, tally: Tally) =>
    console.log(
      `${label.padEnd(32)} recall ${pct(tally.found, tally.queries)}  precision ${pct(tally.found, tally.returned)}` +
        `  ranked first ${pct(tally.first, tally.queries)}  in pre-filter ${pct(tally.inPrefilter, tally.queries)}`,
    );
  console.log(
    `\nQuality (${QUALITY_QUERIES} queries, alert band: calibrated threshold ${DEFAULT_THRESHOLD}, key pre-filter to ${PREFILTER_LIMIT})`,
  );
  line('all', total);
  console.log('by spelling difference:');
  byKind.forEach((tally, kind) => line(`  ${kind}`, tally));
  console.log('by origin:');
  byOrigin.forEach((tally, origin) => line(`  ${origin}`, tally));
}

const pct = (part: number, whole: number) => `${((100 * part) / Math.max(1, whole)).toFixed(1).padStart(5)}%`;

console.log(
  `Population: ${entries.length} entries, ${entries.reduce((sum, entry) => sum + entry.names.length, 0)} names`,
);
speed();
quality();
