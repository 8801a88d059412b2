import { getMetadataStorage } from 'class-validator';
import type { ValidationMetadata } from 'class-validator/types/metadata/ValidationMetadata';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { MAX_INPUT_ITEMS } from '../../src/common/http/input-guard';

const SRC = join(__dirname, '../../src');

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : [path];
  });
}

/**
 * The InputGuard refuses a list longer than MAX_INPUT_ITEMS before the ValidationPipe copies it
 * (probe input r5: a raid batch of 5.6 million `{}` ended the server). A list a DTO allows must fit
 * under it, or a valid request would be refused by the guard in words that name no DTO rule. This
 * reads every `@ArrayMaxSize` from class-validator's own metadata, so a longer one added later fails.
 */
describe('list sizes of bodies and queries', () => {
  it('every @ArrayMaxSize fits under the InputGuard’s MAX_INPUT_ITEMS', async () => {
    for (const file of files(SRC).filter((f) => f.endsWith('.dto.ts'))) await import(file);
    const metadata = (
      getMetadataStorage() as unknown as { validationMetadatas: Map<unknown, ValidationMetadata[]> }
    ).validationMetadatas;
    const limits = [...metadata.values()]
      .flat()
      .filter((m) => m.name === 'arrayMaxSize')
      .map((m) => ({
        field: `${(m.target as { name: string }).name}.${m.propertyName}`,
        max: m.constraints[0] as number,
      }));
    expect(limits.length).toBeGreaterThan(30);
    expect(limits.filter((l) => !(l.max <= MAX_INPUT_ITEMS))).toEqual([]);
    // The guard's bound is the API's longest list, not a number picked apart from it.
    expect(Math.max(...limits.map((l) => l.max))).toBe(MAX_INPUT_ITEMS);
  });
});
