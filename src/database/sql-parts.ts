import type { EntityManager } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';
import { statementName } from './named-statements';
import { returningRows } from './returning';

/**
 * The parameters of one statement whose parts are written by different stores: each part adds its
 * values and gets their `$n` back. Every statement of a command costs a round trip and a socket write
 * (issue 21's profile: a third of a create's time was sending statements), so a command reads what its
 * rules need in one statement and writes in one where SQL allows.
 */
export class SqlParams {
  readonly values: unknown[] = [];

  add(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
}

/** One column of a composed read: an SQL expression (a scalar subquery, EXISTS, json_agg) and how to read it. */
export interface ReadPart<T> {
  sql: string;
  read(value: unknown): T;
}

type Results<P extends readonly ReadPart<unknown>[]> = {
  [K in keyof P]: P[K] extends ReadPart<infer T> ? T : never;
};

/** Runs the parts as the columns of one `SELECT` (one round trip) and gives each its own result. */
export async function readTogether<const P extends readonly ReadPart<unknown>[]>(
  manager: EntityManager,
  params: SqlParams,
  parts: P,
): Promise<Results<P>> {
  const [row] = await queryPrepared<Record<string, unknown>>(
    manager,
    `SELECT ${parts.map((part, i) => `${part.sql} AS part_${i}`).join(', ')}`,
    params.values,
  );
  return parts.map((part, i) => part.read(row![`part_${i}`])) as Results<P>;
}

/**
 * A write that joins another statement as one of its `WITH` queries: an INSERT that selects `FROM`
 * the statement's anchor (the CTE of the row it belongs to), so it writes nothing when the anchor
 * wrote nothing, and commits or fails with it. Without an anchor, a statement of its own.
 */
export type JoinedWrite = (params: SqlParams, anchor?: string) => string;

/**
 * `manager.query` as a named prepared statement (`statementName`), a write or a short read too, which the
 * pool's client leaves unnamed (`namedByDefault`): each connection parses and plans it once (after
 * PostgreSQL's first five custom plans, a generic one) instead of at every call. The composed
 * statements of the hot paths inline the framework-membership function several times: planning them
 * cost more than running them (54 ms against 9 ms on the loaded VM, issue 21). Same parameters
 * and errors (node-postgres's own, as inside TypeORM's `QueryFailedError`) as `manager.query`, and
 * always the statement's rows (an UPDATE's too, which `manager.query` gives as `[rows, count]`);
 * inside a transaction, on its connection.
 */
export async function queryPrepared<T>(
  manager: EntityManager,
  text: string,
  values: unknown[],
): Promise<T[]> {
  const name = statementName(text);
  // Beyond the bound, unnamed; an UPDATE's rows then come as TypeORM gives them, `[rows, count]`.
  if (!name) return returningRows<T>(manager, text, values);
  const runner = manager.queryRunner;
  const client: { query(q: { name: string; text: string; values: unknown[] }): Promise<{ rows: T[] }> } =
    runner && !runner.isReleased
      ? await runner.connect()
      : (manager.connection.driver as PostgresDriver).master;
  return (await client.query({ name, text, values })).rows;
}
