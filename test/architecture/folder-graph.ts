/**
 * The import graph between the top-level folders of `src/`, and the cycles in it. Pure functions over
 * the module list dependency-cruiser reports (`source` and each dependency's `resolved` path), so the
 * rule is unit-tested on small graphs and the real check only feeds it the cruiser's answer.
 *
 * dependency-cruiser's own `no-circular` looks at modules, and its folder scope at every folder depth
 * by the folder of each imported file: `auth/x.ts -> users/dto/y.ts` and `users/z.ts -> auth/w.ts`
 * would not close a circle there. Folders are collapsed to their top level here instead.
 */
export interface CruisedModule {
  source: string;
  dependencies: Array<{ resolved: string }>;
}

/** One import from a file of one folder to a file of another: the evidence for an edge. */
export interface FolderImport {
  from: string;
  to: string;
  fromFile: string;
  toFile: string;
}

export type FolderGraph = Map<string, Map<string, FolderImport[]>>;

/** `src/auth/strategies/jwt.ts` -> `auth`; a file directly under the root, or outside it, has none. */
export function topFolder(path: string, root = 'src'): string | null {
  const parts = path.split('/');
  return parts[0] === root && parts.length > 2 ? parts[1]! : null;
}

export function folderGraph(modules: CruisedModule[], root = 'src'): FolderGraph {
  const graph: FolderGraph = new Map();
  for (const module of modules) {
    const from = topFolder(module.source, root);
    if (!from) continue;
    if (!graph.has(from)) graph.set(from, new Map());
    for (const { resolved } of module.dependencies) {
      const to = topFolder(resolved, root);
      if (!to || to === from) continue;
      const edges = graph.get(from)!;
      if (!edges.has(to)) edges.set(to, []);
      edges.get(to)!.push({ from, to, fromFile: module.source, toFile: resolved });
    }
  }
  return graph;
}

/**
 * The groups of folders that reach each other (strongly connected components with more than one
 * folder, Tarjan's algorithm), each sorted, in a stable order. Empty when the folders form a DAG.
 */
export function folderCycles(graph: FolderGraph): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const groups: string[][] = [];
  let next = 0;

  const visit = (folder: string): void => {
    index.set(folder, next);
    low.set(folder, next);
    next += 1;
    stack.push(folder);
    onStack.add(folder);
    for (const target of graph.get(folder)?.keys() ?? []) {
      if (!index.has(target)) {
        visit(target);
        low.set(folder, Math.min(low.get(folder)!, low.get(target)!));
      } else if (onStack.has(target)) {
        low.set(folder, Math.min(low.get(folder)!, index.get(target)!));
      }
    }
    if (low.get(folder) === index.get(folder)) {
      const group: string[] = [];
      let member: string;
      do {
        member = stack.pop()!;
        onStack.delete(member);
        group.push(member);
      } while (member !== folder);
      if (group.length > 1) groups.push(group.sort());
    }
  };

  for (const folder of [...graph.keys()].sort()) if (!index.has(folder)) visit(folder);
  return groups.sort((a, b) => a[0]!.localeCompare(b[0]!));
}

/** The imports between members of one cycle, one line each, for a failure message a person can act on. */
export function describeCycle(graph: FolderGraph, group: string[]): string {
  const members = new Set(group);
  const lines: string[] = [`folders importing each other: ${group.join(', ')}`];
  for (const from of group)
    for (const [to, imports] of graph.get(from) ?? [])
      if (members.has(to))
        for (const edge of imports) lines.push(`  ${from} -> ${to}: ${edge.fromFile} imports ${edge.toFile}`);
  return lines.join('\n');
}
