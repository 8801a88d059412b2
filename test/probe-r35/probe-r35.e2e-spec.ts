import { runCasesOf } from '../support/cases';
import { closeSharedDesk } from './r35-support';

runCasesOf(__dirname);
// The case files share one desk (r35-support `sharedDesk`): stopped after the last of them.
afterAll(closeSharedDesk, 60_000);
