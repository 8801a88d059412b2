import { createHash } from 'node:crypto';
import { Client, type QueryResult } from 'pg';
import { isStalePlan } from './pg-errors';

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
/** Part of every new name: bumped when a name is retired, so the text is named anew (`retireStatementName`). */
let generation = 0;

/** The name `text` runs under, or undefined when the bound is reached and it has none yet. */
export function statementName(text: string): string | undefined {
  let name = names.get(text);
  if (!name && names.size < MAX_NAMED && namedText + text.length <= MAX_NAMED_TEXT) {
    name = `tfcd_${createHash('sha256').update(`${generation}:${text}`).digest('base64url').slice(0, 24)}`;
    names.set(text, name);
    namedText += text.length;
  }
  return name;
}

/**
 * Gives `text` a new name at its next use. For a statement PostgreSQL no longer runs under its old name:
 * its plan was cached before a migration (another replica's, in a rolling deploy) changed what it
 * returns, and a connection that prepared it refuses it from then on (`isStalePlan`). Every connection
 * prepares the new name at its first use; the old one stays unused on the connections that hold it
 * until they close (one per migration that changed a read's columns).
 */
export function retireStatementName(text: string, name: string): void {
  // Another connection may have retired it already: its new name stays.
  if (names.get(text) !== name) return;
  names.delete(text);
  namedText -= text.length;
  generation += 1;
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

interface NamedQuery {
  name: string;
  text: string;
  values?: unknown;
}

(NamingClient.prototype as unknown as { query: Query }).query = function (config, values, callback) {
  if (typeof config === 'string' && namedByDefault(config, values)) {
    const name = statementName(config);
    if (name) return runNamed(this, { name, text: config, values }, callback);
  }
  if (isNamedQuery(config)) {
    // pg's own forms: (config), (config, values), (config, callback), (config, values, callback).
    const query = Array.isArray(values) ? { ...config, values } : config;
    return runNamed(this, query, typeof values === 'function' ? values : callback);
  }
  return plainQuery.call(this, config, values, callback);
};

/** A plain named query config (`queryPrepared`'s); not a submittable (a cursor, a stream), which runs itself. */
function isNamedQuery(config: unknown): config is NamedQuery {
  const c = config as (Partial<NamedQuery> & { submit?: unknown }) | null;
  return (
    typeof c === 'object' &&
    c !== null &&
    typeof c.name === 'string' &&
    typeof c.text === 'string' &&
    typeof c.submit !== 'function'
  );
}

/**
 * A named statement, run again under a new name when PostgreSQL refused its plan cached before a
 * migration: at once when it ran on its own (outside a transaction block, so nothing else was undone);
 * inside a transaction, the error ends the transaction and TransactionService runs it again
 * (retry-policy.ts), and the new name is what it prepares then.
 */
function runNamed(client: Client, query: NamedQuery, callback: unknown): unknown {
  const result = (plainQuery.call(client, query) as Promise<QueryResult>).catch((error: unknown) => {
    if (!isStalePlan(error)) throw error;
    retireStatementName(query.text, query.name);
    // 'T' or 'E' (the failed block) whether or not the server's ReadyForQuery has been read yet.
    if (client.getTransactionStatus() !== 'I') throw error;
    const name = statementName(query.text);
    const again = name ? { ...query, name } : { text: query.text, values: query.values };
    return plainQuery.call(client, again) as Promise<QueryResult>;
  });
  if (typeof callback !== 'function') return result;
  result.then(
    (value) => (callback as (e: unknown, r?: QueryResult) => void)(null, value),
    (error: unknown) => (callback as (e: unknown) => void)(error),
  );
  return undefined;
}
