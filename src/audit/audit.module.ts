import { Global, Module } from '@nestjs/common';
import { AuditController } from './audit.controller';
import { AuditEventIds } from './audit-event-ids';
import { AuditSealerService } from './audit-sealer.service';
import { AuditService } from './audit.service';
import { AuditSigningKey } from './audit-signing-key';
import { AuditTrailService } from './audit-trail.service';
import { AuditVerifierService } from './audit-verifier.service';
import { AuditWitnessService } from './audit-witness.service';

/**
 * Global: every module that changes state records its events through `AuditService`. The sealer chains
 * and signs them after commit; the verifier and the auditor API read them.
 */
@Global()
@Module({
  controllers: [AuditController],
  providers: [
    AuditService,
    AuditSigningKey,
    AuditSealerService,
    AuditVerifierService,
    AuditTrailService,
    AuditWitnessService,
    AuditEventIds,
  ],
  exports: [AuditService, AuditEventIds],
})
export class AuditModule {}
