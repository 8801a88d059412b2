import 'reflect-metadata';
import { getMetadataStorage, IsString, Length, validate } from 'class-validator';
import { memoiseValidationMetadata } from './validation-metadata-memo';

class Base {
  @IsString()
  name!: string;
}
class Derived extends Base {
  @Length(2, 4, { groups: ['short'] })
  code!: string;
}

describe('memoiseValidationMetadata', () => {
  const storage = getMetadataStorage();
  const rules = (target: typeof Base, groups?: string[]) =>
    storage.getTargetValidationMetadatas(target, '', false, false, groups);
  const names = (found: Array<{ propertyName: string; name?: string; type: string }>) =>
    found.map((m) => `${m.propertyName}:${m.name ?? m.type}`).sort();

  it('answers what class-validator answered, inherited rules and groups included, and keeps the answer', async () => {
    const before = { plain: names(rules(Derived)), short: names(rules(Derived, ['short'])) };
    memoiseValidationMetadata();
    expect(names(rules(Derived))).toEqual(before.plain);
    expect(names(rules(Derived, ['short']))).toEqual(before.short);
    // Without groups every rule applies; with a group, only that group's.
    expect(before.plain).toEqual(['code:isLength', 'name:isString']);
    expect(before.short).toEqual(['code:isLength']);
    expect(rules(Derived)).toBe(rules(Derived));

    const bad = Object.assign(new Derived(), { name: 42, code: 'toolong' });
    expect((await validate(bad)).map((e) => e.property).sort()).toEqual(['code', 'name']);
    expect((await validate(bad, { groups: ['short'] })).map((e) => e.property).sort()).toEqual(['code']);
  });
});
