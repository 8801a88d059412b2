import { Injectable } from '@nestjs/common';
import { IN_CUSTODY } from '../arrests/dto/arrest.dto';
import { ConflictError, FieldError, ValidationFailedError } from '../common/errors/domain-errors';
import { actorOf, RequestContext } from '../common/request-context';
import { isUniqueViolation } from '../database/pg-errors';
import { TransactionService } from '../database/transaction.service';
import { IdentifierReleaseService } from '../sharing/identifier-release.service';
import { ReleaseService } from '../sharing/release.service';
import type { CrossBorderRequest } from '../workflow/cross-border-request.entity';
import {
  insertRepatriationPersons,
  ListedArrest,
  lockPersonsForRepatriation,
  openRequestsNaming,
  readableArrests,
} from './repatriation-arrests.store';

/** One open request per arrest and side (its origin country): a draft is its own country's business. */
const ONE_OPEN_PER_SIDE_INDEX = 'repatriation_arrest_one_open_per_side';

/** An arrest of a request's list, and the field of the body that named it (`arrestIds[i]`). */
export interface PlacedArrest {
  arrest: ListedArrest;
  field: string;
}

/** A request's list of arrests as checked: each with its field, in the order given, and the two sides. */
export interface CheckedArrests {
  arrests: PlacedArrest[];
  sendingCountry: string;
  receivingCountry: string;
}

/** A person is already on another open repatriation request the caller reads (409). */
export function alreadyOnOpenRequest(references: string[]): ConflictError {
  return new ConflictError(
    `A person is already on another open repatriation request${references.length ? ` (${references.join(', ')})` : ''}.`,
  );
}

/**
 * A repatriation request's list of arrests as the origin writes it — on a draft's create and on its
 * edit, checked and written alike: arrests the caller reads (another country's arrest not shared with
 * it answers as an unknown id), all made by one of the two countries, of nationals of the other, still
 * in custody, no person twice, and no person already on another open request the caller reads.
 */
@Injectable()
export class RepatriationArrestListService {
  constructor(
    private readonly tx: TransactionService,
    private readonly releaseRule: ReleaseService,
    private readonly identifierRelease: IdentifierReleaseService,
  ) {}

  /**
   * The list's checks (400 naming the field, 409 for a person on another open request), for a request
   * from the caller's country to `targetCountry`; `draftId`, the draft being edited (its own rows do
   * not count against it). Holds a lock per person until the commit (`lockPersonsForRepatriation`).
   */
  async check(
    ctx: RequestContext,
    arrestIds: string[],
    targetCountry: string,
    draftId: string | null,
  ): Promise<CheckedArrests> {
    const actor = actorOf(ctx);
    const m = this.tx.manager;
    const found = await readableArrests(m, actor, arrestIds);
    if (found.length !== arrestIds.length)
      throw new ValidationFailedError([
        { field: 'arrestIds', message: 'arrestIds names an arrest that does not exist' },
      ]);
    const byId = new Map(found.map((a) => [a.id, a]));
    const arrests = arrestIds.map((id, i) => ({ arrest: byId.get(id)!, field: `arrestIds[${i}]` }));

    const pair = new Set([actor.countryCode, targetCountry]);
    const sendingCountry = arrests[0]!.arrest.arresting_country;
    const receivingCountry = sendingCountry === actor.countryCode ? targetCountry : actor.countryCode!;
    const errors: FieldError[] = [];
    const seenPersons = new Set<string>();
    for (const { arrest: a, field } of arrests) {
      if (!pair.has(a.arresting_country) || a.arresting_country !== sendingCountry)
        errors.push({
          field,
          message: `all arrests must be made by the same one of ${[...pair].join(' and ')}`,
        });
      else if (a.nationality !== receivingCountry)
        errors.push({
          field,
          message: `the person is a national of ${a.nationality}, not of ${receivingCountry}`,
        });
      else if (!IN_CUSTODY.includes(a.custody_status))
        errors.push({ field, message: `the person is no longer in custody (${a.custody_status})` });
      if (seenPersons.has(a.person_id)) errors.push({ field, message: 'the same person is listed twice' });
      seenPersons.add(a.person_id);
    }
    if (errors.length) throw new ValidationFailedError(errors);

    // Only requests the caller may read count: another country's arrest of the same person, on its
    // own request (a draft, another pair's), is its business and must not show through a 409. The
    // database holds the same line (migration 1763800500000): one open request per arrest and side,
    // one sent per arrest, so the other side's draft, or a RED request the caller is no recipient
    // of, never refuses this write; the second side's `approve` meets the sent one (`markSent`).
    const personIds = found.map((a) => a.person_id);
    await lockPersonsForRepatriation(m, actor.countryCode!, personIds);
    const busy = await openRequestsNaming(m, actor, personIds, draftId);
    if (busy.length) throw alreadyOnOpenRequest(busy.flatMap((b) => (b.reference ? [b.reference] : [])));
    return { arrests, sendingCountry, receivingCountry };
  }

  /**
   * Writes arrests onto the request (checked by `check`): its rows, its persons linked through the
   * release rule (those not `linked` already), and each arrest's text weighed for the request's target.
   */
  async write(
    ctx: RequestContext,
    request: CrossBorderRequest,
    arrests: PlacedArrest[],
    linked: ReadonlySet<string> = new Set(),
  ): Promise<void> {
    if (!arrests.length) return;
    try {
      await insertRepatriationPersons(
        this.tx.manager,
        request.id,
        arrests.map((a) => a.arrest),
        request.originCountry,
      );
    } catch (error) {
      // Only the caller's own country's open requests are under this index: ones it reads.
      if (isUniqueViolation(error, ONE_OPEN_PER_SIDE_INDEX)) throw alreadyOnOpenRequest([]);
      throw error;
    }
    // Linked like any request's persons, so the other side sees them from `sent` on.
    await this.releaseRule.linkRequestPersons(
      ctx,
      request,
      arrests
        .filter((a) => !linked.has(a.arrest.person_id))
        .map((a) => ({ personId: a.arrest.person_id, field: a.field })),
      'origin',
    );
    await this.identifierRelease.releaseRequestArrests(
      ctx,
      request,
      arrests.map((a) => ({ id: a.arrest.id, field: a.field })),
      'origin',
    );
  }
}
