import type { EntityManager } from 'typeorm';
import { positional, requestScope } from '../access/scopes';
import { decodeCursorWith, Page, pageLimit, toPage } from '../common/pagination/page';
import type { Actor } from '../common/request-context';
import { queryPrepared, SqlParams } from '../database/sql-parts';
import type { CrossBorderRequest, RequestKind } from './cross-border-request.entity';
import { OPEN_FOR_TARGET } from './due-time';
import type { RequestListQueryDto } from './dto/request-list-query.dto';
import type { DispatchThread } from './request-header';
import { frameworkKey, type FrameworkAnswers } from './framework-answers';

/** `%`, `_` and `\` are literal in a search: the caller's words, not a pattern. */
const likeLiteral = (text: string) => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/**
 * A request row as plain fields (no TypeORM entity: hydrating 51 entities a page was a tenth of the
 * list's time in issue 21's profile), for `SELECT ${REQUEST_COLUMNS} FROM cross_border_request r`.
 * node-postgres already reads timestamptz as Date, jsonb as objects and int as number.
 */
export const REQUEST_COLUMNS = `r.id, r.kind, r.reference, r.origin_country AS "originCountry",
  r.target_country AS "targetCountry", r.framework_id AS "frameworkId", r.case_id AS "caseId", r.priority,
  r.handling_code AS "handlingCode", r.status, r.subject, r.payload, r.outcome, r.created_by AS "createdBy",
  r.submitted_by AS "submittedBy", r.approved_by AS "approvedBy", r.assigned_to AS "assignedTo",
  r.sent_at AS "sentAt", r.due_at AS "dueAt", r.accepted_at AS "acceptedAt", r.fulfilled_at AS "fulfilledAt",
  r.closed_at AS "closedAt", r.dispatch_id AS "dispatchId", r.recipients_visible AS "recipientsVisible",
  r.created_at AS "createdAt", r.updated_at AS "updatedAt", r.version`;

/**
 * The one list query of every request kind: the caller's scope, every filter, and a keyset page newest
 * first — or, for a kind listed `overdueFirst`, with what is overdue for the caller's country first
 * (its cursor then carries the rank `o` of its last item). With each request, whether the framework it
 * relies on is active for both its countries on `day` (the `frameworkActive` guard's fact), so the
 * page's allowed actions need no query of their own.
 */
export async function pageOfRequests(
  manager: EntityManager,
  actor: Actor,
  kind: RequestKind,
  query: RequestListQueryDto,
  now: Date,
  order: 'newest' | 'overdueFirst' = 'newest',
): Promise<Page<CrossBorderRequest> & { frameworks: FrameworkAnswers }> {
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
  if (query.direction === 'outbound') where.push(`r.origin_country = ${me()}`);
  if (query.direction === 'inbound') where.push(`r.target_country = ${me()}`);
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
  const after = decodeCursorWith(query.cursor, (v) =>
    order === 'newest' ? {} : v.o === 0 || v.o === 1 ? { o: v.o } : null,
  );
  if (after) {
    const co = `${p('o' in after ? after.o : 0)}::int`;
    where.push(
      `(${rank} < ${co} OR (${rank} = ${co} AND (r.created_at, r.id) < (${p(after.at)}::timestamptz, ${p(after.id)}::uuid)))`,
    );
  }
  const day = `${p(now.toISOString().slice(0, 10))}::date`;
  const rows = await queryPrepared<CrossBorderRequest & { overdue_rank: number; framework_active: boolean }>(
    manager,
    `SELECT ${REQUEST_COLUMNS}, ${rank} AS overdue_rank,
              (SELECT count(*) FROM framework_members_on(${day}) m
                WHERE m.framework_id = r.framework_id AND m.country_code IN (r.origin_country, r.target_country)) = 2
                AS framework_active
         FROM cross_border_request r
        WHERE ${where.join(' AND ')}
        ORDER BY overdue_rank DESC, r.created_at DESC, r.id DESC
        LIMIT ${p(limit + 1)}`,
    params.values,
  );
  const frameworks: FrameworkAnswers = new Map();
  const page = toPage(
    rows,
    limit,
    (row) => ({
      ...(order === 'overdueFirst' ? { o: Number(row.overdue_rank) } : {}),
      at: row.createdAt.toISOString(),
      id: row.id,
    }),
    ({ overdue_rank: _rank, framework_active: active, ...request }) => {
      frameworks.set(frameworkKey(request), Promise.resolve(active));
      return request;
    },
  );
  return { ...page, frameworks };
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
