import { Injectable } from '@nestjs/common';
import { In } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { ConflictError, NotFoundError, ValidationFailedError } from '../common/errors/domain-errors';
import type { RequestContext } from '../common/request-context';
import { Clock } from '../common/time/clock';
import { conflictOnUniqueViolation } from '../database/pg-errors';
import { TransactionService } from '../database/transaction.service';
import { Agency } from './agency.entity';
import { Country } from './country.entity';
import {
  AgencyView,
  CountryView,
  CreateAgencyDto,
  CreateCountryDto,
  CreateFrameworkDto,
  FrameworkView,
  SetMembershipDto,
  toAgencyView,
  toCountryView,
  toFrameworkView,
  UpdateFrameworkDto,
} from './dto/reference-data.dto';
import { Framework } from './framework.entity';

/** Countries, agencies and cooperation frameworks: read by everyone, changed by the platform administrator. */
@Injectable()
export class ReferenceDataService {
  constructor(
    private readonly tx: TransactionService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  private get m() {
    return this.tx.manager;
  }

  async countries(): Promise<CountryView[]> {
    return (await this.m.getRepository(Country).find({ order: { code: 'ASC' } })).map(toCountryView);
  }

  async agencies(countryCode?: string): Promise<AgencyView[]> {
    const rows = await this.m
      .getRepository(Agency)
      .find({ where: countryCode ? { countryCode } : {}, order: { countryCode: 'ASC', name: 'ASC' } });
    return rows.map(toAgencyView);
  }

  async frameworks(): Promise<FrameworkView[]> {
    const frameworks = await this.m.getRepository(Framework).find({ order: { name: 'ASC' } });
    await this.loadMembers(frameworks);
    return frameworks.map(toFrameworkView);
  }

  /** The active framework both countries belong to on `day`, if any (requests rely on one). */
  async sharedActiveFramework(
    frameworkId: string,
    a: string,
    b: string,
    day: string,
  ): Promise<Framework | null> {
    const rows: Framework[] = await this.m
      .getRepository(Framework)
      .createQueryBuilder('f')
      .where('f.id = :frameworkId', { frameworkId })
      .andWhere(`framework_joins_on(f.id, :a, :b, :day::date)`, { a, b, day })
      .getMany();
    return rows[0] ?? null;
  }

  createCountry(ctx: RequestContext, dto: CreateCountryDto): Promise<CountryView> {
    return this.tx.run(async () => {
      const exists = () => new ConflictError(`Country ${dto.code} exists already.`);
      if (await this.m.getRepository(Country).existsBy({ code: dto.code })) throw exists();
      // INSERT, not save: save reads by key and then inserts or updates, so of two creates at once the
      // second overwrote the first's name and both answered 201.
      await conflictOnUniqueViolation(
        this.m.getRepository(Country).insert({ code: dto.code, name: dto.name }),
        exists,
      );
      const country = await this.m.getRepository(Country).findOneByOrFail({ code: dto.code });
      await this.audit.record(ctx, {
        action: 'country.create',
        recordType: 'country',
        recordId: country.code,
        after: { ...dto },
      });
      return toCountryView(country);
    });
  }

  createAgency(ctx: RequestContext, dto: CreateAgencyDto): Promise<AgencyView> {
    return this.tx.run(async () => {
      await this.requireCountries([dto.countryCode], 'countryCode');
      const exists = () => new ConflictError('That agency exists already.');
      if (await this.m.getRepository(Agency).existsBy({ countryCode: dto.countryCode, name: dto.name }))
        throw exists();
      const agency = await conflictOnUniqueViolation(
        this.m.getRepository(Agency).save({ countryCode: dto.countryCode, name: dto.name }),
        exists,
      );
      await this.audit.record(ctx, {
        action: 'agency.create',
        recordType: 'agency',
        recordId: agency.id,
        ownerCountry: agency.countryCode,
        after: { ...dto },
      });
      return toAgencyView(agency);
    });
  }

  createFramework(ctx: RequestContext, dto: CreateFrameworkDto): Promise<FrameworkView> {
    return this.tx.run(async () => {
      await this.requireCountries(dto.members, 'members');
      if (dto.validTo && dto.validTo < dto.validFrom)
        throw new ValidationFailedError([
          { field: 'validTo', message: 'validTo must not be before validFrom' },
        ]);
      const exists = () => new ConflictError('A framework with that name exists already.');
      if (await this.m.getRepository(Framework).existsBy({ name: dto.name })) throw exists();
      const framework = await conflictOnUniqueViolation(
        this.m.getRepository(Framework).save({
          name: dto.name,
          validFrom: dto.validFrom,
          validTo: dto.validTo ?? null,
          active: dto.active ?? true,
          dueHours: { ...dto.dueHours },
        }),
        exists,
      );
      await this.setMembers(framework.id, dto.members);
      await this.loadMembers([framework]);
      await this.audit.record(ctx, {
        action: 'framework.create',
        recordType: 'framework',
        recordId: framework.id,
        after: { ...dto },
        details: { memberCountries: this.membersConcerned(framework) },
      });
      return toFrameworkView(framework);
    });
  }

  updateFramework(ctx: RequestContext, id: string, dto: UpdateFrameworkDto): Promise<FrameworkView> {
    return this.tx.run(async () => {
      const repo = this.m.getRepository(Framework);
      const framework = await repo.findOneBy({ id });
      if (!framework) throw new NotFoundError('The framework');
      await this.loadMembers([framework]);
      const before = {
        validTo: framework.validTo,
        active: framework.active,
        members: framework.members,
        dueHours: framework.dueHours,
      };
      if (dto.validTo !== undefined && dto.validTo < framework.validFrom)
        throw new ValidationFailedError([
          { field: 'validTo', message: 'validTo must not be before validFrom' },
        ]);
      await repo.update(id, {
        ...(dto.validTo !== undefined ? { validTo: dto.validTo } : {}),
        ...(dto.active !== undefined ? { active: dto.active } : {}),
        ...(dto.dueHours !== undefined ? { dueHours: { ...dto.dueHours } } : {}),
      });
      if (dto.members) {
        await this.requireCountries(dto.members, 'members');
        await this.setMembers(id, dto.members);
      }
      const updated = await repo.findOneByOrFail({ id });
      await this.loadMembers([updated]);
      // Only a change of what joins countries can bring two together again: an edit of the due hours
      // alone would move, for a partner, the date of every step taken in an earlier gap.
      if (joinsDiffer(framework, updated)) await this.resumed(id);
      await this.audit.record(ctx, {
        action: 'framework.update',
        recordType: 'framework',
        recordId: id,
        before,
        after: { ...dto },
        details: { memberCountries: this.membersConcerned(framework, updated) },
      });
      return toFrameworkView(updated);
    });
  }

  /**
   * Whom a change of a framework concerns, for its audit event's `details.memberCountries`: the
   * countries whose membership has not ended today (members, and members from a later day) before or
   * after the change, and `changed`, the country whose membership this is even when it ends it. The
   * platform administrator who makes the change has no country, so the event has no owner; the audit
   * scope (src/access/scopes.ts `auditEventScope`) opens it to the auditors of exactly these countries,
   * named when it is written, so a country that joins later does not read what came before, a country
   * removed still reads its removal, and a country that is not and was not a member reads none of it.
   */
  private membersConcerned(before: Framework, after?: Framework, changed?: string): string[] {
    const today = this.clock.today();
    const inForce = (f: Framework) =>
      f.memberships.filter((m) => m.leftOn === null || m.leftOn > today).map((m) => m.country);
    const countries = [...inForce(before), ...(after ? inForce(after) : []), ...(changed ? [changed] : [])];
    return [...new Set(countries)].sort();
  }

  /**
   * Notes that the framework's state or members changed, so that countries it joins may be cooperating
   * again: what one did while they were not reads, for the other, as of this (`framework_resumption`).
   */
  private async resumed(frameworkId: string): Promise<void> {
    await this.m.query(`INSERT INTO framework_resumption (framework_id) VALUES ($1)`, [frameworkId]);
  }

  /**
   * One country joins a framework on a date, or its dates change (it leaves: `leftOn`). The row is kept
   * when a country leaves, so what it could see while a member stays explainable.
   */
  setMembership(
    ctx: RequestContext,
    id: string,
    country: string,
    dto: SetMembershipDto,
  ): Promise<FrameworkView> {
    return this.tx.run(async () => {
      const framework = await this.m.getRepository(Framework).findOneBy({ id });
      if (!framework) throw new NotFoundError('The framework');
      await this.requireCountries([country], 'countryCode');
      const leftOn = dto.leftOn ?? null;
      if (leftOn !== null && leftOn <= dto.joinedOn)
        throw new ValidationFailedError([{ field: 'leftOn', message: 'leftOn must be after joinedOn' }]);
      const [before] = await this.m.query(
        `SELECT to_char(joined_on, 'YYYY-MM-DD') AS "joinedOn", to_char(left_on, 'YYYY-MM-DD') AS "leftOn"
           FROM framework_member WHERE framework_id = $1 AND country_code = $2 FOR UPDATE`,
        [id, country],
      );
      await this.m.query(
        `INSERT INTO framework_member (framework_id, country_code, joined_on, left_on) VALUES ($1, $2, $3, $4)
         ON CONFLICT (framework_id, country_code) DO UPDATE SET joined_on = EXCLUDED.joined_on, left_on = EXCLUDED.left_on`,
        [id, country, dto.joinedOn, leftOn],
      );
      // Saving the dates a country has already brings nobody together again (as `joinsDiffer`).
      if (before?.joinedOn !== dto.joinedOn || before?.leftOn !== leftOn) await this.resumed(id);
      await this.loadMembers([framework]);
      await this.audit.record(ctx, {
        action: 'framework.membership',
        recordType: 'framework',
        recordId: id,
        counterpartCountry: country,
        before: before ?? null,
        after: { country, joinedOn: dto.joinedOn, leftOn },
        details: { memberCountries: this.membersConcerned(framework, undefined, country) },
      });
      return toFrameworkView(framework);
    });
  }

  /**
   * Replaces the list of members (`members` of a create or update): a country already listed keeps its
   * dates, a new one joins on the framework's first day or today, whichever is later.
   */
  private async setMembers(frameworkId: string, members: string[]): Promise<void> {
    await this.m.query(
      `DELETE FROM framework_member WHERE framework_id = $1 AND NOT (country_code = ANY($2::text[]))`,
      [frameworkId, members],
    );
    await this.m.query(
      `INSERT INTO framework_member (framework_id, country_code, joined_on)
       SELECT f.id, c, greatest(f.valid_from, $3::date) FROM framework f, unnest($2::text[]) c WHERE f.id = $1
       ON CONFLICT (framework_id, country_code) DO NOTHING`,
      [frameworkId, members, this.clock.today()],
    );
  }

  private async loadMembers(frameworks: Framework[]): Promise<void> {
    if (!frameworks.length) return;
    const rows: Array<{ framework_id: string; country: string; joinedOn: string; leftOn: string | null }> =
      await this.m.query(
        `SELECT framework_id, country_code AS country, to_char(joined_on, 'YYYY-MM-DD') AS "joinedOn",
                to_char(left_on, 'YYYY-MM-DD') AS "leftOn"
           FROM framework_member WHERE framework_id = ANY($1::uuid[])`,
        [frameworks.map((f) => f.id)],
      );
    for (const f of frameworks) {
      const mine = rows.filter((r) => r.framework_id === f.id);
      f.members = mine.map((r) => r.country);
      f.memberships = mine.map(({ country, joinedOn, leftOn }) => ({ country, joinedOn, leftOn }));
    }
  }

  private async requireCountries(codes: string[], field: string): Promise<void> {
    const found = await this.m.getRepository(Country).countBy({ code: In(codes) });
    if (found !== new Set(codes).size)
      throw new ValidationFailedError([
        { field, message: `${field} names a country that is not registered` },
      ]);
  }
}

/** Whether two states of a framework join countries differently (state, end, members or their dates). */
function joinsDiffer(before: Framework, after: Framework): boolean {
  const joins = (f: Framework) =>
    JSON.stringify([
      f.active,
      f.validTo,
      [...f.memberships].sort((a, b) => (a.country < b.country ? -1 : 1)),
    ]);
  return joins(before) !== joins(after);
}
