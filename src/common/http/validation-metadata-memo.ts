import { getMetadataStorage } from 'class-validator';

type Lookup = (
  target: Function, // eslint-disable-line @typescript-eslint/no-unsafe-function-type -- class-validator's own type
  schema: string,
  always: boolean,
  strictGroups: boolean,
  groups?: string[],
) => unknown[];

let installed = false;

/**
 * class-validator finds a class's rules by scanning every decorated class on every validation, to
 * collect inherited ones (typestack/class-validator#2686): with about a hundred DTOs that scan was a
 * third of the validation of a request body. A class's rules are all registered when its module loads,
 * before anything can be validated against it, so each answer is kept, per class and per options.
 */
export function memoiseValidationMetadata(): void {
  if (installed) return;
  installed = true;
  const storage = getMetadataStorage() as unknown as { getTargetValidationMetadatas: Lookup };
  const lookup = storage.getTargetValidationMetadatas.bind(storage);
  const byTarget = new WeakMap<Function, Map<string, unknown[]>>(); // eslint-disable-line @typescript-eslint/no-unsafe-function-type
  storage.getTargetValidationMetadatas = (target, schema, always, strictGroups, groups) => {
    const key = `${schema}|${always}|${strictGroups}|${groups?.join('\u0000') ?? ''}`;
    let answers = byTarget.get(target);
    if (!answers) byTarget.set(target, (answers = new Map()));
    let rules = answers.get(key);
    if (!rules) answers.set(key, (rules = lookup(target, schema, always, strictGroups, groups)));
    return rules;
  };
}
