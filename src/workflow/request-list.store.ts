import type { EntityManager } from 'typeorm';
import { positional, requestScope } from '../access/scopes';
import { decodeCursorWith, Page, pageLimit, toPage } from '../common/pagination/page';
import type { Actor } from '../common/request-context';
import { queryPrepared, SqlParams } from '../database/sql-parts';
import type { CrossBorderRequest, RequestKind, RequestTimeField } from './cross-border-request.entity';
import { OPEN_FOR_TARGET } from './due-time';
import type { RequestListQueryDto } from './dto/request-list-query.dto';
import type { DispatchThread } from './request-header';

/** `%`, `_` and `\` are literal in a search: the caller's words, not a pattern. */
const likeLiteral = (text: string) => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/**
 * A request's time as `Date#toISOString()` writes it, computed by PostgreSQL: milliseconds, truncated
 * (as node-postgres reads a timestamptz); checked equal for every microsecond of a second, whatever the
 * session's time zone. A list page then makes no `Date` of the seven times of each of its rows.
 */
const isoSql = (column: string) => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/**
 * A listed request's fields, as `ListedRequest` names them, over the page's own rows `r` (no TypeORM
 * entity: hydrating 51 entities a page was a tenth of the list's time in issue 21's profile).
 */
const LISTED_FIELDS: ReadonlyArray<[field: string, sql: string]> = [
  ['id', 'r.id'],
  ['kind', 'r.kind'],
  ['reference', 'r.reference'],
  ['originCountry', 'r.origin_country'],
  ['targetCountry', 'r.target_country'],
  ['frameworkId', 'r.framework_id'],
  ['caseId', 'r.case_id'],
  ['priority', 'r.priority'],
  ['handlingCode', 'r.handling_code'],
  ['status', 'r.status'],
  ['subject', 'r.subject'],
  ['payload', 'r.payload'],
  ['outcome', 'r.outcome'],
  ['createdBy', 'r.created_by'],
  ['submittedBy', 'r.submitted_by'],
  ['approvedBy', 'r.approved_by'],
  ['editedBy', 'r.edited_by'],
  ['assignedTo', 'r.assigned_to'],
  ['sentAt', isoSql('r.sent_at')],
  ['dueAt', isoSql('r.due_at')],
  ['acceptedAt', isoSql('r.accepted_at')],
  ['fulfilledAt', isoSql('r.fulfilled_at')],
  ['closedAt', isoSql('r.closed_at')],
  ['dispatchId', 'r.dispatch_id'],
  ['recipientsVisible', 'r.recipients_visible'],
  ['createdAt', isoSql('r.created_at')],
  ['updatedAt', isoSql('r.updated_at')],
  ['version', 'r.version'],
];

/** `json_build_object`'s arguments of a listed request's own fields, written once. */
const jsonArguments = (fields: ReadonlyArray<[string, string]>) =>
  fields.map(([field, sql]) => `'${field}', ${sql}`).join(',\n         ');
const LISTED_FIELD_ARGUMENTS = jsonArguments(LISTED_FIELDS);

/**
 * A request as a list page reads it, with what its view needs beyond the row, all from the page's one
 * statement: its times already ISO strings, the framework fact of its guards, its dispatch's threads
 * and the kind's own list column.
 */
export type ListedRequest = Omit<CrossBorderRequest, RequestTimeField> & {
  sentAt: string | null;
  dueAt: string | null;
  acceptedAt: string | null;
  fulfilledAt: string | null;
  closedAt: string | null;
  createdAt: string;
  updatedAt: string;
  /**
   * Whether the framework it relies on is active for both its countries on the page's day (the
   * `frameworkActive` guard's fact), so its allowed actions need no query of their own.
   */
  frameworkActive: boolean;
  /** Every thread of its dispatch, by country (as `dispatchThreads` reads them); null without one. */
  dispatch: DispatchThread[] | null;
  /** Past its due time while the target owes an answer (`isOverdue`, with the page's `now`). */
  overdue: boolean;
  /** Its rank in a list `overdueFirst` (1: overdue for the caller's country), 0 in one newest first. */
  overdueRank: number;
  /** The time it is listed (and paged) by for the caller: its drafting for the origin, its sending for the target. */
  listedAt: string;
  /** The value of the kind's list column (`RequestKindHooks.listExtras`), when it has one. */
  listed?: unknown;
};

/**
 * The one list query of every request kind: the caller's scope, every filter, and a keyset page newest
 * first — or, for a kind listed `overdueFirst`, with what is overdue for the caller's country first
 * (its cursor then carries the rank `o` of its last item). One statement: the page's rows are chosen
 * first, then each is read with its framework fact, its dispatch's threads and `kindColumn` (SQL over
 * the request `r`, read as `listed`), so these are computed for the page's rows only.
 */
export async function pageOfRequests(
  manager: EntityManager,
  actor: Actor,
  kind: RequestKind,
  query: RequestListQueryDto,
  now: Date,
  order: 'newest' | 'overdueFirst' = 'newest',
  kindColumn?: string,
): Promise<Page<ListedRequest>> {
  const params = new SqlParams();
  const p = (value: unknown) => params.add(value);
  const limit = pageLimit(query);
  // Each added when first used: PostgreSQL refuses a parameter the statement never mentions.
  const once = (value: () => unknown, cast = '') => {
    let placeholder: string | undefined;
    return () => (placeholder ??= `${p(value())}${cast}`);
  };
  const me = once(() => actor.countryCode);
  const nowAt = once(() => now.toISOString(), '::timestamptz');
  const open = once(() => [...OPEN_FOR_TARGET], '::text[]');
  const rank =
    order === 'overdueFirst'
      ? `(CASE WHEN r.target_country = ${me()} AND r.status = ANY(${open()}) AND r.due_at < ${nowAt()} THEN 1 ELSE 0 END)`
      : '0';
  const where = [`r.kind = ${p(kind)}`, positional(requestScope(actor), params.values)];
  if (query.status) where.push(`r.status = ${p(query.status)}`);
  if (query.counterpartCountry) {
    const cp = p(query.counterpartCountry);
    where.push(`(r.origin_country = ${cp} OR r.target_country = ${cp})`);
  }
  if (query.priority) where.push(`r.priority = ${p(query.priority)}`);
  // The case is shown to the origin only, so only the origin finds a request by it.
  if (query.caseId) where.push(`r.case_id = ${p(query.caseId)}::uuid AND r.origin_country = ${me()}`);
  if (query.assignedToMe) where.push(`r.assigned_to = ${p(actor.userId)}::uuid`);
  if (query.overdue !== undefined) {
    const overdue = `coalesce(r.due_at < ${nowAt()} AND r.status = ANY(${open()}), false)`;
    where.push(query.overdue ? overdue : `NOT ${overdue}`);
  }
  if (query.q) {
    const q = p(likeLiteral(query.q));
    where.push(`(r.reference ILIKE ${q} ESCAPE '\\' OR r.subject ILIKE ${q} ESCAPE '\\')`);
  }
  // The time a request is listed by: its drafting for the origin, its sending for the target, which
  // never learns when (or in which order) the origin drafted what it sent (`requestHeader.createdAt`).
  // Each side is its own branch on its own column, which the side's index (`request_origin`,
  // `request_target_sent`, partial on `sent_at IS NOT NULL`, so said again here) serves in order: a page
  // reads about `limit` rows of each side, never every request of the caller's country.
  const after = decodeCursorWith(query.cursor, (v) =>
    order === 'newest' ? {} : v.o === 0 || v.o === 1 ? { o: v.o } : null,
  );
  const sides: Array<{ side: string; listedAt: string }> = [];
  if (query.direction !== 'inbound')
    sides.push({ side: `r.origin_country = ${me()}`, listedAt: 'r.created_at' });
  if (query.direction !== 'outbound')
    sides.push({ side: `r.target_country = ${me()} AND r.sent_at IS NOT NULL`, listedAt: 'r.sent_at' });
  const pageSize = p(limit + 1);
  const branch = ({ side, listedAt }: { side: string; listedAt: string }) => {
    const conditions = [...where, side];
    if (after) {
      const co = `${p('o' in after ? after.o : 0)}::int`;
      conditions.push(
        `(${rank} < ${co} OR (${rank} = ${co} AND (${listedAt}, r.id) < (${p(after.at)}::timestamptz, ${p(after.id)}::uuid)))`,
      );
    }
    return `(SELECT r.*, ${rank} AS overdue_rank, ${listedAt} AS listed_at
               FROM cross_border_request r
              WHERE ${conditions.join(' AND ')}
              ORDER BY overdue_rank DESC, listed_at DESC, r.id DESC
              LIMIT ${pageSize})`;
  };
  const day = `${p(now.toISOString().slice(0, 10))}::date`;
  const facts: Array<[string, string]> = [
    // `isOverdue` in SQL: the same answer, as `now` has whole milliseconds.
    ['overdue', `coalesce(r.due_at < ${nowAt()} AND r.status = ANY(${open()}), false)`],
    ['overdueRank', 'r.overdue_rank'],
    ['listedAt', isoSql('r.listed_at')],
    // Inline, not `framework_joins_on`: this statement is prepared and keeps its generic plan, so the
    // subquery costs no planning, and per row it costs less than a PL/pgSQL call (a page's database CPU
    // 2.6 ms inline, 4.1 ms with the function, `npm run bench:ab`'s list).
    [
      'frameworkActive',
      `(SELECT count(*) FROM framework_members_on(${day}) m
         WHERE m.framework_id = r.framework_id AND m.country_code IN (r.origin_country, r.target_country)) = 2`,
    ],
    [
      'dispatch',
      `CASE WHEN r.dispatch_id IS NOT NULL THEN
         (SELECT json_agg(json_build_object('id', d.id, 'targetCountry', d.target_country,
                                            'reference', d.reference, 'status', d.status)
                          ORDER BY d.target_country)
            FROM cross_border_request d WHERE d.dispatch_id = r.dispatch_id)
       END`,
    ],
    ...(kindColumn ? [['listed', kindColumn] as [string, string]] : []),
  ];
  // The page as one JSON array, which node-postgres reads with one `JSON.parse`: reading 29 columns of
  // 51 rows field by field was a tenth of the list's CPU.
  const [{ page }] = await queryPrepared<{ page: ListedRequest[] }>(
    manager,
    `SELECT coalesce(json_agg(json_build_object(${LISTED_FIELD_ARGUMENTS}, ${jsonArguments(facts)})
                     ORDER BY r.overdue_rank DESC, r.listed_at DESC, r.id DESC), '[]') AS page
       FROM (SELECT * FROM (${sides.map(branch).join(' UNION ALL ')}) sides
              ORDER BY overdue_rank DESC, listed_at DESC, id DESC
              LIMIT ${pageSize}) r`,
    params.values,
  );
  return toPage(
    page,
    limit,
    (row) => ({
      ...(order === 'overdueFirst' ? { o: Number(row.overdueRank) } : {}),
      at: row.listedAt,
      id: row.id,
    }),
    (row) => row,
  );
}

/**
 * Every thread of the dispatches on a page, in one query, by dispatch. Only the caller's own threads
 * are on its page, and `requestHeader` shows a recipient no more than the countries (and only if the
 * origin allowed it), so reading the siblings here reveals nothing the view does not.
 */
export async function dispatchThreads(
  manager: EntityManager,
  requests: readonly CrossBorderRequest[],
): Promise<Map<string, DispatchThread[]>> {
  const ids = [...new Set(requests.map((r) => r.dispatchId).filter((id): id is string => id !== null))];
  const byDispatch = new Map<string, DispatchThread[]>();
  if (!ids.length) return byDispatch;
  const rows: Array<DispatchThread & { dispatchId: string }> = await manager.query(
    `SELECT dispatch_id AS "dispatchId", id, target_country AS "targetCountry", reference, status
       FROM cross_border_request WHERE dispatch_id = ANY($1::uuid[]) ORDER BY target_country`,
    [ids],
  );
  for (const { dispatchId, ...thread } of rows)
    byDispatch.set(dispatchId, [...(byDispatch.get(dispatchId) ?? []), thread]);
  return byDispatch;
}
