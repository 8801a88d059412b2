import { PageLimit } from '../../common/pagination/page-query.dto';
import { AuditCursor } from './audit-event-query.dto';

export class AuditCheckpointQueryDto {
  /** Page size, 1 to 200 (default 50). */
  @PageLimit()
  limit?: number;

  @AuditCursor()
  cursor?: string;
}
