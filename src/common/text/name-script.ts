/** The scripts a name is written in, as persons record them and screening reads them. */
export const NAME_SCRIPTS = ['latin', 'hangul', 'khmer', 'thai', 'han', 'arabic', 'other'] as const;
export type NameScript = (typeof NAME_SCRIPTS)[number];

const SCRIPT_PATTERNS: ReadonlyArray<[NameScript, RegExp]> = [
  ['hangul', /\p{Script=Hangul}/u],
  ['khmer', /\p{Script=Khmer}/u],
  ['thai', /\p{Script=Thai}/u],
  ['han', /\p{Script=Han}/u],
  ['arabic', /\p{Script=Arabic}/u],
];

/**
 * The script a name is written in, read from its letters: the label a country attached to a name is
 * sometimes wrong, and a query never has one. Persons take it when a name comes without one, and
 * refuse a label that contradicts the letters.
 */
export function detectScript(text: string): NameScript {
  for (const [script, pattern] of SCRIPT_PATTERNS) {
    if (pattern.test(text)) return script;
  }
  return /[^\p{Script=Latin}\p{Script=Common}\p{Script=Inherited}]/u.test(text) ? 'other' : 'latin';
}
