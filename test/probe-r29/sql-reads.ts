import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

/**
 * Which tables each file of src/ reads, as the probe r29 guard sees it: the tables the migrations
 * create, named after `FROM`, `JOIN` or `USING` in the file's SQL text (upper case, as every statement
 * of src/ writes them), in a TypeORM query builder's `.from('t')` / `.innerJoin('t', …)`, or through an
 * entity (`getRepository(Person)`, `manager.findOneBy(CaseFile, …)`, `@Entity('person')`). Per file and
 * table, not per statement: a new statement over a table the file already reads is the file's
 * reviewer's to weigh, a new file or a new table is this guard's.
 */
export const ROOT = join(__dirname, '..', '..');

export function migrationTables(): string[] {
  const dir = join(ROOT, 'migrations');
  const names = new Set<string>();
  // In the order they run (their names begin with their timestamps): a table renamed is known by its new name.
  for (const file of readdirSync(dir).sort()) {
    const text = readFileSync(join(dir, file), 'utf8');
    for (const m of text.matchAll(/create\s+table\s+(?:if\s+not\s+exists\s+)?"?([a-z_]+)"?/gi))
      names.add(m[1]!.toLowerCase());
    const up = text.split(/async\s+down\s*\(/)[0]!;
    for (const m of up.matchAll(/alter\s+table\s+"?([a-z_]+)"?\s+rename\s+to\s+"?([a-z_]+)"?/gi)) {
      names.delete(m[1]!.toLowerCase());
      names.add(m[2]!.toLowerCase());
    }
  }
  names.delete('schema_migrations');
  return [...names].sort();
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    // Specs are tests; the generated OpenAPI metadata holds no SQL (and is huge).
    if (!name.endsWith('.ts') || name.endsWith('.spec.ts') || name === 'openapi-metadata.ts') return [];
    return [path];
  });
}

/** Entity class → table, from `@Entity('table')` decorators. */
function entityTables(files: Array<{ text: string }>): Map<string, string> {
  const map = new Map<string, string>();
  for (const { text } of files)
    for (const m of text.matchAll(/@Entity\(\s*'([a-z_]+)'[^)]*\)\s*(?:export\s+)?class\s+([A-Za-z0-9_]+)/g))
      map.set(m[2]!, m[1]!);
  return map;
}

/** `src/…/file.ts` → the migration tables it reads (sorted). Files that read none are left out. */
export function tablesReadBySrc(): Record<string, string[]> {
  const tables = new Set(migrationTables());
  const files = sourceFiles(join(ROOT, 'src')).map((path) => ({
    file: relative(ROOT, path).split('\\').join('/'),
    text: readFileSync(path, 'utf8'),
  }));
  const entities = entityTables(files);
  const entityPattern = [...entities.keys()].join('|');
  const result: Record<string, string[]> = {};
  for (const { file, text } of files) {
    const found = new Set<string>();
    for (const m of text.matchAll(/\b(?:FROM|JOIN|USING)\s+([a-z_]+)\b/g))
      if (tables.has(m[1]!)) found.add(m[1]!);
    for (const m of text.matchAll(
      /\.(?:from|innerJoin|leftJoin|innerJoinAndSelect|leftJoinAndSelect)\(\s*'([a-z_]+)'/g,
    ))
      if (tables.has(m[1]!)) found.add(m[1]!);
    if (entityPattern) {
      const uses = new RegExp(
        `(?:getRepository|\\.(?:find|findOne|findOneBy|findOneByOrFail|findOneOrFail|findBy|findAndCount|count|countBy|exists|existsBy|createQueryBuilder))\\(\\s*(${entityPattern})\\b`,
        'g',
      );
      for (const m of text.matchAll(uses)) found.add(entities.get(m[1]!)!);
    }
    if (found.size) result[file] = [...found].sort();
  }
  return result;
}
