// The built server's first start (or its start after an upgrade) runs this in a process of its own:
// the pending migrations of the embedded database in the directory given, then exit. See
// EmbeddedDatabase.migrateApart for why it is a separate process.
import 'reflect-metadata';
import { EmbeddedDatabase } from './embedded-database';

const directory = process.argv[2];
if (!directory) {
  process.stderr.write('usage: embedded-migrate <pgdata directory>\n');
  process.exit(2);
}
EmbeddedDatabase.migrate(directory).then(
  // The parent logs the count in its own log format.
  (applied) => process.send?.({ applied }, () => process.exit(0)) ?? process.exit(0),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
