import { Injectable } from '@nestjs/common';
import { RedConsultations, TypedRedValues, WITHHELD_RED } from '../access/red-consultations';
import { AuditService } from '../audit/audit.service';
import type { Page } from '../common/pagination/page';
import { actorOf, type Actor, type RequestContext } from '../common/request-context';
import { Clock } from '../common/time/clock';
import { TransactionService } from '../database/transaction.service';
import type { CrossBorderRequest, RequestKind } from './cross-border-request.entity';
import { isOverdue } from './due-time';
import type { RequestHeaderView } from './dto/request-header.dto';
import type { RequestListQueryDto } from './dto/request-list-query.dto';
import { frameworkKey } from './framework-answers';
import { DispatchThread, requestHeader } from './request-header';
import type { RegisteredRequestKind } from './request-kind';
import { RequestKindRegistry } from './request-kind-registry';
import { dispatchThreads, ListedRequest, pageOfRequests } from './request-list.store';
import { WorkflowService, type FrameworkAnswers } from './workflow.service';

/**
 * Requests as a caller sees them, for every kind: the shared header (`requestHeader`) with the actions
 * the caller may take, and the kind's own fields (`viewExtras`), a page at a time.
 */
@Injectable()
export class RequestViewsService {
  constructor(
    private readonly kinds: RequestKindRegistry,
    private readonly workflow: WorkflowService,
    private readonly tx: TransactionService,
    private readonly clock: Clock,
    private readonly audit: AuditService,
    private readonly typedRed: TypedRedValues,
  ) {}

  /**
   * One request of `kind` as the caller reads it (`GET /<kind>/:id`): 404 where it may not see it, and
   * for a kind that shows persons by name (`RequestKindDefinition.consultation`) the read recorded.
   */
  async consult<V>(ctx: RequestContext, kind: RequestKind, id: string): Promise<V> {
    const actor = actorOf(ctx);
    const read = async () => this.view<V>(actor, await this.workflow.findVisible(ctx, kind, id));
    const consultation = this.kinds.get(kind).consultation;
    if (!consultation) return read();
    return this.audit.recordRead(ctx, read, async (view) => ({
      action: `${consultation.action}.read`,
      recordType: 'request',
      recordId: id,
      ownerCountry: actor.countryCode,
      details: {
        persons: await this.personsNamed(
          view as RequestHeaderView,
          consultation.personsShown(view as object),
          actor,
        ),
      },
    }));
  }

  /**
   * The persons a read names in its event (probe r38). Who is on a RED request is for its named
   * recipients only: the target's auditors, who read the event, are told none of them (`WITHHELD_RED` in
   * their place); the origin reads its own request whole. Elsewhere a person the reader's country holds
   * for RED recipients only is withheld (`RedConsultations`).
   */
  private personsNamed(view: RequestHeaderView, ids: string[], reader: Actor) {
    if (view.handlingCode === 'RED' && view.targetCountry === reader.countryCode)
      return ids.map(() => WITHHELD_RED);
    return new RedConsultations(this.tx.manager).named(ids, reader.countryCode);
  }

  /** A page of the caller's requests of `kind` (`GET /<kind>`), recorded as `consult` records one. */
  async consultList<V>(ctx: RequestContext, kind: RequestKind, query: RequestListQueryDto): Promise<Page<V>> {
    const actor = actorOf(ctx);
    const consultation = this.kinds.get(kind).consultation;
    if (!consultation) return this.list<V>(actor, kind, query);
    const { limit: _limit, cursor, ...filters } = query;
    return this.audit.recordRead(
      ctx,
      () => this.list<V>(actor, kind, query),
      async (page) => ({
        action: `${consultation.action}.list`,
        recordType: 'request',
        ownerCountry: actor.countryCode,
        details: {
          // Words typed into `q` may be a number the country holds for RED recipients only, which its
          // auditors reading this event are not to learn: the filters withheld whole, as a search's criteria.
          filters:
            actor.countryCode !== null &&
            (await this.typedRed.anyHeldForRedRecipientsOnly({ q: filters.q }, actor.countryCode))
              ? WITHHELD_RED
              : { ...filters },
          cursor: cursor ?? null,
          shown: page.items.map((r) => (r as { id: string }).id),
        },
      }),
    );
  }

  /** `extras`: the kind's own fields when the caller has them at hand (it just wrote them): not read again. */
  async view<V>(actor: Actor, request: CrossBorderRequest, extras?: object): Promise<V> {
    const [view] = await this.views<V>(actor, [request], extras && [extras]);
    return view!;
  }

  /**
   * The views of requests of one kind, its extras read for all of them at once (unless given), and
   * their dispatches' threads (unless given).
   */
  private async views<V>(
    actor: Actor,
    requests: CrossBorderRequest[],
    known?: readonly object[],
    frameworks: FrameworkAnswers = new Map(),
    threads?: Map<string, DispatchThread[]>,
  ): Promise<V[]> {
    if (!requests.length) return [];
    const kind = this.kinds.get(requests[0]!.kind);
    if (requests.some((r) => r.kind !== kind.kind)) throw new Error('views: requests of more than one kind');
    const actions = await Promise.all(requests.map((r) => this.workflow.actionsFor(actor, r, frameworks)));
    const extras =
      known ??
      (await kind.hooks.viewExtras(
        actor,
        requests.map((request, i) => ({ request, actions: actions[i]! })),
      ));
    const dispatches = threads ?? (await dispatchThreads(this.tx.manager, requests));
    const now = this.clock.now();
    const unlisted = kind.unlisted ?? [];
    return requests.map(
      (r, i) =>
        ({
          ...requestHeader(
            actor,
            r,
            actions[i]!.filter((a) => !unlisted.includes(a)),
            isOverdue(r, now),
            r.dispatchId ? dispatches.get(r.dispatchId) : undefined,
          ),
          ...extras[i],
        }) as V,
    );
  }

  /**
   * A page of the kind's list, filtered as asked, read by one statement (`pageOfRequests`). A kind with
   * `listExtras` has its views built straight from the rows; any other through `viewExtras`.
   */
  async list<V>(actor: Actor, kind: RequestKind, query: RequestListQueryDto): Promise<Page<V>> {
    const definition = this.kinds.get(kind);
    const now = this.clock.now();
    const listExtras = definition.hooks.listExtras;
    const page = await pageOfRequests(
      this.tx.manager,
      actor,
      kind,
      query,
      now,
      definition.listOrder,
      listExtras?.sql,
    );
    if (!listExtras)
      return { items: await this.viewsOfListed<V>(actor, page.items), nextCursor: page.nextCursor };
    const items: V[] = [];
    for (const request of page.items) {
      const actions =
        this.workflow.actionsKnown(actor, request, request.frameworkActive) ??
        (await this.workflow.actionsFor(actor, asRequest(request), answersOf([request])));
      const header = requestHeader(
        actor,
        request,
        listedOnly(definition, actions),
        request.overdue,
        request.dispatch ?? undefined,
      );
      // As `{ ...header, ...extras }`, without the copy: a field of both keeps the header's place.
      items.push(Object.assign(header, listExtras.build(request)) as V);
    }
    return { items, nextCursor: page.nextCursor };
  }

  /** A list page of a kind without `listExtras`, through `views`, with the facts its statement read. */
  private viewsOfListed<V>(actor: Actor, listed: ListedRequest[]): Promise<V[]> {
    const threads = new Map<string, DispatchThread[]>();
    for (const r of listed) if (r.dispatchId && r.dispatch) threads.set(r.dispatchId, r.dispatch);
    return this.views<V>(actor, listed.map(asRequest), undefined, answersOf(listed), threads);
  }
}

/** A kind's actions without its unlisted ones (the steps its view lists on a part of the request). */
function listedOnly(kind: RegisteredRequestKind, actions: string[]): string[] {
  const unlisted = kind.unlisted;
  return unlisted?.length ? actions.filter((a) => !unlisted.includes(a)) : actions;
}

/** The framework facts of listed requests, as `actionsFor` takes them. */
function answersOf(listed: readonly ListedRequest[]): FrameworkAnswers {
  return new Map(listed.map((r) => [frameworkKey(r), Promise.resolve(r.frameworkActive)]));
}

/** A listed request as the loaded request the kinds' `viewExtras` and guards take: its times as dates. */
function asRequest(listed: ListedRequest): CrossBorderRequest {
  const date = (iso: string | null) => (iso === null ? null : new Date(iso));
  const {
    frameworkActive: _active,
    dispatch: _dispatch,
    listed: _listed,
    overdueRank: _rank,
    listedAt: _listedAt,
    ...row
  } = listed;
  return {
    ...row,
    sentAt: date(listed.sentAt),
    dueAt: date(listed.dueAt),
    acceptedAt: date(listed.acceptedAt),
    fulfilledAt: date(listed.fulfilledAt),
    closedAt: date(listed.closedAt),
    createdAt: new Date(listed.createdAt),
    updatedAt: new Date(listed.updatedAt),
  };
}
