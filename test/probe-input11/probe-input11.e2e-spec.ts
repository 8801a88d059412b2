import { runCasesOf } from '../support/cases';

// Every *.e2e.ts file of this folder, as one suite (test/support/cases.ts says why).
runCasesOf(__dirname);
