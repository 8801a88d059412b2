import { runCasesOf } from '../support/cases';

runCasesOf(__dirname);
