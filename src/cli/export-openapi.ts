import 'reflect-metadata';
import { writeFileSync } from 'node:fs';
import { openApiDocumentWithoutDatabase } from '../openapi/document-without-database';

/** Writes the OpenAPI document to the file named on the command line, for the linter in CI. */
const target = process.argv[2];
if (!target) {
  process.stderr.write('usage: node dist/src/cli/export-openapi.js <file.json>\n');
  process.exit(2);
}
openApiDocumentWithoutDatabase().then(
  (document) => {
    writeFileSync(target, `${JSON.stringify(document, null, 2)}\n`);
    process.stdout.write(
      `OpenAPI document (${Object.keys(document.paths).length} paths) written to ${target}\n`,
    );
    process.exit(0);
  },
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
