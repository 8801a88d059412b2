import { CANTONESE_READINGS } from './cantonese-readings.data';

/**
 * Chinese names read in Cantonese, as Hong Kong and Malaysian documents write them: 陈家辉 is CHAN KA
 * FAI, 王文华 WONG MAN WAH, where pinyin writes Chen Jiahui and Wang Wenhua. The reading of each
 * character comes from to-jyutping (cantonese-readings.data.ts, Jyutping); it is then written the way
 * the Hong Kong government's romanisation writes it on passports: unvoiced initials (b d g as p t k, z
 * and c as ch, j as y), aa as a, eoi as ui, eon as un, oeng as eung, yu as u, ou as o.
 */

let readingOf: Map<string, string> | null = null;

function readings(): Map<string, string> {
  if (!readingOf) {
    readingOf = new Map();
    for (const [, character, jyutping] of CANTONESE_READINGS.matchAll(/(\p{Script=Han})([a-z]+)/gu))
      readingOf.set(character!, jyutping!);
  }
  return readingOf;
}

const INITIALS: ReadonlyArray<[string, string]> = [
  ['gw', 'kw'],
  ['ng', 'ng'],
  ['b', 'p'],
  ['d', 't'],
  ['g', 'k'],
  ['z', 'ch'],
  ['c', 'ch'],
  ['j', 'y'],
];

// Longest first: a final is matched whole.
const FINALS: ReadonlyArray<[string, string]> = [
  ['oeng', 'eung'],
  ['oek', 'euk'],
  ['eoi', 'ui'],
  ['eon', 'un'],
  ['eot', 'ut'],
  ['yun', 'uen'],
  ['yut', 'uet'],
  ['yu', 'u'],
  ['aai', 'ai'],
  ['aau', 'au'],
  ['aam', 'am'],
  ['aan', 'an'],
  ['aang', 'ang'],
  ['aap', 'ap'],
  ['aat', 'at'],
  ['aak', 'ak'],
  ['aa', 'a'],
  ['ou', 'o'],
];

/** One syllable's Jyutping (without tone) as Hong Kong's romanisation writes it. */
export function hongKongSpelling(jyutping: string): string {
  const found = INITIALS.find(([from]) => jyutping.startsWith(from));
  const initial = found ? found[1] : /^[ptkhfmnlsw](?=.)/.test(jyutping) ? jyutping[0]! : '';
  const rest = jyutping.slice(found ? found[0].length : initial.length);
  const final = FINALS.find(([from]) => rest === from);
  return initial + (final ? final[1] : rest);
}

/**
 * The Cantonese syllables of a name in Han characters, each as Hong Kong writes it; null when a
 * character has no reading (not Han, or outside the common block).
 */
export function cantoneseSyllables(han: string): string[] | null {
  const table = readings();
  const syllables: string[] = [];
  for (const character of han.replace(/\s+/g, '')) {
    const jyutping = table.get(character);
    if (!jyutping) return null;
    syllables.push(hongKongSpelling(jyutping));
  }
  return syllables.length ? syllables : null;
}

/** Every syllable Cantonese names are written with, as Hong Kong writes them (Ka, Fai, Cheung, Kwok). */
export function cantoneseSpellings(): Set<string> {
  return new Set([...readings().values()].map(hongKongSpelling));
}
