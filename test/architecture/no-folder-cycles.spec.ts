import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { type CruisedModule, describeCycle, folderCycles, folderGraph } from './folder-graph';

const ROOT = join(__dirname, '..', '..');

/**
 * Every import of src/ as dependency-cruiser resolves it (TypeScript paths, re-exports, type-only
 * imports too: a type import still ties one folder's meaning to another's). Unit specs (`*.spec.ts`)
 * are left out: a test may reach across folders without the code doing so. The cruiser ships ES
 * modules only, so it runs as its own process rather than inside Jest.
 */
function cruiseSrc(): CruisedModule[] {
  const output = execFileSync(
    process.execPath,
    [
      join(ROOT, 'node_modules', 'dependency-cruiser', 'bin', 'dependency-cruise.mjs'),
      'src',
      '--no-config',
      '--ts-config',
      'tsconfig.json',
      '--ts-pre-compilation-deps',
      '--do-not-follow',
      '^node_modules',
      '--exclude',
      '^node_modules|\\.spec\\.ts$',
      '--output-type',
      'json',
    ],
    { cwd: ROOT, maxBuffer: 64 * 1024 * 1024, encoding: 'utf8' },
  );
  return (JSON.parse(output) as { modules: CruisedModule[] }).modules;
}

describe('folders of src/', () => {
  it('never import a folder that imports them back, directly or through others', () => {
    const modules = cruiseSrc();
    // A cruise that found little would pass for the wrong reason.
    expect(modules.filter((m) => m.source.startsWith('src/')).length).toBeGreaterThan(200);
    const graph = folderGraph(modules);
    const cycles = folderCycles(graph).map((group) => describeCycle(graph, group));
    expect(cycles).toEqual([]);
  });
});
