import { Transform } from 'class-transformer';
import { PageLimit } from '../../common/pagination/page-query.dto';
import { lowerCaseUuids } from '../../common/http/validators';
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
  // Ids are kept as PostgreSQL writes them (lower case); one asked in capitals is the same record.
  @Transform(lowerCaseUuids)
  @MaxLength(200)
  recordId!: string;

  /** Page size, 1 to 200 (default 50). */
  @PageLimit()
  limit?: number;

  @AuditCursor()
  cursor?: string;
}
