import { Injectable } from '@nestjs/common';
import {
  arrestReadByCountry,
  countriesToldBy,
  positional,
  repatriationUnderWay,
  requestScope,
} from '../access/scopes';
import { AuditService } from '../audit/audit.service';
import { isOwnCase, NOT_OWN_CASE } from '../cases/own-case';
import { DomainEventBus } from '../common/events/domain-event-bus';
import { ConflictError, FieldError, ValidationFailedError } from '../common/errors/domain-errors';
import { requestLabelSql } from '../common/references';
import { Actor, actorOf, RequestContext } from '../common/request-context';
import { Clock } from '../common/time/clock';
import { TransactionService } from '../database/transaction.service';
import { IdentifierReleaseService } from '../sharing/identifier-release.service';
import { textsIn } from '../sharing/identifier-keys';
import { ReleaseService } from '../sharing/release.service';
import { ArrestCorrected } from './arrest-events';
import { arrestedAtProblems } from './arrest-recorder.service';
import { coordinatesOf, type ArrestRow } from './arrest-view';
import { ArrestsService } from './arrests.service';
import type { ArrestView, CoordinatesDto, CorrectArrestDto } from './dto/arrest.dto';
import { correctionRepeatsArrest, DuplicateArrestsError } from './duplicate-arrests';

/** The fields of an arrest a correction may change (`CorrectArrestDto` less `version`), in API order. */
export const CORRECTABLE_FIELDS = [
  'arrestedAt',
  'place',
  'province',
  'district',
  'coordinates',
  'caseId',
  'operation',
  'grounds',
  'arrestingAgency',
  'nationality',
] as const;
type CorrectableField = (typeof CORRECTABLE_FIELDS)[number];
type Values = Partial<Record<CorrectableField, unknown>>;

/** Read by the arresting country only (`toArrestView`): no other country is told it changed. */
const OWN_ONLY: ReadonlySet<CorrectableField> = new Set(['caseId']);
/** Free text another country reads in the arrest: weighed by the release rule before it goes. */
const TEXT_FIELDS: ReadonlySet<CorrectableField> = new Set([
  'place',
  'province',
  'district',
  'operation',
  'grounds',
  'arrestingAgency',
  'coordinates',
]);

/** A correctable field's value as the API shows it, from the stored row. */
function storedValues(a: ArrestRow): Record<CorrectableField, unknown> {
  return {
    arrestedAt: new Date(a.arrested_at).toISOString(),
    place: a.place,
    province: a.province,
    district: a.district,
    coordinates: coordinatesOf(a),
    caseId: a.case_id,
    operation: a.operation,
    grounds: a.grounds,
    arrestingAgency: a.arresting_agency,
    nationality: a.nationality,
  };
}

/** A value given in the body as it will be stored (a time in UTC to the millisecond, 6 decimal places). */
function asStored(field: CorrectableField, value: unknown): unknown {
  if (value === null) return null;
  if (field === 'arrestedAt') return new Date(value as string).toISOString();
  if (field === 'coordinates') {
    const c = value as CoordinatesDto;
    return { latitude: Number(c.latitude.toFixed(6)), longitude: Number(c.longitude.toFixed(6)) };
  }
  return value;
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/**
 * Corrects an arrest record (`PATCH /arrests/:id`): a typo of a raid's row — the nationality that blocks
 * a repatriation, the place, time, grounds, agency — fixed by the arresting country, in one transaction
 * with its audit event (the fields' values before and after) and a notice to each country that reads
 * the arrest (the fields' names only). What it refuses, and why:
 *  - the nationality while a repatriation request naming the arrest was sent and is under way (409):
 *    the person's country reads the arrest by it (`arrestScope`) and acts on it. Before it is sent, the
 *    correction goes, and a request whose person is no longer a national of its receiving country cannot
 *    be sent (`everyPersonOfReceivingNationality`): it is withdrawn and drafted to the right country;
 *  - a time moved onto a day on which the country already recorded the person (409 duplicate-arrests,
 *    `?allowDuplicates=true` to go on), as a raid's row is refused;
 *  - text another country would read that the release rule does not let go (409, as a share).
 */
@Injectable()
export class ArrestCorrectionService {
  constructor(
    private readonly tx: TransactionService,
    private readonly arrests: ArrestsService,
    private readonly audit: AuditService,
    private readonly release: ReleaseService,
    private readonly identifierRelease: IdentifierReleaseService,
    private readonly events: DomainEventBus,
    private readonly clock: Clock,
  ) {}

  correct(
    ctx: RequestContext,
    id: string,
    dto: CorrectArrestDto,
    options: { allowDuplicates: boolean },
  ): Promise<ArrestView> {
    const actor = actorOf(ctx);
    const given = CORRECTABLE_FIELDS.filter((f) => dto[f] !== undefined);
    // Bad input before anything else: a body of `version` alone corrects nothing.
    if (!given.length)
      throw new ValidationFailedError(
        [{ field: 'body', message: `give at least one of ${CORRECTABLE_FIELDS.join(', ')}` }],
        'Nothing to correct.',
      );
    return this.tx.run(async () => {
      const found = await this.arrests.findVisible(ctx, id);
      await this.arrests.requireArrestingCountry(ctx, found, 'correct');
      await this.requireValid(actor, dto);
      // Against a share, a custody step, a repatriation request's sending (`markSent` reads the
      // nationality `FOR SHARE`) and another correction: each waits for the other, then reads what it left.
      await this.release.lockArrest(id);
      const arrest = await this.arrests.row(id);
      if (arrest.version !== dto.version)
        throw new ConflictError(`The arrest changed since version ${dto.version}; reload and try again.`);
      const stored = storedValues(arrest);
      const after: Values = {};
      for (const f of given) after[f] = asStored(f, dto[f]);
      const changed = given.filter((f) => !same(stored[f], after[f]));
      if (!changed.length)
        throw new ValidationFailedError(
          given.map((f) => ({ field: f, message: `${f} already holds this value` })),
          'Nothing to correct: every field given holds its value already.',
        );
      if (changed.includes('nationality')) await this.requireNoSentRepatriation(actor, arrest);
      if (changed.includes('arrestedAt') && !options.allowDuplicates) {
        const day = (after.arrestedAt as string).slice(0, 10);
        if (day !== (stored.arrestedAt as string).slice(0, 10)) {
          const repeats = await correctionRepeatsArrest(
            this.tx.manager,
            arrest.arresting_country,
            { id, personId: arrest.person_id },
            day,
          );
          if (repeats) throw DuplicateArrestsError.ofCorrection(day);
        }
      }
      // The corrected text reaches every country that reads the arrest, or will once cooperation resumes
      // (it reads the arrest as it stands then): weighed for each, as the arrest's columns at its share.
      const texts = changed.filter((f) => TEXT_FIELDS.has(f)).map((f) => [f, after[f]] as const);
      if (texts.length)
        await this.identifierRelease.releaseArrestText(ctx, id, textsIn(Object.fromEntries(texts), ''), {
          toldOnly: false,
        });
      await this.write(arrest, changed, after);
      const before: Values = {};
      for (const f of changed) before[f] = stored[f];
      await this.tx.manager.query(
        `INSERT INTO arrest_correction (arrest_id, changed_fields, actor_user_id, actor_country, told)
         SELECT a.id, $2, $3, $4, ${countriesToldBy('a.arresting_country')} FROM arrest a WHERE a.id = $1`,
        [id, changed, actor.userId, actor.countryCode],
      );
      await this.audit.record(ctx, {
        action: 'arrest.correct',
        recordType: 'arrest',
        recordId: id,
        ownerCountry: arrest.arresting_country,
        before,
        after: Object.fromEntries(changed.map((f) => [f, after[f]])),
        details: { changedFields: changed },
      });
      const told = changed.filter((f) => !OWN_ONLY.has(f));
      if (told.length)
        await this.events.publish(
          new ArrestCorrected(
            id,
            arrest.arresting_country,
            told,
            this.clock.now(),
            await this.readers(arrest),
          ),
        );
      return this.arrests.current(actor, id);
    });
  }

  /** What class-validator cannot know, as on create: a time not in the future, a case of the country's own. */
  private async requireValid(actor: Actor, dto: CorrectArrestDto): Promise<void> {
    const errors: FieldError[] = [];
    if (dto.arrestedAt !== undefined) errors.push(...arrestedAtProblems(dto.arrestedAt, this.clock.now()));
    if (dto.caseId && !(await isOwnCase(this.tx.manager, dto.caseId, actor.countryCode)))
      errors.push({ field: 'caseId', message: NOT_OWN_CASE });
    if (errors.length) throw new ValidationFailedError(errors);
  }

  /**
   * The person's country reads the arrest by a repatriation request for it from the sending on, until the
   * request is withdrawn or rejected or the person dropped (`repatriationUnderWay`), and acts on the
   * nationality it names: the arrest would leave its reach (`arrestScope`). Names only the requests the
   * caller reads (a RED one: its liaisons and assigned officer).
   */
  private async requireNoSentRepatriation(actor: Actor, arrest: ArrestRow): Promise<void> {
    const params: unknown[] = [arrest.id];
    const readable = positional(requestScope(actor, 'r'), params);
    const rows: Array<{ reference: string | null; status: string }> = await this.tx.manager.query(
      `SELECT CASE WHEN ${readable} THEN ${requestLabelSql('r')} END AS reference, r.status
         FROM repatriation_person rp JOIN cross_border_request r ON r.id = rp.request_id
        WHERE rp.arrest_id = $1 AND r.sent_at IS NOT NULL AND ${repatriationUnderWay('r', 'rp')}
        ORDER BY r.sent_at`,
      params,
    );
    if (!rows.length) return;
    const named = rows.flatMap((r) => (r.reference ? [`${r.reference}, ${r.status}`] : []));
    throw new ConflictError(
      `The nationality cannot be corrected while a repatriation request for this arrest is under way with ` +
        `the person's country${named.length ? ` (${named.join('; ')})` : ''}: that country reads the arrest ` +
        'by it and acts on it. Withdraw the request, or drop the person from it, first; the other fields can ' +
        'still be corrected.',
    );
  }

  private async write(arrest: ArrestRow, changed: CorrectableField[], after: Values): Promise<void> {
    const params: unknown[] = [arrest.id, arrest.version];
    const set = (column: string, value: unknown) => `${column} = $${params.push(value)}`;
    const sets = changed.flatMap((f) => {
      const value = after[f];
      switch (f) {
        case 'coordinates': {
          const c = value as { latitude: number; longitude: number } | null;
          return [set('latitude', c?.latitude ?? null), set('longitude', c?.longitude ?? null)];
        }
        case 'arrestedAt':
          return [set('arrested_at', value)];
        case 'caseId':
          return [set('case_id', value)];
        case 'arrestingAgency':
          return [set('arresting_agency', value)];
        default:
          return [set(f, value)];
      }
    });
    // An UPDATE answers [rows, affected count]; the row is locked, so only a version read before can differ.
    const [, affected]: [unknown[], number] = await this.tx.manager.query(
      `UPDATE arrest SET ${sets.join(', ')}, version = version + 1, updated_at = now()
        WHERE id = $1 AND version = $2`,
      params,
    );
    if (affected !== 1)
      throw new ConflictError(`The arrest changed since version ${arrest.version}; reload and try again.`);
  }

  /**
   * The other countries that read the corrected arrest now, as each country reads it
   * (`arrestReadByCountry`): the countries it is shared with and the sides of its repatriation requests,
   * each while it still reads the arrest — a request's country whose national it no longer is does not.
   */
  private async readers(arrest: ArrestRow): Promise<string[]> {
    const rows: Array<{ code: string }> = await this.tx.manager.query(
      `SELECT c.code FROM arrest a,
              LATERAL (SELECT s.country_code AS code FROM arrest_share s WHERE s.arrest_id = a.id
                       UNION
                       SELECT unnest(ARRAY[r.origin_country, r.target_country])
                         FROM repatriation_person rp JOIN cross_border_request r ON r.id = rp.request_id
                        WHERE rp.arrest_id = a.id) c
        WHERE a.id = $1 AND c.code <> a.arresting_country AND ${arrestReadByCountry('a', 'c.code')}
        ORDER BY c.code`,
      [arrest.id],
    );
    return rows.map((r) => r.code);
  }
}
