import { readdirSync } from 'node:fs';
import { join } from 'node:path';

/** A file of end-to-end cases: run by its folder's suite, not by jest on its own. */
export const CASE_FILE = /\.e2e\.ts$/;

/**
 * Runs every case file (`*.e2e.ts`) of `folder` inside the calling suite, each in a `describe` named
 * after its file.
 *
 * Jest gives every suite file a module registry of its own, so each one loaded the app and its packages
 * again: 1.8 s of CPU before its first test, 230 times a run (about half of the suite's CPU, CI session
 * 17). A folder of small files (one probe finding each) is one suite instead; each file still boots its
 * own app on its own database, as before. (Since session 26 the app itself is loaded once per worker,
 * test/support/shared-app-runtime.js; a suite still loads the specs' own support modules.) What jest kept apart between files, this keeps apart between
 * cases: the environment variables a case's app was started with, and the spies it left on prototypes.
 */
export function runCasesOf(folder: string): void {
  const files = readdirSync(folder)
    .filter((file) => CASE_FILE.test(file))
    .sort();
  if (files.length === 0) throw new Error(`${folder} holds no *.e2e.ts case files`);
  for (const file of files) {
    describe(file.replace(CASE_FILE, ''), () => {
      const env = { ...process.env };
      afterAll(() => {
        jest.restoreAllMocks();
        for (const key of Object.keys(process.env)) if (!(key in env)) delete process.env[key];
        Object.assign(process.env, env);
      });
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded while jest collects this describe
      require(join(folder, file));
    });
  }
}
