import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { AccessService } from '../access/access.service';
import { AuditService } from '../audit/audit.service';
import { ConflictError, IllegalTransitionError, NotFoundError } from '../common/errors/domain-errors';
import { DomainEventBus } from '../common/events/domain-event-bus';
import { Actor, actorOf, RequestContext, systemContext } from '../common/request-context';
import { Clock } from '../common/time/clock';
import { returningRows } from '../database/returning';
import { TransactionService } from '../database/transaction.service';
import { JobsService } from '../jobs/jobs.service';
import { Person } from '../persons/person.entity';
import { PersonsService } from '../persons/persons.service';
import { BlacklistAmendmentProposed } from './blacklist-events';
import { BlacklistEntryAmendment } from './blacklist-entry-amendment.entity';
import { BlacklistEntry } from './blacklist-entry.entity';
import { BlacklistIndexService } from './blacklist-index.service';
import { IdentifierReleaseService } from '../sharing/identifier-release.service';
import { CooperationService } from '../sharing/cooperation.service';
import { BlacklistService } from './blacklist.service';
import type {
  BlacklistEntryAmendmentView,
  DecideAmendmentDto,
  ListAmendmentsQueryDto,
} from './dto/blacklist.dto';
import { changedIdentityFields, EntryIdentity, identityOf, sameIdentity } from './entry-identity';

/**
 * Who proposes an amendment: the rule, on behalf of the entry's proposing country (the events'
 * owner), never the owner's user whose edit set it off. That user's country may be a third one
 * (a person shared with the proposer) that must not learn of the entry: an event with its user as actor
 * would show it to that country's auditors. The editor's own `person.update` event names the edit.
 */
const AMENDMENT_ACTOR = systemContext('blacklist-amendments');

/** The entry's identity (the banning country's copy); set on every active or lifted entry. */
const identityOfEntry = (e: BlacklistEntry): EntryIdentity => ({
  names: e.identityNames ?? [],
  birthDate: e.identityBirthDate,
  nationalities: e.identityNationalities ?? [],
  sex: e.identitySex,
  documents: e.identityDocuments ?? [],
});

/** The fields that differ, before and after: what an audit event of an amendment records. */
function identityChange(before: EntryIdentity, after: EntryIdentity) {
  const fields = changedIdentityFields(before, after);
  return {
    before: Object.fromEntries(fields.map((f) => [f, before[f]])),
    after: Object.fromEntries(fields.map((f) => [f, after[f]])),
  };
}

/** The background job that proposes amendments after an owner's edit of a person commits. */
const JOB = 'blacklist-amendments';
/** Persons handled per run of the job, so one run ends; the next tick (or send) carries on. */
const MAX_PERSONS_PER_RUN = 1_000;

/**
 * Amendments of active blacklist entries. An entry screens against the identity the banning country
 * activated it with; when the person's owner changes the person later, each active entry of that person
 * gets a pending amendment with the new identity (an older pending one is superseded), and nothing the
 * checkpoints see changes. The banning country's liaisons are told (`BlacklistAmendmentProposed`, a
 * notification in the amendment's transaction); one of them accepts (identity, search keys and screening
 * profile change together, in one transaction with the audit event) or rejects it.
 *
 * The owner's edit only queues the person (`blacklist_amendment_task`); a background job proposes the
 * amendments after the edit commits. The edit takes no lock on any entry, so a banning country's decision
 * under way never holds it: its latency tells the owner nothing of what the banning country is doing.
 *
 * Locks: the job holds the person's advisory lock (one proposer per person), then share-locks the active
 * entries it may amend (none of a pair that no longer cooperates), then their amendments; a decision
 * holds the entry (`FOR UPDATE`), then the amendment; an activation the entry only. The job
 * locks no person row, so it never holds an owner's edit.
 */
@Injectable()
export class BlacklistAmendmentsService implements OnModuleInit {
  private readonly logger = new Logger('BlacklistAmendments');

  constructor(
    private readonly tx: TransactionService,
    private readonly access: AccessService,
    private readonly audit: AuditService,
    private readonly persons: PersonsService,
    private readonly entries: BlacklistService,
    private readonly index: BlacklistIndexService,
    private readonly clock: Clock,
    private readonly identifierRelease: IdentifierReleaseService,
    private readonly cooperation: CooperationService,
    private readonly jobs: JobsService,
    private readonly events: DomainEventBus,
  ) {}

  onModuleInit(): void {
    this.persons.onChange((_ctx, personId) => this.queue(personId));
    // Sent after each edit for promptness; the minute tick picks up a person whose send was lost
    // (a crash after commit, or a process running without jobs).
    this.jobs.define({ name: JOB, cron: '* * * * *', handler: async () => void (await this.runPending()) });
  }

  private get repo() {
    return this.tx.manager.getRepository(BlacklistEntryAmendment);
  }

  /**
   * Inside the owner's edit: queues the person when it has an entry proposed or active (a plain read
   * and insert, no lock another country's decision or activation could hold). A proposed entry counts:
   * an activation under way may have copied the identity from before this edit.
   */
  private async queue(personId: string): Promise<void> {
    const queued: unknown[] = await this.tx.manager.query(
      `INSERT INTO blacklist_amendment_task (person_id)
       SELECT $1 WHERE EXISTS (SELECT 1 FROM blacklist_entry WHERE person_id = $1 AND status IN ('proposed', 'active'))
       RETURNING id`,
      [personId],
    );
    if (queued.length) this.tx.afterCommit(() => this.jobs.send(JOB, {}));
  }

  /** Proposes the amendments of every queued person, a person per transaction. Returns how many were handled. */
  async runPending(): Promise<number> {
    let handled = 0;
    while (handled < MAX_PERSONS_PER_RUN && (await this.tx.run(() => this.nextPerson()))) handled++;
    if (handled) this.logger.log(`Amendments proposed for ${handled} edited person(s)`);
    return handled;
  }

  /**
   * The oldest queued person: its queued rows are taken (skipping those another worker holds, which
   * that worker then handles again, harmlessly) before the person is read, so an edit committed after
   * this read left a row of its own for the next run.
   */
  private async nextPerson(): Promise<boolean> {
    const [task]: Array<{ person_id: string }> = await this.tx.manager.query(
      `SELECT person_id FROM blacklist_amendment_task ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED`,
    );
    if (!task) return false;
    const personId = task.person_id;
    // Two workers proposing for one person would each supersede and insert.
    await this.tx.manager.query(
      `SELECT pg_advisory_xact_lock(hashtextextended('blacklist-amendments:' || $1, 0))`,
      [personId],
    );
    await this.tx.manager.query(
      `DELETE FROM blacklist_amendment_task WHERE id IN (
         SELECT id FROM blacklist_amendment_task WHERE person_id = $1 FOR UPDATE SKIP LOCKED)`,
      [personId],
    );
    await this.propose(personId);
    return true;
  }

  /**
   * Each active, unexpired entry of the person whose identity differs from the person's current one
   * gets a pending amendment, superseding any still pending (unless the one pending already proposes
   * it); an entry whose identity the person is back to has its pending amendments superseded. Written
   * by the rule (`AMENDMENT_ACTOR`): nothing of it reaches the editor (the edit's answer and event are
   * the person's only). A proposed amendment is told to the banning country (`BlacklistAmendmentProposed`)
   * in this transaction: no amendment waits unannounced, and none is announced that did not commit.
   */
  private async propose(personId: string): Promise<void> {
    const active = await this.entriesToAmend(personId);
    if (!active.length) return;
    const proposed = identityOf(
      await this.tx.manager.getRepository(Person).findOneByOrFail({ id: personId }),
    );
    for (const entry of active) {
      if (this.entries.expired(entry)) continue; // never screened again
      // A change that leaves the identity as already proposed (a phone number added) proposes nothing
      // again. Decisions lock the entry for update, so what is pending cannot change under this lock.
      const pending = await this.repo.findBy({ entryId: entry.id, status: 'pending' });
      if (pending.length === 1 && sameIdentity(identityOf(pending[0]!), proposed)) continue;
      // An UPDATE's raw answer is `[rows, count]`: read as rows, it would be two "superseded" amendments
      // that never existed, and an owner's edit that changes no identity (even a save of the same form)
      // would write an event the banning country reads (probe r30).
      const superseded = await returningRows<{ id: string }>(
        this.tx.manager,
        `UPDATE blacklist_entry_amendment SET status = 'superseded', decided_at = now(), version = version + 1
          WHERE entry_id = $1 AND status = 'pending' RETURNING id`,
        [entry.id],
      );
      const current = identityOfEntry(entry);
      const audited = {
        recordType: 'blacklist_entry',
        recordId: entry.id,
        // As every event of an entry: owned by the proposing country, the banning one its counterpart, so
        // both countries' auditors read the amendment (a counterpart reads an entry's events through the
        // proposal it received, which the proposing country never does).
        ownerCountry: entry.proposingCountry,
        counterpartCountry: entry.banningCountry,
      };
      if (!changedIdentityFields(current, proposed).length) {
        if (superseded.length)
          await this.audit.record(AMENDMENT_ACTOR, {
            ...audited,
            action: 'blacklist.entry.amendment.supersede',
            details: { personId, supersededAmendmentIds: superseded.map((a) => a.id) },
          });
        continue;
      }
      const amendment = await this.repo.save(
        this.repo.create({
          entryId: entry.id,
          personId,
          proposingCountry: entry.proposingCountry,
          banningCountry: entry.banningCountry,
          ...proposed,
          status: 'pending',
          proposedBy: null, // the rule (`AMENDMENT_ACTOR`), not the owner's editor
          proposedAt: this.clock.now(),
        }),
      );
      await this.audit.record(AMENDMENT_ACTOR, {
        ...audited,
        action: 'blacklist.entry.amendment.propose',
        ...identityChange(current, proposed),
        details: {
          amendmentId: amendment.id,
          personId,
          supersededAmendmentIds: superseded.map((a) => a.id),
        },
      });
      await this.events.publish(
        new BlacklistAmendmentProposed(
          amendment.id,
          entry.id,
          entry.proposingCountry,
          entry.banningCountry,
          changedIdentityFields(current, proposed),
          amendment.proposedAt,
        ),
      );
    }
  }

  /**
   * The active entries of the person the job may amend, share-locked against a decision on them.
   * A banning country no framework joins to the proposing one today keeps the identity it banned (the
   * change would be new data reaching it), and so does an entry either of whose countries keeps a copy
   * of the person: they are left out before locking (a lock on them would amend nothing and only make
   * that country's decision wait).
   */
  private async entriesToAmend(personId: string): Promise<BlacklistEntry[]> {
    const entries = () =>
      this.tx.manager
        .getRepository(BlacklistEntry)
        .createQueryBuilder('e')
        .where('e.person_id = :personId', { personId })
        // Proposed too: one being activated is locked by the activation, waited for, and read again
        // as the activation left it (PostgreSQL re-reads a row it waited to lock).
        .andWhere(`e.status IN ('proposed', 'active')`)
        // Both countries of the entry must read the live person: one that keeps a copy of it (its
        // cooperation with the owner ended, or it read the person only through the proposing
        // country's record) is not reached by the owner's later edits, and an amendment is read by
        // both countries.
        .andWhere(
          `NOT EXISTS (SELECT 1 FROM person_kept_copy k
                        WHERE k.person_id = e.person_id AND k.country_code IN (e.proposing_country, e.banning_country))`,
        )
        .orderBy('e.id');
    const pairs = new Map<string, Promise<boolean>>();
    const cooperating: string[] = [];
    for (const e of await entries().select(['e.id', 'e.proposingCountry', 'e.banningCountry']).getMany()) {
      const pair = `${e.proposingCountry}|${e.banningCountry}`;
      if (!pairs.has(pair))
        pairs.set(pair, this.cooperation.cooperates(e.proposingCountry, e.banningCountry));
      if (await pairs.get(pair)) cooperating.push(e.id);
    }
    if (!cooperating.length) return [];
    const locked = await entries()
      .andWhere('e.id IN (:...ids)', { ids: cooperating })
      .setLock('pessimistic_read')
      .getMany();
    return locked.filter((e) => e.status === 'active');
  }

  /**
   * The entry's amendments, consulted: each shows an identity (names, birth date, documents), so the read
   * is `blacklist.entry.amendment.list` in the reader's country's trail only, as `blacklist.entry.read`.
   */
  list(
    ctx: RequestContext,
    entryId: string,
    query: ListAmendmentsQueryDto,
  ): Promise<BlacklistEntryAmendmentView[]> {
    const actor = actorOf(ctx);
    return this.audit.recordRead(
      ctx,
      async () => {
        const entry = await this.entries.findVisible(ctx, entryId);
        const rows = await this.repo.find({
          where: { entryId, ...(query.status ? { status: query.status } : {}) },
          order: { proposedAt: 'DESC', id: 'DESC' },
        });
        return rows.map((a) => this.view(actor, entry, a));
      },
      (amendments) => ({
        action: 'blacklist.entry.amendment.list',
        recordType: 'blacklist_entry',
        recordId: entryId,
        ownerCountry: actor.countryCode,
        details: { filters: { ...query }, shown: amendments.map((a) => a.id) },
      }),
    );
  }

  accept(
    ctx: RequestContext,
    entryId: string,
    amendmentId: string,
    dto: DecideAmendmentDto,
  ): Promise<BlacklistEntryAmendmentView> {
    return this.decide(ctx, entryId, amendmentId, 'accept', dto);
  }

  reject(
    ctx: RequestContext,
    entryId: string,
    amendmentId: string,
    dto: DecideAmendmentDto,
  ): Promise<BlacklistEntryAmendmentView> {
    return this.decide(ctx, entryId, amendmentId, 'reject', dto);
  }

  private decide(
    ctx: RequestContext,
    entryId: string,
    amendmentId: string,
    action: 'accept' | 'reject',
    dto: DecideAmendmentDto,
  ): Promise<BlacklistEntryAmendmentView> {
    const actor = actorOf(ctx);
    return this.tx.run(async () => {
      const visible = await this.entries.findVisible(ctx, entryId);
      if (visible.banningCountry !== actor.countryCode) {
        await this.access.forbidden(
          ctx,
          { recordType: 'blacklist_entry', recordId: entryId, ownerCountry: visible.proposingCountry },
          'Only the banning country decides on an amendment of its entry.',
        );
      }
      // The entry first (as lift, expiry and activation lock it), then the amendment.
      const entry = await this.tx.manager
        .getRepository(BlacklistEntry)
        .createQueryBuilder('e')
        .where('e.id = :entryId', { entryId })
        .setLock('pessimistic_write')
        .getOneOrFail();
      const amendment = await this.repo
        .createQueryBuilder('a')
        .where('a.id = :amendmentId AND a.entry_id = :entryId', { amendmentId, entryId })
        .setLock('pessimistic_write')
        .getOne();
      if (!amendment) throw new NotFoundError('The amendment');
      if (dto.version !== undefined && dto.version !== amendment.version)
        throw new ConflictError('The amendment was changed by someone else; reload and try again.');
      const allowed = this.allowedFor(actor, entry, amendment);
      if (!allowed.includes(action)) {
        if (amendment.status === 'pending')
          throw new IllegalTransitionError(
            action,
            this.entries.expired(entry) ? 'expired' : entry.status,
            allowed,
          );
        throw new IllegalTransitionError(action, amendment.status, allowed);
      }
      // The proposing country reads the decision's comment: it passes the release rule.
      await this.identifierRelease.releaseTextOnRequest(ctx, entry.proposalId, [['comment', dto.comment]]);
      const decidedAt = this.clock.now();
      await this.repo.update(
        { id: amendmentId },
        {
          status: action === 'accept' ? 'accepted' : 'rejected',
          decidedBy: actor.userId,
          decidedAt,
          decisionComment: dto.comment ?? null,
        },
      );
      const before = identityOfEntry(entry);
      const proposed = identityOf(amendment);
      if (action === 'accept') {
        await this.tx.manager.getRepository(BlacklistEntry).update(
          { id: entryId },
          {
            identityNames: proposed.names,
            identityBirthDate: proposed.birthDate,
            identityNationalities: proposed.nationalities,
            identitySex: proposed.sex,
            identityDocuments: proposed.documents,
            identityTakenAt: decidedAt,
          },
        );
        await this.index.reindex(entry, proposed);
      }
      await this.audit.record(ctx, {
        action: `blacklist.entry.amendment.${action}`,
        recordType: 'blacklist_entry',
        recordId: entryId,
        ownerCountry: entry.proposingCountry, // as `propose` says why
        counterpartCountry: entry.banningCountry,
        ...(action === 'accept' ? identityChange(before, proposed) : {}),
        details: { amendmentId, comment: dto.comment ?? null },
      });
      const [updatedEntry, updated] = await Promise.all([
        this.tx.manager.getRepository(BlacklistEntry).findOneByOrFail({ id: entryId }),
        this.repo.findOneByOrFail({ id: amendmentId }),
      ]);
      return this.view(actor, updatedEntry, updated);
    });
  }

  /** Pending amendments are decided by the banning country's liaison; accepted only on an unexpired active entry. */
  private allowedFor(actor: Actor, entry: BlacklistEntry, amendment: BlacklistEntryAmendment): string[] {
    if (amendment.status !== 'pending') return [];
    if (entry.banningCountry !== actor.countryCode || !actor.roles.includes('liaison')) return [];
    const screened = entry.status === 'active' && !this.entries.expired(entry);
    return screened ? ['accept', 'reject'] : ['reject'];
  }

  private view(actor: Actor, entry: BlacklistEntry, a: BlacklistEntryAmendment): BlacklistEntryAmendmentView {
    const proposed = identityOf(a);
    return {
      id: a.id,
      entryId: a.entryId,
      proposingCountry: a.proposingCountry,
      banningCountry: a.banningCountry,
      status: a.status,
      ...proposed,
      changedFields: a.status === 'pending' ? changedIdentityFields(identityOfEntry(entry), proposed) : [],
      proposedAt: a.proposedAt.toISOString(),
      decidedAt: a.decidedAt ? a.decidedAt.toISOString() : null,
      decisionComment: a.decisionComment,
      allowedActions: this.allowedFor(actor, entry, a),
      version: a.version,
    };
  }
}
