import { CALIBRATION_BLOCKS } from './calibration-table';

/** A document number from the same issuer: not in the labelled name set, kept above every name score. */
export const DOCUMENT_HIT_FLOOR = 0.98;
// Below the document floor, whatever the name evidence.
const NAME_ONLY_CEILING = 0.97;
// The isotonic fit is a step function: equal steps would tie candidates the engine tells apart. A
// small share of the engine's own score breaks those ties (order kept), at most 0.02 off the fit.
const FIT_SHARE = 0.95;
const RAW_SHARE = 0.02;

/** The isotonic fit's value for an engine score: the share of true hits among dev pairs scored so. */
export function isotonicValue(raw: number): number {
  for (const [maxRaw, value] of CALIBRATION_BLOCKS) if (raw <= maxRaw) return value;
  return CALIBRATION_BLOCKS[CALIBRATION_BLOCKS.length - 1]![1];
}

/**
 * The engine's score made a probability: fitted by isotonic regression on the dev part of the
 * labelled pairs (`test/fixtures/screening-pairs`, `npm run fit:calibration`), so among candidates
 * scored 0.8 about 80 % were the person, on that set. Monotone in the engine's score, so the ranking
 * is the engine's. Document hits keep their score.
 */
export function calibratedScore(raw: number): number {
  if (raw >= DOCUMENT_HIT_FLOOR) return raw;
  return Math.min(NAME_ONLY_CEILING, FIT_SHARE * isotonicValue(raw) + RAW_SHARE * raw);
}

/**
 * Pool-adjacent-violators: the non-decreasing step function closest to the labels, as blocks. A
 * block reaches halfway to the next block's lowest score: in a gap between blocks, where the dev
 * pairs have no example (the engine's rules keep the same person and another apart, so such gaps are
 * wide), a score takes the value of the nearer block, not always the higher one's.
 */
export function fitIsotonic(
  points: Array<{ raw: number; same: boolean }>,
): Array<[maxRaw: number, value: number]> {
  const sorted = [...points].sort((a, b) => a.raw - b.raw);
  const blocks: Array<{ minRaw: number; maxRaw: number; hits: number; count: number }> = [];
  for (const point of sorted) {
    const last = blocks[blocks.length - 1];
    if (last && last.maxRaw === point.raw) {
      last.hits += point.same ? 1 : 0;
      last.count += 1;
    } else blocks.push({ minRaw: point.raw, maxRaw: point.raw, hits: point.same ? 1 : 0, count: 1 });
    while (blocks.length > 1) {
      const b = blocks[blocks.length - 1]!;
      const a = blocks[blocks.length - 2]!;
      if (a.hits / a.count <= b.hits / b.count) break;
      blocks.splice(blocks.length - 2, 2, {
        minRaw: a.minRaw,
        maxRaw: b.maxRaw,
        hits: a.hits + b.hits,
        count: a.count + b.count,
      });
    }
  }
  // Neighbouring blocks of one value are one step: the table stays as short as the fit.
  const steps: Array<[number, number]> = [];
  blocks.forEach((b, i) => {
    const value = Math.round((b.hits / b.count) * 1000) / 1000;
    const next = blocks[i + 1];
    const maxRaw = Math.round((next ? (b.maxRaw + next.minRaw) / 2 : b.maxRaw) * 10000) / 10000;
    const last = steps[steps.length - 1];
    if (last && last[1] === value) last[0] = maxRaw;
    else steps.push([maxRaw, value]);
  });
  return steps;
}
