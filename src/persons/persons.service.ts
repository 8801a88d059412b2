import { isDeepStrictEqual } from 'node:util';
import { Injectable } from '@nestjs/common';
import { In } from 'typeorm';
import { AccessService } from '../access/access.service';
import { personReceivedScope, personScope, personSeenSince } from '../access/scopes';
import { AuditService } from '../audit/audit.service';
import { ConflictError, ValidationFailedError } from '../common/errors/domain-errors';
import { decodeCursor, Page, pageLimit, toPage } from '../common/pagination/page';
import { Actor, actorOf, RequestContext } from '../common/request-context';
import { Clock } from '../common/time/clock';
import { birthDateProblems } from '../common/time/plausible-dates';
import { TransactionService } from '../database/transaction.service';
import type {
  CreatePersonDto,
  PersonFieldsDto,
  SearchPersonsQueryDto,
  UpdatePersonDto,
} from './dto/person.dto';
import { PersonView, toPersonView } from './dto/person-view.dto';
import { KeptCopiesStore, matchesAsSeen } from './kept-copies.store';
import { RedConsultations, TypedRedValues, WITHHELD_RED } from '../access/red-consultations';
import { Person, PersonName } from './person.entity';
import { detectScript } from '../common/text/name-script';
import { foldDocumentNumber, foldName } from './search-folding';
import { accountNumberOf, searchedAccountNumbers, storedAccount } from './person-accounts';

/** A person's stored columns from what was submitted (exported for the screening benchmark's bulk load). */
export function derivedFields(dto: PersonFieldsDto) {
  const documents = dto.documents ?? [];
  const accounts = (dto.accounts ?? []).map(storedAccount);
  return {
    // A name without a script label takes the one its letters show (a given label was checked).
    names: dto.names.map((n): PersonName => ({ ...n, script: n.script ?? detectScript(n.full) })),
    searchText: dto.names
      .flatMap((n) => [n.full, n.given, n.family])
      .filter(Boolean)
      .map((s) => foldName(s!))
      .join(' | '),
    birthDate: dto.birthDate ?? null,
    nationalities: dto.nationalities ?? [],
    sex: dto.sex ?? null,
    documents,
    documentNumbers: documents.map((d) => foldDocumentNumber(d.number)),
    phones: dto.phones ?? [],
    accounts,
    accountNumbers: accounts.map((a) => accountNumberOf(a)!),
    notes: dto.notes ?? null,
  };
}

/** What a reader sees of a person (JSON-normalised: no undefined members, any key order). */
const PERSON_CONTENT = [
  'names',
  'birthDate',
  'nationalities',
  'sex',
  'documents',
  'phones',
  'accounts',
  'notes',
] as const;
function sameFields(person: Person, fields: ReturnType<typeof derivedFields>): boolean {
  const plain = (v: unknown) => JSON.parse(JSON.stringify(v ?? null)) as unknown;
  return PERSON_CONTENT.every((k) => isDeepStrictEqual(plain(person[k]), plain(fields[k])));
}

/** Persons: owned by a country, visible wherever a visible case or request links to them. */
/**
 * Inserts persons given as a JSON array of `derivedFields` rows (plus `id`), $1 the owner country and $2
 * the creating user, in one statement. Exported for the screening benchmark's bulk loader, which must
 * write exactly the rows the app writes.
 */
export const INSERT_PERSONS_FROM_JSON = `INSERT INTO person (id, owner_country, names, search_text, birth_date, nationalities, sex, documents,
         document_numbers, phones, accounts, account_numbers, notes, created_by)
       SELECT x.id, $1, x.names, x."searchText", x."birthDate", ARRAY(SELECT jsonb_array_elements_text(x.nationalities)),
              x.sex, x.documents, ARRAY(SELECT jsonb_array_elements_text(x."documentNumbers")),
              ARRAY(SELECT jsonb_array_elements_text(x.phones)), coalesce(x.accounts, '[]'),
              ARRAY(SELECT jsonb_array_elements_text(coalesce(x."accountNumbers", '[]'))), x.notes, $2
         FROM jsonb_to_recordset($3::jsonb) AS x(id uuid, names jsonb, "searchText" text, "birthDate" text,
              nationalities jsonb, sex text, documents jsonb, "documentNumbers" jsonb, phones jsonb, accounts jsonb,
              "accountNumbers" jsonb, notes text)`;

/**
 * The persons list's page as SQL with named parameters: the ids and the `createdAt` the caller reads
 * (`seen_at`), newest first, `limit + 1` rows. Listed, and paged, by that time: for another country's
 * person, when it reached the caller's country (`personSeenSince`), never when (or in which order) the
 * owner recorded it. Each side is its own branch: the caller's own persons by `created_at`, which
 * `person_owner` serves in order (a page reads about `limit` of them, however many the country holds);
 * the persons received (`personReceivedScope`) with their computed time. Both limited, merged, limited.
 * Exported for the scaling benchmark, which EXPLAINs it.
 */
export function personPageSql(
  actor: Actor,
  query: SearchPersonsQueryDto,
  limit: number,
): { sql: string; params: Record<string, unknown> } {
  const params: Record<string, unknown> = {
    seenBy: actor.countryCode,
    me: actor.countryCode,
    pageRows: limit + 1,
  };
  // Filters read what the caller's country reads: a kept copy is not found by the owner's later edits.
  const seen = (column: Parameters<typeof matchesAsSeen>[0], condition: (value: string) => string) =>
    matchesAsSeen(column, condition, 'p', ':seenBy');
  const filters: string[] = [];
  if (query.name) {
    const folded = foldName(query.name);
    // Substring for short or non-Latin queries, trigram word similarity ≥ 0.5 for misspellings: both
    // operators the trigram index serves (`<%` reads its threshold from SESSION_SETTINGS).
    filters.push(seen('search_text', (text) => `(${text} LIKE :nameLike OR :name <% ${text})`));
    Object.assign(params, { name: folded, nameLike: `%${folded.replace(/[%_\\]/g, '\\$&')}%` });
  }
  if (query.document) {
    filters.push(seen('document_numbers', (numbers) => `:doc = ANY(${numbers})`));
    params.doc = foldDocumentNumber(query.document);
  }
  if (query.phone) {
    filters.push(seen('phones', (phones) => `:phone = ANY(${phones})`));
    params.phone = query.phone;
  }
  if (query.account) {
    filters.push(seen('account_numbers', (numbers) => `${numbers} && :accounts::text[]`));
    params.accounts = searchedAccountNumbers(query.account);
  }
  const after = decodeCursor(query.cursor);
  if (after) Object.assign(params, { at: after.at, id: after.id });
  const received = personReceivedScope(actor, 'p');
  const since = personSeenSince(actor, 'p');
  Object.assign(params, received.params, since.params);
  const branch = (side: string, listedAt: string) => {
    const where = [side, ...filters];
    if (after) where.push(`(${listedAt}, p.id) < (:at::timestamptz, :id::uuid)`);
    return `(SELECT p.id, ${listedAt} AS seen_at FROM person p
              WHERE ${where.join(' AND ')}
              ORDER BY ${listedAt} DESC, p.id DESC LIMIT :pageRows)`;
  };
  // Without a country the caller sees no person (`personScope`): both branches are empty.
  const own = actor.countryCode ? branch('p.owner_country = :me', 'p.created_at') : null;
  const sql = `SELECT id, seen_at FROM (${[own, branch(received.sql, since.sql)].filter(Boolean).join(`
      UNION ALL `)}) page
     ORDER BY seen_at DESC, id DESC LIMIT :pageRows`;
  return { sql, params };
}

/** Told, inside the change's transaction (the person's row locked by it), that a person was changed. */
export type PersonChangeListener = (ctx: RequestContext, personId: string) => Promise<void>;
export type PersonsWrittenListener = (ctx: RequestContext, personIds: string[]) => Promise<void>;

@Injectable()
export class PersonsService {
  private readonly beforeChangeListeners: PersonChangeListener[] = [];
  private readonly changeListeners: PersonChangeListener[] = [];
  private readonly writeListeners: PersonsWrittenListener[] = [];

  constructor(
    private readonly tx: TransactionService,
    private readonly access: AccessService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly typedRed: TypedRedValues,
  ) {}

  /** A birth in the future or before 1900 is a typo, refused as screenings refuse it. */
  private requirePlausible(dto: PersonFieldsDto): void {
    const problems = birthDateProblems('birthDate', dto.birthDate, this.clock.now());
    if (problems.length) throw new ValidationFailedError(problems);
  }

  /**
   * Modules that keep something derived from a person (the blacklist's amendments) register here,
   * so persons need not know them: they depend on persons, not the other way round.
   */
  onChange(listener: PersonChangeListener): void {
    this.changeListeners.push(listener);
  }

  /** Told, inside the transaction and before the person's row changes, that its owner is changing it. */
  onBeforeChange(listener: PersonChangeListener): void {
    this.beforeChangeListeners.push(listener);
  }

  /** Told, inside the writing transaction, of persons of the caller's country created or changed. */
  onWritten(listener: PersonsWrittenListener): void {
    this.writeListeners.push(listener);
  }

  private async written(ctx: RequestContext, personIds: string[]): Promise<void> {
    for (const listener of this.writeListeners) await listener(ctx, personIds);
  }

  private get repo() {
    return this.tx.manager.getRepository(Person);
  }

  /** What a consultation event may name of the persons shown, read in the running transaction. */
  private get redConsultations(): RedConsultations {
    return new RedConsultations(this.tx.manager);
  }

  /** The copies a country keeps, read and written inside the running transaction. */
  get keptCopies(): KeptCopiesStore {
    return new KeptCopiesStore(this.tx.manager);
  }

  /**
   * Persons as `actor`'s country reads them: its own as they are; another country's from when they
   * reached it (`personSeenSince`), from its kept copy where it keeps one. Every read of a person goes
   * through here.
   */
  async viewsFor(actor: Actor, persons: Person[]): Promise<PersonView[]> {
    const country = actor.countryCode;
    const others = [...new Set(persons.filter((p) => p.ownerCountry !== country).map((p) => p.id))];
    const kept = await this.keptCopies.of(others, country, actor);
    const seen = new Map<string, Date>();
    const arrivedLast = new Map<string, Date>();
    if (others.length) {
      const since = personSeenSince(actor, 'p');
      const last = personSeenSince(actor, 'p', 'max');
      const rows: Array<{ id: string; seen: Date; last: Date }> = await this.tx.manager
        .createQueryBuilder()
        .select('p.id', 'id')
        .addSelect(since.sql, 'seen')
        .addSelect(last.sql, 'last')
        .from(Person, 'p')
        .where('p.id IN (:...ids)', { ids: others })
        .setParameters({ ...since.params, ...last.params })
        .getRawMany();
      for (const r of rows) {
        seen.set(r.id, new Date(r.seen));
        arrivedLast.set(r.id, new Date(r.last));
      }
    }
    return persons.map((p) =>
      toPersonView(p, {
        country,
        seenSince: seen.get(p.id),
        arrivedLast: arrivedLast.get(p.id),
        kept: kept.get(p.id),
      }),
    );
  }

  create(ctx: RequestContext, dto: CreatePersonDto): Promise<PersonView> {
    return this.tx.run(async () => {
      const person = await this.createOwned(ctx, dto);
      return toPersonView(person, { country: person.ownerCountry });
    });
  }

  /** Creates a person owned by the caller's country inside the running transaction. */
  async createOwned(ctx: RequestContext, dto: PersonFieldsDto): Promise<Person> {
    this.requirePlausible(dto);
    const actor = actorOf(ctx);
    const person = await this.repo.save(
      this.repo.create({ ...derivedFields(dto), ownerCountry: actor.countryCode!, createdBy: actor.userId }),
    );
    await this.audit.record(ctx, {
      action: 'person.create',
      recordType: 'person',
      recordId: person.id,
      ownerCountry: person.ownerCountry,
      after: { names: dto.names, birthDate: dto.birthDate, nationalities: dto.nationalities },
    });
    await this.written(ctx, [person.id]);
    return person;
  }

  /**
   * One person, consulted: recorded as `person.read` in the reader's own country's trail. Not in the
   * owner's: a third country may read the person because a partner passed it on (a case of its own
   * shared onward), which the owner was never told, and a read in the owner's trail would tell it.
   */
  get(ctx: RequestContext, id: string): Promise<PersonView> {
    const actor = actorOf(ctx);
    return this.audit.recordRead(
      ctx,
      async () => (await this.viewsFor(actor, [await this.findVisible(ctx, id)]))[0]!,
      // A person held for a RED request's named recipients only: its auditors are told neither whom
      // nor whose (`RedConsultations`).
      async (view) =>
        (await this.redConsultations.withheld([id], actor.countryCode)).has(id)
          ? {
              action: 'person.read',
              recordType: 'person',
              ownerCountry: actor.countryCode,
              details: { person: WITHHELD_RED },
            }
          : {
              action: 'person.read',
              recordType: 'person',
              recordId: id,
              ownerCountry: actor.countryCode,
              details: { personOwner: view.ownerCountry },
            },
    );
  }

  update(ctx: RequestContext, id: string, dto: UpdatePersonDto): Promise<PersonView> {
    return this.tx.run(async () => {
      const person = await this.findVisible(ctx, id);
      if (person.ownerCountry !== actorOf(ctx).countryCode) {
        await this.access.forbidden(
          ctx,
          { recordType: 'person', recordId: id, ownerCountry: person.ownerCountry },
          'Only the owning country may change this person.',
        );
      }
      this.requirePlausible(dto);
      for (const listener of this.beforeChangeListeners) await listener(ctx, id);
      const fields = derivedFields(dto);
      // A save that changes nothing keeps the person's `updatedAt`: other countries read it as the
      // owner's last change, and a save of the same form is no change of what they read (probe r5).
      const result = await this.repo.update(
        { id, version: dto.version },
        sameFields(person, fields) ? { ...fields, updatedAt: person.updatedAt } : fields,
      );
      if (result.affected !== 1)
        throw new ConflictError('The person was changed by someone else; reload and try again.');
      await this.written(ctx, [id]);
      for (const listener of this.changeListeners) await listener(ctx, id);
      await this.audit.record(ctx, {
        action: 'person.update',
        recordType: 'person',
        recordId: id,
        ownerCountry: person.ownerCountry,
        before: { names: person.names, birthDate: person.birthDate, accounts: person.accounts },
        after: { names: dto.names, birthDate: dto.birthDate ?? null, accounts: fields.accounts },
      });
      return toPersonView(await this.repo.findOneByOrFail({ id }), { country: person.ownerCountry });
    });
  }

  /**
   * A search (or a page of every person the caller reads), recorded as `person.search` in the caller's
   * own country's trail with what was asked and whom it showed: whom a search showed is the searcher's
   * business, not the persons' owners'.
   */
  search(ctx: RequestContext, query: SearchPersonsQueryDto): Promise<Page<PersonView>> {
    return this.audit.recordRead(
      ctx,
      () => this.searchPage(actorOf(ctx), query),
      async (page) => {
        const shown = await this.redConsultations.named(
          page.items.map((p) => p.id),
          actorOf(ctx).countryCode,
        );
        // What was typed found a person held for RED recipients only: it may be that person's name or
        // number, which the auditors reading this event are not to learn (probe r40). Nor a number the
        // country holds for RED recipients only, typed whatever the search showed. Withheld whole, as
        // an event naming a RED value names nothing else.
        const typed = {
          name: query.name,
          document: query.document,
          phone: query.phone,
          account: query.account,
        };
        const country = actorOf(ctx).countryCode;
        const criteria =
          shown.includes(WITHHELD_RED) ||
          (country !== null && (await this.typedRed.anyHeldForRedRecipientsOnly(typed, country)))
            ? WITHHELD_RED
            : typed;
        return {
          action: 'person.search',
          recordType: 'person',
          ownerCountry: actorOf(ctx).countryCode,
          details: { criteria, cursor: query.cursor ?? null, shown },
        };
      },
    );
  }

  private async searchPage(actor: Actor, query: SearchPersonsQueryDto): Promise<Page<PersonView>> {
    const limit = pageLimit(query);
    const { sql, params } = personPageSql(actor, query, limit);
    const [text, values] = this.tx.manager.connection.driver.escapeQueryWithParameters(sql, params);
    const rows: Array<{ id: string; seen_at: Date }> = await this.tx.manager.query(text, values);
    const page = toPage(
      rows,
      limit,
      (r) => ({ at: new Date(r.seen_at).toISOString(), id: r.id }),
      (r) => r.id,
    );
    const byId = new Map(
      (page.items.length ? await this.repo.findBy({ id: In(page.items) }) : []).map((p) => [p.id, p]),
    );
    const persons = page.items.map((id) => byId.get(id)!);
    return { items: await this.viewsFor(actor, persons), nextCursor: page.nextCursor };
  }

  async findVisible(ctx: RequestContext, id: string): Promise<Person> {
    const scope = personScope(actorOf(ctx));
    const person = await this.repo
      .createQueryBuilder('p')
      .where('p.id = :id', { id })
      .andWhere(scope.sql, scope.params)
      .getOne();
    return person ?? this.access.notFound(ctx, { recordType: 'person', recordId: id }, 'The person');
  }

  /** For linking: every id must name a person the caller can see; others read as non-existent. */
  async requireVisible(ctx: RequestContext, ids: string[], field: string): Promise<void> {
    if (!ids.length) return;
    const scope = personScope(actorOf(ctx));
    const found = await this.repo
      .createQueryBuilder('p')
      .where('p.id IN (:...ids)', { ids })
      .andWhere(scope.sql, scope.params)
      .getCount();
    if (found !== new Set(ids).size)
      throw new ValidationFailedError([{ field, message: `${field} names a person that does not exist` }]);
  }

  /**
   * Creates many persons owned by the caller's country in one statement (a raid's arrests), inside the
   * running transaction, with one audit event naming them all. The caller chooses the ids.
   */
  async createManyOwned(
    ctx: RequestContext,
    persons: Array<{ id: string; fields: PersonFieldsDto }>,
    details: Record<string, unknown> = {},
  ): Promise<void> {
    if (!persons.length) return;
    const actor = actorOf(ctx);
    const rows = persons.map(({ id, fields }) => ({ id, ...derivedFields(fields) }));
    await this.tx.manager.query(INSERT_PERSONS_FROM_JSON, [
      actor.countryCode,
      actor.userId,
      JSON.stringify(rows),
    ]);
    await this.audit.record(ctx, {
      action: 'person.create',
      recordType: 'person',
      ownerCountry: actor.countryCode,
      details: { ...details, count: rows.length, personIds: rows.map((r) => r.id) },
    });
    await this.written(
      ctx,
      rows.map((r) => r.id),
    );
  }
}
