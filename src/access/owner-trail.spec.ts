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
 * The events one country's user writes about another country's data — a file read, a refused step on a
 * record, a refused release — go in the owner's trail only where the owner gave that data to the acting
 * country itself (owner-trail.ts, probe r36). Each is written in one place that asks that rule; this
 * reads every source file so that no other path writes one past it.
 */
describe('events about another country’s data pass the owner-trail rule', () => {
  const root = join(__dirname, '..');
  const files = sources(root).map((file) => ({
    file: relative(root, file),
    text: readFileSync(file, 'utf8'),
  }));
  const writing = (action: string) =>
    files.filter(({ text }) => text.includes(`action: '${action}'`)).map((f) => f.file);

  it('reads the whole source tree', () => {
    expect(files.length).toBeGreaterThan(100);
  });

  it('file reads are written only through fileReadEvent', () => {
    const readers = [...new Set([...writing('attachment.download'), ...writing('attachment.verify')])].sort();
    expect(readers).toEqual(['attachments/attachments.service.ts', 'attachments/case-bundle.service.ts']);
    for (const file of readers) expect(files.find((f) => f.file === file)!.text).toContain('fileReadEvent(');
  });

  it('refusals of a record are written only by AccessService, which asks the rule (the permission guard’s name no record)', () => {
    expect(writing('access.denied').sort()).toEqual([
      'access/access.service.ts',
      'auth/authentication.guard.ts',
    ]);
    expect(files.find((f) => f.file === 'access/access.service.ts')!.text).toContain('inOwnersTrailIfTold(');
    expect(files.find((f) => f.file === 'auth/authentication.guard.ts')!.text).not.toMatch(
      /ownerCountry|recordId/,
    );
  });

  it('release refusals are written only by ReleaseRefusalAudit, which asks the rule', () => {
    expect(writing('release.refused')).toEqual(['sharing/release-refusal-audit.ts']);
    expect(files.find((f) => f.file === 'sharing/release-refusal-audit.ts')!.text).toContain('ownerIsTold(');
  });
});
