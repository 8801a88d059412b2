import type { EntityManager } from 'typeorm';
import { requestScope } from '../access/scopes';
import { decodeCursorWith, Page, pageLimit, toPage } from '../common/pagination/page';
import type { Actor } from '../common/request-context';
import { CrossBorderRequest, RequestKind } from './cross-border-request.entity';
import { OPEN_FOR_TARGET } from './due-time';
import type { RequestListQueryDto } from './dto/request-list-query.dto';
import type { DispatchThread } from './request-header';

/** `%`, `_` and `\` are literal in a search: the caller's words, not a pattern. */
const likeLiteral = (text: string) => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/**
 * The one list query of every request kind: the caller's scope, every filter, and a keyset page newest
 * first — or, for a kind listed `overdueFirst`, with what is overdue for the caller's country first
 * (its cursor then carries the rank `o` of its last item).
 */
export async function pageOfRequests(
  manager: EntityManager,
  actor: Actor,
  kind: RequestKind,
  query: RequestListQueryDto,
  now: Date,
  order: 'newest' | 'overdueFirst' = 'newest',
): Promise<Page<CrossBorderRequest>> {
  const scope = requestScope(actor);
  const limit = pageLimit(query);
  const rank =
    order === 'overdueFirst'
      ? `(CASE WHEN r.target_country = :me AND r.status IN (:...open) AND r.due_at < :now THEN 1 ELSE 0 END)`
      : '0';
  const qb = manager
    .getRepository(CrossBorderRequest)
    .createQueryBuilder('r')
    .addSelect(rank, 'overdue_rank')
    .where('r.kind = :kind', { kind })
    .andWhere(scope.sql, scope.params)
    .setParameters({ me: actor.countryCode, meUser: actor.userId, open: [...OPEN_FOR_TARGET], now });
  if (query.status) qb.andWhere('r.status = :status', { status: query.status });
  if (query.direction === 'outbound') qb.andWhere('r.origin_country = :me');
  if (query.direction === 'inbound') qb.andWhere('r.target_country = :me');
  if (query.counterpartCountry)
    qb.andWhere('(r.origin_country = :cp OR r.target_country = :cp)', { cp: query.counterpartCountry });
  if (query.priority) qb.andWhere('r.priority = :priority', { priority: query.priority });
  // The case is shown to the origin only, so only the origin finds a request by it.
  if (query.caseId) qb.andWhere('r.case_id = :caseId AND r.origin_country = :me', { caseId: query.caseId });
  if (query.assignedToMe) qb.andWhere('r.assigned_to = :meUser');
  if (query.overdue !== undefined) {
    const overdue = `coalesce(r.due_at < :now AND r.status IN (:...open), false)`;
    qb.andWhere(query.overdue ? overdue : `NOT ${overdue}`);
  }
  if (query.q)
    qb.andWhere(`(r.reference ILIKE :q ESCAPE '\\' OR r.subject ILIKE :q ESCAPE '\\')`, {
      q: likeLiteral(query.q),
    });
  const after = decodeCursorWith(query.cursor, (v) =>
    order === 'newest' ? {} : v.o === 0 || v.o === 1 ? { o: v.o } : null,
  );
  if (after)
    qb.andWhere(`(${rank} < :co OR (${rank} = :co AND (r.created_at, r.id) < (:cat, :cid)))`, {
      co: 'o' in after ? after.o : 0,
      cat: after.at,
      cid: after.id,
    });
  const { entities, raw } = await qb
    .orderBy('overdue_rank', 'DESC')
    .addOrderBy('r.created_at', 'DESC')
    .addOrderBy('r.id', 'DESC')
    .limit(limit + 1)
    .getRawAndEntities<{ overdue_rank: string | number }>();
  // One raw row per entity (no joins): the rank a cursor carries comes from the raw side.
  const rows = entities.map((request, i) => ({ request, rank: Number(raw[i]?.overdue_rank ?? 0) }));
  return toPage(
    rows,
    limit,
    ({ request, rank }) => ({
      ...(order === 'overdueFirst' ? { o: rank } : {}),
      at: request.createdAt.toISOString(),
      id: request.id,
    }),
    ({ request }) => request,
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
