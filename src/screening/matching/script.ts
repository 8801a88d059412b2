import type { NameScript } from './matching.types';

const SCRIPT_PATTERNS: ReadonlyArray<[NameScript, RegExp]> = [
  ['hangul', /\p{Script=Hangul}/u],
  ['khmer', /\p{Script=Khmer}/u],
  ['thai', /\p{Script=Thai}/u],
  ['han', /\p{Script=Han}/u],
  ['arabic', /\p{Script=Arabic}/u],
];

/**
 * The script a name is written in, read from its letters: the label a country attached to a name is
 * sometimes wrong, and a query never has one.
 */
export function detectScript(text: string): NameScript {
  for (const [script, pattern] of SCRIPT_PATTERNS) {
    if (pattern.test(text)) return script;
  }
  return /[^\p{Script=Latin}\p{Script=Common}\p{Script=Inherited}]/u.test(text) ? 'other' : 'latin';
}
