import { ValidationFailedError } from '../common/errors/domain-errors';
import { findNumbers, type CountryCode } from 'libphonenumber-js/max';
import { foldIdentifier, numbersIn, phoneKeys } from './identifier-keys';
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

/** A file's text shows more phone numbers than are kept for it (`PhonesSeen`). */
export class TooManyPhonesError extends Error {
  constructor(readonly most: number) {
    super(`it shows more than ${most} phone numbers to keep`);
  }
}

const CELL_SEPARATORS = /[,;\t|]/g;
/** `1990-05-12`, `12/05/1990`: a day, read by the full metadata as a valid mobile of some countries. */
const DATE_SHAPED = /^(\d{4}[-./]\d{1,2}[-./]\d{1,2}|\d{1,2}[-./]\d{1,2}[-./]\d{2,4})$/;

/** Six digits and more, with what a phone is written with between them: the least a phone shows. */
const PHONE_LIKE = /\d[\d ().+\-/]{4,}\d/;

/**
 * The phone numbers lines show, as libphonenumber finds them in text (a national form read as
 * `country`'s), by their keys (`phoneKeys`): passed through `lines` as they are read. Narrower than
 * `numbersIn` on purpose: a call log's dates, times and durations are no one's number (read that way,
 * a 4.6 MB log held 160,000 keys; read for phones, 3,000 numbers in 2 s). The full metadata, so that a
 * number is found only where it is valid for its country (the smaller one took `2026-03-04` for a
 * Cambodian landline).
 */
export class PhonesSeen {
  readonly keys = new Set<string>();
  constructor(
    private readonly country: string,
    private readonly most: number,
  ) {}

  async *through(lines: AsyncIterable<string>): AsyncGenerator<string> {
    let read = 0;
    for await (const line of lines) {
      if (++read % LINES_PER_TURN === 0) await new Promise((resolve) => setImmediate(resolve));
      // Most lines of prose and of a file's raw bytes hold no run a phone could be written in: looked
      // for first (a match is found or given up at once), as `findNumbers` costs ~0.5 s a MB of any text.
      if (PHONE_LIKE.test(line)) {
        // A table's cells one per line: libphonenumber takes a number glued to a comma for part of a
        // longer run, and finds nothing in `10:05,012 000 111,5000`.
        const text = line.replace(CELL_SEPARATORS, '\n');
        for (const found of findNumbers(text, { defaultCountry: this.country as CountryCode, v2: true }))
          if (!DATE_SHAPED.test(text.slice(found.startsAt, found.endsAt)))
            for (const key of phoneKeys(found.number.number)) this.keys.add(key);
      }
      if (this.keys.size > this.most) throw new TooManyPhonesError(this.most);
      yield line;
    }
  }
}
