import { PageLimit } from '../../common/pagination/page-query.dto';
import { IsNotEmpty, IsString, MaxLength } from 'class-validator';
import { AuditCursor } from './audit-event-query.dto';

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
  @PageLimit()
  limit?: number;

  @AuditCursor()
  cursor?: string;
}
