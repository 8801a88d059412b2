import { Injectable } from '@nestjs/common';
import type { Page } from '../common/pagination/page';
import type { Actor } from '../common/request-context';
import { Clock } from '../common/time/clock';
import { TransactionService } from '../database/transaction.service';
import type { CrossBorderRequest, RequestKind } from './cross-border-request.entity';
import type { RequestListQueryDto } from './dto/request-list-query.dto';
import { requestHeader } from './request-header';
import { RequestKindRegistry } from './request-kind-registry';
import { dispatchThreads, pageOfRequests } from './request-list.store';
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
  ) {}

  /** `extras`: the kind's own fields when the caller has them at hand (it just wrote them): not read again. */
  async view<V>(actor: Actor, request: CrossBorderRequest, extras?: object): Promise<V> {
    const [view] = await this.views<V>(actor, [request], extras && [extras]);
    return view!;
  }

  /** The views of requests of one kind, its extras read for all of them at once (unless given). */
  async views<V>(
    actor: Actor,
    requests: CrossBorderRequest[],
    known?: readonly object[],
    frameworks: FrameworkAnswers = new Map(),
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
    const dispatches = await dispatchThreads(this.tx.manager, requests);
    const now = this.clock.now();
    const unlisted = kind.unlisted ?? [];
    return requests.map(
      (r, i) =>
        ({
          ...requestHeader(
            actor,
            r,
            actions[i]!.filter((a) => !unlisted.includes(a)),
            now,
            r.dispatchId ? dispatches.get(r.dispatchId) : undefined,
          ),
          ...extras[i],
        }) as V,
    );
  }

  /** A page of the kind's list, filtered as asked (`pageOfRequests`). */
  async list<V>(actor: Actor, kind: RequestKind, query: RequestListQueryDto): Promise<Page<V>> {
    const page = await pageOfRequests(
      this.tx.manager,
      actor,
      kind,
      query,
      this.clock.now(),
      this.kinds.get(kind).listOrder,
    );
    return {
      items: await this.views<V>(actor, page.items, undefined, page.frameworks),
      nextCursor: page.nextCursor,
    };
  }
}
