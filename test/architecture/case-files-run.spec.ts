import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { CASE_FILE } from '../support/cases';

const TEST = join(__dirname, '..');

function folders(dir: string): string[] {
  return [
    dir,
    ...readdirSync(dir).flatMap((name) => {
      const path = join(dir, name);
      return statSync(path).isDirectory() ? folders(path) : [];
    }),
  ];
}

/**
 * A case file (`*.e2e.ts`) is not a suite jest finds: it runs only through its folder's suite,
 * `<folder>.e2e-spec.ts` calling `runCasesOf(__dirname)` (test/support/cases.ts). A case file in a folder
 * without one would never run, and nothing else would say so.
 */
describe('case files', () => {
  it('sit only in folders whose suite runs them', () => {
    const orphans = folders(TEST)
      .filter((dir) => readdirSync(dir).some((name) => CASE_FILE.test(name)))
      .filter((dir) => {
        const suite = join(dir, `${basename(dir)}.e2e-spec.ts`);
        return !existsSync(suite) || !/runCasesOf\(__dirname\)/.test(readFileSync(suite, 'utf8'));
      })
      .map((dir) => relative(TEST, dir));
    expect(orphans).toEqual([]);
  });
});
