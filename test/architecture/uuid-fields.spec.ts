// class-transformer ships this module's types apart from its code.
// eslint-disable-next-line @typescript-eslint/ban-ts-comment
// @ts-ignore
import { defaultMetadataStorage as untyped } from 'class-transformer/cjs/storage';
import type { defaultMetadataStorage as Typed } from 'class-transformer/types/storage';
import { TransformationType } from 'class-transformer';
import { getMetadataStorage } from 'class-validator';
import type { ValidationMetadata } from 'class-validator/types/metadata/ValidationMetadata';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { lowerCaseUuids } from '../../src/common/http/validators';

const SRC = join(__dirname, '../../src');
const transforms = untyped as typeof Typed;

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : [path];
  });
}

const sources = files(SRC).filter((f) => f.endsWith('.ts') && !f.endsWith('.spec.ts'));

/**
 * An id a caller writes in capitals is the same record to PostgreSQL but another string to the
 * services, which compare ids as strings and write them into the audit trail: every UUID field of a
 * body or query must reach them in lower case (`IsUUID`, which lowers it before it is validated).
 * This enumerates the fields from class-validator's own metadata, so one added later with a bare
 * `@IsUUID` fails here.
 */
describe('UUID fields of bodies and queries', () => {
  it('are declared with the IsUUID of src/common/http/validators, not class-validator’s', () => {
    const fromClassValidator = /import\s*\{([^}]*)\}\s*from\s*'class-validator'/g;
    const bare = sources
      .filter((f) => !f.endsWith('common/http/validators.ts'))
      .filter((f) =>
        [...readFileSync(f, 'utf8').matchAll(fromClassValidator)].some((m) => /\bIsUUID\b/.test(m[1]!)),
      )
      .map((f) => relative(SRC, f));
    expect(bare).toEqual([]);
  });

  it('each reach the service in lower case', async () => {
    for (const file of sources.filter((f) => f.endsWith('.dto.ts'))) await import(file);
    const uuidFields = (
      getMetadataStorage() as unknown as { validationMetadatas: Map<unknown, ValidationMetadata[]> }
    ).validationMetadatas;
    const fields = [...uuidFields.values()]
      .flat()
      .filter((m) => m.name === 'isUuid')
      .map((m) => ({ target: m.target as new () => unknown, property: m.propertyName }));
    expect(fields.length).toBeGreaterThan(30);
    const notLowered = fields
      .filter(
        ({ target, property }) =>
          !transforms
            .findTransformMetadatas(target, property, TransformationType.PLAIN_TO_CLASS)
            .some((t) => t.transformFn === lowerCaseUuids),
      )
      .map(({ target, property }) => `${target.name}.${property}`);
    expect(notLowered).toEqual([]);
  });
});
