import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const SRC = join(__dirname, '..', '..', 'src');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return path.endsWith('.ts') && !path.endsWith('.spec.ts') ? [path] : [];
  });
}

/**
 * The body fields validated as one nested object (`@ValidateNested()` without `each`) that do not also
 * say `@IsObject()` in the same decorator block, as `file:line`.
 */
export function nestedObjectsWithoutIsObject(text: string, file: string): string[] {
  const lines = text.split('\n');
  const found: string[] = [];
  lines.forEach((line, i) => {
    if (!/@ValidateNested\(\s*\)/.test(line)) return;
    let block = '';
    for (let j = i; j >= 0 && lines[j]!.trim().startsWith('@'); j--) block += lines[j];
    for (let j = i + 1; j < lines.length && lines[j]!.trim().startsWith('@'); j++) block += lines[j];
    if (!/@IsObject\(/.test(block)) found.push(`${file}:${i + 1}`);
  });
  return found;
}

/**
 * Probe (round 9): class-validator's `@ValidateNested()` on a single object validates an array's
 * elements instead, so `"person": []` passed validation and reached the service, which read fields of
 * the array (a 500). Every such field must also be `@IsObject()` (which refuses arrays with a 400).
 */
describe('every nested body object refuses an array', () => {
  it('finds a @ValidateNested() without @IsObject() in its decorator block', () => {
    const dto = ['class X {', '  @IsOptional()', '  @ValidateNested()', '  @Type(() => Y)', '  y?: Y;', '}'];
    expect(nestedObjectsWithoutIsObject(dto.join('\n'), 'x.ts')).toEqual(['x.ts:3']);
    dto.splice(2, 0, '  @IsObject()');
    expect(nestedObjectsWithoutIsObject(dto.join('\n'), 'x.ts')).toEqual([]);
    expect(nestedObjectsWithoutIsObject('  @ValidateNested({ each: true })\n  ys!: Y[];', 'x.ts')).toEqual(
      [],
    );
  });

  it('holds for every DTO under src/', () => {
    const files = sourceFiles(SRC);
    const offenders = files.flatMap((f) =>
      nestedObjectsWithoutIsObject(readFileSync(f, 'utf8'), relative(SRC, f)),
    );
    expect(files.length).toBeGreaterThan(100);
    expect(offenders).toEqual([]);
  });
});
