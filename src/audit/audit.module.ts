import { Global, Module } from '@nestjs/common';
import { AuditEventIds } from './audit-event-ids';
import { AuditSealerService } from './audit-sealer.service';
import { AuditService } from './audit.service';
import { AuditSigningKey } from './audit-signing-key';
import { AuditVerifierService } from './audit-verifier.service';
import { AuditWitnessService } from './audit-witness.service';

/**
 * Global: every module that changes state records its events through `AuditService`. The sealer chains
 * and signs them after commit; the verifier checks them. The auditors' API is `audit-trail/`.
 */
@Global()
@Module({
  providers: [
    AuditService,
    AuditSigningKey,
    AuditSealerService,
    AuditVerifierService,
    AuditWitnessService,
    AuditEventIds,
  ],
  exports: [AuditService, AuditEventIds, AuditVerifierService, AuditSigningKey],
})
export class AuditModule {}
