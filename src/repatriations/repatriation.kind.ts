import { positional, requestScope } from '../access/scopes';
import { IN_CUSTODY } from '../arrests/dto/arrest.dto';
import type { EntityManager } from 'typeorm';
import { ConflictError } from '../common/errors/domain-errors';
import { requestLabelSql } from '../common/references';
import type { CrossBorderRequest } from '../workflow/cross-border-request.entity';
import type { RepatriationRequestView } from './dto/repatriation-request.dto';
import type { FactGuard, RequestKindDefinition } from '../workflow/request-kind';
import { BASE_TRANSITIONS } from '../workflow/request-lifecycle';

const ACTIVE = 'frameworkActive';

/** A guard that passes while some person of the request is in the given situation. */
const whileSomePerson =
  (condition: string, reason: string): FactGuard =>
  async ({ request, manager }) => {
    const [row] = await manager.query(
      `SELECT 1 FROM repatriation_person rp JOIN arrest a ON a.id = rp.arrest_id
        WHERE rp.request_id = $1 AND ${condition} LIMIT 1`,
      [request.id, IN_CUSTODY],
    );
    return row ? null : { status: 409, reason, error: new ConflictError(reason) };
  };

/**
 * The arrests of a repatriation request (still on it) whose nationality is no longer the receiving
 * country's: corrected by the arresting country (`PATCH /arrests/:id`) after the request was drafted. A
 * nationality is corrected only while no request for the arrest was sent (`ArrestCorrectionService`),
 * so such a request is never sent: it would ask a country to take back someone who is not its national,
 * and that country would not read the arrest it names (`arrestScope`). `lock`: inside the sending,
 * after the request's row lock, so a correction at the same moment either waits for the sending (and
 * then finds the request sent) or is seen here.
 */
export async function arrestsOfAnotherNationality(
  manager: EntityManager,
  request: Pick<CrossBorderRequest, 'id' | 'payload'>,
  lock = false,
): Promise<string[]> {
  const rows: Array<{ arrest_id: string }> = await manager.query(
    `SELECT a.id AS arrest_id FROM repatriation_person rp JOIN arrest a ON a.id = rp.arrest_id
      WHERE rp.request_id = $1 AND rp.open AND rp.drop_reason IS NULL AND a.nationality <> $2
      ORDER BY a.id${lock ? ' FOR SHARE OF a' : ''}`,
    [request.id, request.payload.receivingCountry],
  );
  return rows.map((r) => r.arrest_id);
}

/**
 * Why a request whose persons' nationality was corrected cannot be sent (`arrestsOfAnotherNationality`).
 * Not what it was corrected to: the receiving side of its own draft may no longer read the arrest.
 */
export function anotherNationalityReason(
  request: Pick<CrossBorderRequest, 'payload'>,
  arrestIds: string[],
): string {
  return (
    `The arresting country corrected the nationality of ${arrestIds.length} person(s) on this request since ` +
    `it was drafted (arrest ${arrestIds.join(', ')}): they are no longer recorded as nationals of ` +
    `${String(request.payload.receivingCountry)}. Withdraw the request and draft it again without them ` +
    '(to their country: a request of its own).'
  );
}

/** Still to be handed over: neither confirmed nor dropped. */
const OPEN = `rp.handover_confirmed_at IS NULL AND rp.drop_reason IS NULL`;

/**
 * An arrested foreign national sent home to face charges: scheduled, handed over by the sending side,
 * confirmed by the receiving side, or dropped.
 */
export const REPATRIATION_KIND: RequestKindDefinition = {
  kind: 'repatriation',
  referencePrefix: 'REP',
  // Its view lists the persons to be sent home, by name.
  consultation: {
    action: 'repatriation',
    personsShown: (view) => (view as RepatriationRequestView).persons.map((p) => p.personId),
  },
  // The person's country reads the arrests only while the request is under way (`repatriationUnderWay`);
  // `drop` ends it for one person (its route is marked on the controller).
  reducesVisibility: ['withdraw', 'reject'],
  // Accepted, it runs on its schedule (a flight weeks ahead), not on the answer time.
  dueCovers: 'acceptance',
  // Either side plans; only the sending side drops: the step is news for the side that did not take it.
  notifications: {
    schedule: ['repatriation.scheduled', 'other'],
    drop: ['repatriation.person_dropped', 'other'],
  },
  transitions: {
    ...BASE_TRANSITIONS,
    /**
     * Sent only while no other request for its arrests was sent (the other side's, see the guard), and
     * while each person is still recorded as a national of the receiving country.
     */
    approve: {
      ...BASE_TRANSITIONS.approve,
      guards: [...BASE_TRANSITIONS.approve.guards, 'noOtherSentRequest', 'everyPersonOfReceivingNationality'],
    },
    fulfil: { ...BASE_TRANSITIONS.fulfil, guards: [ACTIVE, 'everyPersonHandedOverOrDropped'] },
    /** Date, route, carrier and escorts; scheduling again keeps the earlier plans. */
    schedule: {
      from: ['accepted'],
      to: null,
      side: 'either',
      roles: ['officer', 'liaison'],
      guards: [ACTIVE],
    },
    /** The sending side records the handover of persons... */
    handover: {
      from: ['accepted'],
      to: null,
      side: 'either',
      roles: ['officer', 'liaison'],
      guards: ['sendingSide', ACTIVE, 'aPersonToHandOver'],
    },
    /** ...and the receiving side confirms it; only then is a person handed over. */
    'confirm-handover': {
      from: ['accepted'],
      to: null,
      side: 'either',
      roles: ['officer', 'liaison'],
      guards: ['receivingSide', ACTIVE, 'aHandoverToConfirm'],
    },
    /** The sending side drops a person with a reason (released, charged locally, deceased). */
    drop: {
      from: ['accepted'],
      to: null,
      side: 'either',
      roles: ['officer', 'liaison'],
      guards: ['sendingSide', ACTIVE, 'aPersonToDrop'],
    },
  },
  guards: {
    /**
     * Each side may draft its own request for an arrest; the first sent is the one both act on
     * (`repatriation_arrest_one_sent`). Asked of the origin's liaisons only (`approve`), who read every
     * request sent to their country, RED included; the reason names only requests the caller reads.
     */
    noOtherSentRequest: async ({ request, actor, manager }) => {
      const params: unknown[] = [request.id];
      const readable = positional(requestScope(actor, 'r'), params);
      const rows: Array<{ reference: string | null }> = await manager.query(
        `SELECT DISTINCT CASE WHEN ${readable} THEN ${requestLabelSql('r')} END AS reference
           FROM repatriation_person rp
           JOIN repatriation_person o ON o.arrest_id = rp.arrest_id AND o.request_id <> rp.request_id
                                     AND o.open AND o.sent
           JOIN cross_border_request r ON r.id = o.request_id
          WHERE rp.request_id = $1 AND rp.open`,
        params,
      );
      if (!rows.length) return null;
      const references = rows.flatMap((row) => (row.reference ? [row.reference] : []));
      const reason = `A person is already on another open repatriation request${references.length ? ` (${references.join(', ')})` : ''}.`;
      return { status: 409, reason, error: new ConflictError(reason) };
    },
    everyPersonOfReceivingNationality: async ({ request, manager }) => {
      const corrected = await arrestsOfAnotherNationality(manager, request);
      if (!corrected.length) return null;
      const reason = anotherNationalityReason(request, corrected);
      return { status: 409, reason, error: new ConflictError(reason) };
    },
    everyPersonHandedOverOrDropped: async ({ request, manager }) => {
      const [{ open }]: Array<{ open: number }> = await manager.query(
        `SELECT count(*)::int AS open FROM repatriation_person rp WHERE rp.request_id = $1 AND ${OPEN}`,
        [request.id],
      );
      if (!open) return null;
      const reason = `${open} person(s) are neither handed over (confirmed by both sides) nor dropped.`;
      return { status: 409, reason, error: new ConflictError(reason) };
    },
    aPersonToHandOver: whileSomePerson(
      `${OPEN} AND a.custody_status = ANY($2::text[])`,
      'No person on this request is left to hand over (every one is confirmed, dropped or out of custody).',
    ),
    aHandoverToConfirm: whileSomePerson(
      `${OPEN} AND rp.handover_recorded_at IS NOT NULL AND a.custody_status = ANY($2::text[])`,
      'No recorded handover awaits confirmation.',
    ),
    aPersonToDrop: whileSomePerson(
      `${OPEN} AND $2::text[] IS NOT NULL`,
      'No person on this request is left to drop.',
    ),
  },
};
