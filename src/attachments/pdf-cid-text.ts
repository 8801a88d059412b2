import { firstEntry, hexInto, literalAt } from './pdf-text';
import { UnreadableContentError } from './unreadable-content.error';

/** Codes (bfchar entries and bfrange lines) all the ToUnicode maps of one PDF may set together. */
const CMAP_ENTRIES_MAX = 1 << 18;
/** UTF-16 units one code may stand for (a ligature's letters); the rest of a longer one is dropped. */
const DESTINATION_MAX = 16;
/** Text made at a time, handed on to be counted against the file's text budget before more is made. */
const PIECE = 64 * 1024;
/**
 * Bytes of a content stream read before what is made is handed on, empty or not, so the reader can let
 * the event loop go: 120 MB of font switches showing nothing (`/F1 Tf` over and over, a 180 KB PDF) held
 * the server 3 s and more at a stretch (probe input r10).
 */
const SCAN = 1024 * 1024;
/**
 * Objects (their dictionaries, those inside object streams too) one PDF may hold, past which it is
 * refused: each is kept until the whole file is read, and an object stream's header of 20 million
 * numbers (a 60 KB PDF) took 1.4 GB to split (probe input r10). Large documents hold some 100,000.
 */
const OBJECTS_MAX = 1 << 20;
/** A page's `/Parent` followed this far up for the resources it inherits. */
const PARENTS_MAX = 8;

/** `N G obj`, its numbers of bounded length: no backtracking over a long run of digits. */
const OBJECT_HEADER = /(?<!\d)(\d{1,10})[\s]{1,8}\d{1,5}[\s]{1,8}obj\b/g;
const REFERENCE = /(\d{1,10})\s+\d{1,5}\s+R\b/g;

/** A font's ToUnicode map: single codes, then ranges sorted by their first code. */
interface ToUnicode {
  codeBytes: number;
  single: Map<number, string>;
  ranges: Array<{ low: number; high: number; first: number; prefix: string }>;
}

/**
 * The objects of a PDF kept as `pdfParts` reads it, for the text its CID fonts draw: the strings of a
 * `Type0` font with `Identity-H` (Word's and browsers' "Save as PDF") are glyph numbers, `<0012 0013>`,
 * which the font's `/ToUnicode` CMap (`bfchar`, `bfrange`) maps to the text they show. Read as bytes, no
 * number drawn so was seen. Kept: each object's dictionary (those inside object streams too), the
 * CMaps, and the content streams that choose a font (`Tf`), as their filters left them (counted against
 * the PDF's inflation bounds already). Pages are followed to their fonts by their `/Resources` (inherited
 * from `/Parent` too); a stream no page names (a form) by its own, else by any font of that name.
 */
export class PdfObjects {
  private readonly bodies = new Map<number, string>();
  private readonly cmaps = new Map<number, Buffer>();
  private readonly contents = new Map<number, Buffer>();
  private entries = 0;
  private objects = 0;
  /** Fonts by the object naming them (`memo`). */
  private readonly fonts = new Map<string, Map<string, ToUnicode>>();

  /** The objects written between two streams (the last one's body is the next stream's dictionary). */
  readOutside(outside: Buffer): void {
    if (outside.indexOf(' obj') < 0 && outside.indexOf('\nobj') < 0) return;
    const text = outside.toString('latin1');
    // The next `endobj` is looked for again only once passed: one scan of the text, however many objects.
    let end = -2;
    let last: RegExpMatchArray | undefined;
    const keepLast = (next: number) => {
      if (!last) return;
      const start = last.index! + last[0].length;
      if (end !== -1 && end < start) end = text.indexOf('endobj', start);
      this.keep(Number(last[1]), text.slice(start, end >= 0 && end < next ? end : next));
    };
    // Each header as it is found, not all first (a match each, millions of them in 32 MB).
    for (const m of text.matchAll(OBJECT_HEADER)) {
      keepLast(m.index);
      last = m;
    }
    keepLast(text.length);
  }

  private keep(number: number, body: string): void {
    if (++this.objects > OBJECTS_MAX)
      throw new UnreadableContentError(`it holds more than ${OBJECTS_MAX} objects`);
    this.bodies.set(number, body);
  }

  readStream(dictionary: string, bytes: Buffer): void {
    const header = [...dictionary.matchAll(OBJECT_HEADER)].at(-1);
    if (!header) return;
    const number = Number(header[1]);
    if (/\/Type\s*\/ObjStm\b/.test(dictionary)) this.readObjectStream(dictionary, bytes);
    else if (bytes.includes('beginbf')) this.cmaps.set(number, bytes);
    else if (bytes.includes('Tf')) this.contents.set(number, bytes);
  }

  /** An object stream (`/Type /ObjStm`): `/N` pairs of an object's number and offset, then the objects from `/First`. */
  private readObjectStream(dictionary: string, bytes: Buffer): void {
    const first = Number(/\/First\s+(\d{1,10})/.exec(dictionary)?.[1] ?? NaN);
    if (!(first > 0 && first < bytes.length)) return;
    const text = bytes.toString('latin1', first);
    // The pairs read as they come, each object kept once the next one's offset ends it (splitting the
    // header first made a string and a number of each of its millions of words: probe input r10).
    let last: [number, number] | undefined;
    const keepLast = (end: number) => {
      if (last && Number.isInteger(last[0]) && last[1] >= 0 && end >= last[1])
        this.keep(last[0], text.slice(last[1], end));
    };
    const words = bytes.toString('latin1', 0, first).matchAll(/(\S+)\s+(\S+)/g);
    for (const [, number, offset] of words) {
      keepLast(Number(offset));
      last = [Number(number), Number(offset)];
    }
    keepLast(text.length);
  }

  /**
   * The text the kept content streams show in fonts that have a ToUnicode map, as UTF-8, a piece at a
   * time (its strings read as `shownBytes` reads them: a `TJ` array's joined, a line at each `ET`).
   */
  *cidText(): Generator<Buffer> {
    const maps = this.toUnicodeMaps();
    if (!maps.size) return;
    const everyFont = new Map<string, ToUnicode>();
    for (const body of this.bodies.values())
      for (const [name, font] of this.fontsIn(body, maps))
        if (!everyFont.has(name)) everyFont.set(name, font);
    const byStream = this.pageFonts(maps);
    for (const [number, content] of this.contents) {
      const own = this.fontsIn(this.bodies.get(number) ?? '', maps);
      yield* shownInFonts(content, byStream.get(number) ?? (own.size ? own : everyFont));
    }
  }

  /** Each font object's ToUnicode map, by the font's object number. */
  private toUnicodeMaps(): Map<number, ToUnicode> {
    const maps = new Map<number, ToUnicode>();
    const parsed = new Map<number, ToUnicode>();
    for (const [number, body] of this.bodies) {
      const cmap = /\/ToUnicode\s+(\d{1,10})\s+\d{1,5}\s+R\b/.exec(body)?.[1];
      const bytes = cmap === undefined ? undefined : this.cmaps.get(Number(cmap));
      if (!bytes) continue;
      if (!parsed.has(Number(cmap))) parsed.set(Number(cmap), this.parseCMap(bytes));
      maps.set(number, parsed.get(Number(cmap))!);
    }
    return maps;
  }

  /**
   * The fonts a page's, a form's or a resources dictionary names in its `/Font` resources (inline or
   * through references), by resource name; a page without resources of its own, its `/Parent`'s.
   */
  private fontsIn(
    body: string,
    maps: ReadonlyMap<number, ToUnicode>,
    up = 0,
    asResources = false,
  ): Map<string, ToUnicode> {
    // A resources dictionary names its fonts itself: another `/Resources` in one it points to is not
    // followed (a chain of 50,000 of them overflowed the stack: a 500, and the catch-up's endless retry).
    const resources = asResources ? undefined : /\/Resources\s+(\d{1,10})\s+\d{1,5}\s+R\b/.exec(body)?.[1];
    if (resources !== undefined)
      return this.memo(`resources ${resources}`, () =>
        this.fontsIn(this.bodies.get(Number(resources)) ?? '', maps, PARENTS_MAX, true),
      );
    const named = firstEntry(body, /\/Font\s*(?:(<<)|(\d{1,10})\s+\d{1,5}\s+R\b)/g, '>>');
    if (named?.inside !== undefined) return fontList(named.inside, maps);
    const list = named?.match[2];
    if (list !== undefined)
      return this.memo(`list ${list}`, () => fontList(this.bodies.get(Number(list)) ?? '', maps));
    const parent = /\/Parent\s+(\d{1,10})\s+\d{1,5}\s+R\b/.exec(body)?.[1];
    return parent === undefined || up >= PARENTS_MAX || /\/Resources\b/.test(body)
      ? new Map()
      : this.fontsOf(Number(parent), maps, up + 1);
  }

  /** `fontsIn` of an object, read once however many pages name it (their resources, their parent). */
  private fontsOf(number: number, maps: ReadonlyMap<number, ToUnicode>, up: number): Map<string, ToUnicode> {
    return this.memo(`object ${number}`, () => this.fontsIn(this.bodies.get(number) ?? '', maps, up));
  }

  private memo(key: string, read: () => Map<string, ToUnicode>): Map<string, ToUnicode> {
    let fonts = this.fonts.get(key);
    if (!fonts) {
      this.fonts.set(key, new Map()); // an object naming itself (a parent's loop) names no font
      fonts = read();
      this.fonts.set(key, fonts);
    }
    return fonts;
  }

  /** Each page's content streams, with the fonts of its resources (its own or those it inherits). */
  private pageFonts(maps: ReadonlyMap<number, ToUnicode>): Map<number, Map<string, ToUnicode>> {
    const byStream = new Map<number, Map<string, ToUnicode>>();
    for (const body of this.bodies.values()) {
      const named = firstEntry(body, /\/Contents\s*(?:(\[)|(\d{1,10}\s+\d{1,5}\s+R\b))/g, ']');
      const contents = named?.inside ?? named?.match[2];
      if (contents === undefined) continue;
      const fonts = this.fontsIn(body, maps);
      for (const m of contents.matchAll(REFERENCE)) byStream.set(Number(m[1]), fonts);
    }
    return byStream;
  }

  /**
   * A ToUnicode CMap's `bfchar` and `bfrange` entries (a range's destinations as an array too), counted
   * against `CMAP_ENTRIES_MAX` for the file: a range stands as one entry, not one per code, so
   * `<0000> <FFFF> <0030>` costs what it is written in; past the bound the file is refused.
   */
  private parseCMap(bytes: Buffer): ToUnicode {
    const text = bytes.toString('latin1');
    const space = /begincodespacerange\s*<([\da-fA-F\s]*)>/.exec(text)?.[1]?.replace(/\s/g, '');
    const map: ToUnicode = {
      codeBytes: space ? Math.min(4, Math.max(1, space.length >> 1)) : 2,
      single: new Map(),
      ranges: [],
    };
    const count = () => {
      if (++this.entries > CMAP_ENTRIES_MAX)
        throw new UnreadableContentError(`its fonts map more than ${CMAP_ENTRIES_MAX} codes to text`);
    };
    for (const [kind, block] of bfBlocks(text)) {
      if (kind === 'char')
        for (const m of block.matchAll(/<([\da-fA-F\s]*)>\s*<([\da-fA-F\s]*)>/g)) {
          count();
          map.single.set(hexNumber(m[1]!), utf16(m[2]!));
        }
      else
        for (const range of bfRanges(block)) {
          const [low, high] = [hexNumber(range.low), hexNumber(range.high)];
          if (high < low) continue;
          if (typeof range.to === 'string') {
            count();
            const destination = utf16(range.to);
            if (!destination) continue;
            const prefix = destination.slice(0, -1);
            map.ranges.push({ low, high, first: destination.charCodeAt(destination.length - 1), prefix });
          } else
            for (let i = 0; ; i++) {
              const d = range.to.next();
              if (d.done || low + i > high) break;
              count();
              map.single.set(low + i, utf16(d.value));
            }
        }
    }
    map.ranges.sort((a, b) => a.low - b.low);
    return map;
  }
}

/** A bfrange block's tokens: `<hex>` strings and the brackets of a destination array. */
const BF_TOKEN = /<([\da-fA-F\s]*)>|(\[)|(\])/g;

/**
 * A bfrange block's lines, `<low> <high> <destination>` or `<low> <high> [<d> <d> …]`, read token by
 * token as they come: an array's destinations handed on one at a time (all matched first, 20 million
 * `<0>` ended the server for heap, a 60 KB PDF), and an array never closed read to the block's end once
 * (a pattern `\[([^\]]*)\]` read it again from each `<0><0>[`: 150,000 of them held the server for
 * minutes; probe input r10).
 */
function* bfRanges(block: string): Generator<{ low: string; high: string; to: string | Iterator<string> }> {
  const tokens = block.matchAll(BF_TOKEN);
  const hexes: string[] = [];
  for (const [, hex, open] of tokens) {
    if (hex !== undefined) {
      hexes.push(hex);
      if (hexes.length === 3) yield { low: hexes[0]!, high: hexes[1]!, to: hexes[2]! };
      if (hexes.length === 3) hexes.length = 0;
    } else if (open && hexes.length === 2) {
      const [low, high] = hexes as [string, string];
      hexes.length = 0;
      let closed = false;
      const to: Iterator<string> = {
        next: () => {
          if (closed) return { done: true, value: undefined };
          const token = tokens.next();
          if (token.done || token.value[1] === undefined) {
            closed = true;
            return { done: true, value: undefined };
          }
          return { done: false, value: token.value[1] };
        },
      };
      yield { low, high, to };
      while (!to.next().done); // what the range did not take, to the array's end
    } else hexes.length = 0;
  }
}

/**
 * The `bfchar` and `bfrange` blocks of a CMap, each what stands between its `begin…` and the next
 * keyword: found in one pass (a block's end looked for from each beginning was quadratic in a CMap of
 * beginnings without ends).
 */
function* bfBlocks(text: string): Generator<['char' | 'range', string]> {
  let open: { kind: 'char' | 'range'; from: number } | null = null;
  for (const m of text.matchAll(/(begin|end)bf(char|range)/g)) {
    if (open) yield [open.kind, text.slice(open.from, m.index)];
    open = m[1] === 'begin' ? { kind: m[2] as 'char' | 'range', from: m.index + m[0].length } : null;
  }
}

/** A `/Font` dictionary's entries (`/F1 5 0 R`) whose font has a ToUnicode map. */
function fontList(list: string, maps: ReadonlyMap<number, ToUnicode>): Map<string, ToUnicode> {
  const fonts = new Map<string, ToUnicode>();
  for (const m of list.matchAll(/\/([^\s/<>[\]()]+)\s*(\d{1,10})\s+\d{1,5}\s+R\b/g)) {
    const font = maps.get(Number(m[2]));
    if (font) fonts.set(m[1]!, font);
  }
  return fonts;
}

const hexNumber = (hex: string) => parseInt(hex.replace(/\s/g, '').slice(-8) || '0', 16);

/** A CMap destination: UTF-16BE written in hex, at most `DESTINATION_MAX` units. */
function utf16(hex: string): string {
  const digits = hex.replace(/\s/g, '').slice(0, 4 * DESTINATION_MAX);
  let text = '';
  for (let i = 0; i + 4 <= digits.length; i += 4)
    text += String.fromCharCode(parseInt(digits.slice(i, i + 4), 16));
  return text;
}

function lookUp(map: ToUnicode, code: number): string {
  const single = map.single.get(code);
  if (single !== undefined) return single;
  // The last range beginning at or before the code.
  let [lo, hi] = [0, map.ranges.length - 1];
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (map.ranges[mid]!.low <= code) lo = mid;
    else hi = mid - 1;
  }
  const range = map.ranges[lo];
  if (!range || range.low > code || range.high < code) return '';
  return range.prefix + String.fromCharCode((range.first + code - range.low) & 0xffff);
}

const [SLASH, PAREN_OPEN, ANGLE_OPEN, ANGLE_CLOSE, BRACKET_OPEN, BRACKET_CLOSE, PERCENT] = [
  0x2f, 0x28, 0x3c, 0x3e, 0x5b, 0x5d, 0x25,
];
const isDelimiter = (c: number | undefined) =>
  c === undefined ||
  c <= 0x20 ||
  c === SLASH ||
  c === PAREN_OPEN ||
  c === 0x29 ||
  c === ANGLE_OPEN ||
  c === ANGLE_CLOSE ||
  c === BRACKET_OPEN ||
  c === BRACKET_CLOSE ||
  c === PERCENT ||
  c === 0x7b ||
  c === 0x7d;

/**
 * What a content stream's strings show, in the font each is drawn in (`/F1 10 Tf`): through the font's
 * ToUnicode map when it has one, as latin1 bytes when not (so a line drawn in two fonts reads whole).
 */
function* shownInFonts(content: Buffer, fonts: ReadonlyMap<string, ToUnicode>): Generator<Buffer> {
  if (!fonts.size) return;
  let out = '';
  let font: ToUnicode | undefined;
  let lastName = '';
  let inArray = false;
  let handOn = SCAN;
  // One buffer for every string's bytes: a string never shows more bytes than the stream holds.
  const scratch = Buffer.allocUnsafe(content.length);
  const show = (bytes: Buffer) => {
    if (!font) return void (out += bytes.toString('latin1'));
    const size = font.codeBytes;
    for (let i = 0; i + size <= bytes.length; i += size) out += lookUp(font, bytes.readUIntBE(i, size));
  };
  for (let i = 0; i < content.length;) {
    const c = content[i]!;
    if (c === SLASH) {
      let end = i + 1;
      while (!isDelimiter(content[end])) end++;
      lastName = content.toString('latin1', i + 1, end);
      i = end;
    } else if (c === PAREN_OPEN) {
      const { end, written } = literalAt(content, i, scratch, 0);
      show(scratch.subarray(0, written));
      if (!inArray) out += ' ';
      i = end;
    } else if (c === ANGLE_OPEN && content[i + 1] === ANGLE_OPEN) i += 2;
    else if (c === ANGLE_OPEN) {
      const end = content.indexOf(ANGLE_CLOSE, i + 1);
      if (end < 0) break;
      show(scratch.subarray(0, hexInto(content, i + 1, end, scratch, 0)));
      if (!inArray) out += ' ';
      i = end + 1;
    } else {
      if (c === BRACKET_OPEN) inArray = true;
      else if (c === BRACKET_CLOSE) {
        inArray = false;
        out += ' ';
      } else if (
        c === 0x54 &&
        content[i + 1] === 0x66 &&
        isDelimiter(content[i + 2]) &&
        isDelimiter(content[i - 1])
      )
        font = fonts.get(lastName);
      else if (
        c === 0x45 &&
        content[i + 1] === 0x54 &&
        isDelimiter(content[i + 2]) &&
        isDelimiter(content[i - 1])
      )
        out += '\n';
      i++;
    }
    if (out.length >= PIECE || i >= handOn) {
      yield Buffer.from(out);
      out = '';
      handOn = i + SCAN;
    }
  }
  if (out) yield Buffer.from(out + '\n');
}
