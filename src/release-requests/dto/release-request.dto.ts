import { ArrayMaxSize, ArrayMinSize, IsArray, IsUUID, Matches, MaxLength } from 'class-validator';
import { ISO_COUNTRY } from '../../common/http/validators';
import type { HandlingCode, Priority } from '../../workflow/cross-border-request.entity';
import { RequestDraftDto } from '../../workflow/dto/request-draft.dto';
import { RequestStatusQueryDto } from '../../workflow/dto/request-list-query.dto';
import type { RequestStatus } from '../../workflow/request-lifecycle';

/**
 * "May these persons, which you gave us, go on to `recipientCountry`?": asked of the originator
 * (`targetCountry`, the country that owns them), which accepts (consent recorded) or rejects.
 */
export class CreateReleaseRequestDto extends RequestDraftDto {
  /** The third country the persons would go to. */
  @Matches(ISO_COUNTRY, { message: 'recipientCountry must be an ISO 3166-1 alpha-2 code' })
  @MaxLength(2)
  recipientCountry!: string;

  /** Persons owned by `targetCountry` that your country received from it under GREEN or AMBER. */
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(100)
  @IsUUID(undefined, { each: true })
  @MaxLength(36, { each: true })
  personIds!: string[];
}

export class ListReleaseRequestsQueryDto extends RequestStatusQueryDto {}

export class ReleaseRequestView {
  id!: string;
  reference!: string;
  kind!: 'release';
  /** From the caller's point of view. */
  direction!: 'inbound' | 'outbound';
  originCountry!: string;
  targetCountry!: string;
  recipientCountry!: string;
  frameworkId!: string;
  priority!: Priority;
  handlingCode!: HandlingCode;
  status!: RequestStatus;
  subject!: string;
  personIds!: string[];
  /** True once the originator accepted: the persons may go to `recipientCountry`. */
  granted!: boolean;
  sentAt!: string | null;
  dueAt!: string | null;
  acceptedAt!: string | null;
  allowedActions!: string[];
  createdAt!: string;
  updatedAt!: string;
  version!: number;
}
