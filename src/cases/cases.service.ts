import { isDeepStrictEqual } from 'node:util';
import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { AccessService } from '../access/access.service';
import { caseSeenSince } from '../access/scopes';
import { AuditService } from '../audit/audit.service';
import { ConflictError, NotFoundError, ValidationFailedError } from '../common/errors/domain-errors';
import { decodeCursor, Page, pageLimit, toPage } from '../common/pagination/page';
import { numberCase } from '../common/references';
import { Actor, actorOf, RequestContext } from '../common/request-context';
import { Clock } from '../common/time/clock';
import { dayProblems, EARLIEST_CASE_DAY } from '../common/time/plausible-dates';
import { returningRows } from '../database/returning';
import { TransactionService } from '../database/transaction.service';
import { PersonsService } from '../persons/persons.service';
import { ReleaseService } from '../sharing/release.service';
import { IdentifierReleaseService } from '../sharing/identifier-release.service';
import type { HandlingCode } from '../sharing/handling-code';
import { CaseFile } from './case-file.entity';
import { holdLiveShare, PartnerRead, partnerReadOf, ReadRaw, readableCases } from './case-reads';
import { caseViewTimes } from './dto/case.dto';
import type {
  CasePersonLinkDto,
  CaseView,
  CreateCaseDto,
  LinkPersonsDto,
  ListCasesQueryDto,
  ShareCaseDto,
  UpdateCaseDto,
} from './dto/case.dto';

const day = (d: Date) => d.toISOString().slice(0, 10);

/** Cases: owned by one country, shareable read-only with others by the owner's liaison. */
@Injectable()
export class CasesService {
  constructor(
    private readonly tx: TransactionService,
    private readonly access: AccessService,
    private readonly audit: AuditService,
    private readonly persons: PersonsService,
    private readonly release: ReleaseService,
    private readonly identifierRelease: IdentifierReleaseService,
    private readonly clock: Clock,
  ) {}

  private get repo() {
    return this.tx.manager.getRepository(CaseFile);
  }

  async create(ctx: RequestContext, dto: CreateCaseDto): Promise<CaseView> {
    const actor = actorOf(ctx);
    // A case opened in 2099 minted KR-CASE-2099-000001: the day must be a real one of the desk's past.
    const implausible = dayProblems('openedOn', dto.openedOn, EARLIEST_CASE_DAY, this.clock.now());
    if (implausible.length) throw new ValidationFailedError(implausible);
    const created = await this.tx.run(async () => {
      const openedOn = dto.openedOn ?? day(this.clock.now());
      const leadOfficerId = dto.leadOfficerId ?? actor.userId;
      await this.requireOfficerOf(actor, leadOfficerId);
      await this.persons.requireVisible(
        ctx,
        (dto.persons ?? []).map((p) => p.personId),
        'persons',
      );
      // A placeholder no other transaction can see: the reference is drawn just before COMMIT.
      const saved = await this.repo.save(
        this.repo.create({
          reference: `provisional-${randomUUID()}`,
          ownerCountry: actor.countryCode!,
          title: dto.title,
          summary: dto.summary ?? '',
          status: 'open',
          openedOn,
          leadOfficerId,
          tags: dto.tags ?? [],
          createdBy: actor.userId,
        }),
      );
      await this.writeLinks(ctx, saved.id, dto.persons ?? []);
      // The case's number, and the creation event that names it, are the create's last statements
      // (see `numberCase`): the per-country counter row is locked only for them and the COMMIT, so
      // concurrent creates of one country do not wait on each other's whole transaction.
      this.tx.beforeCommit(async () => {
        const reference = await numberCase(
          this.tx.manager,
          saved.id,
          saved.ownerCountry,
          Number(openedOn.slice(0, 4)),
        );
        saved.reference = reference;
        await this.audit.record(ctx, {
          action: 'case.create',
          recordType: 'case',
          recordId: saved.id,
          ownerCountry: saved.ownerCountry,
          after: { reference, title: dto.title, tags: saved.tags, persons: dto.persons ?? [] },
        });
      });
      return saved;
    });
    // Built once the transaction committed (or, inside an enclosing one, once its hooks ran).
    return this.view(actor, created);
  }

  async list(ctx: RequestContext, query: ListCasesQueryDto): Promise<Page<CaseView>> {
    const actor = actorOf(ctx);
    const limit = pageLimit(query);
    const qb = readableCases(this.repo.createQueryBuilder('c'), actor);
    if (query.status) qb.andWhere('c.status = :status', { status: query.status });
    if (query.tag) qb.andWhere(':tag = ANY(c.tags)', { tag: query.tag });
    if (query.q)
      // By the reference the caller reads: a partner never matches the owner's own numbering.
      qb.andWhere(
        `(CASE WHEN c.owner_country = :me THEN c.reference ELSE rs.reference END
          || ' ' || c.title || ' ' || c.summary) ILIKE :q`,
        { q: `%${query.q.replace(/[%_\\]/g, '\\$&')}%`, me: actor.countryCode },
      );
    if (query.openedFrom) qb.andWhere('c.opened_on >= :from', { from: query.openedFrom });
    if (query.openedTo) qb.andWhere('c.opened_on <= :to', { to: query.openedTo });
    // Listed, and paged, by the `createdAt` the caller reads: for another country's case, when it was
    // first shared with the caller's country, never when (or in which order) the owner opened it.
    const since = caseSeenSince(actor, 'c');
    const after = decodeCursor(query.cursor);
    if (after) qb.andWhere(`(${since.sql}, c.id) < (:at, :id)`, { at: after.at, id: after.id });
    const { entities, raw } = await qb
      .orderBy(since.sql, 'DESC')
      .addOrderBy('c.id', 'DESC')
      .limit(limit + 1)
      .getRawAndEntities<ReadRaw>();
    const page = toPage(
      entities.map((c, i) => ({ c, raw: raw[i]! })),
      limit,
      ({ c, raw: r }) => ({ at: new Date(r.seen_at).toISOString(), id: c.id }),
      (row) => row,
    );
    return {
      items: await Promise.all(page.items.map(({ c, raw: r }) => this.view(actor, c, partnerReadOf(r)))),
      nextCursor: page.nextCursor,
    };
  }

  async get(ctx: RequestContext, id: string): Promise<CaseView> {
    const { found, partner } = await this.findReadable(ctx, id);
    return this.view(actorOf(ctx), found, partner);
  }

  update(ctx: RequestContext, id: string, dto: UpdateCaseDto): Promise<CaseView> {
    const actor = actorOf(ctx);
    return this.tx.run(async () => {
      const existing = await this.findOwned(ctx, id);
      if (dto.leadOfficerId) await this.requireOfficerOf(actor, dto.leadOfficerId);
      // Countries the case is shared with read the edit: each needs a framework with the owner today.
      await this.identifierRelease.requireCooperationWithShares(ctx, id, dto);
      const changes: Partial<CaseFile> = {};
      if (dto.title !== undefined) changes.title = dto.title;
      if (dto.summary !== undefined) changes.summary = dto.summary;
      if (dto.tags !== undefined) changes.tags = dto.tags;
      if (dto.leadOfficerId !== undefined) changes.leadOfficerId = dto.leadOfficerId;
      if (dto.status !== undefined && dto.status !== existing.status) {
        changes.status = dto.status;
        changes.closedOn = dto.status === 'closed' ? day(this.clock.now()) : null;
      }
      // Partners read the case's `updatedAt` from this: only a change of what they read moves it (not
      // the lead officer, nor a field sent back with the value it had).
      const content = (['title', 'summary', 'tags', 'status'] as const).some(
        (k) => changes[k] !== undefined && !isDeepStrictEqual(changes[k], existing[k]),
      )
        ? { contentUpdatedAt: () => 'CURRENT_TIMESTAMP' }
        : {};
      const result = await this.repo.update({ id, version: dto.version }, { ...changes, ...content });
      if (result.affected !== 1)
        throw new ConflictError('The case was changed by someone else; reload and try again.');
      const before = Object.fromEntries(Object.keys(changes).map((k) => [k, existing[k as keyof CaseFile]]));
      await this.audit.record(ctx, {
        action: dto.status === 'closed' && existing.status === 'open' ? 'case.close' : 'case.update',
        recordType: 'case',
        recordId: id,
        ownerCountry: existing.ownerCountry,
        before,
        after: { ...changes },
      });
      return this.view(actor, await this.repo.findOneByOrFail({ id }));
    });
  }

  linkPersons(ctx: RequestContext, id: string, dto: LinkPersonsDto): Promise<CaseView> {
    return this.tx.run(async () => {
      const existing = await this.findOwned(ctx, id);
      await this.persons.requireVisible(
        ctx,
        dto.persons.map((p) => p.personId),
        'persons',
      );
      const changed = await this.writeLinks(ctx, id, dto.persons);
      // Linking a person already linked in that role changes nothing, so nothing is audited.
      if (changed.length)
        await this.audit.record(ctx, {
          action: 'case.persons.link',
          recordType: 'case',
          recordId: id,
          ownerCountry: existing.ownerCountry,
          after: { persons: changed.map(({ personId, role }) => ({ personId, role })) },
        });
      return this.view(actorOf(ctx), existing);
    });
  }

  /**
   * Takes a person off the case (the wrong "KIM Minjun"): the owner's officers, as for linking. Partners
   * the case is shared with lose the person as a revoked share loses it (`ReleaseService.unlinkCasePerson`).
   * Like a link, it leaves the case's own version and `updatedAt` as they were.
   */
  unlinkPerson(ctx: RequestContext, id: string, personId: string): Promise<CaseView> {
    return this.tx.run(async () => {
      const existing = await this.findOwned(ctx, id);
      const role = await this.release.unlinkCasePerson(id, personId);
      // The case is the caller's own: whom it links is no secret of another country.
      if (role === null) throw new NotFoundError('A link of that person to the case');
      await this.audit.record(ctx, {
        action: 'case.persons.unlink',
        recordType: 'case',
        recordId: id,
        ownerCountry: existing.ownerCountry,
        before: { personId, role },
      });
      return this.view(actorOf(ctx), existing);
    });
  }

  share(ctx: RequestContext, id: string, dto: ShareCaseDto): Promise<CaseView> {
    const actor = actorOf(ctx);
    return this.tx.run(async () => {
      const existing = await this.findOwned(ctx, id);
      if (dto.countryCode === existing.ownerCountry)
        throw new ValidationFailedError([
          { field: 'countryCode', message: 'a case is not shared with its own country' },
        ]);
      const [country] = await this.tx.manager.query(`SELECT 1 FROM country WHERE code = $1`, [
        dto.countryCode,
      ]);
      if (!country)
        throw new ValidationFailedError([
          { field: 'countryCode', message: 'countryCode is not a registered country' },
        ]);
      const handlingCode = dto.handlingCode ?? 'AMBER';
      if (!(await this.release.shareCase(ctx, id, dto.countryCode, handlingCode)))
        throw new ConflictError(`The case is already shared with ${dto.countryCode}.`);
      await this.audit.record(ctx, {
        action: 'case.share',
        recordType: 'case',
        recordId: id,
        ownerCountry: existing.ownerCountry,
        counterpartCountry: dto.countryCode,
        after: { handlingCode },
      });
      return this.view(actor, existing);
    });
  }

  revokeShare(ctx: RequestContext, id: string, countryCode: string): Promise<CaseView> {
    const actor = actorOf(ctx);
    return this.tx.run(async () => {
      const existing = await this.findOwned(ctx, id);
      const revoked = await returningRows(
        this.tx.manager,
        `UPDATE case_share SET revoked_at = now(), revoked_by = $3 WHERE case_id = $1 AND country_code = $2 AND revoked_at IS NULL RETURNING id`,
        [id, countryCode, actor.userId],
      );
      if (!revoked.length) throw new NotFoundError(`A share with ${countryCode}`);
      await this.audit.record(ctx, {
        action: 'case.share.revoke',
        recordType: 'case',
        recordId: id,
        ownerCountry: existing.ownerCountry,
        counterpartCountry: countryCode,
      });
      return this.view(actor, existing);
    });
  }

  /**
   * In a running transaction: the reference the reader's country knows a visible case by, its share
   * held (`holdLiveShare`) until the transaction ends for another country's case, so a revoke waits for
   * what the reader does under it (an export and its audit). 404 when the share is gone.
   */
  async holdReference(ctx: RequestContext, c: CaseFile): Promise<string> {
    if (!this.tx.inTransaction) throw new Error('holdReference needs a running transaction');
    const country = actorOf(ctx).countryCode;
    if (c.ownerCountry === country) return c.reference;
    return (
      (await holdLiveShare(this.tx.manager, c.id, country)) ??
      this.access.notFound(ctx, { recordType: 'case', recordId: c.id }, 'The case')
    );
  }

  async findVisible(ctx: RequestContext, id: string): Promise<CaseFile> {
    return (await this.findReadable(ctx, id)).found;
  }

  /** The case if visible (404 otherwise), with the share a partner reads it through (`readableCases`). */
  private async findReadable(
    ctx: RequestContext,
    id: string,
  ): Promise<{ found: CaseFile; partner?: PartnerRead }> {
    const { entities, raw } = await readableCases(this.repo.createQueryBuilder('c'), actorOf(ctx))
      .andWhere('c.id = :id', { id })
      .getRawAndEntities<ReadRaw>();
    const [found] = entities;
    if (!found) return this.access.notFound(ctx, { recordType: 'case', recordId: id }, 'The case');
    return { found, partner: partnerReadOf(raw[0]!) };
  }

  /** Visible and owned by the caller's country; a country it is shared with only reads (403). */
  private async findOwned(ctx: RequestContext, id: string): Promise<CaseFile> {
    const found = await this.findVisible(ctx, id);
    if (found.ownerCountry !== actorOf(ctx).countryCode) {
      await this.access.forbidden(
        ctx,
        { recordType: 'case', recordId: id, ownerCountry: found.ownerCountry },
        'The case is shared with your country read-only.',
      );
    }
    return found;
  }

  private async requireOfficerOf(actor: Actor, userId: string): Promise<void> {
    const [row] = await this.tx.manager.query(
      `SELECT 1 FROM app_user WHERE id = $1 AND country_code = $2 AND status = 'active' AND 'officer' = ANY(roles)`,
      [userId, actor.countryCode],
    );
    if (!row)
      throw new ValidationFailedError([
        { field: 'leadOfficerId', message: 'leadOfficerId must be an active officer of your country' },
      ]);
  }

  private writeLinks(
    ctx: RequestContext,
    caseId: string,
    links: CasePersonLinkDto[],
  ): Promise<CasePersonLinkDto[]> {
    const seen = new Set<string>();
    const twice = links.flatMap((link, i) => {
      const repeated = seen.has(link.personId);
      seen.add(link.personId);
      return repeated
        ? [{ field: `persons[${i}].personId`, message: 'the same person is listed twice' }]
        : [];
    });
    if (twice.length) throw new ValidationFailedError(twice);
    return this.release.linkCasePersons(
      ctx,
      caseId,
      links.map((link, i) => ({ ...link, field: `persons[${i}].personId` })),
    );
  }

  /**
   * The case as `actor`'s country reads it; every read of a case goes through here. Another country's
   * case reads through its share (`partner`), read with the check that found the case visible
   * (`readableCases`), from when it was first shared with it.
   */
  private async view(actor: Actor, c: CaseFile, partner?: PartnerRead): Promise<CaseView> {
    const owner = c.ownerCountry === actor.countryCode;
    // Never looked up here: a revoke committed since the check would leave the partner no share.
    const share = owner ? null : (partner ?? readWithoutShare(c));
    const persons: Array<{ person_id: string; role: CaseView['persons'][number]['role'] }> =
      await this.tx.manager.query(
        `SELECT person_id, role FROM case_person WHERE case_id = $1 ORDER BY person_id`,
        [c.id],
      );
    // Whom the case is shared with is the owner's to read.
    const shares: Array<{ country_code: string; shared_at: Date; handling_code: HandlingCode }> = owner
      ? await this.tx.manager.query(
          `SELECT country_code, shared_at, handling_code FROM case_share WHERE case_id = $1 AND revoked_at IS NULL ORDER BY country_code`,
          [c.id],
        )
      : [];
    const heldUnder = await this.release.heldUnder(
      persons.map((p) => p.person_id),
      actor,
    );
    return {
      id: c.id,
      // A partner (who reads the case only through its active share) reads the share's own reference:
      // the case's counts the owner's cases.
      reference: share ? share.reference : c.reference,
      ownerCountry: c.ownerCountry,
      title: c.title,
      summary: c.summary,
      status: c.status,
      openedOn: c.openedOn,
      closedOn: c.closedOn,
      // An officer of the owner's: a partner reading a shared case learns no user id of another country.
      leadOfficerId: owner ? c.leadOfficerId : null,
      tags: c.tags,
      persons: persons.map((p) => ({
        personId: p.person_id,
        role: p.role,
        receivedUnder: heldUnder.get(p.person_id) ?? null,
      })),
      sharedWith: shares.map((s) => ({
        countryCode: s.country_code,
        sharedAt: new Date(s.shared_at).toISOString(),
        handlingCode: s.handling_code,
      })),
      readOnly: !owner,
      receivedUnder: share ? share.handlingCode : null,
      ...caseViewTimes(c, {
        country: actor.countryCode,
        seenSince: share?.seenSince,
        sharedAt: share?.sharedAt,
      }),
    };
  }
}

/** A partner's view built without the share it reads the case through: a read path that skipped it. */
function readWithoutShare(c: CaseFile): never {
  throw new Error(`case ${c.id} shown to another country without the share it reads it through`);
}
