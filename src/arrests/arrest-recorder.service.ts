import { Injectable } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { randomUUID } from 'node:crypto';
import { personScope, positional, requestScope } from '../access/scopes';
import { AuditService } from '../audit/audit.service';
import { FieldError, ValidationFailedError } from '../common/errors/domain-errors';
import { inputProblems } from '../common/http/input-guard';
import { flattenValidationErrors } from '../common/http/validation';
import { Actor, actorOf, RequestContext } from '../common/request-context';
import { Clock } from '../common/time/clock';
import { EventLoopTurns } from '../common/time/event-loop-turns';
import { birthDateProblems, eventTimeBeforeDesk } from '../common/time/plausible-dates';
import { TransactionService } from '../database/transaction.service';
import { PersonsService } from '../persons/persons.service';
import { ReleaseService } from '../sharing/release.service';
import { ArrestBatchResultView, CreateArrestDto, RecordedRowView } from './dto/arrest.dto';
import { isOwnCase, NOT_OWN_CASE } from '../cases/own-case';
import {
  DuplicateArrestsError,
  DuplicateRow,
  DuplicatesInFile,
  identityOf,
  recordedDuplicates,
} from './duplicate-arrests';

/** A field error of one row of a batch or CSV import. */
export interface RowError extends FieldError {
  row: number;
}

/** Rows written per INSERT; a batch of any size holds at most this many validated rows in memory. */
export const ARREST_CHUNK_ROWS = 500;
/** At most this many row errors are listed; the total is always given. */
const MAX_LISTED_ERRORS = 1000;
const CLOCK_SKEW_MS = 5 * 60_000;

/** An arrest in the future (beyond the clocks' skew) or before the desk's time is a typo: on create and on a correction. */
export function arrestedAtProblems(arrestedAt: string, now: Date): FieldError[] {
  return Date.parse(arrestedAt) > now.getTime() + CLOCK_SKEW_MS
    ? [{ field: 'arrestedAt', message: 'arrestedAt must not be in the future' }]
    : eventTimeBeforeDesk('arrestedAt', arrestedAt);
}

interface ValidRow {
  row: number;
  arrestId: string;
  personId: string;
  newPerson: boolean;
  dto: CreateArrestDto;
  /** Who was arrested when, to find a repeated arrest. */
  identity: ReturnType<typeof identityOf>;
}

/**
 * Records arrests, one or thousands, inside the running transaction: rows are validated one by one as
 * they come (so a streamed CSV is never held whole) and written in chunks; any bad row makes `finish`
 * throw with every row error, and the transaction rolls back so nothing is recorded.
 */
export class ArrestBatch {
  private readonly pending: ValidRow[] = [];
  private readonly errors: RowError[] = [];
  private errorCount = 0;
  private readonly recorded: RecordedRowView[] = [];
  private readonly byNationality = new Map<string, number>();
  private readonly caseChecks = new Map<string, boolean>();
  private readonly personChecks = new Map<string, boolean>();
  private readonly linkChecks = new Map<string, boolean>();
  /** Rows seen so far (valid or not). */
  rows = 0;
  private readonly duplicates: DuplicateRow[] = [];
  private duplicateCount = 0;
  private readonly inFile = new DuplicatesInFile();
  /** Rows are checked synchronously: thousands of them would otherwise hold the server for seconds. */
  private readonly turns = new EventLoopTurns();

  constructor(
    private readonly ctx: RequestContext,
    private readonly actor: Actor,
    readonly raidId: string | null,
    private readonly deps: ArrestRecorder,
    /** Maps a DTO field path to what the caller calls it (a CSV column); identity for JSON. */
    private readonly fieldName: (path: string) => string = (p) => p,
    /** Record rows that repeat an arrest already recorded (`?allowDuplicates=true`). */
    private readonly allowDuplicates = true,
  ) {}

  /** Notes a row that repeats an arrest; nothing will be written, but every row is still checked. */
  private duplicate(row: number, field: string, message: string): void {
    this.duplicateCount++;
    if (this.duplicates.length < MAX_LISTED_ERRORS)
      this.duplicates.push({ row, field: this.fieldName(field), message });
  }

  get failed(): boolean {
    return this.errorCount > 0;
  }

  /** Checks one row (a plain object in the shape of `CreateArrestDto`) and queues it for writing. */
  async add(row: number, plain: unknown, preErrors: FieldError[] = []): Promise<void> {
    await this.turns.turn();
    this.rows++;
    const errors = [...preErrors];
    let dto: CreateArrestDto | null = null;
    if (typeof plain !== 'object' || plain === null || Array.isArray(plain)) {
      errors.push({ field: '', message: 'each arrest must be an object' });
    } else {
      // A CSV cell never passed the global InputGuard: NUL and other control characters stop here.
      errors.push(...inputProblems(plain));
      dto = plainToInstance(CreateArrestDto, plain);
      const invalid = validateSync(dto, { whitelist: true, forbidNonWhitelisted: true });
      errors.push(...flattenValidationErrors(invalid));
      if (!invalid.length) errors.push(...(await this.check(dto)));
    }
    if (errors.length || !dto) {
      // One error per field and row: the first is the most specific.
      const byField = new Map<string, string>();
      for (const e of errors) {
        const field = this.fieldName(e.field);
        if (!byField.has(field)) byField.set(field, e.message);
      }
      this.errorCount += byField.size;
      for (const [field, message] of byField)
        if (this.errors.length < MAX_LISTED_ERRORS) this.errors.push({ row, field, message });
      this.pending.length = 0; // nothing will be written now; keep validating to report every row
      return;
    }
    if (this.failed) return;
    const identity = identityOf(dto);
    if (!this.allowDuplicates) {
      const earlier = this.inFile.check(row, identity);
      if (earlier !== null) return this.duplicate(row, identity!.field, `repeats row ${earlier}`);
    }
    this.pending.push({
      row,
      dto,
      identity,
      arrestId: randomUUID(),
      personId: dto.personId ?? randomUUID(),
      newPerson: !dto.personId,
    });
    if (this.pending.length >= ARREST_CHUNK_ROWS) await this.flush();
  }

  /** Writes what is left and returns the summary, or throws every row error (400). */
  async finish(): Promise<ArrestBatchResultView> {
    if (this.rows === 0)
      throw new ValidationFailedError([{ field: 'arrests', message: 'there are no arrests to record' }]);
    if (this.failed) {
      throw new ValidationFailedError(
        this.errors,
        `${this.errorCount} error(s) in the rows; nothing was recorded.` +
          (this.errorCount > this.errors.length ? ` The first ${this.errors.length} are listed.` : ''),
      );
    }
    await this.flush();
    if (this.duplicateCount > 0) throw new DuplicateArrestsError(this.duplicates, this.duplicateCount);
    return {
      raidId: this.raidId!,
      recorded: this.recorded.length,
      byNationality: Object.fromEntries(
        [...this.byNationality.entries()].sort(([a], [b]) => a.localeCompare(b)),
      ),
      rows: this.recorded,
    };
  }

  /** For a single arrest: the one id recorded, or the field errors (without row numbers). */
  async single(dto: CreateArrestDto): Promise<string> {
    const errors = await this.check(dto);
    if (errors.length) throw new ValidationFailedError(errors);
    this.rows++;
    const arrestId = randomUUID();
    this.pending.push({
      row: 1,
      dto,
      arrestId,
      personId: dto.personId ?? randomUUID(),
      newPerson: !dto.personId,
      identity: null,
    });
    await this.flush();
    return arrestId;
  }

  /** What class-validator cannot know: known country, own case, a visible person, one person source. */
  private async check(dto: CreateArrestDto): Promise<FieldError[]> {
    const errors: FieldError[] = [];
    errors.push(...arrestedAtProblems(dto.arrestedAt, this.deps.clock.now()));
    errors.push(...birthDateProblems('person.birthDate', dto.person?.birthDate, this.deps.clock.now()));
    if (dto.personId && dto.person)
      errors.push({ field: 'person', message: 'give either personId or person, not both' });
    if (!dto.personId && !dto.person)
      errors.push({ field: 'person', message: 'person (with at least one name) or personId is required' });
    if (
      dto.caseId &&
      !(await this.cached(this.caseChecks, dto.caseId, (id) => this.deps.isOwnCase(this.actor, id)))
    )
      errors.push({ field: 'caseId', message: NOT_OWN_CASE });
    if (
      dto.personId &&
      !(await this.cached(this.personChecks, dto.personId, (id) => this.deps.isVisiblePerson(this.actor, id)))
    )
      errors.push({ field: 'personId', message: 'personId names a person that does not exist' });
    // Links to what led to the arrest must name records the arresting country reads (found by a probe:
    // another country's screening hit or repatriation draft was stored and echoed).
    for (const [field, id] of [
      ['screeningHitId', dto.screeningHitId],
      ['blacklistEntryId', dto.blacklistEntryId],
      ['blacklistRequestId', dto.blacklistRequestId],
    ] as const)
      if (
        id &&
        !(await this.cached(this.linkChecks, `${field}:${id}`, () =>
          this.deps.isReadableLink(this.actor, field, id),
        ))
      )
        errors.push({ field, message: `${field} names nothing your country can read` });
    return errors;
  }

  private async cached(cache: Map<string, boolean>, key: string, lookup: (k: string) => Promise<boolean>) {
    let value = cache.get(key);
    if (value === undefined) {
      value = await lookup(key);
      if (cache.size < 10_000) cache.set(key, value);
    }
    return value;
  }

  private async flush(): Promise<void> {
    if (!this.pending.length || this.failed) return;
    const chunk = this.pending.splice(0, this.pending.length);
    if (!this.allowDuplicates) {
      const recorded = await recordedDuplicates(this.deps.manager, this.actor.countryCode!, chunk);
      for (const r of chunk)
        if (recorded.has(r.row))
          this.duplicate(r.row, r.identity!.field, 'repeats an arrest already recorded on the same day');
    }
    if (this.duplicateCount > 0) return;
    await this.deps.write(this.ctx, this.actor, this.raidId, chunk);
    for (const r of chunk) {
      this.recorded.push({
        row: r.row,
        arrestId: r.arrestId,
        personId: r.personId,
        nationality: r.dto.nationality,
      });
      this.byNationality.set(r.dto.nationality, (this.byNationality.get(r.dto.nationality) ?? 0) + 1);
    }
  }
}

/** Starts arrest batches and writes their chunks (persons, arrests, first custody entry, audit). */
@Injectable()
export class ArrestRecorder {
  constructor(
    private readonly tx: TransactionService,
    private readonly release: ReleaseService,
    private readonly persons: PersonsService,
    private readonly audit: AuditService,
    readonly clock: Clock,
  ) {}

  /** In a running transaction. `raid`: true for a batch or import, whose arrests share a raid id. */
  async begin(
    ctx: RequestContext,
    raid: boolean,
    fieldName?: (path: string) => string,
    options: { allowDuplicates?: boolean } = {},
  ): Promise<ArrestBatch> {
    return new ArrestBatch(
      ctx,
      actorOf(ctx),
      raid ? randomUUID() : null,
      this,
      fieldName,
      options.allowDuplicates ?? !raid,
    );
  }

  get manager() {
    return this.tx.manager;
  }

  /** Whether a screening hit of the actor's country, or a blacklist entry or proposal it reads. */
  async isReadableLink(
    actor: Actor,
    field: 'screeningHitId' | 'blacklistEntryId' | 'blacklistRequestId',
    id: string,
  ): Promise<boolean> {
    const params: unknown[] = [id];
    let sql: string;
    if (field === 'screeningHitId') {
      params.push(actor.countryCode);
      sql = `SELECT 1 FROM screening_candidate c JOIN screening s ON s.id = c.screening_id
              WHERE c.id = $1 AND s.country_code = $2`;
    } else {
      const readable = positional(requestScope(actor, 'r'), params);
      sql =
        field === 'blacklistEntryId'
          ? `SELECT 1 FROM blacklist_entry e JOIN cross_border_request r ON r.id = e.proposal_id
              WHERE e.id = $1 AND ${readable}`
          : `SELECT 1 FROM cross_border_request r WHERE r.id = $1 AND r.kind = 'blacklist' AND ${readable}`;
    }
    return ((await this.tx.manager.query(sql, params)) as unknown[]).length > 0;
  }

  isOwnCase(actor: Actor, caseId: string): Promise<boolean> {
    return isOwnCase(this.tx.manager, caseId, actor.countryCode);
  }

  async isVisiblePerson(actor: Actor, personId: string): Promise<boolean> {
    const scope = personScope(actor);
    const count = await this.tx.manager
      .createQueryBuilder()
      .from('person', 'p')
      .where('p.id = :id', { id: personId })
      .andWhere(scope.sql, scope.params)
      .getCount();
    return count > 0;
  }

  async write(ctx: RequestContext, actor: Actor, raidId: string | null, chunk: ValidRow[]): Promise<void> {
    // An arrest shows its person to the whole arresting country.
    const existing = chunk.filter((r) => !r.newPerson);
    if (existing.length)
      await this.release.keepRedWithRecipients(
        ctx,
        existing.map((r) => ({ personId: r.personId, field: 'personId' })),
        { type: 'arrest', id: existing[0]!.arrestId },
      );
    await this.persons.createManyOwned(
      ctx,
      chunk
        .filter((r) => r.newPerson)
        .map((r) => ({
          id: r.personId,
          fields: {
            ...r.dto.person!,
            nationalities: r.dto.person!.nationalities?.length
              ? r.dto.person!.nationalities
              : [r.dto.nationality],
          },
        })),
      { raidId },
    );
    const rows = chunk.map(({ arrestId, personId, dto }) => ({
      id: arrestId,
      personId,
      nationality: dto.nationality,
      arrestedAt: dto.arrestedAt,
      place: dto.place,
      province: dto.province ?? null,
      district: dto.district ?? null,
      latitude: dto.coordinates?.latitude ?? null,
      longitude: dto.coordinates?.longitude ?? null,
      caseId: dto.caseId ?? null,
      operation: dto.operation ?? null,
      grounds: dto.grounds,
      arrestingAgency: dto.arrestingAgency,
      custodyStatus: dto.custodyStatus ?? 'detained',
      screeningHitId: dto.screeningHitId ?? null,
      blacklistEntryId: dto.blacklistEntryId ?? null,
      blacklistRequestId: dto.blacklistRequestId ?? null,
    }));
    await this.tx.manager.query(
      `INSERT INTO arrest (id, arresting_country, raid_id, person_id, nationality, arrested_at, place, province, district,
         latitude, longitude, case_id, operation, grounds, arresting_agency, custody_status, screening_hit_id,
         blacklist_entry_id, blacklist_request_id, created_by)
       SELECT x.id, $1, $2, x."personId", x.nationality, x."arrestedAt", x.place, x.province, x.district, x.latitude,
              x.longitude, x."caseId", x.operation, x.grounds, x."arrestingAgency", x."custodyStatus",
              x."screeningHitId", x."blacklistEntryId", x."blacklistRequestId", $3
         FROM jsonb_to_recordset($4::jsonb) AS x(id uuid, "personId" uuid, nationality char(2), "arrestedAt" timestamptz,
              place text, province text, district text, latitude numeric, longitude numeric, "caseId" uuid,
              operation text, grounds text, "arrestingAgency" text, "custodyStatus" text, "screeningHitId" uuid,
              "blacklistEntryId" uuid, "blacklistRequestId" uuid)`,
      [actor.countryCode, raidId, actor.userId, JSON.stringify(rows)],
    );
    await this.tx.manager.query(
      `INSERT INTO arrest_custody_history (arrest_id, from_status, to_status, reason, actor_user_id, actor_username, actor_country)
       SELECT unnest($1::uuid[]), NULL, unnest($2::text[]), 'recorded with the arrest', $3, $4, $5`,
      [
        rows.map((r) => r.id),
        rows.map((r) => r.custodyStatus),
        actor.userId,
        actor.username,
        actor.countryCode,
      ],
    );
    const byNationality: Record<string, number> = {};
    for (const r of rows) byNationality[r.nationality] = (byNationality[r.nationality] ?? 0) + 1;
    await this.audit.record(ctx, {
      action: 'arrest.create',
      recordType: 'arrest',
      recordId: rows.length === 1 && !raidId ? rows[0]!.id : undefined,
      ownerCountry: actor.countryCode,
      details: { raidId, count: rows.length, byNationality, arrestIds: rows.map((r) => r.id) },
    });
  }
}
