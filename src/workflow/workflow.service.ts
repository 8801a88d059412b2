import { Injectable } from '@nestjs/common';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { AccessService } from '../access/access.service';
import { requestScope } from '../access/scopes';
import { AuditService } from '../audit/audit.service';
import {
  ConflictError,
  DomainError,
  IllegalTransitionError,
  ValidationFailedError,
} from '../common/errors/domain-errors';
import { DomainEventBus } from '../common/events/domain-event-bus';
import { draftIdOf, numberSentRequest } from '../common/references';
import { Actor, actorOf, RequestContext } from '../common/request-context';
import { rolesGrant } from '../common/permissions/permissions';
import { Clock } from '../common/time/clock';
import { TransactionService } from '../database/transaction.service';
import { Framework } from '../reference-data/framework.entity';
import { ReferenceDataService } from '../reference-data/reference-data.service';
import type { OutgoingText } from '../sharing/identifier-keys';
import { ReleaseService } from '../sharing/release.service';
import { IdentifierReleaseService } from '../sharing/identifier-release.service';
import { CrossBorderRequest, RequestKind } from './cross-border-request.entity';
import { RequestHandedOff, RequestStepTaken } from './request-events';
import { HAND_OFFS } from './hand-offs';
import { dueAt } from './due-time';
import { commentReachesOtherSide, GuardName, RequestStatus, Side, TransitionRule } from './request-lifecycle';
import {
  DRAFT_EDIT_PERMISSION,
  EDIT_ACTION,
  KindVeto,
  RegisteredRequestKind,
  SHARED_NOTIFICATIONS,
} from './request-kind';
import { RequestKindRegistry } from './request-kind-registry';
import { GUARDS, type EngineGuard, type GuardedRequest } from './transition-guards';
import { frameworkKey, type FrameworkAnswers } from './framework-answers';

export type { FrameworkAnswers } from './framework-answers';
import type { AssignDto } from './dto/request-thread.dto';
import { versionAfter } from './sent-version';

/** The states in which the threads of a dispatch move together (the origin has not sent it yet). */
const DISPATCH_WIDE_STATES: readonly RequestStatus[] = ['draft', 'submitted'];

export interface TransitionInput {
  version: number;
  comment?: string;
  /**
   * The step's own work (checks on its body, rows of the kind, field changes), run inside the transaction
   * once the step is allowed and the version checked.
   */
  prepare?: (request: CrossBorderRequest) => Promise<Partial<CrossBorderRequest>>;
  /**
   * Free text the step writes for the other country besides its comment (a rejection's reason, a
   * plan's places and carrier, a handover's place): weighed by the release rule, with the comment when
   * the other side reads it (`commentReachesOtherSide`), before `prepare` runs.
   */
  texts?: OutgoingText;
}

class VetoError extends DomainError {
  readonly code = 'transition-vetoed';
  readonly title = 'Action refused';
  constructor(
    readonly status: number,
    reason: string,
  ) {
    super(reason);
  }
}

/**
 * The cross-border request engine shared by every kind: visibility, and transitions driven by each
 * kind's table (a draft is written by `RequestDraftsService`). A transition is one conditional UPDATE on status and version, so of two people
 * acting at once exactly one wins; its history row and audit event commit with it.
 */
@Injectable()
export class WorkflowService {
  constructor(
    private readonly kinds: RequestKindRegistry,
    private readonly tx: TransactionService,
    private readonly access: AccessService,
    private readonly audit: AuditService,
    private readonly referenceData: ReferenceDataService,
    private readonly events: DomainEventBus,
    private readonly clock: Clock,
    private readonly release: ReleaseService,
    private readonly identifierRelease: IdentifierReleaseService,
  ) {}

  private get repo() {
    return this.tx.manager.getRepository(CrossBorderRequest);
  }

  async findVisible(ctx: RequestContext, kind: RequestKind, id: string): Promise<CrossBorderRequest> {
    const scope = requestScope(actorOf(ctx));
    const found = await this.repo
      .createQueryBuilder('r')
      .where('r.id = :id AND r.kind = :kind', { id, kind })
      .andWhere(scope.sql, scope.params)
      .getOne();
    return found ?? this.access.notFound(ctx, { recordType: 'request', recordId: id }, 'The request');
  }

  sideOf(actor: Actor, request: Pick<CrossBorderRequest, 'originCountry' | 'targetCountry'>): Side | null {
    if (actor.countryCode === request.originCountry) return 'origin';
    if (actor.countryCode === request.targetCountry) return 'target';
    return null;
  }

  /**
   * The steps this caller could take now, so a client can draw its buttons: with the facts guards
   * load (whether the request's framework is still active, the kind's own: persons still pending,
   * entries undecided), so a step it lists is one that succeeds. Includes the kind's unlisted steps
   * (per-target steps), which a view shows on their target, and `edit` where the caller may edit the
   * draft (`draftActions`).
   */
  async actionsFor(
    actor: Actor,
    request: CrossBorderRequest,
    frameworks: FrameworkAnswers = new Map(),
  ): Promise<string[]> {
    const kind = this.kinds.get(request.kind);
    const facts = new LoadedFacts(this, request, frameworks);
    const allowed: string[] = [];
    for (const action of this.allowedActions(actor, request))
      if (!(await this.vetoOf(kind, kind.transitions[action]!, request, actor, facts))) allowed.push(action);
    return [...allowed, ...this.draftActions(actor, request)];
  }

  /**
   * `actionsFor` without awaiting anything, for a request whose framework answer is at hand (a list
   * page reads it with each row, `ListedRequest.frameworkActive`): the same steps through the same
   * guards. Null when one of those steps names a guard of the kind's own, which loads facts: then ask
   * `actionsFor`.
   */
  actionsKnown(actor: Actor, request: GuardedRequest, frameworkActive: boolean): string[] | null {
    const transitions = this.kinds.get(request.kind).transitions;
    const allowed: string[] = [];
    for (const action of this.allowedActions(actor, request)) {
      const guards = (transitions[action]!.guards ?? []).map((name) => GUARDS[name as GuardName]);
      // `vetoOf`'s lookup: a name that is not the engine's is the kind's.
      if (guards.some((guard) => !guard)) return null;
      // The engine's guards that need no facts passed in `allowedActions` (`syncVeto`).
      if (
        guards.every(
          (guard) => !guard.needsFramework?.(request) || !guard.check({ request, actor, frameworkActive }),
        )
      )
        allowed.push(action);
    }
    return [...allowed, ...this.draftActions(actor, request)];
  }

  /**
   * `edit` (`PATCH …/:id`, `RequestDraftEditsService`) when the caller may edit the request: a draft,
   * read by one of its origin's users who holds the kind's editing permission, the route's own. Not a
   * step of the table (the status stays, and no guard applies): listed after the steps, so that a
   * client draws its button by the same list, and a request past draft never lists it.
   */
  private draftActions(actor: Actor, request: GuardedRequest): string[] {
    const permission = this.kinds.get(request.kind).editPermission ?? DRAFT_EDIT_PERMISSION;
    return request.status === 'draft' &&
      this.sideOf(actor, request) === 'origin' &&
      rolesGrant(actor.roles, permission)
      ? [EDIT_ACTION]
      : [];
  }

  /** `actionsFor` without the kind's unlisted steps: the request's own buttons. */
  async listedActionsFor(actor: Actor, request: CrossBorderRequest): Promise<string[]> {
    const unlisted = this.kinds.get(request.kind).unlisted ?? [];
    return (await this.actionsFor(actor, request)).filter((a) => !unlisted.includes(a));
  }

  /**
   * The steps whose state, side and role fit, and whose guards that need no facts pass (see
   * `actionsFor`, which also asks the guards that load facts).
   */
  allowedActions(actor: Actor, request: GuardedRequest): string[] {
    const side = this.sideOf(actor, request);
    const allowed: string[] = [];
    for (const [action, rule] of Object.entries(this.kinds.get(request.kind).transitions))
      if (
        rule.from.includes(request.status) &&
        this.permits(rule, side, actor) &&
        !this.syncVeto(rule, request, actor)
      )
        allowed.push(action);
    return allowed;
  }

  /** Whether the framework the request relies on is active for both its countries today. */
  async frameworkActive(request: CrossBorderRequest): Promise<boolean> {
    return (
      (await this.referenceData.sharedActiveFramework(
        request.frameworkId,
        request.originCountry,
        request.targetCountry,
        this.clock.today(),
      )) !== null
    );
  }

  /**
   * One step: the state, side and role must fit and the guards pass; then the request row is locked and
   * the caller's version checked, and only then does the step's own work run (`input.prepare`), the row
   * change, its history, audit event and the kind's `onTransitionEnd`, all in one transaction.
   */
  transition(
    ctx: RequestContext,
    kind: RequestKind,
    id: string,
    action: string,
    input: TransitionInput,
  ): Promise<CrossBorderRequest> {
    return this.tx.run(async () => {
      const { before, after } = await this.stepOne(ctx, kind, id, action, input);
      // A request to several countries is one request at the origin until it is sent: the same step
      // moves every thread still beside this one, each with its own reference, due time and events.
      // A guard refusing any one of them refuses the whole step.
      if (after.dispatchId && DISPATCH_WIDE_STATES.includes(before.status)) {
        const siblings: Array<{ id: string; version: number }> = await this.tx.manager.query(
          `SELECT id, version FROM cross_border_request
            WHERE dispatch_id = $1 AND id <> $2 AND status = $3 ORDER BY id`,
          [after.dispatchId, id, before.status],
        );
        for (const sibling of siblings)
          await this.stepOne(ctx, kind, sibling.id, action, { ...input, version: sibling.version });
      }
      const handOff = HAND_OFFS[action]?.(before, after);
      if (handOff) await this.events.publish(new RequestHandedOff(after, handOff));
      return after;
    });
  }

  private stepOne(
    ctx: RequestContext,
    kind: RequestKind,
    id: string,
    action: string,
    input: TransitionInput,
  ): Promise<{ before: CrossBorderRequest; after: CrossBorderRequest }> {
    const actor = actorOf(ctx);
    const definition = this.kinds.get(kind);
    return this.tx.run(async () => {
      const request = await this.findVisible(ctx, kind, id);
      const rule = definition.transitions[action];
      if (!rule || !rule.from.includes(request.status)) {
        throw new IllegalTransitionError(action, request.status, await this.listedActionsFor(actor, request));
      }
      if (!this.permits(rule, this.sideOf(actor, request), actor)) {
        await this.access.forbidden(
          ctx,
          { recordType: 'request', recordId: id, ownerCountry: request.originCountry },
          `Only a ${rule.roles.join(' or ')} of ${rule.side === 'either' ? 'either' : `the ${rule.side}`} country may ${action} this request.`,
        );
      }
      const veto = await this.vetoOf(
        definition,
        rule,
        request,
        actor,
        new LoadedFacts(this, request, new Map()),
      );
      if (veto?.status === 403) {
        await this.access.forbidden(
          ctx,
          { recordType: 'request', recordId: id, ownerCountry: request.originCountry },
          veto.reason,
        );
      }
      if (veto) throw veto.error ?? new VetoError(veto.status, veto.reason);

      const conflict = () =>
        new ConflictError(
          `The request changed since version ${input.version} (someone acted first); reload and try again.`,
        );
      // The version first: of two people acting at once the second waits here, then finds the version
      // moved on, before any of its step's work is done.
      const [locked]: Array<{ version: number; status: string }> = await this.tx.manager.query(
        `SELECT version, status FROM cross_border_request WHERE id = $1 FOR UPDATE`,
        [id],
      );
      if (locked?.version !== input.version || locked.status !== request.status) throw conflict();

      // What the step writes for the other country passes the release rule before anything is written.
      const side = this.sideOf(actor, request)!;
      await this.identifierRelease.releaseRequestText(
        ctx,
        request,
        [
          ...(input.texts ?? []),
          ...(commentReachesOtherSide(action, side) ? [['comment', input.comment] as const] : []),
        ],
        side,
      );
      const extra = input.prepare ? await input.prepare(request) : {};
      const changes = {
        ...(await this.standardEffects(definition, action, request, actor)),
        ...extra,
        ...(rule.to ? { status: rule.to } : {}),
      };
      // Leaving the country: the request gets its reference now, numbered per origin–target pair, kind
      // and year, on the same condition as the UPDATE below (a sent request always has one). The
      // counter row stays locked for the rest of this short transaction only. A RED request draws no
      // number (a random suffix instead): its target's other officers would count it by the gap.
      let reference = request.reference;
      if (action === 'approve') {
        reference = await numberSentRequest(
          this.tx.manager,
          request,
          input.version,
          definition.referencePrefix,
          this.clock.now().getUTCFullYear(),
        );
        if (!reference) throw conflict();
      }
      const version = versionAfter(action, request.version);
      const result = await this.repo
        .createQueryBuilder()
        .update(CrossBorderRequest)
        .set({ ...(changes as QueryDeepPartialEntity<CrossBorderRequest>), version: () => String(version) })
        .where('id = :id AND status = :status AND version = :version', {
          id,
          status: request.status,
          version: input.version,
        })
        .execute();
      if (result.affected !== 1) throw conflict();
      const to = rule.to ?? request.status;
      await this.writeHistory(actor, id, action, request.status, to, input.comment ?? null);
      await this.audit.record(ctx, {
        action: `request.${action}`,
        recordType: 'request',
        recordId: id,
        ownerCountry: request.originCountry,
        counterpartCountry: request.targetCountry,
        before: { status: request.status, version: request.version },
        after: {
          status: to,
          version,
          ...this.auditable(changes),
          ...(reference !== request.reference ? { reference } : {}),
        },
        details: { kind, reference, draftId: draftIdOf(id), comment: input.comment ?? null },
      });
      const updated = await this.repo.findOneByOrFail({ id });
      if (action === 'approve') await this.release.requestSent(ctx, updated);
      await definition.hooks.onTransitionEnd?.(ctx, { action, before: request, after: updated });
      const notify = { ...SHARED_NOTIFICATIONS, ...definition.notifications }[action];
      const toSide = notify?.[1] === 'other' ? (side === 'origin' ? 'target' : 'origin') : notify?.[1];
      // The target sees a request only from `sent` on: it is never told of one it was not sent.
      const notice =
        notify && toSide && (toSide === 'origin' || updated.sentAt !== null)
          ? { event: notify[0], side: toSide }
          : null;
      // Awaited here, inside the step's transaction: whatever a subscriber writes (the notification
      // row) commits or rolls back with the step, and a subscriber that fails fails the step.
      await this.events.publish(new RequestStepTaken(updated, action, notice));
      return { before: request, after: updated };
    });
  }

  /** `assign`: the target liaison hands the request to an active officer of the target country. */
  assignOfficer(
    ctx: RequestContext,
    kind: RequestKind,
    id: string,
    dto: AssignDto,
  ): Promise<CrossBorderRequest> {
    return this.transition(ctx, kind, id, 'assign', {
      ...dto,
      prepare: async (current) => {
        const [officer] = await this.tx.manager.query(
          `SELECT 1 FROM app_user WHERE id = $1 AND country_code = $2 AND status = 'active' AND 'officer' = ANY(roles)`,
          [dto.assigneeId, current.targetCountry],
        );
        if (!officer) {
          throw new ValidationFailedError([
            { field: 'assigneeId', message: 'assigneeId must be an active officer of your country' },
          ]);
        }
        return { assignedTo: dto.assigneeId };
      },
    });
  }

  private permits(rule: TransitionRule, side: Side | null, actor: Actor): boolean {
    const sideAllowed = rule.side === 'either' ? side !== null : side === rule.side;
    return sideAllowed && rule.roles.some((r) => actor.roles.includes(r));
  }

  /** The first veto of the engine's guards that need no facts (none on the framework, for this request). */
  private syncVeto(rule: TransitionRule, request: GuardedRequest, actor: Actor): KindVeto | null {
    for (const name of rule.guards ?? []) {
      const guard = GUARDS[name as GuardName] as EngineGuard | undefined;
      const veto = guard && !guard.needsFramework?.(request) ? guard.check({ request, actor }) : null;
      if (veto) return veto;
    }
    return null;
  }

  /** The first veto of a rule's guards, in their order, each loading the facts it needs. */
  private async vetoOf(
    kind: RegisteredRequestKind,
    rule: TransitionRule,
    request: CrossBorderRequest,
    actor: Actor,
    facts: LoadedFacts,
  ): Promise<KindVeto | null> {
    for (const name of rule.guards ?? []) {
      const guard = GUARDS[name as GuardName] as EngineGuard | undefined;
      const veto = guard
        ? guard.check({
            request,
            actor,
            frameworkActive: guard.needsFramework?.(request) ? await facts.frameworkActive() : undefined,
          })
        : await kind.guards![name]!({ request, actor, manager: this.tx.manager });
      if (veto) return veto;
    }
    return null;
  }

  private async standardEffects(
    kind: RegisteredRequestKind,
    action: string,
    request: CrossBorderRequest,
    actor: Actor,
  ): Promise<Partial<CrossBorderRequest>> {
    const now = this.clock.now();
    switch (action) {
      case 'submit':
        return { submittedBy: actor.userId };
      case 'approve': {
        const framework = await this.tx.manager
          .getRepository(Framework)
          .findOneBy({ id: request.frameworkId });
        return {
          approvedBy: actor.userId,
          sentAt: now,
          dueAt: dueAt(now, request.priority, kind.dueHours, framework?.dueHours),
        };
      }
      case 'return':
        return { submittedBy: null };
      case 'accept':
        return { acceptedAt: now, ...(kind.dueCovers === 'acceptance' ? { dueAt: null } : {}) };
      case 'fulfil':
        return { fulfilledAt: now };
      case 'close':
        return { closedAt: now };
      default:
        return {};
    }
  }

  private auditable(changes: Partial<CrossBorderRequest>): Record<string, unknown> {
    const { outcome, ...rest } = changes;
    return outcome ? { ...rest, outcome: '[recorded]' } : rest;
  }

  private async writeHistory(
    actor: Actor,
    requestId: string,
    action: string,
    from: string | null,
    to: string,
    comment: string | null,
  ): Promise<void> {
    await this.tx.manager.query(
      `INSERT INTO request_status_history (request_id, action, from_status, to_status, actor_user_id, actor_username, actor_country, comment)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [requestId, action, from, to, actor.userId, actor.username, actor.countryCode, comment],
    );
  }
}

/** Facts the engine's guards load, each at most once per request and step. */
class LoadedFacts {
  constructor(
    private readonly workflow: WorkflowService,
    private readonly request: CrossBorderRequest,
    private readonly frameworks: FrameworkAnswers,
  ) {}

  frameworkActive(): Promise<boolean> {
    const key = frameworkKey(this.request);
    let answer = this.frameworks.get(key);
    if (!answer) this.frameworks.set(key, (answer = this.workflow.frameworkActive(this.request)));
    return answer;
  }
}
