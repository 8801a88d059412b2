import { Injectable } from '@nestjs/common';
import { ValidationFailedError } from '../common/errors/domain-errors';
import { actorOf, RequestContext } from '../common/request-context';
import { TransactionService } from '../database/transaction.service';
import { PersonsService } from '../persons/persons.service';
import { identifierKeys } from '../sharing/identifier-keys';
import { ReleaseService } from '../sharing/release.service';
import { IdentifierReleaseService } from '../sharing/identifier-release.service';
import type { CrossBorderRequest } from '../workflow/cross-border-request.entity';
import { RequestKindRegistry } from '../workflow/request-kind-registry';
import { RequestViewsService } from '../workflow/request-views.service';
import { newRequest, RequestDraftsService } from '../workflow/request-drafts.service';
import type { CreateReleaseRequestDto, ReleaseRequestView } from './dto/release-request.dto';
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
    if (!personIds.length && !identifiers.length)
      throw new ValidationFailedError([
        { field: 'personIds', message: 'name at least one person (personIds) or identifier (identifiers)' },
      ]);
    const request = await this.tx.run(async () => {
      await this.persons.requireVisible(ctx, personIds, 'personIds');
      const outgoing = personIds.map((personId) => ({
        personId,
        field: `personIds[${dto.personIds!.indexOf(personId)}]`,
      }));
      if (outgoing.length)
        await this.releaseRule.requireAskable(ctx, outgoing, dto.targetCountry, dto.recipientCountry);
      if (identifiers.length)
        await this.identifierRelease.requireAskableIdentifiers(ctx, identifiers, dto.targetCountry);
      return this.drafts.createDraft(
        ctx,
        newRequest(KIND, dto, {
          recipientCountry: dto.recipientCountry,
          personIds,
          identifiers: [...new Set(identifiers.map((i) => i.key))],
        } satisfies ReleasePayload),
      );
    });
    return this.views.view(actor, request);
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
