import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import * as ts from 'typescript';

const SRC = join(__dirname, '../../src');

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : [path];
  });
}

const sources = files(SRC).filter(
  (f) => f.endsWith('.ts') && !f.endsWith('.spec.ts') && !f.endsWith('openapi-metadata.ts'),
);

/** The SQL text of a literal argument, each `${…}` as a blank: only its fixed words are read. */
function sqlText(node: ts.Expression): string | null {
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return node.text;
  if (ts.isTemplateExpression(node))
    return [node.head.text, ...node.templateSpans.map((s) => s.literal.text)].join(' ');
  return null;
}

/**
 * The statement's own command, the first SELECT, INSERT, UPDATE or DELETE outside any parentheses, and
 * whether it has a RETURNING of its own: `WITH x AS (UPDATE … RETURNING id) SELECT …` is a SELECT, and
 * `WITH x AS (DELETE … RETURNING 1) UPDATE …` an UPDATE that returns nothing.
 */
function topLevelCommand(sql: string): { command: string | null; returning: boolean } {
  let depth = 0;
  let command: string | null = null;
  let returning = false;
  for (const token of sql.replace(/--[^\n]*/g, ' ').match(/\(|\)|[A-Za-z_]+/g) ?? []) {
    if (token === '(') depth++;
    else if (token === ')') depth--;
    else if (depth > 0) continue;
    else if (!command && /^(select|insert|update|delete)$/i.test(token)) command = token.toUpperCase();
    else if (command && /^returning$/i.test(token)) returning = true;
  }
  return { command, returning };
}

/** `file:line` of each `.query(…)` whose statement is an UPDATE or DELETE with RETURNING. */
function rawReturningUpdates(file: string): string[] {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  const found: string[] = [];
  const visit = (node: ts.Node) => {
    if (
      ts.isCallExpression(node) &&
      ts.isPropertyAccessExpression(node.expression) &&
      node.expression.name.text === 'query' &&
      node.arguments[0]
    ) {
      const sql = sqlText(node.arguments[0]);
      const statement = sql === null ? null : topLevelCommand(sql);
      if (statement?.returning && (statement.command === 'UPDATE' || statement.command === 'DELETE')) {
        const { line } = source.getLineAndCharacterOfPosition(node.getStart());
        found.push(`${relative(SRC, file)}:${line + 1}`);
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

/**
 * TypeORM answers an UPDATE or DELETE with `[rows, count]` and every other statement with its rows, so
 * the rows of `UPDATE … RETURNING` read straight from `manager.query` are that pair: a loop over them
 * sees two "rows" with no columns whatever was changed (probe r30 found an audit event naming two
 * superseded amendments that never existed). Such statements go through `returningRows`
 * (src/database/returning.ts); this finds any written otherwise, in every file of src/.
 */
describe('UPDATE and DELETE … RETURNING', () => {
  it('read their rows through returningRows, never from a bare query()', () => {
    expect(sources.flatMap(rawReturningUpdates)).toEqual([]);
  });

  it('are told from statements whose own command is another', () => {
    expect(topLevelCommand(`UPDATE t SET a = 1 WHERE id = $1 RETURNING id`)).toEqual({
      command: 'UPDATE',
      returning: true,
    });
    expect(topLevelCommand(`WITH x AS (UPDATE t SET a = 1 RETURNING id) SELECT id FROM x`)).toEqual({
      command: 'SELECT',
      returning: false,
    });
    expect(topLevelCommand(`WITH x AS (SELECT id FROM t) DELETE FROM u USING x RETURNING u.id`)).toEqual({
      command: 'DELETE',
      returning: true,
    });
    expect(topLevelCommand(`WITH g AS (DELETE FROM t RETURNING 1) UPDATE u SET n = n - 1`)).toEqual({
      command: 'UPDATE',
      returning: false,
    });
    expect(topLevelCommand(`-- update the row\nINSERT INTO t (a) VALUES (1) RETURNING id`)).toEqual({
      command: 'INSERT',
      returning: true,
    });
  });
});
