import { Module } from '@nestjs/common';
import { AuditController } from './audit.controller';
import { AuditTrailService } from './audit-trail.service';

/**
 * The auditors' and operator's reading of the trail: lists, timelines, exports, chain verification.
 * Kept apart from `audit/` (which every module writes through) because reading applies the access
 * scopes, and access itself writes audit events: one folder for both would import itself in a circle.
 */
@Module({
  controllers: [AuditController],
  providers: [AuditTrailService],
})
export class AuditTrailModule {}
