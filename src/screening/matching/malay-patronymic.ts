import { boundedMemo } from './bounded-memo';
import { DIGIT_READ_AS_LETTER } from './normalise-name';
import { romanisationKey } from './romanisation-variants';

/**
 * A Malay or Tamil-Malaysian name has no family name: it is the person's own name, a connector
 * (`bin`/`binti` "son/daughter of", `a/l`/`a/p` for Indian Malaysians), then the father's name
 * ("Ahmad bin Ismail"). Two such names are the same person only when both the own name and the
 * father's name agree, in that order: "Ismail bin Ahmad" is Ahmad's father's namesake, and
 * "Ahmad bin Ibrahim" is another Ahmad.
 */
export interface Patronymic {
  /** The person's own name words, without the honorifics documents write or leave out. */
  own: string[];
  father: string[];
  /** Whether the connector was written (otherwise the split is a guess the caller makes). */
  connected: boolean;
}

// bt, bte and binte are how MyKad and passports abbreviate binti. a/l and a/p ("anak lelaki/perempuan")
// become the words "axl"/"axp", so an Arabic "Al" written alone is not taken for a connector.
const CONNECTORS = new Set(['bin', 'binti', 'binte', 'bte', 'bt', 'axl', 'axp']);
// Written in full, abbreviated (Mohd, Muhd, Md) or left out from one document to the next; Siti and
// Nurul likewise. Romanisation keys fold Mohd/Muhd/Md/Mohamad… to "muhammad" and Noor/Nor to "nur".
const OPTIONAL_HONORIFICS = new Set(['muhammad', 'siti', 'nurul', 'nur', 'haji', 'hajah', 'wan', 'nik']);

function withoutHonorifics(words: string[]): string[] {
  const kept = words.filter((word) => !OPTIONAL_HONORIFICS.has(romanisationKey(word)));
  return kept.length ? kept : words;
}

/** Lowercase Latin words of a name as written, with a/l and a/p kept as one word. */
function writtenWords(written: string): string[] {
  return written
    .toLowerCase()
    .replace(/[0158]/g, (digit) => DIGIT_READ_AS_LETTER[digit]!)
    .replace(/\ba\s*\/\s*([lp])\b/g, ' ax$1 ')
    .split(/[^a-z]+/)
    .filter(Boolean);
}

/** The patronymic structure of a name that writes its connector, or null. */
export const parsePatronymic = boundedMemo(
  'patronymics',
  (written: string): Patronymic | null => {
    const words = writtenWords(written);
    const at = words.findIndex(
      (word, index) => index > 0 && index < words.length - 1 && CONNECTORS.has(word),
    );
    if (at < 0) return null;
    return { own: withoutHonorifics(words.slice(0, at)), father: words.slice(at + 1), connected: true };
  },
  1024 * 1024,
);

/**
 * The readings of a name written without a connector as own name + father's name: the father's name
 * last ("AHMAD ISMAIL") or first, as a machine-readable zone that files it as the surname
 * ("ISMAIL<<AHMAD"), with as many words as the other side's father's name.
 */
export function patronymicReadings(written: string, fatherWords: number): Patronymic[] {
  const words = writtenWords(written).filter((word) => !CONNECTORS.has(word));
  if (words.length <= fatherWords) return [];
  const last = { own: words.slice(0, -fatherWords), father: words.slice(-fatherWords), connected: false };
  const first = { own: words.slice(fatherWords), father: words.slice(0, fatherWords), connected: false };
  // A father's name is never only an honorific ("MOHD AHMAD" is not Ahmad's son Mohd).
  return [last, first]
    .filter((p) => p.father.some((word) => !OPTIONAL_HONORIFICS.has(romanisationKey(word))))
    .map((p) => ({ ...p, own: withoutHonorifics(p.own) }));
}
