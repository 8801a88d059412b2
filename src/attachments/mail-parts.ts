/**
 * What an e-mail saved as a file (`.eml`, `message/rfc822`; text to the upload) holds under a transfer
 * encoding, decoded: each part in base64 or quoted-printable (a mail client writes a body so, or an
 * attachment), and the words of its headers written as `=?utf-8?B?…?=`. Read as text, a base64 body
 * shows no number, and quoted-printable breaks a long line with `=` at its end (`0071-2233-=` / `4455`)
 * wherever it reaches 76 characters, in the middle of a number too (probe r47, left).
 *
 * The parts are found in one pass, not by following the message's structure: each
 * `Content-Transfer-Encoding` header's body is what follows its header block, up to the next boundary
 * line (`--…`) or the next such header, whichever is first, so however deeply multiparts nest, no byte
 * is decoded twice and no nesting is followed (a part that is itself an e-mail is read by the caller,
 * `readableLines`, with its depth counted). What each part decodes to is never longer than it is written.
 */

/**
 * Whether a text's first bytes (`head`) begin as an e-mail does (RFC 5322): a header block of at least
 * two fields an e-mail has (`From`, `To`, `Subject`, `Date`, `Received`, `Message-ID`, `MIME-Version`,
 * `Content-Type`…), or one such field with what the reader decodes in view (an encoded word, a
 * `Content-Transfer-Encoding` field), after an mbox `From ` line or not. Any first line `Word: …` (a
 * memo's `Note:`, a log's `INFO:`) read every such text again, whole, for parts it never held. The
 * block is read to its first line that is no field (a blank line ends it), within the head only.
 */
export function looksLikeMail(head: string): boolean {
  const lines = head.split(LINE_END, HEAD_LINES);
  let at = lines[0]?.startsWith('From ') ? 1 : 0;
  let known = 0;
  let decodes = false;
  for (; at < lines.length; at++) {
    const line = lines[at]!;
    if (/^[ \t]/.test(line) && at > 0) continue; // a field folded onto the next line
    const name = /^([!-9;-~]{1,76}):/.exec(line)?.[1]?.toLowerCase();
    if (name === undefined) break;
    if (MAIL_FIELDS.has(name)) known++;
    if (name === 'content-transfer-encoding') decodes = true;
  }
  if (known >= 2) return true;
  // A part the reader decodes, wherever in view: a MIME message whose own block is only its
  // `Content-Type: multipart/…` has its `Content-Transfer-Encoding` below, in the part (review).
  return ENCODED_PART_IN.test(head) || (known === 1 && (decodes || ENCODED_WORD_IN.test(head)));
}

/** Lines of a head looked at: a header block is read within the first 4 KB anyway. */
const HEAD_LINES = 200;
const LINE_END = /\r?\n/;
/** Fields of an e-mail's header block (RFC 5322, 2045, 2076 and what mail servers add). */
const MAIL_FIELDS = new Set(
  (
    'from to cc bcc subject date received message-id mime-version content-type content-transfer-encoding ' +
    'content-disposition return-path reply-to sender in-reply-to references delivered-to dkim-signature ' +
    'authentication-results x-mailer user-agent thread-topic thread-index x-original-to envelope-to ' +
    'resent-from resent-to resent-date'
  ).split(' '),
);
const ENCODED_WORD_IN = /=\?[^?\s]{1,64}\?[bq]\?[^?\s]{1,200}\?=/i;

const ENCODED_PART = /^content-transfer-encoding:[ \t]*(base64|quoted-printable)\b/gim;
const ENCODED_PART_IN = /^content-transfer-encoding:[ \t]*(base64|quoted-printable)\b/im;
/** An encoded word (RFC 2047), of the length a header allows. */
const ENCODED_WORD = /=\?[^?\s]{1,64}\?([bq])\?([^?\s]{1,1000})\?=/gi;

/** The decoded parts of an e-mail's text, each as the bytes it is (text, a PDF, a ZIP…). */
export function* mailParts(text: string): Generator<Buffer> {
  const words = encodedWords(text);
  if (words.length) yield words;
  // Each looked for again only once passed: one scan of the text, however many headers.
  const next = { blank: -2, boundary: -2 };
  const after = (key: keyof typeof next, pattern: string, from: number) => {
    if (next[key] !== -1 && next[key] < from) next[key] = text.indexOf(pattern, from);
    return next[key] < 0 ? text.length : next[key];
  };
  const part = (header: RegExpMatchArray, until: number): Buffer | undefined => {
    const blank = Math.min(after('blank', '\n\n', header.index!), blankCrLf(text, header.index!, until));
    if (blank >= until) return undefined;
    const start = text.indexOf('\n', blank + 1) + 1;
    const end = Math.min(until, after('boundary', '\n--', start));
    const body = text.slice(start, end);
    return header[1]!.toLowerCase() === 'base64' ? Buffer.from(body, 'base64') : quotedPrintable(body);
  };
  // Each header's part decoded once the next header is found (where it ends at the latest), not every
  // header matched first (a million of them in 32 MB of text: probe input r10).
  let last: RegExpMatchArray | undefined;
  for (const header of text.matchAll(ENCODED_PART)) {
    const decoded = last && part(last, header.index);
    if (decoded) yield decoded;
    last = header;
  }
  const decoded = last && part(last, text.length);
  if (decoded) yield decoded;
}

/**
 * The header's encoded words decoded, each followed by a line break, into one buffer of at most the
 * text's length (a word never decodes longer than it is written). A buffer and a match each, all made
 * first, were 1.2 GB for 2.9 million words in 32 MB (a 60 KB ZIP: probe input r10).
 */
function encodedWords(text: string): Buffer {
  let out: Buffer | undefined;
  let n = 0;
  for (const [, kind, word] of text.matchAll(ENCODED_WORD)) {
    out ??= Buffer.allocUnsafe(Buffer.byteLength(text));
    if (kind!.toLowerCase() === 'b') n += out.write(word!, n, 'base64');
    else n += quotedPrintable(word!.replace(/_/g, ' ')).copy(out, n);
    out[n++] = NEWLINE;
  }
  return out ? out.subarray(0, n) : Buffer.alloc(0);
}

const NEWLINE = 0x0a;

/** The end of a header block written with CRLF (`\r\n\r\n`), looked for only up to `until`. */
function blankCrLf(text: string, from: number, until: number): number {
  const at = text.slice(from, until).indexOf('\r\n\r\n');
  return at < 0 ? text.length : from + at + 2;
}

/**
 * Quoted-printable (RFC 2045): `=XX` is the byte it names, `=` at a line's end (a soft line break) is
 * nothing, so `0071-2233-=\r\n4455` is `0071-2233-4455`. In one pass, into one buffer of at most the
 * text's length; a byte over 0xff (text the reader decoded already) is written as its UTF-8.
 */
export function quotedPrintable(text: string): Buffer {
  const out = Buffer.allocUnsafe(Buffer.byteLength(text));
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x3d) {
      const hex = text.slice(i + 1, i + 3);
      if (/^[\da-fA-F]{2}$/.test(hex)) {
        out[n++] = parseInt(hex, 16);
        i += 2;
        continue;
      }
      // A soft line break: `=`, white space a sender may leave, the line's end.
      let j = i + 1;
      while (text[j] === ' ' || text[j] === '\t') j++;
      if (text[j] === '\r') j++;
      if (text[j] === '\n') {
        i = j;
        continue;
      }
    }
    if (c < 0x80) out[n++] = c;
    else {
      const point = text.codePointAt(i)!;
      n += out.write(String.fromCodePoint(point), n);
      if (point > 0xffff) i++;
    }
  }
  return out.subarray(0, n);
}
