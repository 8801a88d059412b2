import { type CruisedModule, describeCycle, folderCycles, folderGraph, topFolder } from './folder-graph';

/** A module list as dependency-cruiser reports it, from `file -> file` pairs. */
function cruised(...imports: Array<[string, string]>): CruisedModule[] {
  const modules = new Map<string, CruisedModule>();
  for (const [source, resolved] of imports) {
    if (!modules.has(source)) modules.set(source, { source, dependencies: [] });
    if (!modules.has(resolved)) modules.set(resolved, { source: resolved, dependencies: [] });
    modules.get(source)!.dependencies.push({ resolved });
  }
  return [...modules.values()];
}

describe('the folder graph of src/', () => {
  it('names a file by its top-level folder under src/ only', () => {
    expect(topFolder('src/auth/strategies/jwt.strategy.ts')).toBe('auth');
    expect(topFolder('src/main.ts')).toBeNull();
    expect(topFolder('node_modules/@nestjs/common/index.js')).toBeNull();
  });

  it('finds two folders importing each other', () => {
    const graph = folderGraph(cruised(['src/auth/a.ts', 'src/users/b.ts'], ['src/users/c.ts', 'src/auth/d.ts']));
    expect(folderCycles(graph)).toEqual([['auth', 'users']]);
  });

  it('finds a circle through a third folder and through sub-folders, which module-level checks miss', () => {
    const graph = folderGraph(
      cruised(
        ['src/workflow/engine.ts', 'src/notifications/dto/view.dto.ts'],
        ['src/notifications/service.ts', 'src/webhooks/outbox.ts'],
        ['src/webhooks/matching/filter.ts', 'src/workflow/entity.ts'],
      ),
    );
    expect(folderCycles(graph)).toEqual([['notifications', 'webhooks', 'workflow']]);
    expect(describeCycle(graph, ['notifications', 'webhooks', 'workflow'])).toContain(
      'webhooks -> workflow: src/webhooks/matching/filter.ts imports src/workflow/entity.ts',
    );
  });

  it('finds nothing when imports only go one way, and ignores imports within a folder', () => {
    const graph = folderGraph(
      cruised(
        ['src/users/a.ts', 'src/common/b.ts'],
        ['src/auth/c.ts', 'src/users/a.ts'],
        ['src/auth/c.ts', 'src/common/b.ts'],
        ['src/common/b.ts', 'src/common/e.ts'],
        ['src/common/e.ts', 'src/common/b.ts'],
        ['src/main.ts', 'src/auth/c.ts'],
      ),
    );
    expect(folderCycles(graph)).toEqual([]);
  });

  it('reports separate circles separately', () => {
    const graph = folderGraph(
      cruised(
        ['src/a/x.ts', 'src/b/x.ts'],
        ['src/b/y.ts', 'src/a/y.ts'],
        ['src/c/x.ts', 'src/d/x.ts'],
        ['src/d/y.ts', 'src/c/y.ts'],
        ['src/c/z.ts', 'src/a/z.ts'],
      ),
    );
    expect(folderCycles(graph)).toEqual([
      ['a', 'b'],
      ['c', 'd'],
    ]);
  });
});
