import { Injectable } from '@nestjs/common';
import type {
  CreateInformationRequestDto,
  InformationRequestView,
} from '../information-requests/dto/information-request.dto';
import { InformationRequestsService } from '../information-requests/information-requests.service';
import type { NormalisedIdentifier } from '../identifiers/identifier-normalise';
import type { RequestContext } from '../common/request-context';
import type { FollowUpDto } from './dto/identifier-check.dto';
import { NoHitToFollowUpError } from './identifier-check-errors';
import { IdentifierChecksService } from './identifier-checks.service';

/**
 * The one-click follow-up of a hit: a DRAFT information request to the partner that hit, under the
 * framework it answered under, prefilled with the identifier. Drafted only: the officer reviews it and
 * it leaves through the usual approval (and the release rule, which weighs the identifier like any other).
 */
@Injectable()
export class IdentifierCheckFollowUpService {
  constructor(
    private readonly checks: IdentifierChecksService,
    private readonly requests: InformationRequestsService,
  ) {}

  async followUp(ctx: RequestContext, checkId: string, dto: FollowUpDto): Promise<InformationRequestView> {
    const check = await this.checks.findOwn(ctx, checkId);
    const answer = check.answers.find((a) => a.country === dto.partnerCountry);
    const identifier = check.identifiers?.[dto.position];
    if (!answer?.framework_id || !identifier || !answer.hit_positions.includes(dto.position))
      throw new NoHitToFollowUpError();
    return this.requests.create(ctx, {
      frameworkId: answer.framework_id,
      targetCountry: dto.partnerCountry,
      priority: dto.priority ?? 'routine',
      handlingCode: dto.handlingCode ?? 'AMBER',
      ...prefill(identifier, checkId),
    } as CreateInformationRequestDto);
  }
}

const LABEL: Record<NormalisedIdentifier['kind'], string> = {
  phone: 'phone',
  bank_account: 'bank account',
  wallet: 'wallet',
  passport: 'passport',
  compound: 'compound',
  web: 'web address',
};

/** The subject, question and identifiers of the draft, by kind. */
function prefill(id: NormalisedIdentifier, checkId: string) {
  const named = `${LABEL[id.kind]} ${id.qualifier && id.kind === 'passport' ? `${id.qualifier} ` : ''}${id.value}`;
  const identifiers =
    id.kind === 'phone'
      ? { phones: [id.value] }
      : id.kind === 'bank_account'
        ? { bankAccounts: [{ institution: id.qualifier ?? 'not stated', accountNumber: id.value }] }
        : id.kind === 'wallet'
          ? { cryptoAddresses: [{ chain: id.qualifier ?? 'unknown', address: id.value }] }
          : id.kind === 'compound'
            ? { compounds: [id.value] }
            : id.kind === 'web' && !id.value.startsWith('@')
              ? { urls: [`https://${id.value}`] }
              : undefined;
  return {
    subject: `Follow-up of a hit: ${named}`.slice(0, 500),
    questions: [
      `Your records hold ${named} (identifier check ${checkId}). Please share what you hold on it.`.slice(
        0,
        2000,
      ),
    ],
    ...(identifiers ? { identifiers } : {}),
  };
}
