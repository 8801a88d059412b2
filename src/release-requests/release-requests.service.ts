import { Injectable } from '@nestjs/common';
import { ValidationFailedError } from '../common/errors/domain-errors';
import { actorOf, RequestContext } from '../common/request-context';
import { TransactionService } from '../database/transaction.service';
import { PersonsService } from '../persons/persons.service';
import { identifierKeys, type OutgoingIdentifier } from '../sharing/identifier-keys';
import { ReleaseService } from '../sharing/release.service';
import { IdentifierReleaseService } from '../sharing/identifier-release.service';
import type { CrossBorderRequest } from '../workflow/cross-border-request.entity';
import type { DraftEdit } from '../workflow/request-kind';
import { RequestKindRegistry } from '../workflow/request-kind-registry';
import { RequestViewsService } from '../workflow/request-views.service';
import { newRequest, RequestDraftsService } from '../workflow/request-drafts.service';
import type {
  CreateReleaseRequestDto,
  EditReleaseRequestDto,
  ReleaseRequestView,
} from './dto/release-request.dto';
import { RELEASE_REQUEST_KIND } from './release-request.kind';

const KIND = 'release' as const;

interface ReleasePayload {
  recipientCountry: string;
  personIds: string[];
  identifiers?: string[];
}

/** Consent to pass on: the holder asks, the originator's liaison accepts (a grant) or rejects. */
@Injectable()
export class ReleaseRequestsService {
  constructor(
    private readonly tx: TransactionService,
    private readonly drafts: RequestDraftsService,
    private readonly views: RequestViewsService,
    private readonly persons: PersonsService,
    private readonly releaseRule: ReleaseService,
    private readonly identifierRelease: IdentifierReleaseService,
    kinds: RequestKindRegistry,
  ) {
    kinds.register(RELEASE_REQUEST_KIND, {
      viewExtras: async (_actor, items) => items.map(({ request }) => this.viewExtras(request)),
      onTransitionEnd: (_ctx, { action, before }) => this.grantOnAccept(action, before),
      // The edit DTO (`EditReleaseRequestDto`) admits its persons and identifiers.
      editDraft: (ctx, draft, changes) => this.editDraft(ctx, draft, changes),
      // Its persons and numbers go back to the country that gave them: none is recorded as released
      // beside its subject's, so an edit of the subject forgets any number it takes out.
      draftNumbers: () => [],
    });
  }

  async create(ctx: RequestContext, dto: CreateReleaseRequestDto): Promise<ReleaseRequestView> {
    const actor = actorOf(ctx);
    const personIds = [...new Set(dto.personIds ?? [])];
    const identifiers = identifierKeys(dto.identifiers, 'identifiers');
    if ([actor.countryCode, dto.targetCountry].includes(dto.recipientCountry))
      throw new ValidationFailedError([
        { field: 'recipientCountry', message: 'recipientCountry must be a third country' },
      ]);
    requireSomething(personIds, identifiers);
    const request = await this.tx.run(async () => {
      await this.requireAskablePersons(ctx, dto.personIds ?? [], dto.targetCountry, dto.recipientCountry);
      await this.requireAskableIdentifiers(ctx, identifiers, dto.targetCountry);
      return this.drafts.createDraft(
        ctx,
        newRequest(KIND, dto, {
          recipientCountry: dto.recipientCountry,
          personIds,
          identifiers: keysOf(identifiers),
        } satisfies ReleasePayload),
      );
    });
    return this.views.view(actor, request);
  }

  /**
   * The kind's own part of a draft edit (`RequestDraftEditsService`): its persons and its identifiers,
   * each replaced whole and checked as on the create — each person visible and given by the target
   * under GREEN or AMBER, askable for the recipient; each number received from it so —, and at least
   * one of either left. Nothing of them is written beside the row or recorded as released (they go back
   * to the country that gave them): the edit is the row's new payload.
   */
  private async editDraft(
    ctx: RequestContext,
    draft: CrossBorderRequest,
    changes: Pick<EditReleaseRequestDto, 'personIds' | 'identifiers'>,
  ): Promise<DraftEdit> {
    const edit: DraftEdit = { fields: {}, before: {}, after: {} };
    const payload = draft.payload as unknown as ReleasePayload;
    const next: ReleasePayload = { ...payload, identifiers: payload.identifiers ?? [] };
    const identifiers = identifierKeys(changes.identifiers, 'identifiers');
    if (changes.personIds !== undefined) next.personIds = [...new Set(changes.personIds)];
    if (changes.identifiers !== undefined) next.identifiers = keysOf(identifiers);
    requireSomething(next.personIds, next.identifiers!);
    if (changes.personIds !== undefined && !sameSet(next.personIds, payload.personIds)) {
      await this.requireAskablePersons(ctx, changes.personIds, draft.targetCountry, payload.recipientCountry);
      edit.before.personIds = payload.personIds;
      edit.after.personIds = next.personIds;
      edit.personsLinkedOrUnlinked = symmetricDifference(payload.personIds, next.personIds);
    }
    if (changes.identifiers !== undefined && !sameSet(next.identifiers!, payload.identifiers ?? [])) {
      await this.requireAskableIdentifiers(ctx, identifiers, draft.targetCountry);
      edit.before.identifiers = payload.identifiers ?? [];
      edit.after.identifiers = next.identifiers;
    }
    if (Object.keys(edit.after).length) edit.fields.payload = { ...next };
    return edit;
  }

  /** The persons named (`personIds`, as the body lists them): visible, the target's, askable for the recipient. */
  private async requireAskablePersons(
    ctx: RequestContext,
    listed: string[],
    target: string,
    recipient: string,
  ): Promise<void> {
    const personIds = [...new Set(listed)];
    if (!personIds.length) return;
    await this.persons.requireVisible(ctx, personIds, 'personIds');
    await this.releaseRule.requireAskable(
      ctx,
      personIds.map((personId) => ({ personId, field: `personIds[${listed.indexOf(personId)}]` })),
      target,
      recipient,
    );
  }

  /** The numbers named: each received from the target under GREEN or AMBER. */
  private async requireAskableIdentifiers(
    ctx: RequestContext,
    identifiers: OutgoingIdentifier[],
    target: string,
  ): Promise<void> {
    if (identifiers.length) await this.identifierRelease.requireAskableIdentifiers(ctx, identifiers, target);
  }

  /** The originator's liaison accepting is the consent: recorded in the step's own transaction. */
  private async grantOnAccept(action: string, request: CrossBorderRequest): Promise<void> {
    if (action !== 'accept') return;
    const payload = request.payload as unknown as ReleasePayload;
    await this.releaseRule.grant(
      { personIds: payload.personIds, identifiers: payload.identifiers ?? [] },
      request.originCountry,
      payload.recipientCountry,
      request.targetCountry,
      request.id,
    );
  }

  /** What a release request adds to the shared header. */
  private viewExtras(r: CrossBorderRequest) {
    const payload = r.payload as unknown as ReleasePayload;
    return {
      kind: KIND,
      recipientCountry: payload.recipientCountry,
      personIds: payload.personIds,
      identifiers: payload.identifiers ?? [],
      granted: r.acceptedAt !== null,
    } satisfies Partial<ReleaseRequestView>;
  }
}

/** A release request asks consent for something: at least one person or identifier. */
function requireSomething(personIds: string[], identifiers: ReadonlyArray<unknown>): void {
  if (!personIds.length && !identifiers.length)
    throw new ValidationFailedError([
      { field: 'personIds', message: 'name at least one person (personIds) or identifier (identifiers)' },
    ]);
}

/** The identifiers as the payload keeps them: their keys, each once. */
function keysOf(identifiers: OutgoingIdentifier[]): string[] {
  return [...new Set(identifiers.map((i) => i.key))];
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  const x = new Set(a);
  const y = new Set(b);
  return x.size === y.size && [...x].every((v) => y.has(v));
}

/** What one list holds and the other does not, either way. */
function symmetricDifference(a: readonly string[], b: readonly string[]): string[] {
  return [...a.filter((v) => !b.includes(v)), ...b.filter((v) => !a.includes(v))];
}
