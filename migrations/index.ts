// Every migration, in order. A new migration file is added here too, so the app, the CLI and the tests
// run the same list whether the code is compiled or transformed on the fly.
import { Baseline1763800000000 } from './1763800000000-Baseline';

export const allMigrations = [Baseline1763800000000];
