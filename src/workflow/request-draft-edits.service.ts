import { Injectable } from '@nestjs/common';
import { In } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { AccessService } from '../access/access.service';
import { AuditService } from '../audit/audit.service';
import { ConflictError, IllegalTransitionError, ValidationFailedError } from '../common/errors/domain-errors';
import { draftIdOf } from '../common/references';
import { actorOf, RequestContext } from '../common/request-context';
import { TransactionService } from '../database/transaction.service';
import { numbersIn } from '../sharing/identifier-keys';
import { IdentifierReleaseService } from '../sharing/identifier-release.service';
import { CrossBorderRequest, RequestKind } from './cross-border-request.entity';
import type { EditRequestDraftDto } from './dto/request-draft-edit.dto';
import type { RegisteredRequestKind } from './request-kind';
import { RequestKindRegistry } from './request-kind-registry';
import { WorkflowService } from './workflow.service';

/** The fields of the shared header an edit may change (`EditRequestDraftDto`). */
const HEADER_FIELDS = ['subject', 'priority'] as const;

/**
 * Edits a request while it is a draft (`PATCH /<kind>/:id`), a returned one included: the shared
 * subject and priority for every kind, and what a kind's `editDraft` takes of its own. Only the origin
 * reads a draft, so only its officers edit one (as they draft it); the target is told nothing, and what
 * the draft carries is weighed by the release rule as it would be on its creation (the draft goes as it
 * stands). Each edit is one transaction: the row (version + 1, its editor remembered for the four-eyes
 * rule of `approve`), its history line and its audit event.
 */
@Injectable()
export class RequestDraftEditsService {
  constructor(
    private readonly kinds: RequestKindRegistry,
    private readonly tx: TransactionService,
    private readonly workflow: WorkflowService,
    private readonly access: AccessService,
    private readonly audit: AuditService,
    private readonly identifierRelease: IdentifierReleaseService,
  ) {}

  private get repo() {
    return this.tx.manager.getRepository(CrossBorderRequest);
  }

  /**
   * The edit of the draft `id` of `kind`, as the caller's `dto` asks (fields left out stay as they are).
   * A request of another country answers 404 as an unknown id does; one past `draft`, 409 as a step
   * its state does not allow; a stale version, 409. A request to several countries is one draft at the
   * origin until it is sent (`submit`, `return` and `withdraw` move every thread): the edit changes
   * every thread of its dispatch, each weighed for its own country, and one refusal refuses all.
   */
  edit(
    ctx: RequestContext,
    kind: RequestKind,
    id: string,
    dto: EditRequestDraftDto,
  ): Promise<CrossBorderRequest> {
    const definition = this.kinds.get(kind);
    const { version, ...asked } = dto as EditRequestDraftDto & Record<string, unknown>;
    const fields = Object.keys(asked).filter((field) => asked[field] !== undefined);
    if (!fields.length)
      throw new ValidationFailedError(
        [{ field: 'body', message: 'name at least one field of the draft to change besides version' }],
        'Nothing to change.',
      );
    const own = Object.fromEntries(
      fields
        .filter((field) => !(HEADER_FIELDS as readonly string[]).includes(field))
        .map((f) => [f, asked[f]]),
    );
    // The kind's edit DTO takes only what its hook edits; a field beyond it never reaches here.
    if (Object.keys(own).length && !definition.hooks.editDraft)
      throw new Error(`Request kind '${kind}' edits no fields of its own (${Object.keys(own).join(', ')})`);
    const actor = actorOf(ctx);
    return this.tx.run(async () => {
      const request = await this.workflow.findVisible(ctx, kind, id);
      if (request.status !== 'draft')
        throw new IllegalTransitionError(
          'edit',
          request.status,
          await this.workflow.listedActionsFor(actor, request),
        );
      // Only the origin reads a draft; said here too, so the rule does not rest on the scope alone.
      if (request.originCountry !== actor.countryCode)
        await this.access.forbidden(
          ctx,
          { recordType: 'request', recordId: id, ownerCountry: request.originCountry },
          'Only the origin country edits its draft.',
        );
      const ids = request.dispatchId ? await this.dispatchDrafts(request.dispatchId) : [id];
      // Every thread locked in one order (two edits of one dispatch never wait on each other), then read
      // again: of two people editing at once, the second finds the version moved on.
      await this.tx.manager.query(
        `SELECT 1 FROM cross_border_request WHERE id = ANY($1::uuid[]) ORDER BY id FOR UPDATE`,
        [ids],
      );
      const threads = await this.repo.findBy({ id: In(ids), status: 'draft' });
      const named = threads.find((t) => t.id === id);
      if (!named || named.version !== version)
        throw new ConflictError(
          `The request changed since version ${version} (someone acted first); reload and try again.`,
        );
      const prepared =
        Object.keys(own).length && definition.hooks.prepareDraftEdit
          ? await definition.hooks.prepareDraftEdit(ctx, named, own)
          : own;
      for (const thread of [named, ...threads.filter((t) => t.id !== id).sort(byId)])
        await this.editThread(ctx, definition, thread, asked, prepared);
      return this.repo.findOneByOrFail({ id });
    });
  }

  /** The threads of a dispatch still drafts (all of them: they move together until sent). */
  private async dispatchDrafts(dispatchId: string): Promise<string[]> {
    const rows: Array<{ id: string }> = await this.tx.manager.query(
      `SELECT id FROM cross_border_request WHERE dispatch_id = $1 AND status = 'draft' ORDER BY id`,
      [dispatchId],
    );
    return rows.map((r) => r.id);
  }

  /** One thread: the kind's own fields, the header's, the numbers it now carries, the row, its history and audit. */
  private async editThread(
    ctx: RequestContext,
    definition: RegisteredRequestKind,
    draft: CrossBorderRequest,
    asked: Partial<Record<string, unknown>>,
    own: Record<string, unknown>,
  ): Promise<void> {
    const actor = actorOf(ctx);
    const before: Record<string, unknown> = {};
    const after: Record<string, unknown> = {};
    const header: Partial<Pick<CrossBorderRequest, (typeof HEADER_FIELDS)[number]>> = {};
    for (const field of HEADER_FIELDS) {
      const value = asked[field];
      if (value !== undefined && value !== draft[field]) {
        Object.assign(header, { [field]: value });
        before[field] = draft[field];
        after[field] = value;
      }
    }
    const kindEdit = Object.keys(own).length ? await definition.hooks.editDraft!(ctx, draft, own) : null;
    Object.assign(before, kindEdit?.before);
    Object.assign(after, kindEdit?.after);
    const changed = Object.keys(after);
    // A save of what the draft already says changes nothing: no new version, nothing to audit.
    if (!changed.length) return;
    const edited = { ...draft, ...header, ...kindEdit?.fields };
    if (header.subject !== undefined || kindEdit?.fields.payload !== undefined || kindEdit?.partsChanged)
      await this.releaseNumbers(ctx, definition, draft, edited);
    const version = draft.version + 1;
    const result = await this.repo
      .createQueryBuilder()
      .update(CrossBorderRequest)
      .set({
        ...({ ...header, ...kindEdit?.fields } as QueryDeepPartialEntity<CrossBorderRequest>),
        version: () => String(version),
        // Each editor once, in the order they first edited.
        editedBy: () =>
          `CASE WHEN CAST(:editor AS uuid) = ANY(edited_by) THEN edited_by ELSE edited_by || CAST(:editor AS uuid) END`,
      })
      .where(`id = :id AND status = 'draft' AND version = :version`, { id: draft.id, version: draft.version })
      .setParameter('editor', actor.userId)
      .execute();
    if (result.affected !== 1)
      throw new ConflictError('The request changed meanwhile (someone acted first); reload and try again.');
    await this.tx.manager.query(
      `INSERT INTO request_status_history (request_id, action, from_status, to_status, actor_user_id, actor_username, actor_country)
       VALUES ($1, 'edit', 'draft', 'draft', $2, $3, $4)`,
      [draft.id, actor.userId, actor.username, actor.countryCode],
    );
    await this.audit.record(ctx, {
      action: 'request.draft_edited',
      recordType: 'request',
      recordId: draft.id,
      ownerCountry: draft.originCountry,
      counterpartCountry: draft.targetCountry,
      before: { ...before, version: draft.version },
      after: { ...after, version },
      details: {
        kind: draft.kind,
        draftId: draftIdOf(draft.id),
        changed,
        dispatchId: draft.dispatchId,
        ...(kindEdit?.personsLinkedOrUnlinked?.length && {
          personIds: [...new Set(kindEdit.personsLinkedOrUnlinked)].sort(),
        }),
      },
    });
  }

  /**
   * The numbers the edited draft carries, weighed for its target as on its creation (the subject's, and
   * those of the kind's own parts). A kind that says what its parts carry (`draftNumbers`) has the
   * receipts of numbers taken out forgotten; for any other, a number taken out of the subject might
   * still be carried elsewhere, and its receipt cannot be told apart: such an edit is refused.
   */
  private async releaseNumbers(
    ctx: RequestContext,
    definition: RegisteredRequestKind,
    draft: CrossBorderRequest,
    edited: CrossBorderRequest,
  ): Promise<void> {
    const subject = numbersIn(edited.subject, 'subject');
    if (definition.hooks.draftNumbers) {
      await this.identifierRelease.draftNumbersChanged(ctx, edited, [
        ...subject,
        ...(await definition.hooks.draftNumbers(edited)),
      ]);
      return;
    }
    const kept = new Set(subject.map((n) => n.key));
    if (numbersIn(draft.subject, 'subject').some((n) => !kept.has(n.key)))
      throw new ValidationFailedError([
        {
          field: 'subject',
          message: `subject: a number written in the subject of a draft of kind ${draft.kind} cannot be taken out by an edit yet; withdraw the draft and draft it again`,
        },
      ]);
    await this.identifierRelease.releaseIdentifiers(ctx, edited, subject, 'origin');
  }
}

const byId = (a: { id: string }, b: { id: string }) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
