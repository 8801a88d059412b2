import { ValidationFailedError } from '../common/errors/domain-errors';
import { findNumbers, parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/max';
import {
  asciiDigits,
  BETWEEN_WORDS,
  foldIdentifier,
  keyVariants,
  numbersIn,
  phoneKeys,
  unseen,
} from './identifier-keys';
import { outsideWeighingBudget } from './weighing-budget';

/** Folded characters a number must have for `numbersIn` to weigh it: what a line is first looked for. */
const SHORTEST = 5;
const OVERLAP = 256;
/** Lines read between two turns of the event loop: a long file never holds other requests up for long. */
const LINES_PER_TURN = 50;

/**
 * Of the numbers written in a file's lines, those among `received` (keys of numbers the holder received
 * from another country), read as `numbersIn` reads any text. A line is read whole only when its folded
 * form holds one of them whole; most lines of most files hold none, and are passed over at the cost of a
 * fold and a look-up per character.
 */
export async function receivedNumbersIn(
  lines: AsyncIterable<string>,
  received: ReadonlySet<string>,
): Promise<Set<string>> {
  const found = new Set<string>();
  // Every key `numbersIn` gives a text is the folded form of a stretch of it, so a received number's
  // folded form must stand in the folded line for the line to hold it: looked for first, by its first
  // characters, then whole. A line of look-alikes (`12000 12000 …` against `12000111`) is passed over.
  const bodiesByHead = new Map<string, string[]>();
  for (const key of received) {
    const body = key.slice('id:'.length);
    if (body.length < SHORTEST) continue;
    const head = body.slice(0, SHORTEST);
    bodiesByHead.set(head, [...(bodiesByHead.get(head) ?? []), body]);
  }
  if (!bodiesByHead.size) return found;
  let read = 0;
  for await (const line of lines) {
    if (++read % LINES_PER_TURN === 0) await new Promise((resolve) => setImmediate(resolve));
    if (!holdsOne(foldIdentifier(line), bodiesByHead)) continue;
    for (const key of keysIn(line)) if (received.has(key)) found.add(key);
  }
  return found;
}

function holdsOne(folded: string, bodiesByHead: ReadonlyMap<string, string[]>): boolean {
  for (let i = 0; i + SHORTEST <= folded.length; i++) {
    const bodies = bodiesByHead.get(folded.slice(i, i + SHORTEST));
    if (bodies?.some((body) => folded.startsWith(body, i))) return true;
  }
  return false;
}

/** `numbersIn`'s keys; a line holding more runs than it weighs at once is read in halves. */
function keysIn(line: string): string[] {
  try {
    // A file is read a line at a time, the event loop let go every few lines: its own bound.
    return outsideWeighingBudget(() => numbersIn(line, 'content')).map((n) => n.key);
  } catch (error) {
    // Halves overlapping by more than a number written in groups spans (runs of separators are one
    // space by then: `readableLines`); a line this short never holds too many runs.
    if (!(error instanceof ValidationFailedError) || line.length <= 4 * OVERLAP) throw error;
    const half = Math.ceil(line.length / 2);
    return [...keysIn(line.slice(0, half + OVERLAP)), ...keysIn(line.slice(half - OVERLAP))];
  }
}

/**
 * Which reading of a file `OwnNumbersSeen` is: raised when it finds numbers it did not before, so the
 * catch-up job reads the files read by an older one again (1: phones only, session 40; 2: accounts and
 * documents as well; 3: Word, spreadsheet and page markup as it shows, UTF-16 without a mark, numbers
 * wrapped onto the next line, passport MRZ lines, probe r47; 4: PDF text drawn in CID fonts through
 * their ToUnicode maps, e-mails' base64 and quoted-printable parts, JSON's `\u` escapes; 5: PDF text
 * strings in UTF-16BE or UTF-8 with their mark, and encrypted PDFs refused, i.e. recorded unreadable).
 */
export const OWN_NUMBERS_READING = 5;

/**
 * How long a file's text may be read for its numbers: 30 s, and 5 s more for each MB stored. A call log
 * reads at about 1 s a MB, prose far faster; text made to be slow to read (`+1(1(1(…`: ~10 s a MB for
 * libphonenumber) from a small compressed upload (a 30 KB ZIP may hold 64 MB of text) held the server
 * for minutes.
 */
const readingTime = (storedBytes: number) => 30_000 + (5_000 * storedBytes) / (1024 * 1024);

/** A file's text takes longer to read through than its size allows (`readingTime`). */
export class ReadTooLongError extends Error {
  constructor() {
    super('it takes longer to read through than a file of its size may');
  }
}

/** A file's text shows more numbers of the holder's own than are kept for it (`OwnNumbersSeen`). */
export class TooManyNumbersError extends Error {
  constructor(readonly most: number) {
    super(`it shows more than ${most} numbers to keep`);
  }
}

const CELL_SEPARATORS = /[,;\t|]/g;
/** `1990-05-12`, `12/05/1990`: a day, read by the full metadata as a valid mobile of some countries. */
const DATE_SHAPED = /^(\d{4}[-./]\d{1,2}[-./]\d{1,2}|\d{1,2}[-./]\d{1,2}[-./]\d{2,4})$/;

/** Six digits and more, with what a phone is written with between them: the least a phone shows. */
const PHONE_LIKE = /\d[\d ().+\-/]{4,}\d/;

/**
 * The numbers of the holder's own lines show, by the keys the release rule weighs them under: the phone
 * numbers libphonenumber finds in text (a national form read as `country`'s: `phoneKeys`), and the
 * account and document numbers written in them (`writtenNumbersIn`), passed through `lines` as they are
 * read. Narrower than `numbersIn` on purpose: a call log's dates, times and durations are no one's
 * number (read that way, a 4.6 MB log held 160,000 keys; read so, 3,000 numbers in 2 s). The full
 * metadata, so that a phone is found only where it is valid for its country (the smaller one took
 * `2026-03-04` for a Cambodian landline).
 */
export class OwnNumbersSeen {
  readonly keys = new Set<string>();
  private readonly until: number;
  /** `storedBytes`: the file's size as stored, which the time it may be read for grows with (`readingTime`). */
  constructor(
    private readonly country: string,
    private readonly most: number,
    storedBytes: number,
  ) {
    this.until = Date.now() + readingTime(storedBytes);
  }

  /**
   * A number wrapped onto the next line (`0071-2233-` then `4455`), or drawn a group per text object in
   * a PDF (each ended by a line break: `pdfParts`), read as `numbersIn` reads any text: the cells around
   * each such line break joined by a space, read for written numbers and phones. What each line shows
   * alone is read as well (`through`). A next line beginning with a day is a table's next row (probe r47).
   */
  private wrapped(line: string): string[] {
    const keys: string[] = [];
    for (const [span] of line.matchAll(WRAPPED_SPAN)) {
      const pieces = span.split(/\r?\n/);
      if (pieces.slice(1).some((piece) => DAY_FIRST.test(piece))) continue;
      const joined = pieces.map((piece) => piece.trim()).join(' ');
      keys.push(...writtenNumbersIn(joined));
      for (const [run] of joined.matchAll(PHONE_RUN)) {
        const digits = run.replace(/\D/g, '').length;
        if (digits < 6 || digits > 17) continue;
        const phone = parsePhoneNumberFromString(run, this.country as CountryCode);
        if (phone?.isValid()) keys.push(...phoneKeys(phone.number));
        else if (run.startsWith('+')) keys.push(...leadingPhone(run));
      }
    }
    return keys;
  }

  async *through(lines: AsyncIterable<string>): AsyncGenerator<string> {
    let read = 0;
    for await (const line of lines) {
      if (++read % LINES_PER_TURN === 0) {
        await new Promise((resolve) => setImmediate(resolve));
        if (Date.now() > this.until) throw new ReadTooLongError();
      }
      // A table's cells one per line: libphonenumber takes a number glued to a comma for part of a
      // longer run, and finds nothing in `10:05,012 000 111,5000`.
      const text = line.replace(CELL_SEPARATORS, '\n');
      // Most lines of prose and of a file's raw bytes hold no run a phone could be written in: looked
      // for first (a match is found or given up at once), as `findNumbers` costs ~0.5 s a MB of any text.
      if (PHONE_LIKE.test(line)) {
        const found = findNumbers(text, { defaultCountry: this.country as CountryCode, v2: true });
        for (const number of found)
          if (!DATE_SHAPED.test(text.slice(number.startsAt, number.endsAt)))
            for (const key of phoneKeys(number.number.number)) this.keys.add(key);
        for (const run of text.matchAll(INTERNATIONAL_RUN))
          if (!found.some((n) => n.startsAt < run.index + run[0].length && n.endsAt > run.index))
            for (const key of leadingPhone(run[0])) this.keys.add(key);
      }
      if (MAY_HOLD_DIGITS.test(line)) {
        for (const key of writtenNumbersIn(isRawBytes(line) ? printableRuns(text) : text)) this.keys.add(key);
        if (line.includes('\n')) for (const key of this.wrapped(line)) this.keys.add(key);
      }
      if (this.keys.size > this.most) throw new TooManyNumbersError(this.most);
      yield line;
    }
  }
}

/**
 * Cells (between a table's separators) joined across line breaks that digits stand on both sides of;
 * begun only where a cell begins, so a long line is scanned once, not from each of its characters.
 */
const WRAPPED_SPAN =
  /(?<=^|[,;\t|\n])(?:[^,;\t|\n]*?[\d\p{Pd}][^\S\n]*\r?\n[^\S\n]*(?=[+\p{N}]))+[^,;\t|\n]*/gu;
/** A day at the start of a line: a table's next row, no part of a number. */
const DAY_FIRST = /^\s*(?:\d{4}-\d{1,2}-\d{1,2}|\d{1,2}[/.]\d{1,2}[/.]\d{2,4})/;
/** Groups a phone may be written in. */
const PHONE_RUN = /\+?\d[\d ().-]*\d/g;

/** A number written in international form, with what may follow it in groups. */
const INTERNATIONAL_RUN = /\+\d[\d ().-]{4,}\d/g;

/**
 * The keys of the phone an international run begins with, where libphonenumber found none in it: more
 * groups follow the number (`+855 77 500 101 5 min`, a call's duration), and the run as a whole is too
 * long to be one. Its groups are dropped from the end until what is left is a valid number.
 */
function leadingPhone(run: string): string[] {
  const groups = run.split(/[ ().-]+/).filter(Boolean);
  // Its beginnings of one group and more, all but the whole, as long as a phone may be (E.164: 15
  // digits): a run of thousands of groups is not tried at every length.
  const beginnings: string[] = [];
  for (let end = 1, begun = groups[0]!; end < groups.length && begun.length <= 18; begun += groups[end++])
    beginnings.push(begun);
  for (const begun of beginnings.reverse()) {
    const phone = parsePhoneNumberFromString(begun);
    if (phone?.isValid()) return phoneKeys(phone.number);
  }
  return [];
}

/** Control characters, as a file's raw bytes read as single-byte text show them and text does not. */
const CONTROLS = /[^\P{Cc}\t\n\v\f\r]/gu;
/** Whether a line is a file's raw bytes (a compressed stream read as text): one character in 20 a control. */
const isRawBytes = (line: string) => (line.match(CONTROLS)?.length ?? 0) * 20 > line.length;
/**
 * The runs of printable ASCII in raw bytes, one a line (as `strings` reads a binary): a number stored
 * in them as text is one. Read whole, raw bytes cost `writtenNumbersIn` 0.25 s a MB (their Latin-1
 * superscripts and fractions are digits to it), a 200 MB PDF read as bytes nearly a minute.
 */
const printableRuns = (text: string) => (text.match(/[\t -~]{6,}/g) ?? []).join('\n');

/** Two ASCII digits, or a character outside printable ASCII (a digit of another script: `asciiDigits`). */
const MAY_HOLD_DIGITS = /[^\t -~]|\d.*\d/;
/** A time of day (`10:05`, `10:05:07.250`): the groups around a colon are no one's number. */
const TIMES = /\b\d{1,2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?\b/g;
/** A day written year first or last (`2026-03-04`, `04/03/2026`, `4.3.26`), its parts checked below. */
const DAYS = /\b(?:(\d{4})[-./](\d{1,2})[-./](\d{1,2})|(\d{1,2})[-./](\d{1,2})[-./](\d{4}|\d{2}))\b/g;
/** An amount with its cents (`3500.00`, `1.250,75`). */
const AMOUNT = /^\d[\d.,]*[.,]\d{1,2}$/;
/** Digits an account or a document number has at the least (a passport: seven to nine). */
const FEWEST_DIGITS = 6;
/** Folded characters the longest identifier has (an IBAN: 34; a wallet: 64): no run of groups is longer. */
const LONGEST = 64;

/**
 * The account and document numbers written in a text, by every key the release rule weighs a typed
 * number under (`keyVariants`: a receipt of `ACC-0012345678` meets `12345678` typed into a record): each
 * word with six digits or more that is not a day or an amount, and each run of words with digits written
 * one after another (`1234 5678 9012`, `N-5664 4249`), joined whole (up to `LONGEST`; a longer run from
 * each of its words on). Times of day are taken out first: `2026-03-03T10:05` is no one's number.
 */
export function writtenNumbersIn(text: string): string[] {
  const keys = new Set<string>();
  const read = asciiDigits(unseen(text.normalize('NFKC')));
  for (const number of mrzDocumentNumbers(read)) for (const key of keyVariants(number)) keys.add(key);
  for (const cell of cellsOf(read)) {
    const words = cell.split(BETWEEN_WORDS).filter(Boolean);
    for (const word of new Set([...words, ...joinedRuns(words)]))
      if (isWrittenNumber(word)) for (const key of keyVariants(word)) keys.add(key);
  }
  return [...keys];
}

const isWrittenNumber = (word: string) =>
  word.replace(/\D/g, '').length >= FEWEST_DIGITS && !DATE_SHAPED.test(word) && !AMOUNT.test(word);

/** A text read with its digits as ASCII, cut where a time of day or a day stands: no run of groups reaches over one. */
function cellsOf(read: string): string[] {
  return read
    .replace(/(\d)T(?=\d{1,2}:\d{2})/g, '$1 ')
    .replace(TIMES, '\n')
    .replace(DAYS, (day, year, month, date, first, second, last) =>
      isDay(year ?? last, month ?? second, date ?? first) || isDay(last, first, second) ? '\n' : day,
    )
    .split('\n');
}

/**
 * Each run of two words and more with digits, joined: whole, or, for a run longer than any identifier,
 * from each of its words on as far as one reaches.
 */
function joinedRuns(words: string[]): Set<string> {
  // A set: a line of one group again and again (`1 1 1 …`) joins to the same few numbers.
  const joined = new Set<string>();
  const hasDigit = (word: string) => /\d/.test(word);
  for (let start = 0; start < words.length; start++) {
    let end = start;
    while (end < words.length && hasDigit(words[end]!)) end++;
    const run = words.slice(start, end);
    const from = run.join('').length <= LONGEST ? [0] : run.map((_, i) => i);
    if (run.length > 1)
      for (const i of from) {
        let number = run[i]!;
        for (let j = i + 1; j < run.length && number.length + run[j]!.length <= LONGEST; j++)
          number += run[j];
        if (number !== run[i]) joined.add(number);
      }
    start = Math.max(start, end);
  }
  return joined;
}

/** Whether a day-shaped run's parts could be a day of the years the desk's records are of. */
function isDay(year: string | undefined, month: string | undefined, date: string | undefined): boolean {
  if (!year || !month || !date) return false;
  const y = Number(year);
  const inRange = (part: string, most: number) => Number(part) >= 1 && Number(part) <= most;
  return (year.length === 2 || (y >= 1900 && y <= 2100)) && inRange(month, 12) && inRange(date, 31);
}

/**
 * The document numbers of a passport's or an ID card's machine-readable zone (ICAO 9303), each checked
 * by its check digit: the number fills nine characters padded with `<` and its check digit follows
 * glued (`N566442491KHM8001014M…`), so the words read above hold `N566442491`, never `N56644249`
 * (probe r47). A passport's and a visa's second line (number, check digit, nationality, birth date), an
 * ID card's first (type, issuing state, number, check digit).
 */
function mrzDocumentNumbers(text: string): string[] {
  const numbers: string[] = [];
  if (!text.includes('<')) return numbers;
  const upper = text.toUpperCase();
  for (const pattern of [PASSPORT_LINE, CARD_LINE])
    for (const m of upper.matchAll(pattern)) {
      const [field, check] = [m[1]!, m[2]!];
      const number = field.replace(/</g, '');
      if (number.length >= FEWEST_DIGITS - 1 && /\d/.test(number) && checkDigit(field) === check)
        numbers.push(number);
    }
  return numbers;
}

/**
 * The start of a passport's (or a visa's) second line: the number, its check digit, nationality, birth
 * date and its check digit, sex. What follows may be cut (a run of `<` is one space by then: `spaced`).
 */
const PASSPORT_LINE = /(?<![A-Z0-9<])([A-Z0-9<]{9})(\d)[A-Z<]{3}\d{6}[\d<][MFX<]/g;
/** An ID card's first line: `I`, `A` or `C`, a letter or `<`, the issuing state, the number, its check digit. */
const CARD_LINE = /(?<![A-Z0-9<])[IAC][A-Z<][A-Z<]{3}([A-Z0-9<]{9})(\d)(?=[A-Z0-9< ]|$)/gm;

/** ICAO 9303's check digit: weights 7, 3, 1; `<` 0, digits their value, letters 10 to 35. */
function checkDigit(field: string): string {
  let sum = 0;
  for (let i = 0; i < field.length; i++) {
    const c = field.charCodeAt(i);
    const value = c >= 48 && c <= 57 ? c - 48 : c >= 65 && c <= 90 ? c - 55 : 0;
    sum += value * [7, 3, 1][i % 3]!;
  }
  return String(sum % 10);
}
