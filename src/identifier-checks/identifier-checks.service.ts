import { Injectable } from '@nestjs/common';
import { AccessService } from '../access/access.service';
import { AuditService } from '../audit/audit.service';
import { UnprocessableError } from '../common/errors/domain-errors';
import { decodeCursor, encodeCursor, Page, pageLimit } from '../common/pagination/page';
import { actorOf, RequestContext } from '../common/request-context';
import { Clock } from '../common/time/clock';
import { TransactionService } from '../database/transaction.service';
import { IdentifierReleaseService } from '../sharing/identifier-release.service';
import { receiptKeysOf } from '../sharing/identifier-keys';
import { IdentifierIndexStore } from '../identifiers/identifier-index.store';
import { normaliseOrRefuse } from '../identifiers/identifiers.service';
import type {
  IdentifierCheckSummaryView,
  IdentifierCheckView,
  ListIdentifierChecksQueryDto,
  RunIdentifierCheckDto,
} from './dto/identifier-check.dto';
import { NotACoMemberError } from './identifier-check-errors';
import { CheckRow, IdentifierCheckStore } from './identifier-check.store';
import { toCheckSummary, toCheckView } from './identifier-check-view';

/**
 * Hit/no-hit checks, as the EU Prüm exchange answers DNA and vehicle queries: each partner's system
 * answers automatically "hit" or "no hit" per identifier, from its own holdings only, and nothing else
 * (no record, no count of records, no data). Both sides audit it; partners not asked learn nothing.
 */
@Injectable()
export class IdentifierChecksService {
  constructor(
    private readonly tx: TransactionService,
    private readonly audit: AuditService,
    private readonly access: AccessService,
    private readonly clock: Clock,
    private readonly identifierRelease: IdentifierReleaseService,
  ) {}

  private get store() {
    return new IdentifierCheckStore(this.tx.manager);
  }

  async run(ctx: RequestContext, dto: RunIdentifierCheckDto): Promise<IdentifierCheckView> {
    const actor = actorOf(ctx);
    const asker = actor.countryCode!;
    const identifiers = normaliseOrRefuse(dto.identifiers, (field, i) => `identifiers[${i}].${field}`);
    if (dto.partners.includes(asker))
      throw new UnprocessableError('partners must not include your own country.');
    return this.tx.run(async () => {
      // A check is kept for the whole country (every officer and auditor reads its identifiers): a number
      // the country holds for a RED request's named recipients only stays with them, as it would in a
      // person of its own (409, audited; probe r41).
      await this.identifierRelease.keepRedNumbersWithRecipients(
        ctx,
        identifiers.flatMap((identifier, i) =>
          receiptKeysOf(identifier.kind, identifier.value).map((key) => ({
            key,
            field: `identifiers[${i}].value`,
          })),
        ),
      );
      const frameworks = await this.store.sharedFrameworks(asker, dto.partners, this.clock.today());
      const outside = dto.partners
        .map((country, i) => ({ country, field: `partners[${i}]` }))
        .filter((p) => !frameworks.some((f) => f.partner === p.country));
      if (outside.length) throw new NotACoMemberError(outside);
      // Each partner answers under the first framework (by name) it has not switched automatic answers off for.
      const answeringUnder = new Map<string, string | null>(
        dto.partners.map((p) => [
          p,
          frameworks.find((f) => f.partner === p && f.auto_answer)?.framework_id ?? null,
        ]),
      );
      const answering = dto.partners.filter((p) => answeringUnder.get(p));
      const keys = await new IdentifierIndexStore(this.tx.manager).matchKeys(identifiers);
      const hits = await this.hitsAsReleasable(asker, keys, answering);
      const answers = dto.partners.map((country) => ({
        country,
        frameworkId: answeringUnder.get(country)!,
        hitPositions: hits.filter((h) => h.partner === country).map((h) => h.position),
      }));
      const saved = await this.store.insert(
        { askerCountry: asker, askedBy: actor.userId, identifiers },
        answers,
      );
      await this.auditBothSides(ctx, saved.id, identifiers.length, answers);
      return toCheckView({
        id: saved.id,
        asked_at: saved.asked_at,
        asked_by: actor.userId,
        identifier_count: identifiers.length,
        identifiers,
        answers: answers.map((a) => ({
          country: a.country,
          answered: a.frameworkId !== null,
          framework_id: a.frameworkId,
          hit_positions: a.hitPositions,
        })),
      });
    });
  }

  /**
   * A partner's holding hits when it recorded the identifier itself before receiving it from anyone;
   * one that exists only because of data it received hits only where the release rule would let the
   * partner send that data to the asker (GREEN only inside the circle, AMBER only with consent, never
   * AMBER+STRICT or RED): a hit tells the asker the partner holds it.
   */
  private async hitsAsReleasable(
    asker: string,
    keys: string[],
    partners: string[],
  ): Promise<Array<{ partner: string; position: number }>> {
    const holdings = await this.store.hits(keys, partners);
    const releasable = new Map<string, Set<string>>();
    for (const partner of new Set(holdings.filter((h) => !h.independent).map((h) => h.partner)))
      releasable.set(
        partner,
        await this.identifierRelease.releasableIdentifiers(
          partner,
          asker,
          holdings.filter((h) => h.partner === partner && !h.independent).flatMap((h) => h.receivedAs.flat()),
        ),
      );
    // A record holding it hits when every key it may have been received under may go to the asker.
    return holdings.filter(
      (h) =>
        h.independent ||
        h.receivedAs.some((ks) => ks.length > 0 && ks.every((k) => releasable.get(h.partner)!.has(k))),
    );
  }

  /**
   * The asker's event lists every partner and its hits (its own auditors read it); each partner gets
   * one event of its own (owned by it) saying who asked how many identifiers and how many hit, and
   * nothing of the identifiers or of the other partners asked.
   */
  private async auditBothSides(
    ctx: RequestContext,
    checkId: string,
    identifierCount: number,
    answers: Array<{ country: string; frameworkId: string | null; hitPositions: number[] }>,
  ): Promise<void> {
    const asker = actorOf(ctx).countryCode!;
    await this.audit.record(ctx, {
      action: 'identifier_check.run',
      recordType: 'identifier_check',
      recordId: checkId,
      ownerCountry: asker,
      details: {
        identifierCount,
        partners: answers.map((a) => ({
          country: a.country,
          answered: a.frameworkId !== null,
          frameworkId: a.frameworkId,
          hits: a.hitPositions.length,
        })),
      },
    });
    for (const a of answers)
      await this.audit.record(ctx, {
        action: 'identifier_check.answer',
        recordType: 'identifier_check',
        recordId: checkId,
        ownerCountry: a.country,
        // The asking country's auditors read the answers its check got (`auditEventScope` shows an event
        // to its actor's country only where that country is a side of it).
        counterpartCountry: asker,
        details: {
          askerCountry: asker,
          identifierCount,
          answered: a.frameworkId !== null,
          frameworkId: a.frameworkId,
          hits: a.hitPositions.length,
        },
      });
  }

  async get(ctx: RequestContext, id: string): Promise<IdentifierCheckView> {
    return toCheckView(await this.findOwn(ctx, id));
  }

  /** A check of the caller's country; another country's answers 404 exactly as one that does not exist. */
  async findOwn(ctx: RequestContext, id: string): Promise<CheckRow> {
    const row = await this.store.find(id, actorOf(ctx).countryCode!);
    return (
      row ??
      this.access.notFound(
        ctx,
        { recordType: 'identifier_check', recordId: id, ownerCountry: null },
        'The check',
      )
    );
  }

  async list(
    ctx: RequestContext,
    query: ListIdentifierChecksQueryDto,
  ): Promise<Page<IdentifierCheckSummaryView>> {
    const limit = pageLimit(query);
    const rows = await this.store.list(actorOf(ctx).countryCode!, {
      limit: limit + 1,
      after: decodeCursor(query.cursor),
    });
    const items = rows.slice(0, limit);
    const last = items[items.length - 1];
    return {
      items: items.map(toCheckSummary),
      nextCursor:
        rows.length > limit && last ? encodeCursor({ at: last.asked_at.toISOString(), id: last.id }) : null,
    };
  }
}
