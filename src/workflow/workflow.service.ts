import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { AccessService } from '../access/access.service';
import { requestScope } from '../access/scopes';
import { auditEventInsert } from '../audit/audit-event.writer';
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
import { Clock } from '../common/time/clock';
import { JoinedWrite, queryPrepared, ReadPart, readTogether, SqlParams } from '../database/sql-parts';
import { TransactionService } from '../database/transaction.service';
import { Framework } from '../reference-data/framework.entity';
import { ReferenceDataService } from '../reference-data/reference-data.service';
import type { HandlingCode } from '../sharing/handling-code';
import { numbersIn, type OutgoingText } from '../sharing/identifier-keys';
import { ReleaseService } from '../sharing/release.service';
import { IdentifierReleaseService } from '../sharing/identifier-release.service';
import { CrossBorderRequest, Priority, RequestKind } from './cross-border-request.entity';
import { RequestStepTaken } from './request-events';
import { dueAt } from './due-time';
import { commentReachesOtherSide, GuardName, RequestStatus, Side, TransitionRule } from './request-lifecycle';
import { KindVeto, RegisteredRequestKind, SHARED_NOTIFICATIONS } from './request-kind';
import { RequestKindRegistry } from './request-kind-registry';
import { GUARDS, type GuardedRequest } from './transition-guards';
import { frameworkKey, type FrameworkAnswers } from './framework-answers';

export type { FrameworkAnswers } from './framework-answers';
import type { Dispatch } from './dto/dispatch.dto';
import type { AssignDto } from './dto/request-thread.dto';
import { versionAfter } from './sent-version';

export interface NewRequest {
  kind: RequestKind;
  frameworkId: string;
  targetCountry: string;
  caseId?: string | null;
  priority: Priority;
  handlingCode: HandlingCode;
  subject: string;
  payload: Record<string, unknown>;
  /** One thread of a request to several countries (`CrossBorderRequest.dispatchId`). */
  dispatch?: Dispatch;
  /** Chosen by the caller when it must name the request before writing it (the provenance of what it carries). */
  id?: string;
}

/** A draft's shared fields as its kind's create DTO states them (`RequestDraftDto` and maybe a case). */
export function newRequest(
  kind: RequestKind,
  dto: Pick<NewRequest, 'frameworkId' | 'targetCountry' | 'priority' | 'handlingCode' | 'subject'> & {
    caseId?: string | null;
  },
  payload: Record<string, unknown>,
): NewRequest {
  const { frameworkId, targetCountry, priority, handlingCode, subject } = dto;
  return {
    kind,
    frameworkId,
    targetCountry,
    caseId: dto.caseId ?? null,
    priority,
    handlingCode,
    subject,
    payload,
  };
}

/**
 * What a draft's write waits on (`createDraftUnless`): facts read in the same statement (an SQL
 * expression, its parameters added to the statement's, and how to read its value), and an SQL
 * condition on them (`column` names their value) that holds when they come to nothing.
 */
export interface DraftCondition<T> {
  facts(params: SqlParams): ReadPart<T>;
  nothing(column: string): string;
}

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
 * The cross-border request engine shared by every kind: creation, visibility, and transitions driven by
 * each kind's table. A transition is one conditional UPDATE on status and version, so of two people
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

  /**
   * Creates a draft: the request row, its first history line and its creation audit event, with the
   * kind's own rows (`joined`: the provenance of what it carries), in ONE statement. One statement is
   * one transaction even when no BEGIN was sent, so a command that writes only this needs none; inside
   * a running transaction it joins it. A draft has no reference (it is given at `approve`, see
   * `numberSentRequest`), so a create takes no lock any other create of the country waits on; users
   * name it by its draft id (`draftIdOf`).
   *
   * `subjectWeighed`: the caller already put the subject's numbers through the release rule with the
   * rest of what the draft carries, read in its own statement (`joined` holds their provenance), so the
   * subject is not read and recorded a second time (`subjectReleased`).
   */
  async createDraft(
    ctx: RequestContext,
    input: NewRequest,
    joined: readonly JoinedWrite[] = [],
    { subjectWeighed = false }: { subjectWeighed?: boolean } = {},
  ): Promise<CrossBorderRequest> {
    const written = await this.writeDraft(ctx, input, joined, subjectWeighed);
    if ('known' in written) throw new Error('createDraft: a draft written with no condition was not written');
    return written.created;
  }

  /**
   * `createDraft` for a caller whose rule needs facts read before the draft may be written, when those
   * facts nearly always come to nothing (no number it carries was ever received: it is its writer's
   * own). One statement reads the facts (`condition.facts`) and the framework's check, and writes the
   * draft with `joined` (what the caller would write were the facts to come to nothing) only if the
   * framework is in force and `condition.nothing` holds of them; else it writes nothing and the facts
   * come back (`known`), for the caller to apply its rule and write with `createDraft`, as it would have
   * after a read of its own. The framework's refusal comes first, as that read would have made it.
   */
  async createDraftUnless<T>(
    ctx: RequestContext,
    input: NewRequest,
    joined: readonly JoinedWrite[],
    condition: DraftCondition<T>,
  ): Promise<{ created: CrossBorderRequest } | { known: T }> {
    return this.writeDraft(ctx, input, joined, true, condition);
  }

  private async writeDraft<T>(
    ctx: RequestContext,
    input: NewRequest,
    joined: readonly JoinedWrite[],
    subjectWeighed: boolean,
    condition?: DraftCondition<T>,
  ): Promise<{ created: CrossBorderRequest } | { known: T }> {
    const actor = actorOf(ctx);
    const origin = actor.countryCode!;
    this.kinds.get(input.kind); // only a registered kind
    this.requireOtherCountry(origin, input.targetCountry);
    const id = input.id ?? randomUUID();
    const provenance = subjectWeighed
      ? joined
      : [...joined, ...(await this.subjectReleased(ctx, { ...input, id }))];
    const params = new SqlParams();
    const p = (value: unknown) => params.add(value);
    const [kind, me, target, framework, user] = [
      p(input.kind),
      p(origin),
      p(input.targetCountry),
      p(input.frameworkId),
      p(actor.userId),
    ];
    const inForce = frameworkJoinsSql(framework, me, target, p(this.today()));
    // With a condition, its facts and the framework's check are read once, before anything is written.
    const facts = condition && condition.facts(params);
    const request = `INSERT INTO cross_border_request (id, kind, reference, origin_country, target_country, framework_id, case_id,
                                           priority, handling_code, status, subject, payload, created_by, version,
                                           dispatch_id, recipients_visible)
         SELECT ${p(id)}::uuid, ${kind}, NULL, ${me}, ${target}, ${framework}, ${p(input.caseId ?? null)}::uuid,
                ${p(input.priority)}, ${p(input.handlingCode)}, 'draft', ${p(input.subject)}, ${p(input.payload)}::jsonb,
                ${user}, 1, ${p(input.dispatch?.id ?? null)}::uuid, ${p(input.dispatch?.recipientsVisible ?? false)}::boolean
          ${condition ? `FROM checked WHERE checked.in_force AND ${condition.nothing('checked.facts')}` : `WHERE ${inForce}`}
         RETURNING id, created_at, updated_at`;
    const history = `INSERT INTO request_status_history (request_id, action, from_status, to_status, actor_user_id, actor_username, actor_country)
         SELECT id, 'create', NULL, 'draft', ${user}, ${p(actor.username)}, ${me} FROM request`;
    const audit = auditEventInsert(
      params,
      ctx,
      {
        action: `request.create`,
        recordType: 'request',
        recordId: id,
        ownerCountry: origin,
        counterpartCountry: input.targetCountry,
        after: {
          kind: input.kind,
          draftId: draftIdOf(id),
          priority: input.priority,
          handlingCode: input.handlingCode,
          subject: input.subject,
        },
      },
      'request',
    );
    const writes = [history, audit, ...provenance.map((write) => write(params, 'request'))];
    const rows = await queryPrepared<{
      id: string | null;
      created_at: Date;
      updated_at: Date;
      in_force?: boolean;
      facts?: unknown;
    }>(
      this.tx.manager,
      facts
        ? `WITH checked AS MATERIALIZED (SELECT ${facts.sql} AS facts, ${inForce} AS in_force),
           request AS (${request}),
           ${writes.map((sql, i) => `write_${i} AS (${sql})`).join(',\n           ')}
           SELECT r.id, r.created_at, r.updated_at, c.in_force, CASE WHEN r.id IS NULL THEN c.facts END AS facts
             FROM checked c LEFT JOIN request r ON true`
        : `WITH request AS (${request}),
       ${writes.map((sql, i) => `write_${i} AS (${sql})`).join(',\n       ')}
       SELECT id, created_at, updated_at FROM request`,
      params.values,
    );
    const [created] = rows;
    if (!created?.id) {
      if (facts && created!.in_force) return { known: facts.read(created!.facts) };
      throw this.frameworkNotInForce(origin, input.targetCountry);
    }
    const { dispatch, ...fields } = input;
    // A plain object, not an entity: nothing here needs TypeORM's, and the view reads fields only.
    const draft: CrossBorderRequest = {
      ...fields,
      id,
      dispatchId: dispatch?.id ?? null,
      recipientsVisible: dispatch?.recipientsVisible ?? false,
      caseId: input.caseId ?? null,
      reference: null,
      originCountry: origin,
      status: 'draft',
      outcome: null,
      createdBy: actor.userId,
      submittedBy: null,
      approvedBy: null,
      assignedTo: null,
      sentAt: null,
      dueAt: null,
      acceptedAt: null,
      fulfilledAt: null,
      closedAt: null,
      createdAt: created.created_at,
      updatedAt: created.updated_at,
      version: 1,
    };
    return { created: draft };
  }

  /**
   * Every kind's subject goes to the target with the draft: a number written into it is weighed as that
   * number, read before the draft is written (the framework's check first, as the write would make it),
   * its provenance written with the draft (none when nothing in it is a number).
   */
  private async subjectReleased(
    ctx: RequestContext,
    input: NewRequest & { id: string },
  ): Promise<JoinedWrite[]> {
    const numbers = numbersIn(input.subject, 'subject');
    if (!numbers.length) return [];
    const channel = { ...input, originCountry: actorOf(ctx).countryCode! };
    const params = new SqlParams();
    const facts = this.identifierRelease.requestIdentifierFacts(params, ctx, channel, numbers, 'origin')!;
    const [, known] = await readTogether(this.tx.manager, params, [
      this.draftChecks(params, ctx, input),
      facts,
    ]);
    const write = await this.identifierRelease.requestIdentifiersReleased(
      ctx,
      channel,
      numbers,
      'origin',
      known,
    );
    return write ? [write] : [];
  }

  /**
   * `createDraft`'s checks of the request itself, as a part of the caller's read (`readTogether`), for
   * a kind that weighs what the draft carries before writing it: the target is another country (now)
   * and the framework is in force for both (when read, before any later part is looked at). The write
   * checks the framework again.
   */
  private draftChecks(params: SqlParams, ctx: RequestContext, input: NewRequest): ReadPart<void> {
    const origin = actorOf(ctx).countryCode!;
    this.requireOtherCountry(origin, input.targetCountry);
    const sql = frameworkJoinsSql(
      params.add(input.frameworkId),
      params.add(origin),
      params.add(input.targetCountry),
      params.add(this.today()),
    );
    return {
      sql,
      read: (inForce) => {
        if (inForce !== true) throw this.frameworkNotInForce(origin, input.targetCountry);
      },
    };
  }

  private requireOtherCountry(origin: string, target: string): void {
    if (target === origin)
      throw new ValidationFailedError([
        { field: 'targetCountry', message: 'targetCountry must be another country' },
      ]);
  }

  private frameworkNotInForce(origin: string, target: string): ValidationFailedError {
    return new ValidationFailedError([
      {
        field: 'frameworkId',
        message: `frameworkId must be a framework in force that ${origin} and ${target} belong to today`,
      },
    ]);
  }

  private today(): string {
    return this.clock.now().toISOString().slice(0, 10);
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
   * (per-target steps), which a view shows on their target.
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
    return allowed;
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
      const guards = transitions[action]!.guards ?? [];
      // `vetoOf`'s lookup: a name that is not the engine's is the kind's.
      if (guards.some((guard) => !GUARDS[guard as GuardName])) return null;
      // The engine's other guards need no facts and passed in `allowedActions` (`syncVeto`).
      if (frameworkActive || !guards.includes('frameworkActive')) allowed.push(action);
    }
    return allowed;
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
        this.clock.now().toISOString().slice(0, 10),
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
      // Awaited here, inside the step's transaction: whatever a subscriber writes (the notification
      // row) commits or rolls back with the step, and a subscriber that fails fails the step.
      await this.events.publish(
        new RequestStepTaken(updated, action, notify ? { event: notify[0], side: notify[1] } : null),
      );
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

  /** The first veto of the engine's guards that need no facts (all but `frameworkActive`). */
  private syncVeto(rule: TransitionRule, request: GuardedRequest, actor: Actor): KindVeto | null {
    for (const guard of rule.guards ?? []) {
      const check = GUARDS[guard as GuardName] as (typeof GUARDS)[GuardName] | undefined;
      const veto = check && guard !== 'frameworkActive' ? check({ request, actor }) : null;
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
    for (const guard of rule.guards ?? []) {
      const check = GUARDS[guard as GuardName] as (typeof GUARDS)[GuardName] | undefined;
      const veto = check
        ? check({
            request,
            actor,
            frameworkActive: guard === 'frameworkActive' ? await facts.frameworkActive() : undefined,
          })
        : await kind.guards![guard]!({ request, actor, manager: this.tx.manager });
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
        return { acceptedAt: now };
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

/** SQL (a boolean): framework `framework` is in force on `day` with both countries among its members (placeholders). */
function frameworkJoinsSql(framework: string, a: string, b: string, day: string): string {
  return `framework_joins_on(${framework}::uuid, ${a}, ${b}, ${day}::date)`;
}
