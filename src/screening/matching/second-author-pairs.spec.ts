import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_THRESHOLD, scoreCandidate, type ScreeningCandidate, type ScreeningQuery } from '.';

interface Pair {
  group: string;
  same: boolean;
  query: ScreeningQuery;
  entry: ScreeningCandidate;
}

const FOLDER = join(__dirname, '../../../test/fixtures/screening-pairs/second-author');
const GROUPS = ['korean', 'chinese', 'malay', 'khmer', 'thai', 'vietnamese'];

function measured(part: 'a' | 'b') {
  const { pairs } = JSON.parse(readFileSync(join(FOLDER, `part-${part}.json`), 'utf8')) as { pairs: Pair[] };
  const results = pairs.map((pair) => ({
    pair,
    alert: scoreCandidate(pair.query, pair.entry).score >= DEFAULT_THRESHOLD,
  }));
  const figures = (rows: typeof results) => {
    const tp = rows.filter((r) => r.alert && r.pair.same).length;
    const fp = rows.filter((r) => r.alert && !r.pair.same).length;
    const fn = rows.filter((r) => !r.alert && r.pair.same).length;
    return { pairs: rows.length, precision: tp / Math.max(1, tp + fp), recall: tp / Math.max(1, tp + fn) };
  };
  const lines = [`second author's part ${part}, threshold ${DEFAULT_THRESHOLD}`];
  for (const group of [...GROUPS, 'all']) {
    const f = figures(group === 'all' ? results : results.filter((r) => r.pair.group === group));
    lines.push(
      `${group.padEnd(11)} ${f.pairs} pairs  precision ${f.precision.toFixed(3)}  recall ${f.recall.toFixed(3)}`,
    );
  }
  process.stdout.write(`${lines.join('\n')}\n`);
  return figures(results);
}

/**
 * Pairs written by a second author who had not read the rules (test/fixtures/screening-pairs/
 * second-author/README.md says how each part was used). Printed per group on every run; the floors
 * sit a little under today's figures, so a rule that trades one tradition for another shows.
 */
describe("screening on a second author's labelled pairs", () => {
  it('keeps precision ≥ 0.95 and recall ≥ 0.95 on part a', () => {
    const { precision, recall } = measured('a');
    expect({ precision95: precision >= 0.95, recall95: recall >= 0.95 }).toEqual({
      precision95: true,
      recall95: true,
    });
  });

  it('keeps precision ≥ 0.95 and recall ≥ 0.93 on part b', () => {
    const { precision, recall } = measured('b');
    expect({ precision95: precision >= 0.95, recall93: recall >= 0.93 }).toEqual({
      precision95: true,
      recall93: true,
    });
  });
});
