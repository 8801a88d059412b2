import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

/**
 * The tables whose rows make a person or record visible to another country. Only the release rule
 * (`src/sharing/`) writes them, so no path can link data across a border without passing it; this test
 * reads every source file and fails on one that writes them elsewhere. (`repatriation_person` rows are
 * written with the same request's `request_person` rows, which do pass the rule.)
 */
const LINK_TABLES = [
  'request_person',
  'case_person',
  'case_share',
  'arrest_share',
  'release_grant',
  'person_provenance',
  'file_provenance',
];

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return path.endsWith('.ts') && !path.endsWith('.spec.ts') ? [path] : [];
  });
}

describe('every cross-border link goes through the release rule', () => {
  const root = join(__dirname, '..');
  const files = sources(root);

  it('reads the whole source tree', () => {
    expect(files.length).toBeGreaterThan(100);
    expect(files.some((f) => f.endsWith('sharing/provenance.store.ts'))).toBe(true);
  });

  it.each(LINK_TABLES)('%s gains rows only in src/sharing/', (table) => {
    const writers = files.filter((file) => {
      const text = readFileSync(file, 'utf8');
      return new RegExp(`INSERT\\s+INTO\\s+${table}\\b`, 'i').test(text);
    });
    const outside = writers.map((f) => relative(root, f)).filter((f) => !f.startsWith('sharing/'));
    expect(outside).toEqual([]);
  });
});
