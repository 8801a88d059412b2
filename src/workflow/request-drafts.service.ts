import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { auditEventInsert } from '../audit/audit-event.writer';
import { ValidationFailedError } from '../common/errors/domain-errors';
import { draftIdOf } from '../common/references';
import { actorOf, RequestContext } from '../common/request-context';
import { Clock } from '../common/time/clock';
import { JoinedWrite, queryPrepared, ReadPart, readTogether, SqlParams } from '../database/sql-parts';
import { TransactionService } from '../database/transaction.service';
import type { HandlingCode } from '../sharing/handling-code';
import { numbersIn } from '../sharing/identifier-keys';
import { IdentifierReleaseService } from '../sharing/identifier-release.service';
import type { CrossBorderRequest, Priority, RequestKind } from './cross-border-request.entity';
import type { Dispatch } from './dto/dispatch.dto';
import { RequestKindRegistry } from './request-kind-registry';

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

/**
 * A new request of any kind, as a draft of the caller's country: written with its first history line,
 * its creation audit event and what its kind writes beside it, in one statement. What happens to it
 * next is the engine's (`WorkflowService`).
 */
@Injectable()
export class RequestDraftsService {
  constructor(
    private readonly kinds: RequestKindRegistry,
    private readonly tx: TransactionService,
    private readonly clock: Clock,
    private readonly identifierRelease: IdentifierReleaseService,
  ) {}

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
    const inForce = frameworkJoinsSql(framework, me, target, p(this.clock.today()));
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
      editedBy: [],
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
      params.add(this.clock.today()),
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
}

/** SQL (a boolean): framework `framework` is in force on `day` with both countries among its members (placeholders). */
function frameworkJoinsSql(framework: string, a: string, b: string, day: string): string {
  return `framework_joins_on(${framework}::uuid, ${a}, ${b}, ${day}::date)`;
}
