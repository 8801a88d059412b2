import { Transform } from 'class-transformer';
import { IsIn, IsOptional, IsString, Length, Matches, MaxLength } from 'class-validator';
import { ISO_COUNTRY, IsUUID, queryBoolean } from '../../common/http/validators';
import { PageQueryDto } from '../../common/pagination/page';
import { PRIORITIES, Priority } from '../cross-border-request.entity';
import { REQUEST_STATUSES, RequestStatus } from '../request-lifecycle';

/** The filters of every request list, whatever its kind (`pageOfRequests`). */
export class RequestListQueryDto extends PageQueryDto {
  @IsOptional()
  @IsIn(REQUEST_STATUSES)
  status?: RequestStatus;

  /** `outbound`: sent by the caller's country; `inbound`: addressed to it. */
  @IsOptional()
  @IsIn(['inbound', 'outbound'])
  direction?: 'inbound' | 'outbound';

  /** The other country of the request, whichever way it goes. */
  @IsOptional()
  @Matches(ISO_COUNTRY, { message: 'counterpartCountry must be an ISO 3166-1 alpha-2 code' })
  @MaxLength(2)
  counterpartCountry?: string;

  @IsOptional()
  @IsIn(PRIORITIES)
  priority?: Priority;

  /** Past its due time while the target still owes an answer (`true`), or not (`false`). */
  @IsOptional()
  @Transform(queryBoolean)
  @IsIn([true, false], { message: 'overdue must be true or false' })
  overdue?: boolean;

  /** One of the caller's own cases. */
  @IsOptional()
  @IsUUID()
  @MaxLength(36)
  caseId?: string;

  /** `true`: only requests assigned to the caller (`false` filters nothing). */
  @IsOptional()
  @Transform(queryBoolean)
  @IsIn([true, false], { message: 'assignedToMe must be true or false' })
  assignedToMe?: boolean;

  /** Words found in the reference or the subject (case-insensitive). */
  @IsOptional()
  @IsString()
  @Length(1, 200)
  q?: string;
}
