import type { EntityManager } from 'typeorm';
import { arrestScope, positional, requestScope } from '../access/scopes';
import type { CustodyStatus } from '../arrests/dto/arrest.dto';
import type { Actor } from '../common/request-context';
import { requestLabelSql } from '../common/references';

/** An arrest a repatriation request lists, as its checks read it. */
export interface ListedArrest {
  id: string;
  person_id: string;
  arresting_country: string;
  nationality: string;
  custody_status: CustodyStatus;
}

/** A row of `repatriation_person` of a draft: the arrest it lists and that arrest's person. */
export interface DraftArrestRow {
  arrest_id: string;
  person_id: string;
}

/** Of `ids`, the arrests the actor reads (`arrestScope`): an arrest it may not read is not among them. */
export function readableArrests(
  manager: EntityManager,
  actor: Actor,
  ids: string[],
): Promise<ListedArrest[]> {
  const scope = arrestScope(actor);
  return manager
    .createQueryBuilder()
    .select(['a.id AS id', 'a.person_id AS person_id', 'a.arresting_country AS arresting_country'])
    .addSelect(['a.nationality AS nationality', 'a.custody_status AS custody_status'])
    .from('arrest', 'a')
    .where('a.id IN (:...ids)', { ids })
    .andWhere(scope.sql, scope.params)
    .getRawMany<ListedArrest>();
}

/**
 * Holds, until the commit, a lock per person for repatriation requests of `origin` (in one order): two
 * drafts naming one person on two arrests, made at once, each found the other not yet written; the
 * second now waits, then finds the first (`openRequestsNaming`). The unique index is per arrest and
 * cannot see it.
 */
export async function lockPersonsForRepatriation(
  manager: EntityManager,
  origin: string,
  personIds: string[],
): Promise<void> {
  await manager.query(
    `SELECT pg_advisory_xact_lock(hashtextextended('repatriation-person:' || $1 || ':' || p.id, 0))
       FROM (SELECT DISTINCT id FROM unnest($2::uuid[]) AS u(id) ORDER BY id) p`,
    [origin, personIds],
  );
}

/**
 * The labels of the open repatriation requests the actor reads (`requestScope`) that name one of the
 * persons, `except` the request being edited: another country's request for the same person (its own
 * draft, another pair's) is its business and never shows through here.
 */
export async function openRequestsNaming(
  manager: EntityManager,
  actor: Actor,
  personIds: string[],
  except: string | null,
): Promise<Array<{ reference: string | null }>> {
  const params: unknown[] = [personIds, except];
  const readable = positional(requestScope(actor, 'r'), params);
  return manager.query(
    `SELECT DISTINCT ${requestLabelSql('r')} AS reference
       FROM repatriation_person rp JOIN cross_border_request r ON r.id = rp.request_id
      WHERE rp.open AND rp.person_id = ANY($1::uuid[]) AND r.id IS DISTINCT FROM $2::uuid AND ${readable}`,
    params,
  );
}

/**
 * Writes the request's rows for its arrests. The partial unique index (one open request per arrest and
 * side) makes this race-safe: of two concurrent requests of one country for one arrest, the second
 * insert waits for the first to commit and then fails.
 */
export async function insertRepatriationPersons(
  manager: EntityManager,
  requestId: string,
  arrests: Array<Pick<ListedArrest, 'id' | 'person_id'>>,
  origin: string,
): Promise<void> {
  if (!arrests.length) return;
  await manager.query(
    `INSERT INTO repatriation_person (request_id, arrest_id, person_id, origin_country)
     SELECT $1, unnest($2::uuid[]), unnest($3::uuid[]), $4`,
    [requestId, arrests.map((a) => a.id), arrests.map((a) => a.person_id), origin],
  );
}

/** A draft's rows, locked (in arrest order) for the rest of its edit's transaction. */
export function lockDraftArrests(manager: EntityManager, requestId: string): Promise<DraftArrestRow[]> {
  return manager.query(
    `SELECT arrest_id, person_id FROM repatriation_person WHERE request_id = $1 ORDER BY arrest_id FOR UPDATE`,
    [requestId],
  );
}

/**
 * Takes arrests off a draft (its edit): a draft's row has no handover, drop or sending to keep, and the
 * arrest itself stays as it is. Nothing on a request already sent.
 */
export async function deleteDraftArrests(
  manager: EntityManager,
  requestId: string,
  arrestIds: string[],
): Promise<void> {
  if (!arrestIds.length) return;
  await manager.query(
    `DELETE FROM repatriation_person rp USING cross_border_request r
      WHERE rp.request_id = $1 AND rp.arrest_id = ANY($2::uuid[]) AND r.id = rp.request_id
        AND r.status = 'draft' AND r.sent_at IS NULL`,
    [requestId, arrestIds],
  );
}

/**
 * The arrests a request lists, each as a row of its table (every column the other side reads), in the
 * order its view lists them.
 */
export function arrestRowsOf(
  manager: EntityManager,
  requestId: string,
): Promise<Array<{ id: string; row: Record<string, unknown> }>> {
  return manager.query(
    `SELECT a.id, to_jsonb(a) AS row FROM repatriation_person rp JOIN arrest a ON a.id = rp.arrest_id
      WHERE rp.request_id = $1 ORDER BY a.arrested_at, rp.arrest_id`,
    [requestId],
  );
}
