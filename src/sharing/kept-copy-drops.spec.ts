import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return path.endsWith('.ts') && !path.endsWith('.spec.ts') ? [path] : [];
  });
}

/**
 * A kept copy going is a change the person's owner's auditors read (`person.kept_copy` with
 * `liveAgainFor`), recorded by `PersonRecipientsService.dropKeptCopies` in the same transaction. Session 18's probe
 * found two paths (a sent request, a new share) that dropped copies without it; this reads every source
 * file so that no other path can drop one.
 */
describe('a kept copy goes only through PersonRecipientsService.dropKeptCopies', () => {
  const root = join(__dirname, '..');
  const files = sources(root).map((file) => ({
    file: relative(root, file),
    text: readFileSync(file, 'utf8'),
  }));

  it('reads the whole source tree', () => {
    expect(files.length).toBeGreaterThan(100);
  });

  it('deletes person_kept_copy rows only in the kept-copies store', () => {
    const deleting = files.filter(({ text }) => /DELETE\s+FROM\s+person_kept_copy\b/i.test(text));
    expect(deleting.map((f) => f.file)).toEqual(['persons/kept-copies.store.ts']);
  });

  it('calls the store’s drop only from dropKeptCopies', () => {
    const callers = files
      .filter(({ text }) => /KeptCopiesStore/.test(text))
      .flatMap(({ file, text }) => (text.match(/\.drop\(/g) ?? []).map(() => file));
    expect(callers).toEqual(['sharing/person-recipients.service.ts']);
    const recipients = files.find((f) => f.file === 'sharing/person-recipients.service.ts')!.text;
    const dropKeptCopies = recipients.slice(recipients.indexOf('  async dropKeptCopies('));
    expect(dropKeptCopies.indexOf('.drop(')).toBeLessThan(dropKeptCopies.indexOf('\n  }\n'));
  });
});
