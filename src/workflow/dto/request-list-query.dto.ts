import { Transform } from 'class-transformer';
import { IsIn, IsOptional, IsUUID, Matches, MaxLength } from 'class-validator';
import { ISO_COUNTRY } from '../../common/http/validators';
import { PageQueryDto } from '../../common/pagination/page';
import { PRIORITIES, Priority } from '../cross-border-request.entity';
import { REQUEST_STATUSES, RequestStatus } from '../request-lifecycle';

export const queryBoolean = ({ value }: { value: unknown }) =>
  value === 'true' ? true : value === 'false' ? false : value;

/** Filters every request list takes. */
export class RequestStatusQueryDto extends PageQueryDto {
  @IsOptional()
  @IsIn(REQUEST_STATUSES)
  status?: RequestStatus;

  /** `outbound`: sent by the caller's country; `inbound`: addressed to it. */
  @IsOptional()
  @IsIn(['inbound', 'outbound'])
  direction?: 'inbound' | 'outbound';
}

/** The fuller set of filters of the information and asset-freeze request lists. */
export class RequestListQueryDto extends RequestStatusQueryDto {
  @IsOptional()
  @Matches(ISO_COUNTRY, { message: 'counterpartCountry must be an ISO 3166-1 alpha-2 code' })
  @MaxLength(2)
  counterpartCountry?: string;

  @IsOptional()
  @IsIn(PRIORITIES)
  priority?: Priority;

  @IsOptional()
  @Transform(queryBoolean)
  @IsIn([true, false], { message: 'overdue must be true or false' })
  overdue?: boolean;

  /** One of the caller's own cases. */
  @IsOptional()
  @IsUUID()
  @MaxLength(36)
  caseId?: string;
}
