import { boundedMemo } from './bounded-memo';
import { DIGIT_READ_AS_LETTER, DIGITS_READ_AS_LETTERS } from './normalise-name';
import { romanisationKey } from './romanisation-variants';
import { oneSlipApart } from './malay-name-words';

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

// bt, bte and binte are how MyKad and passports abbreviate binti, bn and b. bin. a/l and a/p ("anak
// lelaki/perempuan", Indian Malaysians) and s/o, d/o ("son/daughter of", Singapore) become the words
// "axl", "axp", "axs", "axd", so an Arabic "Al" written alone is not taken for a connector.
const CONNECTORS = new Set(['bin', 'bn', 'b', 'binti', 'binte', 'bte', 'bt', 'axl', 'axp', 'axs', 'axd']);
// Hereditary titles and honorifics, written in full, abbreviated or left out from one document to the
// next: Tengku/Tunku/Tg, Syed/Sayed/Sed, Sharifah, Wan, Nik, Che, Megat, Puteri (hereditary), Haji/Hj,
// Hajah/Hjh, Dato'/Datuk (conferred). Source: "Malay styles and titles" (Wikipedia), JPN naming rules.
const TITLES = new Set(
  (
    'tengku tunku tuanku tg tgk ungku engku syed sayed sayyid sed syd sharifah syarifah sharifa wan nik ' +
    'che megat puteri putri haji hj hajah hjh dato datuk datin dr'
  ).split(' '),
);
// Written in full, abbreviated (Mohd, Muhd, Md) or left out from one document to the next; Siti and
// Nurul likewise. Romanisation keys fold Mohd/Muhd/Md/Mohamad… to "muhammad" and Noor/Nor to "nur".
const OPTIONAL_NAMES = new Set(['muhammad', 'siti', 'nurul', 'nur']);
// Typed in a hurry, these words keep their shape (MHAMMAD, NURL, TENGKUU): one slip of them, before
// the person's own name begins, is still the honorific, not a name of its own.
const SLIPPABLE = [
  ...'muhammad mohammad mohammed mohamad mohamed muhamad mohd muhd'.split(' '),
  ...'nur noor nurul tengku syed sayed sharifah syarifah'.split(' '),
];
const isOptional = (word: string) => TITLES.has(word) || OPTIONAL_NAMES.has(romanisationKey(word));
const isSlippedHonorific = (word: string) =>
  word.length >= 2 && SLIPPABLE.some((honorific) => oneSlipApart(word, honorific));

const isMuhammadOrTitle = (word: string) =>
  TITLES.has(word) ||
  ['muhammad', 'mohamed', 'mohd'].some((muhammad) => oneSlipApart(romanisationKey(word), muhammad));

/**
 * The words that name the person, without honorifics; when only honorifics are left (Mohamed Noor),
 * the ones that can be names themselves (Noor), so that a slip in Mohamed changes nothing.
 */
function withoutHonorifics(words: string[]): string[] {
  let leading = true;
  const kept = words.filter((word) => {
    if (isOptional(word) || (leading && isSlippedHonorific(word))) return false;
    leading = false;
    return true;
  });
  if (kept.length) return kept;
  const names = words.filter((word) => !isMuhammadOrTitle(word));
  return names.length ? names : words;
}

/** Lowercase Latin words of a name as written, with a/l and a/p kept as one word. */
function writtenWords(written: string): string[] {
  return (
    written
      .normalize('NFD')
      .replace(/\p{M}/gu, '')
      .toLowerCase()
      .replace(DIGITS_READ_AS_LETTERS, (digit) => DIGIT_READ_AS_LETTER[digit]!)
      // a/l and a/p; a machine-readable zone writes A<L (the slash is not in its alphabet).
      .replace(/\ba\s*(?:\/|<+)\s*([lp])\b/gi, ' ax$1 ')
      .replace(/\b([sd])\s*\/\s*o\b/gi, ' ax$1 ')
      .split(/[^a-z]+/)
      .filter(Boolean)
  );
}

// bin, binti, binte with one slip (BI, BNTI, BITI, BINT), a/l or a/p without its slash: a connector,
// when the other name has one.
const isSlippedConnector = (word: string) =>
  ['al', 'ap', 'a'].includes(word) ||
  (word.startsWith('b') && ['bin', 'binti', 'binte'].some((connector) => oneSlipApart(word, connector)));

/**
 * The patronymic structure of a name that writes its connector, or null. Loosely, a word one slip
 * from bin/binti counts as one too: only asked when the other name writes its connector.
 */
export function parsePatronymic(written: string, loosely = false): Patronymic | null {
  return (loosely ? parseLoosely : parseStrictly)(written);
}

const parseStrictly = boundedMemo('patronymics', (written: string) => parse(written, false), 1024 * 1024);
const parseLoosely = boundedMemo('loose-patronymics', (written: string) => parse(written, true), 256 * 1024);

function parse(written: string, loosely: boolean): Patronymic | null {
  const words = writtenWords(written);
  const isConnector = (word: string) => CONNECTORS.has(word) || (loosely && isSlippedConnector(word));
  const at = words.findIndex((word, index) => index > 0 && index < words.length - 1 && isConnector(word));
  if (at < 0) return null;
  return {
    own: withoutHonorifics(words.slice(0, at)),
    father: withoutHonorifics(words.slice(at + 1)),
    connected: true,
  };
}

/**
 * The readings of a name written without a connector as own name + father's name: the father's name
 * last ("AHMAD ISMAIL") or first, as a machine-readable zone that files it as the surname
 * ("ISMAIL<<AHMAD"), with as many words as the other side's father's name.
 */
export function patronymicReadings(written: string, fatherWords: number): Patronymic[] {
  return readingsWithFather(`${fatherWords}\u0000${written}`);
}

const readingsWithFather = boundedMemo(
  'patronymic-readings',
  (key: string): Patronymic[] => {
    const at = key.indexOf('\u0000');
    const fatherWords = Number(key.slice(0, at));
    const written = key.slice(at + 1);
    const words = writtenWords(written).filter((word) => !CONNECTORS.has(word));
    if (words.length <= fatherWords) return [];
    const last = { own: words.slice(0, -fatherWords), father: words.slice(-fatherWords), connected: false };
    const first = { own: words.slice(fatherWords), father: words.slice(0, fatherWords), connected: false };
    // A father's name is never only a title or Muhammad ("MOHD AHMAD" is not Ahmad's son Mohd); Noor
    // alone can be (Mohamed Noor).
    return [last, first]
      .filter((p) => p.father.some((word) => !TITLES.has(word) && romanisationKey(word) !== 'muhammad'))
      .map((p) => ({ ...p, own: withoutHonorifics(p.own), father: withoutHonorifics(p.father) }));
  },
  256 * 1024,
);
