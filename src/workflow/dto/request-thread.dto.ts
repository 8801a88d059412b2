import { IsInt, IsOptional, IsString, Length, Max, MaxLength, Min } from 'class-validator';
import { IsUUID, MAX_VERSION } from '../../common/http/validators';

/** The body of a plain workflow step: the version the caller saw, and an optional comment. */
export class WorkflowStepDto {
  @IsInt()
  @Min(1)
  @Max(MAX_VERSION)
  version!: number;

  @IsOptional()
  @IsString()
  @MaxLength(2000)
  comment?: string;
}

export class ReasonedStepDto extends WorkflowStepDto {
  /** Why: required when rejecting. */
  @IsString()
  @Length(1, 2000)
  reason!: string;
}

export class PostMessageDto {
  @IsString()
  @Length(1, 10000)
  body!: string;
}

export class MessageView {
  id!: string;
  authorUsername!: string;
  authorCountry!: string;
  body!: string;
  createdAt!: string;
}

export class HistoryEntryView {
  action!: string;
  fromStatus!: string | null;
  toStatus!: string;
  actorUsername!: string | null;
  actorCountry!: string | null;
  comment!: string | null;
  at!: string;
}

/** The target liaison hands the request to one of their officers. */
export class AssignDto extends WorkflowStepDto {
  /** An active officer of the target country. */
  @IsUUID()
  @MaxLength(36)
  assigneeId!: string;
}
