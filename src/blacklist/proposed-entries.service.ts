import { Injectable } from '@nestjs/common';
import { personScope } from '../access/scopes';
import { AuditService } from '../audit/audit.service';
import { isOwnCase, NOT_OWN_CASE } from '../cases/own-case';
import { FieldError, ValidationFailedError } from '../common/errors/domain-errors';
import type { Actor, RequestContext } from '../common/request-context';
import { TransactionService } from '../database/transaction.service';
import { Person } from '../persons/person.entity';
import { PersonsService } from '../persons/persons.service';
import { numbersIn, type OutgoingIdentifier } from '../sharing/identifier-keys';
import { IdentifierReleaseService } from '../sharing/identifier-release.service';
import { ReleaseService } from '../sharing/release.service';
import type { CrossBorderRequest } from '../workflow/cross-border-request.entity';
import { BlacklistEntry } from './blacklist-entry.entity';
import type { ProposedEntryDto } from './dto/blacklist.dto';

/** A row of a proposal's list to write: its place in the list, as the body gave it, and its person. */
export interface PlacedEntry {
  position: number;
  row: ProposedEntryDto;
  personId: string;
}

/**
 * A proposal's list of entries as the proposing country writes it — on a draft's create and on its
 * edit, checked and written alike: each row names exactly one of a person on record (that the caller
 * sees) and a new person written out in full, and only a case of the caller's country; each entry's
 * person goes to the banning country through the release rule, and so does every number written in its
 * grounds.
 */
@Injectable()
export class ProposedEntriesService {
  constructor(
    private readonly tx: TransactionService,
    private readonly audit: AuditService,
    private readonly persons: PersonsService,
    private readonly release: ReleaseService,
    private readonly identifierRelease: IdentifierReleaseService,
  ) {}

  /** Per-row checks beyond the DTO, reported all at once as `entries[i].field`. */
  async check(actor: Actor, entries: ProposedEntryDto[]): Promise<void> {
    const errors: FieldError[] = [];
    const scope = personScope(actor, 'p');
    /** The row that first named each person on record: one person is one entry of a list. */
    const rowOf = new Map<string, number>();
    for (const [i, row] of entries.entries()) {
      const first = row.personId === undefined ? undefined : rowOf.get(row.personId);
      if (first !== undefined) {
        errors.push({
          field: `entries[${i}].personId`,
          message: `the person is already entries[${first}]; a list names a person once`,
        });
        continue;
      }
      if (row.personId) rowOf.set(row.personId, i);
      if (Boolean(row.person) === Boolean(row.personId))
        errors.push({ field: `entries[${i}].person`, message: 'give exactly one of person and personId' });
      if (row.personId) {
        const visible = await this.tx.manager
          .getRepository(Person)
          .createQueryBuilder('p')
          .where('p.id = :id', { id: row.personId })
          .andWhere(scope.sql, scope.params)
          .getExists();
        if (!visible)
          errors.push({
            field: `entries[${i}].personId`,
            message: 'personId names a person that does not exist',
          });
      }
      if (row.caseId && !(await isOwnCase(this.tx.manager, row.caseId, actor.countryCode))) {
        errors.push({ field: `entries[${i}].caseId`, message: NOT_OWN_CASE });
      }
    }
    if (errors.length)
      throw new ValidationFailedError(
        errors,
        `${new Set(errors.map((e) => e.field.split('.')[0])).size} row(s) are invalid; nothing was recorded.`,
      );
    // Visible is not enough: linking the person to the proposal passes it through the release rule
    // (`write`), which refuses what the caller may not pass on.
  }

  /**
   * The person of each row (checked): the one it names, or the one it writes out in full, put on record
   * now as a person of the caller's country — once, whichever countries the list is proposed to.
   */
  async personsOf(ctx: RequestContext, entries: ProposedEntryDto[]): Promise<string[]> {
    const personIds: string[] = [];
    for (const row of entries)
      personIds.push(row.personId ?? (await this.persons.createOwned(ctx, row.person!)).id);
    return personIds;
  }

  /**
   * Writes entries onto a proposal (checked, their persons on record): each entry, its person linked
   * through the release rule (unless `linked` holds it already; each one linked here joins it), the
   * numbers of its grounds weighed for the banning country, and `blacklist.entry.propose`.
   */
  async write(
    ctx: RequestContext,
    request: CrossBorderRequest,
    placed: PlacedEntry[],
    linked: Set<string> = new Set(),
  ): Promise<BlacklistEntry[]> {
    const repo = this.tx.manager.getRepository(BlacklistEntry);
    const written: BlacklistEntry[] = [];
    for (const { position, row, personId } of placed) {
      const entry = await repo.save(
        repo.create({
          proposalId: request.id,
          position,
          personId,
          proposingCountry: request.originCountry,
          banningCountry: request.targetCountry,
          caseId: row.caseId ?? null,
          grounds: row.grounds,
          groundsSummary: row.groundsSummary,
          status: 'proposed',
        }),
      );
      if (!linked.has(personId)) {
        await this.release.linkRequestPersons(
          ctx,
          request,
          [{ personId, field: `entries[${position}].personId` }],
          'origin',
        );
        linked.add(personId);
      }
      // The grounds go to the banning country too: a number written into them is that number.
      await this.identifierRelease.releaseIdentifiers(
        ctx,
        request,
        groundsNumbers(row, `entries[${position}]`),
        'origin',
      );
      await this.audit.record(ctx, {
        action: 'blacklist.entry.propose',
        recordType: 'blacklist_entry',
        recordId: entry.id,
        ownerCountry: request.originCountry,
        counterpartCountry: request.targetCountry,
        after: { proposalId: request.id, personId, groundsSummary: row.groundsSummary },
      });
      written.push(entry);
    }
    return written;
  }
}

/** Every number an entry's grounds carry to the banning country, named under `at` (`entries[i]`). */
export function groundsNumbers(
  entry: { grounds?: string; groundsSummary?: string },
  at: string,
): OutgoingIdentifier[] {
  return [
    ...numbersIn(entry.grounds ?? '', `${at}.grounds`),
    ...numbersIn(entry.groundsSummary ?? '', `${at}.groundsSummary`),
  ];
}
