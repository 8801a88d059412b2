import type { EntityManager } from 'typeorm';
import type { DomainError } from '../common/errors/domain-errors';
import type { Permission } from '../common/permissions/permissions';
import type { Actor, RequestContext } from '../common/request-context';
import type { NotificationEvent } from '../common/notification-events';
import type { OutgoingIdentifier } from '../sharing/identifier-keys';
import type { CrossBorderRequest, Priority, RequestKind } from './cross-border-request.entity';
import { BASE_TRANSITIONS, checkTransitionTable, Side, TransitionTable } from './request-lifecycle';
import type { ListedRequest } from './request-list.store';
import { GUARDS, Veto } from './transition-guards';

/** What a guard that loads facts gets: the request as loaded, the caller, and the step's transaction. */
export interface FactGuardInput {
  request: CrossBorderRequest;
  actor: Actor;
  manager: EntityManager;
}

/** A veto that answers with the kind's own error (its problem type and extensions) instead of a plain one. */
export interface KindVeto extends Veto {
  error?: DomainError;
}

/**
 * A named guard that loads what it needs (persons still pending, targets still open, entries still
 * undecided). The engine runs it both when it lists the caller's allowed actions and when the caller
 * acts, so a step the API lists is a step that succeeds.
 */
export type FactGuard = (input: FactGuardInput) => Promise<KindVeto | null>;

/**
 * Everything that makes a request kind what it is, in one place (Vendure's process definitions): its
 * reference prefix, transition table, answer times, who hears of which step, and the guards its table
 * names. Checked when registered, so a broken kind stops the application at start-up.
 */
export interface RequestKindDefinition {
  readonly kind: RequestKind;
  /** `INF` in `KR-KH-INF-2026-000042` (and in a RED request's `KR-KH-INF-2026-R7KQ4M2XP`). */
  readonly referencePrefix: string;
  readonly transitions: TransitionTable;
  /** Answer times that differ from the defaults (`due-time.ts`); a framework's own still win. */
  readonly dueHours?: Readonly<Partial<Record<Priority, number>>>;
  /**
   * What the due time asks of the target: `fulfilment` (the default: an answer, a freeze, a decision on
   * every entry), or `acceptance` only, where what follows runs on a plan of the kind's own (a
   * repatriation's flight, weeks ahead): once accepted such a request is due nothing, so neither side
   * reads it as overdue nor is warned of it.
   */
  readonly dueCovers?: 'fulfilment' | 'acceptance';
  /** Steps that tell the other side, beyond (or instead of) the shared ones (`SHARED_NOTIFICATIONS`). */
  readonly notifications?: Readonly<Record<string, readonly [NotificationEvent, NoticeSide]>>;
  /** The guards the table names beyond the engine's own (`transition-guards.ts`). */
  readonly guards?: Readonly<Record<string, FactGuard>>;
  /**
   * Engine actions a view does not list among the request's own: steps on a part of the request (an
   * asset freeze's targets) that the view lists on that part instead.
   */
  readonly unlisted?: readonly string[];
  /** `overdueFirst`: requests overdue for the caller's country come first in its list (then newest first). */
  readonly listOrder?: 'newest' | 'overdueFirst';
  /**
   * Shared steps after which a country reads less than before through the request (a repatriation
   * withdrawn or rejected no longer opens its arrests to the person's country, `repatriationUnderWay`):
   * their routes are `@ReducesVisibility()`, so that no standby serves a read until it has replayed the
   * step. A kind's own steps of that sort carry the decorator on its controller. Requests of the other
   * kinds are read by both sides in every state, a withdrawn or rejected one as well: their steps leave
   * the standbys alone.
   */
  readonly reducesVisibility?: readonly SharedStep[];
  /**
   * The permission that drafts the kind's requests, hence edits its drafts (`PATCH …/:id`):
   * `requests.create` unless the kind says otherwise. Read by the route and by the views, which list
   * `edit` among a draft's actions for those who hold it (`WorkflowService.actionsFor`).
   */
  readonly editPermission?: Permission;
  /**
   * A kind whose view shows persons by name (a repatriation's persons, a proposal's entries): reading it
   * is consulting personal data, audited as reading a person is (`GET /persons/:id`): `<action>.read`
   * naming the persons one view shows (`personsShown`), `<action>.list` with the filters, the cursor and
   * the requests shown, in the reader's country's trail only (`RequestViewsService.consult`). A step's
   * answer shows the same view; its own event records it.
   */
  readonly consultation?: { readonly action: string; personsShown(view: object): string[] };
}

/** Who edits a kind's drafts unless it says otherwise (`RequestKindDefinition.editPermission`). */
export const DRAFT_EDIT_PERMISSION: Permission = 'requests.create';

/**
 * The name a view lists among a draft's actions for those who may edit it (`PATCH …/:id`): not a step
 * of the table (the status stays), so no kind may name a step so.
 */
export const EDIT_ACTION = 'edit';

/** The life-cycle steps every kind has, each a route of `RequestStepRoutes`. */
export type SharedStep = keyof typeof BASE_TRANSITIONS;

/** What a kind adds at run time, from the services of its own module. */
export interface RequestKindHooks<X extends object = object> {
  /**
   * The kind's own fields of the view (`viewExtras`), for a page of requests at once; each item comes
   * with the engine actions its caller may take (unlisted ones included).
   */
  viewExtras(
    actor: Actor,
    items: ReadonlyArray<{ request: CrossBorderRequest; actions: readonly string[] }>,
  ): Promise<X[]>;
  /**
   * The same fields on a list page, without a query of their own: `sql`, one SQL expression over the
   * listed request `r` (its persons, say), is read with each row by the page's one statement as
   * `ListedRequest.listed`, and `build` makes of the row what `viewExtras` would. A kind without it
   * lists through `viewExtras`.
   */
  listExtras?: { sql: string; build(request: ListedRequest): X };
  /**
   * The kind's work at the end of any step, in the step's transaction after the request row changed
   * (freeing a withdrawn repatriation's persons, recording a release grant on accept).
   */
  onTransitionEnd?(
    ctx: RequestContext,
    step: { action: string; before: CrossBorderRequest; after: CrossBorderRequest },
  ): Promise<void>;
  /**
   * The kind's own fields of a draft edit (`PATCH …/:id`, beyond the shared subject and priority), for
   * one thread of the draft, in the edit's transaction once its row is locked and its version checked:
   * writes what the kind keeps beside the row (its links to persons, through the release rule) and
   * answers the row's new columns and the fields that changed. A kind without it edits the shared
   * fields only (its edit DTO takes no others).
   */
  editDraft?(
    ctx: RequestContext,
    draft: CrossBorderRequest,
    changes: Record<string, unknown>,
  ): Promise<DraftEdit>;
  /**
   * What a kind's edit checks and writes once for the whole draft, before `editDraft` runs for each of
   * its threads, in the edit's transaction once the threads are locked and the version checked: a new
   * person a proposal's edited entries write out in full is put on record once, whichever countries
   * the dispatch asks, as its create does. Answers the changes each thread's `editDraft` gets.
   */
  prepareDraftEdit?(
    ctx: RequestContext,
    draft: CrossBorderRequest,
    changes: Record<string, unknown>,
  ): Promise<Record<string, unknown>>;
  /**
   * Every number the kind's own parts of a draft carry to its target besides its subject, as its
   * create weighed and recorded them (from the row as it is or is about to be). With it, an edit forgets
   * the receipt of a number the draft no longer carries anywhere (a draft gave its target nothing yet).
   * A kind without it cannot tell whether a number taken out of the subject is still carried elsewhere:
   * such an edit is refused (400 on `subject`), and adding numbers is weighed as ever. A kind whose
   * parts live beside the row (an asset freeze's targets) reads them, in the edit's transaction, after
   * its `editDraft` wrote them.
   */
  draftNumbers?(
    draft: Pick<CrossBorderRequest, 'id' | 'payload'>,
  ): OutgoingIdentifier[] | Promise<OutgoingIdentifier[]>;
}

/** What a kind's `editDraft` changed on one thread of a draft. */
export interface DraftEdit {
  /** Columns of the request row it sets (its payload, its case); only those that change. */
  fields: Partial<Pick<CrossBorderRequest, 'payload' | 'caseId'>>;
  /** The changed fields as the edit body names them, before and after (the audit event's). */
  before: Record<string, unknown>;
  after: Record<string, unknown>;
  /**
   * The kind rewrote parts it keeps beside the row (an asset freeze's targets): the numbers the draft
   * carries are weighed again (`draftNumbers`), as when its payload changes.
   */
  partsChanged?: boolean;
  /**
   * The persons the edit put on the draft or took off it: the event names them (`details.personIds`),
   * so each one's own timeline shows the edit, as it shows a case's link or unlink.
   */
  personsLinkedOrUnlinked?: string[];
}

export interface RegisteredRequestKind extends RequestKindDefinition {
  readonly hooks: RequestKindHooks;
}

/**
 * Whom a step is news for: a fixed side, or `other`, the side the actor is not on (a step either side
 * may take, such as a repatriation's schedule).
 */
export type NoticeSide = Side | 'other';

/**
 * Which steps tell the other side, and which side that is, for every kind unless it says otherwise. The
 * target is told only of a request it was sent (the engine checks): a draft withdrawn is nobody's news.
 */
export const SHARED_NOTIFICATIONS: Readonly<Record<string, readonly [NotificationEvent, NoticeSide]>> = {
  approve: ['request.inbound', 'target'],
  accept: ['request.accepted', 'origin'],
  reject: ['request.rejected', 'origin'],
  fulfil: ['request.fulfilled', 'origin'],
  withdraw: ['request.withdrawn', 'target'],
};

/** The problems of a definition (empty when it is sound): its table, and every guard it names exists. */
export function checkRequestKind(definition: RequestKindDefinition): string[] {
  const problems = checkTransitionTable(definition.transitions);
  if (!/^[A-Z]{3}$/.test(definition.referencePrefix))
    problems.push(`reference prefix '${definition.referencePrefix}' is not three capital letters`);
  for (const [action, rule] of Object.entries(definition.transitions))
    for (const guard of rule.guards ?? [])
      if (!Object.hasOwn(GUARDS, guard) && !definition.guards?.[guard])
        problems.push(`${action}: unknown guard '${guard}'`);
  for (const action of Object.keys(definition.notifications ?? {}))
    if (!definition.transitions[action]) problems.push(`notifies on unknown action '${action}'`);
  if (definition.transitions[EDIT_ACTION])
    problems.push(`'${EDIT_ACTION}' names the edit of a draft (PATCH), not a step of the table`);
  for (const action of definition.reducesVisibility ?? [])
    if (!definition.transitions[action]) problems.push(`reduces visibility on unknown action '${action}'`);
  return problems;
}
