import { Type } from 'class-transformer';
import { IsInt, IsNotEmpty, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { CURSOR_PATTERN } from './audit-event-query.dto';

/** The history of one record, oldest first. */
export class AuditTimelineQueryDto {
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  recordType!: string;

  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  recordId!: string;

  /** Page size, 1 to 200 (default 50). */
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  limit?: number;

  @IsOptional()
  @Matches(CURSOR_PATTERN, { message: 'cursor is not valid' })
  @MaxLength(64)
  cursor?: string;
}
