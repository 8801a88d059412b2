import { KeptCopiesStore } from '../persons/kept-copies.store';
import { Injectable } from '@nestjs/common';
import type { SelectQueryBuilder } from 'typeorm';
import { AccessService } from '../access/access.service';
import { blacklistEntryScope, personScope, positional, requestScope } from '../access/scopes';
import { AuditService } from '../audit/audit.service';
import {
  ConflictError,
  DomainError,
  IllegalTransitionError,
  ValidationFailedError,
} from '../common/errors/domain-errors';
import { decodeCursor, Page, pageLimit, toPage } from '../common/pagination/page';
import { Actor, actorOf, RequestContext } from '../common/request-context';
import { requestLabelSql } from '../common/references';
import { DomainEventBus } from '../common/events/domain-event-bus';
import { Clock } from '../common/time/clock';
import { TransactionService } from '../database/transaction.service';
import { IdentifierReleaseService } from '../sharing/identifier-release.service';
import { Person } from '../persons/person.entity';
import { Dispatch, recipientsOf } from '../workflow/dto/dispatch.dto';
import { RequestDraftsService } from '../workflow/request-drafts.service';
import { BlacklistEntry, EntryStatus } from './blacklist-entry.entity';
import { BanExpiredError } from './blacklist-errors';
import {
  BlacklistEntriesActivated,
  BlacklistEntryDecided,
  DecidedEntry,
  EntryDecision,
} from './blacklist-events';
import { BlacklistIndexService } from './blacklist-index.service';
import type {
  ActivateEntriesDto,
  ActivateEntryDto,
  BlacklistEntryView,
  DecideEntryDto,
  ExtendEntryDto,
  ListEntriesQueryDto,
  ProposeEntriesDto,
} from './dto/blacklist.dto';
import { ProposedEntriesService } from './proposed-entries.service';

const today = (now: Date) => now.toISOString().slice(0, 10);

/** How the proposing country is told of each decision (`BlacklistEntryDecided`). */
const DECISIONS: Record<'activate' | 'reject' | 'lift', EntryDecision> = {
  activate: 'activated',
  reject: 'rejected',
  lift: 'lifted',
};

/**
 * Blacklist entries: proposed in lists by one country, decided one by one by the banning country's
 * liaison (activate with a legal basis and expiry, or reject), extended before they lapse, lifted when
 * no longer needed. Each decision is told to the proposing country (`BlacklistEntryDecided`), in its
 * transaction.
 */
@Injectable()
export class BlacklistService {
  constructor(
    private readonly tx: TransactionService,
    private readonly access: AccessService,
    private readonly audit: AuditService,
    private readonly drafts: RequestDraftsService,
    private readonly proposedEntries: ProposedEntriesService,
    private readonly index: BlacklistIndexService,
    private readonly identifierRelease: IdentifierReleaseService,
    private readonly clock: Clock,
    private readonly events: DomainEventBus,
  ) {}

  private get repo() {
    return this.tx.manager.getRepository(BlacklistEntry);
  }

  /**
   * Records a proposal (a `blacklist` request in draft) with all its entries, or nothing. With `alsoTo`
   * the same list goes to each country as a proposal of its own (one dispatch): each reviews and bans
   * for itself. A person written out in full is recorded once, whichever countries are asked.
   */
  propose(ctx: RequestContext, dto: ProposeEntriesDto): Promise<string> {
    const actor = actorOf(ctx);
    const { countries, dispatch } = recipientsOf(actor.countryCode!, dto.banningCountry, dto);
    return this.tx.run(async () => {
      await this.proposedEntries.check(actor, dto.entries);
      const personIds = await this.proposedEntries.personsOf(ctx, dto.entries);
      const proposals: string[] = [];
      for (const banningCountry of countries)
        proposals.push(await this.proposeTo(ctx, { ...dto, banningCountry }, personIds, dispatch));
      return proposals[0]!;
    });
  }

  private async proposeTo(
    ctx: RequestContext,
    dto: ProposeEntriesDto,
    personIds: string[],
    dispatch: Dispatch | undefined,
  ): Promise<string> {
    const request = await this.drafts.createDraft(ctx, {
      kind: 'blacklist',
      frameworkId: dto.frameworkId,
      targetCountry: dto.banningCountry,
      priority: dto.priority ?? 'urgent',
      handlingCode: dto.handlingCode ?? 'AMBER',
      subject: dto.subject ?? `Entry ban for ${dto.entries.length} person(s)`,
      payload: {},
      dispatch,
    });
    await this.proposedEntries.write(
      ctx,
      request,
      dto.entries.map((row, position) => ({ position, row, personId: personIds[position]! })),
    );
    return request.id;
  }

  /**
   * A page of entries, consulted: each shows a person's names, birth date and nationalities, so the page
   * is `blacklist.entry.list` in the reader's country's trail, with its filters, cursor and the entries
   * shown. Not in the other country's (the proposer's or the banning one's), as `person.search` is not.
   */
  list(ctx: RequestContext, query: ListEntriesQueryDto): Promise<Page<BlacklistEntryView>> {
    const actor = actorOf(ctx);
    const { limit: _limit, cursor, ...filters } = query;
    return this.audit.recordRead(
      ctx,
      () => this.listPage(actor, query),
      (page) => ({
        action: 'blacklist.entry.list',
        recordType: 'blacklist_entry',
        ownerCountry: actor.countryCode,
        details: { filters: { ...filters }, cursor: cursor ?? null, shown: page.items.map((e) => e.id) },
      }),
    );
  }

  private async listPage(actor: Actor, query: ListEntriesQueryDto): Promise<Page<BlacklistEntryView>> {
    const scope = requestScope(actor, 'r');
    const limit = pageLimit(query);
    const qb = this.repo
      .createQueryBuilder('e')
      .innerJoin('cross_border_request', 'r', 'r.id = e.proposal_id')
      .where(scope.sql, scope.params);
    this.whereShownStatus(qb, query.status);
    if (query.proposalId) qb.andWhere('e.proposal_id = :proposalId', { proposalId: query.proposalId });
    if (query.side === 'proposed') qb.andWhere('e.proposing_country = :me', { me: actor.countryCode });
    if (query.side === 'banning') qb.andWhere('e.banning_country = :me', { me: actor.countryCode });
    // What `pendingAmendments` of the entry's view counts: both countries read it (partial index
    // `blacklist_entry_amendment_pending`).
    if (query.pendingAmendments !== undefined)
      qb.andWhere(
        `${query.pendingAmendments ? '' : 'NOT '}EXISTS (SELECT 1 FROM blacklist_entry_amendment pa
           WHERE pa.entry_id = e.id AND pa.status = 'pending')`,
      );
    // Listed by the time the caller's country received it (`views`' `createdAt`): the banning country
    // never learns when, or in which order, the proposing country drafted what it sent.
    const listedAt = `(CASE WHEN e.proposing_country = :listedBy THEN e.created_at ELSE r.sent_at END)`;
    qb.setParameter('listedBy', actor.countryCode).addSelect(listedAt, 'listed_at');
    const after = decodeCursor(query.cursor);
    if (after) qb.andWhere(`(${listedAt}, e.id) < (:at, :id)`, { at: after.at, id: after.id });
    const { entities, raw } = await qb
      .orderBy(listedAt, 'DESC')
      .addOrderBy('e.id', 'DESC')
      .limit(limit + 1)
      .getRawAndEntities<{ listed_at: Date }>();
    const page = toPage(
      entities.map((e, i) => ({ e, at: new Date(raw[i]!.listed_at) })),
      limit,
      ({ e, at }) => ({ at: at.toISOString(), id: e.id }),
      ({ e }) => e,
    );
    return { items: await this.views(actor, page.items), nextCursor: page.nextCursor };
  }

  /** Filters on the status an entry shows (`views`): `active` means still in force, `expired` past it. */
  private whereShownStatus(
    qb: SelectQueryBuilder<BlacklistEntry>,
    status: ListEntriesQueryDto['status'],
  ): void {
    if (!status) return;
    const day = { today: today(this.clock.now()) };
    if (status === 'expired')
      qb.andWhere(`e.status = 'active' AND e.expires_on IS NOT NULL AND e.expires_on < :today`, day);
    else if (status === 'active')
      qb.andWhere(`e.status = 'active' AND (e.expires_on IS NULL OR e.expires_on >= :today)`, day);
    else qb.andWhere('e.status = :status', { status });
  }

  async entriesOf(actor: Actor, proposalId: string): Promise<BlacklistEntryView[]> {
    return this.views(actor, await this.repo.find({ where: { proposalId }, order: { position: 'ASC' } }));
  }

  /**
   * One entry, with its person's identity, consulted: `blacklist.entry.read` in the reader's country's
   * trail (as `person.read` is), naming the person shown. An entry the caller may not see answers 404
   * and records only that refusal.
   */
  get(ctx: RequestContext, id: string): Promise<BlacklistEntryView> {
    const actor = actorOf(ctx);
    return this.audit.recordRead(
      ctx,
      async () => (await this.views(actor, [await this.findVisible(ctx, id)]))[0]!,
      (view) => ({
        action: 'blacklist.entry.read',
        recordType: 'blacklist_entry',
        recordId: id,
        ownerCountry: actor.countryCode,
        details: {
          personId: view.personId,
          proposingCountry: view.proposingCountry,
          banningCountry: view.banningCountry,
        },
      }),
    );
  }

  activate(ctx: RequestContext, id: string, dto: ActivateEntryDto): Promise<BlacklistEntryView> {
    if (dto.expiresOn <= today(this.clock.now())) {
      throw new ValidationFailedError([{ field: 'expiresOn', message: 'expiresOn must be a future date' }]);
    }
    return this.decide(ctx, id, 'activate', dto.version, {
      status: 'active',
      legalBasis: dto.legalBasis,
      expiresOn: dto.expiresOn,
    });
  }

  /**
   * Activates many entries in one transaction, each by the rules (and with the audit event) of a single
   * activation: one that may not be activated (stale version, not visible, not decidable) refuses the
   * whole batch, and its problem names it (`failedEntry`). The re-screenings are queued, not run here.
   */
  activateMany(ctx: RequestContext, dto: ActivateEntriesDto): Promise<BlacklistEntryView[]> {
    if (dto.expiresOn <= today(this.clock.now())) {
      throw new ValidationFailedError([{ field: 'expiresOn', message: 'expiresOn must be a future date' }]);
    }
    const seen = new Set<string>();
    const repeated = dto.entries.flatMap((e, at) =>
      seen.has(e.id)
        ? [{ field: `entries[${at}].id`, message: 'an entry may be listed once' }]
        : (seen.add(e.id), []),
    );
    if (repeated.length) throw new ValidationFailedError(repeated);
    const changes = { status: 'active' as const, legalBasis: dto.legalBasis, expiresOn: dto.expiresOn };
    return this.tx.run(async () => {
      // The entries locked first, in one order for every batch: each activation locks its row as it
      // goes, so two batches listing shared entries in other orders deadlocked (a 500 after the retries).
      // Only the entries the caller may read: one it may not is neither waited for nor held (probe r54),
      // and answers 404 below as an id that never existed.
      const params: unknown[] = [dto.entries.map((e) => e.id)];
      const visible = positional(blacklistEntryScope(actorOf(ctx), 'e'), params);
      await this.tx.manager.query(
        `SELECT 1 FROM blacklist_entry e WHERE e.id = ANY($1::uuid[]) AND ${visible} ORDER BY e.id FOR NO KEY UPDATE OF e`,
        params,
      );
      const views: BlacklistEntryView[] = [];
      for (const [index, { id, version }] of dto.entries.entries()) {
        try {
          views.push(await this.decide(ctx, id, 'activate', version, changes, { notify: false }));
        } catch (error) {
          if (error instanceof DomainError) error.extensions.failedEntry = { index, id };
          throw error;
        }
      }
      await this.tellActivatedByProposal(views);
      return views;
    });
  }

  /**
   * A batch's activations told to the proposing country one notice per proposal, naming its entries: a
   * liaison whose list of 300 was activated at once wants to hear it once, not 300 times.
   */
  private async tellActivatedByProposal(views: BlacklistEntryView[]): Promise<void> {
    const byProposal = new Map<string, BlacklistEntryView[]>();
    for (const view of views)
      byProposal.set(view.proposalId, [...(byProposal.get(view.proposalId) ?? []), view]);
    for (const [proposalId, entries] of byProposal) {
      const first = entries[0]!;
      await this.events.publish(
        new BlacklistEntriesActivated(
          proposalId,
          first.proposalReference,
          first.proposingCountry,
          first.banningCountry,
          entries.map((e) => e.id),
          first.expiresOn!,
          new Date(first.decidedAt!),
        ),
      );
    }
  }

  reject(ctx: RequestContext, id: string, dto: DecideEntryDto): Promise<BlacklistEntryView> {
    return this.decide(ctx, id, 'reject', dto.version, { status: 'rejected', decisionReason: dto.reason });
  }

  lift(ctx: RequestContext, id: string, dto: DecideEntryDto): Promise<BlacklistEntryView> {
    return this.decide(ctx, id, 'lift', dto.version, { status: 'lifted', decisionReason: dto.reason });
  }

  /**
   * Keeps an active ban in force past its expiry: the banning country's liaison sets a later date, with
   * the reason, while the ban still holds. The entry and its screening profile take the new date in one
   * transaction, so no checkpoint ever sees the old one lapse. Only later dates: a ban the banning country
   * wants to end sooner is lifted (`lift`); an expired ban is not extended (`BanExpiredError`) — it left
   * the screening index, and banning the person again is a new proposal.
   */
  extend(ctx: RequestContext, id: string, dto: ExtendEntryDto): Promise<BlacklistEntryView> {
    if (dto.expiresOn <= today(this.clock.now())) {
      throw new ValidationFailedError([{ field: 'expiresOn', message: 'expiresOn must be a future date' }]);
    }
    const actor = actorOf(ctx);
    return this.tx.run(async () => {
      const entry = await this.banningCountrysEntry(ctx, id, 'Only the banning country extends a ban.');
      if (this.expired(entry)) throw new BanExpiredError(entry.expiresOn!);
      const allowed = await this.allowedFor(actor, entry);
      if (!allowed.includes('extend')) throw new IllegalTransitionError('extend', entry.status, allowed);
      // Weighed against the expiry the caller read: a date compared with one extended meanwhile would
      // be judged on a ban they have not seen.
      if (entry.version !== dto.version)
        throw new ConflictError('The entry was changed by someone else; reload and try again.');
      if (entry.expiresOn !== null && dto.expiresOn <= entry.expiresOn)
        throw new ValidationFailedError([
          {
            field: 'expiresOn',
            message: `expiresOn must be later than the ban's current expiry (${entry.expiresOn}); to end a ban sooner, lift it`,
          },
        ]);
      // The proposing country reads the reason: it passes the release rule, as a lift's does.
      await this.identifierRelease.releaseTextOnRequest(ctx, entry.proposalId, [['reason', dto.reason]]);
      const extendedAt = this.clock.now();
      const result = await this.repo.update(
        { id, version: dto.version },
        {
          expiresOn: dto.expiresOn,
          extendedAt,
          extendedBy: actor.userId,
          extensionReason: dto.reason,
          extendedFrom: entry.expiresOn,
        },
      );
      if (result.affected !== 1)
        throw new ConflictError('The entry was changed by someone else; reload and try again.');
      await this.index.extend(id, dto.expiresOn);
      await this.audit.record(ctx, {
        action: 'blacklist.entry.extend',
        recordType: 'blacklist_entry',
        recordId: id,
        ownerCountry: entry.proposingCountry,
        counterpartCountry: entry.banningCountry,
        before: { expiresOn: entry.expiresOn },
        after: { expiresOn: dto.expiresOn, extensionReason: dto.reason },
      });
      const updated = await this.repo.findOneByOrFail({ id });
      await this.events.publish(
        new BlacklistEntryDecided(
          await this.decidedEntry(updated),
          'extended',
          dto.expiresOn,
          entry.expiresOn,
          extendedAt,
        ),
      );
      const [view] = await this.views(actor, [updated]);
      return view!;
    });
  }

  /** The entry, for a step only its banning country takes: another country that reads it is refused (403). */
  private async banningCountrysEntry(
    ctx: RequestContext,
    id: string,
    refusal: string,
  ): Promise<BlacklistEntry> {
    const entry = await this.findVisible(ctx, id);
    if (entry.banningCountry !== actorOf(ctx).countryCode)
      await this.access.forbidden(
        ctx,
        { recordType: 'blacklist_entry', recordId: id, ownerCountry: entry.proposingCountry },
        refusal,
      );
    return entry;
  }

  /** The entry named as both its countries read it: by its proposal's reference. */
  private async decidedEntry(entry: BlacklistEntry): Promise<DecidedEntry> {
    const [proposal]: Array<{ reference: string }> = await this.tx.manager.query(
      `SELECT ${requestLabelSql('r')} AS reference FROM cross_border_request r WHERE r.id = $1`,
      [entry.proposalId],
    );
    return {
      entryId: entry.id,
      proposalId: entry.proposalId,
      proposalReference: proposal!.reference,
      proposingCountry: entry.proposingCountry,
      banningCountry: entry.banningCountry,
    };
  }

  private decide(
    ctx: RequestContext,
    id: string,
    action: 'activate' | 'reject' | 'lift',
    version: number,
    changes: Partial<BlacklistEntry>,
    { notify = true } = {},
  ): Promise<BlacklistEntryView> {
    const actor = actorOf(ctx);
    return this.tx.run(async () => {
      const entry = await this.banningCountrysEntry(ctx, id, 'Only the banning country decides on an entry.');
      const allowed = await this.allowedFor(actor, entry);
      if (!allowed.includes(action)) throw new IllegalTransitionError(action, entry.status, allowed);
      // The decision is the proposing country's to read: its legal basis and reason pass the release rule.
      await this.identifierRelease.releaseTextOnRequest(ctx, entry.proposalId, [
        ['legalBasis', changes.legalBasis],
        ['reason', changes.decisionReason],
      ]);
      const result = await this.repo.update(
        { id, version },
        { ...changes, decidedBy: actor.userId, decidedAt: this.clock.now() },
      );
      if (result.affected !== 1)
        throw new ConflictError('The entry was changed by someone else; reload and try again.');
      let updated = await this.repo.findOneByOrFail({ id });
      if (action === 'activate') {
        await this.index.activate(ctx, updated);
        updated = await this.repo.findOneByOrFail({ id }); // with the identity copied from the person
      }
      if (action === 'lift') await this.index.remove(updated);
      await this.audit.record(ctx, {
        action: `blacklist.entry.${action}`,
        recordType: 'blacklist_entry',
        recordId: id,
        ownerCountry: entry.proposingCountry,
        counterpartCountry: entry.banningCountry,
        before: { status: entry.status },
        after: { ...changes },
      });
      if (notify)
        await this.events.publish(
          new BlacklistEntryDecided(
            await this.decidedEntry(updated),
            DECISIONS[action],
            updated.expiresOn,
            null,
            updated.decidedAt!,
          ),
        );
      const [view] = await this.views(actor, [updated]);
      return view!;
    });
  }

  /** The entry if the caller's country may see it (the proposal's scope); otherwise 404. */
  async findVisible(ctx: RequestContext, id: string): Promise<BlacklistEntry> {
    const scope = requestScope(actorOf(ctx), 'r');
    const entry = await this.repo
      .createQueryBuilder('e')
      .innerJoin('cross_border_request', 'r', 'r.id = e.proposal_id')
      .where('e.id = :id', { id })
      .andWhere(scope.sql, scope.params)
      .getOne();
    return (
      entry ??
      this.access.notFound(ctx, { recordType: 'blacklist_entry', recordId: id }, 'The blacklist entry')
    );
  }

  private async allowedFor(actor: Actor, entry: BlacklistEntry): Promise<string[]> {
    if (entry.banningCountry !== actor.countryCode || !actor.roles.includes('liaison')) return [];
    if (entry.status === 'active' && !this.expired(entry)) return ['lift', 'extend'];
    if (entry.status !== 'proposed') return [];
    const [proposal] = await this.tx.manager.query(`SELECT status FROM cross_border_request WHERE id = $1`, [
      entry.proposalId,
    ]);
    return proposal?.status === 'accepted' ? ['activate', 'reject'] : [];
  }

  expired(entry: Pick<BlacklistEntry, 'status' | 'expiresOn'>): boolean {
    return entry.status === 'active' && entry.expiresOn !== null && entry.expiresOn < today(this.clock.now());
  }

  private async views(actor: Actor, entries: BlacklistEntry[]): Promise<BlacklistEntryView[]> {
    if (!entries.length) return [];
    const people = new Map<string, Person>();
    const scope = personScope(actor, 'p');
    const ids = [...new Set(entries.map((e) => e.personId))];
    const rows = await this.tx.manager
      .getRepository(Person)
      .createQueryBuilder('p')
      .where('p.id IN (:...ids)', { ids })
      .andWhere(scope.sql, scope.params)
      .getMany();
    for (const p of rows) people.set(p.id, p);
    // Before activation the entry shows the person as the reader's country reads it: its own copy
    // where it keeps one (the owner's later edits do not reach it), as `GET /persons/:id` does.
    const kept = await new KeptCopiesStore(this.tx.manager).of(ids, actor.countryCode, actor);
    const proposals = new Map<string, { reference: string; sentAt: Date | null }>(
      (
        await this.tx.manager.query(
          `SELECT id, ${requestLabelSql('r')} AS reference, sent_at FROM cross_border_request r WHERE r.id = ANY($1::uuid[])`,
          [[...new Set(entries.map((e) => e.proposalId))]],
        )
      ).map((r: { id: string; reference: string; sent_at: Date | null }) => [
        r.id,
        { reference: r.reference, sentAt: r.sent_at },
      ]),
    );
    const pendingAmendments = new Map<string, number>(
      (
        await this.tx.manager.query(
          `SELECT entry_id, count(*)::int AS n FROM blacklist_entry_amendment
            WHERE entry_id = ANY($1::uuid[]) AND status = 'pending' GROUP BY entry_id`,
          [entries.map((e) => e.id)],
        )
      ).map((r: { entry_id: string; n: number }) => [r.entry_id, r.n]),
    );
    return Promise.all(
      entries.map(async (e) => {
        // From activation on, the entry's own identity (the banning country's), not the live person.
        const person = e.identityNames
          ? {
              names: e.identityNames,
              birthDate: e.identityBirthDate,
              nationalities: e.identityNationalities ?? [],
            }
          : (kept.get(e.personId) ?? people.get(e.personId));
        const status: EntryStatus | 'expired' = this.expired(e) ? 'expired' : e.status;
        return {
          id: e.id,
          proposalId: e.proposalId,
          proposalReference: proposals.get(e.proposalId)?.reference ?? '',
          personId: e.personId,
          names: person?.names ?? [],
          birthDate: person?.birthDate ?? null,
          nationalities: person?.nationalities ?? [],
          proposingCountry: e.proposingCountry,
          banningCountry: e.banningCountry,
          caseId: actor.countryCode === e.proposingCountry ? e.caseId : null,
          grounds: e.grounds,
          groundsSummary: e.groundsSummary,
          status,
          legalBasis: e.legalBasis,
          expiresOn: e.expiresOn,
          decisionReason: e.decisionReason,
          decidedAt: e.decidedAt ? e.decidedAt.toISOString() : null,
          extendedAt: e.extendedAt ? e.extendedAt.toISOString() : null,
          extensionReason: e.extensionReason,
          extendedFrom: e.extendedFrom,
          allowedActions: await this.allowedFor(actor, e),
          pendingAmendments: pendingAmendments.get(e.id) ?? 0,
          // For the banning country the entry begins when its proposal was sent, as the proposal does
          // (`requestHeader`): when the proposing country drafted it is the proposing country's.
          createdAt: (actor.countryCode === e.proposingCountry
            ? e.createdAt
            : (proposals.get(e.proposalId)?.sentAt ?? e.createdAt)
          ).toISOString(),
          version: e.version,
        };
      }),
    );
  }
}
