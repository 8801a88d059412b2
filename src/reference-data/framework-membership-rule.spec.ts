import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

/**
 * "Do these countries cooperate on this day?" has one answer: the SQL function `framework_members_on`
 * (migration 1763800050000), which weighs the framework's dates and each member's join and leave dates.
 * A query reading `framework_member` directly would forget a date on its path, so only the code that
 * writes memberships (and shows them) may touch the table.
 */
const MAY_READ_THE_TABLE = ['reference-data/reference-data.service.ts', 'seed/demo-seeder.ts'];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return path.endsWith('.ts') && !path.endsWith('.spec.ts') ? [path] : [];
  });
}

/** Code only: a comment naming the table reads nothing. */
const withoutComments = (code: string) => code.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');

describe('framework membership: one rule for every path', () => {
  const src = join(__dirname, '..');
  const readers = sourceFiles(src)
    .filter((file) => /\bframework_member\b/.test(withoutComments(readFileSync(file, 'utf8'))))
    .map((file) => relative(src, file));

  it('no query outside the membership code reads framework_member itself', () => {
    expect(readers.filter((file) => !MAY_READ_THE_TABLE.includes(file))).toEqual([]);
  });

  it('finds the table where it is read (the check is not blind)', () => {
    expect(readers).toEqual(expect.arrayContaining(MAY_READ_THE_TABLE));
  });
});
