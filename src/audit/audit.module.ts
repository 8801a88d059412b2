import { Global, Module } from '@nestjs/common';
import { AuditSealerService } from './audit-sealer.service';
import { AuditService } from './audit.service';
import { AuditSigningKey } from './audit-signing-key';
import { AuditVerifierService } from './audit-verifier.service';

/**
 * Global: every module that changes state records its events through `AuditService`. The sealer chains
 * and signs them after commit; the verifier checks the chain.
 */
@Global()
@Module({
  providers: [AuditService, AuditSigningKey, AuditSealerService, AuditVerifierService],
  exports: [AuditService],
})
export class AuditModule {}
