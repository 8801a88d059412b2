import { Type } from 'class-transformer';
import { IsInt, IsOptional, Matches, Max, MaxLength, Min } from 'class-validator';
import { CURSOR_PATTERN } from './audit-event-query.dto';

export class AuditCheckpointQueryDto {
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
