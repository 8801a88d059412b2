// Every migration, in order. A new migration file is added here too, so the app, the CLI and the tests
// run the same list whether the code is compiled or transformed on the fly.
import { Baseline1763800000000 } from './1763800000000-Baseline';
import { IdentityAndReferenceData1763800001000 } from './1763800001000-IdentityAndReferenceData';
import { AuditEvents1763800002000 } from './1763800002000-AuditEvents';
import { AuditChain1763800003000 } from './1763800003000-AuditChain';

export const allMigrations = [
  Baseline1763800000000,
  IdentityAndReferenceData1763800001000,
  AuditEvents1763800002000,
  AuditChain1763800003000,
];
