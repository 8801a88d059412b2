import { createHash } from 'node:crypto';
import { Client } from 'pg';

/**
 * Names for prepared statements, by text. PostgreSQL keeps a named statement per connection: parsed
 * once, planned at its first five calls, then (when its generic plan costs no more than the custom
 * ones) never again. An unnamed statement is parsed and planned at every call.
 *
 * Bounded, because each connection keeps every named statement it has run, plan included, until it
 * closes: at most MAX_NAMED names and MAX_NAMED_TEXT characters of statement text per process (a plan's
 * memory grows with its text). Past either bound, new statements run unnamed.
 */
const names = new Map<string, string>();
let namedText = 0;
const MAX_NAMED = 512;
const MAX_NAMED_TEXT = 4_000_000;

/** The name `text` runs under, or undefined when the bound is reached and it has none yet. */
export function statementName(text: string): string | undefined {
  let name = names.get(text);
  if (!name && names.size < MAX_NAMED && namedText + text.length <= MAX_NAMED_TEXT) {
    name = `tfcd_${createHash('sha256').update(text).digest('base64url').slice(0, 24)}`;
    names.set(text, name);
    namedText += text.length;
  }
  return name;
}

/**
 * Statements the pool names without being asked: parameterised statements of at least this many
 * characters that begin with SELECT or WITH (a WITH may also write: the composed commands). The composed
 * visibility reads (lists, audit trails, identifier indexes: 1–35 KB of SQL) took 1–75 ms to plan and
 * well under a millisecond to run; a short statement plans in a fraction of that. Plain INSERT, UPDATE
 * and DELETE, and short statements, are left unnamed: their texts vary more (one `$n` per row of a
 * batch, an IN list), and would fill the bound.
 */
const NAMED_FROM_LENGTH = 1000;
const READ = /^\s*(SELECT|WITH)\b/i;

export function namedByDefault(text: string, values: unknown): boolean {
  return Array.isArray(values) && values.length > 0 && text.length >= NAMED_FROM_LENGTH && READ.test(text);
}

/**
 * node-postgres's client, except that a long parameterised read runs as a named prepared statement
 * (`namedByDefault`), whichever path sent it: TypeORM's query builder, `manager.query`, a store's own
 * SQL. Same rows, errors and parameters as unnamed. The pool makes its connections with it
 * (`extra.Client`, database-options.ts).
 */
export class NamingClient extends Client {}

type Query = (this: Client, config: unknown, values?: unknown, callback?: unknown) => unknown;
const plainQuery = Client.prototype.query as unknown as Query;

(NamingClient.prototype as unknown as { query: Query }).query = function (config, values, callback) {
  if (typeof config === 'string' && namedByDefault(config, values)) {
    const name = statementName(config);
    if (name) return plainQuery.call(this, { name, text: config, values }, callback);
  }
  return plainQuery.call(this, config, values, callback);
};
