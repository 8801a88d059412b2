import { getCountries, getCountryCallingCode } from 'libphonenumber-js';
import unhomoglyph from 'unhomoglyph';
import { ValidationFailedError } from '../common/errors/domain-errors';
import { foldDocumentNumber } from '../persons/search-folding';
import { UUID } from '../common/http/validators';
import { chargeWeighedRun } from './weighing-budget';

/** An identifier about to leave, as the key its provenance is kept under, and the field that gave it. */
export interface OutgoingIdentifier {
  key: string;
  field: string;
}

export interface IdentifierValues {
  phones?: string[];
  bankAccounts?: Array<{ accountNumber: string }>;
  cryptoAddresses?: Array<{ address: string }>;
  urls?: string[];
  compounds?: string[];
}

/**
 * One key however a number is written: NFKC (full-width forms), digits of any script as ASCII,
 * look-alike letters of other scripts as the letters they imitate (Unicode's confusables skeleton:
 * a Cyrillic `М` is an `M`), then letters and digits only (no zero-width characters, dashes,
 * underscores or spaces), upper case. Two different numbers may share a key (`1` and `l` look
 * alike): that errs towards refusing, never towards letting through.
 */
export function foldIdentifier(value: string): string {
  // ASCII letters and digits only (nearly every number): the skeleton's only mappings among them are
  // 0 → O and 1, I → l, so the walk below comes to this.
  if (ALNUM.test(value)) return value.toUpperCase().replace(/0/g, 'O').replace(/[1I]/g, 'L');
  // Upper case first: the skeleton tells `m` from `rn` by case, and a Cyrillic `м` is confusable
  // only as its capital.
  return unhomoglyph(asciiDigits(unseen(value.normalize('NFKC'))).toUpperCase())
    .replace(/[^\p{L}\p{N}]/gu, '')
    .toUpperCase();
}

const ASCII_ONLY = /^[ -~]*$/;
const ALNUM = /^[0-9A-Za-z]*$/;

/**
 * What takes no place of its own between two characters: default-ignorable code points (zero-width
 * spaces, soft hyphens, variation selectors, Hangul fillers — which are letters by category, yet
 * render as nothing or a blank) and combining marks (a keycap's enclosing square, accents put on a
 * digit). Dropped before a number is looked for: `9ㅤ8ㅤ7` and `9️⃣8️⃣7️⃣` are `987`.
 */
const UNSEEN = /[\p{Default_Ignorable_Code_Point}\p{M}]/gu;
export const unseen = (value: string) => (ASCII_ONLY.test(value) ? value : value.replace(UNSEEN, ''));

/**
 * Digits that are not decimal digits (`\p{Nd}`) and that NFKC leaves as they are, read as the digits
 * they stand for: Han numerals written digit by digit (`九八七` is `987`), their financial forms, the
 * ones written on cheques and bank slips (`壹贰叁`, `壹貳參`), `幺` (said for 1 in a phone number),
 * Suzhou numerals (`〡〢〣`) and circled dingbat digits (`❶`, `➀`, `➊`, `⓵`). Probe r16 sent a received
 * number to a third country written in each of these.
 */
const OTHER_DIGITS: Record<string, string> = {
  ...Object.fromEntries([...'〇一二三四五六七八九'].map((c, i) => [c, String(i)])),
  零: '0',
  ...Object.fromEntries([...'壹贰叁肆伍陆柒捌玖'].map((c, i) => [c, String(i + 1)])),
  貳: '2',
  參: '3',
  叄: '3',
  陸: '6',
  // Said for digits on the radio and the phone: 洞 0, 幺 1, 两 2, 拐 7, 勾 9.
  洞: '0',
  幺: '1',
  两: '2',
  兩: '2',
  拐: '7',
  勾: '9',
  // Japanese cheque forms.
  壱: '1',
  弐: '2',
  貮: '2',
  参: '3',
  ...Object.fromEntries([...'〡〢〣〤〥〦〧〨〩'].map((c, i) => [c, String(i + 1)])),
  ...circled(0x2776, '❿'),
  ...circled(0x2780, '➉'),
  ...circled(0x278a, '➓'),
  ...circled(0x24f5, '⓾'),
  '⓿': '0',
};

/** Nine circled digits from `first` (1 to 9), then the one for ten. */
function circled(first: number, ten: string): Record<string, string> {
  const nine = Array.from({ length: 9 }, (_, i) => [String.fromCodePoint(first + i), String(i + 1)]);
  return Object.fromEntries([...nine, [ten, '10']]);
}

const DIGIT_LIKE = new RegExp(`[\\p{Nd}${Object.keys(OTHER_DIGITS).join('')}]`, 'gu');

/**
 * Decimal digits of any script as ASCII (Khmer ១២៣, Thai ๑๒๓, Arabic-Indic…): Unicode keeps each
 * script's digits as runs of ten from zero, so a digit's value is its distance from its run's start.
 * The other digits above (`OTHER_DIGITS`) by their table.
 */
export function asciiDigits(value: string): string {
  // Printable ASCII (nearly every value) has no other digits: skip the per-digit walk below.
  if (ASCII_ONLY.test(value)) return value;
  return value.replace(DIGIT_LIKE, (digit) => {
    const other = OTHER_DIGITS[digit];
    if (other) return other;
    const cp = digit.codePointAt(0)!;
    let start = cp;
    while (/\p{Nd}/u.test(String.fromCodePoint(start - 1))) start--;
    return String((cp - start) % 10);
  });
}

/**
 * Every identifier lives in ONE key space, whatever field it came in: a phone used as a mobile-money
 * account number, or a passport number typed as a wallet address, is still the same value. Each kind
 * only sheds what is not part of the value first: a phone its `+` or international `00`, a wallet its
 * `ethereum:` scheme and `0x`, a web address its scheme, user, port and `www.` (and an international
 * host is compared in its ASCII form, so `xn--…` and the original script meet).
 */
const key = (value: string) => `id:${foldIdentifier(value)}`;
/** A phone's digits in international form: no `+`, no international `00`. */
const phoneDigits = (phone: string) =>
  asciiDigits(unseen(phone.normalize('NFKC')))
    .replace(/\D/g, '')
    .replace(/^00/, '');
export const phoneKey = (phone: string) => key(phoneDigits(phone));
export const accountKey = (accountNumber: string) => key(accountNumber);
/** `numbers` already folded as persons store them (`foldDocumentNumber`); folded again all the same. */
export const documentKey = (folded: string) => key(folded);
/** Every country calling code (1 to 3 digits; no code is a prefix of another). */
const CALLING_CODES = new Set(getCountries().map((country) => getCountryCallingCode(country)));

/**
 * A phone's keys: its international digits, and its national number (what is dialled inside the
 * country, without the trunk `0`), so `+855 39 339 08893` and `039 339 08893` written elsewhere meet.
 */
export function phoneKeys(phone: string): string[] {
  const digits = phoneDigits(phone);
  const code = [1, 2, 3].map((n) => digits.slice(0, n)).find((prefix) => CALLING_CODES.has(prefix));
  const national = code ? digits.slice(code.length).replace(/^0+/, '') : '';
  return national.length >= 6 ? [phoneKey(phone), key(national)] : [phoneKey(phone)];
}

/**
 * Of several identifier keys, each phone's national key with each international key it was made from
 * (`phoneKeys`): `id:L2OOOLLL` with `id:855L2OOOLLL` (and with `id:66L2OOOLLL`, when both are there). Two phones of different countries may share a national
 * key (Cambodia's `+855 88 100 111` and Thailand's `+66 88 100 111`); a consent to one names its number
 * by the international key, so it does not reach the other's receipts (probe r16).
 */
export function nationalKeysOf(keys: readonly string[]): Array<[national: string, number: string]> {
  const pairs: Array<[string, string]> = [];
  for (const k of keys) {
    // A phone's international key: digits only, read back from the fold (O is 0, L is 1), never with a
    // trunk 0 where its calling code would be.
    const digits = k.slice('id:'.length).replace(/O/g, '0').replace(/L/g, '1');
    if (!/^[1-9]\d+$/.test(digits)) continue;
    const national = phoneKeys(`+${digits}`)[1];
    if (national && national !== k && keys.includes(national)) pairs.push([national, k]);
  }
  return pairs;
}

/**
 * The forms a number takes inside a longer word, each weighed as a key of its own: the word itself,
 * without leading zeros (a national phone or account written with its trunk `0`), and each run of five
 * or more digits with up to two letters before it and one after (`ppN56644249`,
 * `passportnoN56644249`, `N56644249x` all hold `N56644249`).
 */
export function keyVariants(raw: string): string[] {
  const value = ALNUM.test(raw)
    ? raw.toUpperCase()
    : asciiDigits(unseen(raw.normalize('NFKC')))
        .toUpperCase()
        .replace(/[^\p{L}\p{N}]/gu, '');
  const variants = new Set<string>([key(value)]);
  // Letters written for digits (O for 0; I, L for 1) in a word otherwise of digits: its trunk 0 and its
  // runs are those of the digits it reads as (`O12-OOO-lll` holds `12000111`). Its key is the same.
  const read =
    /\d/.test(value) && /^[0-9OIL]+$/.test(value) ? value.replace(/O/g, '0').replace(/[IL]/g, '1') : value;
  if (/^0+\d{6,}$/.test(read)) variants.add(key(read.replace(/^0+/, '')));
  for (const form of read === value ? [value] : [value, read])
    for (const run of form.matchAll(/\d{5,}/g)) {
      // A national number with its trunk 0 inside a longer word (`012000111.txt`).
      if (/^0+\d{6,}$/.test(run[0])) variants.add(key(run[0].replace(/^0+/, '')));
      const start = run.index;
      const end = start + run[0].length;
      for (let before = 0; before <= 2 && start - before >= 0; before++) {
        if (before > 0 && !/\p{L}/u.test(form[start - before])) break;
        for (let after = 0; after <= 1 && end + after <= form.length; after++) {
          if (after > 0 && !/\p{L}/u.test(form[end])) break;
          variants.add(key(form.slice(start - before, end + after)));
        }
      }
    }
  return [...variants];
}

export const walletKey = (address: string) =>
  key(
    address
      .normalize('NFKC')
      .trim()
      .replace(/^[a-z][a-z0-9+.-]*:/i, '')
      .replace(/^0x/i, ''),
  );
export const urlKey = (url: string) => key(webAddress(url));
export const compoundKey = (name: string) => key(name);

function webAddress(url: string): string {
  const text = url.normalize('NFKC').trim();
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `http://${text}`;
  try {
    const u = new URL(withScheme);
    return `${u.hostname.replace(/^www\./i, '')}${u.pathname}${u.search}`;
  } catch {
    return text.replace(/^[a-z][a-z0-9+.-]*:\/\//i, '').replace(/^www\./i, '');
  }
}

/**
 * Number-like words inside text that is not itself a number — a compound's name, a web address's path,
 * a person's notes, a message — each as the key it would have on its own: a passport number written
 * into a compound name is still that passport number. A word counts when it has at least five letters
 * and digits, three of them digits; separators inside it (dashes, dots, underscores) fold away as in any
 * number, and what takes no place (`unseen`: invisible characters, fillers, combining marks) is dropped
 * first. A number written in groups with spaces between them ("M 1234 5678", "+855 12 345 678",
 * "9876543210 98", one digit a word) counts joined as well: every run of consecutive groups (words with
 * a digit, or short prefixes or hex groups: `isGroup`), at least two of them with digits, is joined and
 * weighed like one word, as long as no identifier is longer (`MAX_JOINED`).
 */
/** What stands between two words of a text: a number is written inside one with dashes, dots, underscores. */
export const BETWEEN_WORDS = /[^\p{L}\p{N}\p{Pd}\p{Cf}._]+/u;

export function numbersIn(text: string, field: string): OutgoingIdentifier[] {
  const normalized = unseen(text.normalize('NFKC'));
  // No two digits in the whole text (any script's, as `asciiDigits` reads them): no word holds the three
  // a number needs and no run of groups joins two words with digits, so nothing is weighed but the
  // words themselves, each coming to nothing; a text short enough cannot hold more words than may be
  // weighed (`MAX_WEIGHED`). Most short texts of a body (a country, a code, a name) end here.
  if (normalized.length <= MAX_WEIGHED && fewerThanTwoDigits(normalized) && !alikeByDigit(normalized))
    return [];
  const words = normalized.split(BETWEEN_WORDS).filter(Boolean);
  const keys = new Set<string>();
  const weigh = (word: string, digits: number, folded: number) => {
    if (digits < 3 || folded < 5) return;
    chargeWeighedRun(field);
    for (const variant of keyVariants(word)) keys.add(variant);
    // A wallet is written with its `0x` in text; its key is without.
    if (/^0x/i.test(asciiDigits(word))) keys.add(walletKey(word));
  };
  // Each word's folded length and digits, counted once: a run's are their sums. An ASCII letters-and-
  // digits word folds one character to one (`foldIdentifier`), so its length is its own.
  const length = words.map((word) => (ALNUM.test(word) ? word.length : foldIdentifier(word).length));
  const digits = words.map(digitsIn);
  // Letters written for digits count as digits in a word of digits (`OI2OOOIII`), and a word of them
  // alone (`OOO`, `lll`) is a group of a number written in groups (`+855 l2 OOO lll`): the release rule
  // folds them to one key already (`foldIdentifier`), so only a text whose key is a received number's
  // is refused for it (probe r16).
  const alike = words.map(alikeDigitsIn);
  const numeric = words.map((word, i) => (digits[i] ? digits[i]! + alike[i]! : 0));
  // Upper-case O and I, lower-case l only (`OOO`, `lll`, `OI-ll`): `oil`, `ill` and `lol` are words.
  const alikeOnly = words.map((word, i) => !digits[i] && ALIKE_GROUP.test(word));
  const group = words.map((word, i) => alikeOnly[i] || isGroup(word, digits[i]!, length[i]!));
  let weighed = 0;
  const tooMany = () =>
    new ValidationFailedError([
      {
        field,
        message: `${field} holds more runs of number-like groups than can be weighed before it leaves (${MAX_WEIGHED}); split it`,
      },
    ]);
  words.forEach((word, i) => {
    if (++weighed > MAX_WEIGHED) throw tooMany();
    weigh(word, numeric[i]!, length[i]!);
    if (!group[i]) return;
    let joined = word;
    let joinedLength = length[i]!;
    let joinedDigits = numeric[i]! || (alikeOnly[i] ? length[i]! : 0);
    // Groups with digits, and groups of letters for digits once a group with digits is in the run.
    let withDigits = digits[i] ? 1 : 0;
    for (let j = i + 1; j < words.length && group[j]; j++) {
      joined += words[j];
      joinedLength += length[j]!;
      joinedDigits += numeric[j]! || (alikeOnly[j] ? length[j]! : 0);
      if (joinedLength > MAX_JOINED) break;
      if (digits[j] || (alikeOnly[j] && joinedDigits > numeric[j]! + length[j]!)) withDigits++;
      if (withDigits < 2) continue;
      if (++weighed > MAX_WEIGHED) throw tooMany();
      weigh(joined, joinedDigits, joinedLength);
    }
  });
  return [...keys].map((k) => ({ key: k, field }));
}

/** Digits of a word in any script (`asciiDigits`), counted. */
const digitsIn = (word: string) => asciiDigits(word).replace(/\D/g, '').length;

/**
 * Latin letters a number may be written with for its digits (O for 0; I, i, l, L for 1), counted when
 * every letter of the word is one of them; else 0.
 */
function alikeDigitsIn(word: string): number {
  const letters = word.replace(/[^\p{L}]/gu, '');
  return /^[OoIiLl]*$/.test(letters) ? letters.length : 0;
}

/** Whether a letter written for a digit stands beside a digit (`OI2…`): a number may be written so. */
const alikeByDigit = (text: string) => /[OoIiLl][0-9]|[0-9][OoIiLl]/.test(asciiDigits(text));

/** Whether a text holds at most one digit of any script (as `asciiDigits` reads them). */
function fewerThanTwoDigits(text: string): boolean {
  const ascii = asciiDigits(text);
  const first = ascii.search(/\d/);
  return first < 0 || !/\d/.test(ascii.slice(first + 1));
}

/** Free text leaving with a write, named by field (`['reason', dto.reason]`); empty and absent texts carry nothing. */
export type OutgoingText = ReadonlyArray<readonly [field: string, text: string | null | undefined]>;

/** `numbersIn` over each of several texts, each named by its own field. */
export function numbersInTexts(texts: OutgoingText): OutgoingIdentifier[] {
  return texts.flatMap(([field, text]) => (text ? numbersIn(text, field) : []));
}

/**
 * Every text of a value about to leave — a request body, a record as stored — named by its path
 * (`targets[0].institutionCode`): each string and number, however deep in objects and arrays. What
 * leaves is weighed whole, so a field added later is weighed without anyone listing it. Only what
 * cannot be written freely is left out: a record's own ids (a UUID under a key naming an id) and dates
 * and times (ISO 8601 as typed fields hold them).
 */
export function textsIn(value: unknown, at: string): OutgoingText {
  const out: Array<readonly [string, string]> = [];
  const walk = (v: unknown, path: string, key: string) => {
    if (v === null || v === undefined) return;
    if (typeof v === 'string') {
      if (!(UUID.test(v) && ID_KEY.test(key)) && !ISO_TIME.test(v)) out.push([path, v]);
    } else if (typeof v === 'number' || typeof v === 'bigint') out.push([path, String(v)]);
    else if (v instanceof Date) return;
    else if (Array.isArray(v)) v.forEach((item, i) => walk(item, `${path}[${i}]`, key));
    else if (typeof v === 'object')
      for (const [k, item] of Object.entries(v)) walk(item, path ? `${path}.${k}` : k, k);
  };
  walk(value, at, at.replace(/.*[.\]]/, ''));
  return out;
}

/** `numbersIn` over every text of a value leaving (`textsIn`). */
export const numbersInAll = (value: unknown, at: string): OutgoingIdentifier[] =>
  numbersInTexts(textsIn(value, at));

/** `id`, `personId`, `person_id`, `personIds`, `victim_ids`, `created_by`… */
const ID_KEY = /(^id$|Ids?$|_ids?$|By$|_by$)/;
const ISO_TIME = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}(:?\d{2})?)?)?$/;

/** No identifier is longer folded (an Ethereum wallet is 40, an IBAN up to 34, a bech32 address 62). */
const MAX_JOINED = 64;
/**
 * Words and runs of groups one text may hold for `numbersIn` to weigh (~50–100 ms of CPU): a text of
 * 5,000 one-digit words holds 300,000 runs (0.8 s of a blocked event loop a message). No legitimate
 * text comes near it — 2,000 four-digit groups hold ~32,000 — and a text past it is refused (400),
 * never let through unweighed.
 */
const MAX_WEIGHED = 40_000;
/**
 * A group of a number written with spaces: any word with a digit, a one- or two-letter prefix, or a
 * group of a hexadecimal number (a wallet written in fours has groups of letters only: `eAed`).
 * `digits` and `folded`: the word's digits and folded length, counted by the caller.
 */
const ALIKE_GROUP = /^[OIl][OIl.\-_\p{Pd}]*$/u;
const isGroup = (word: string, digits: number, folded: number) =>
  digits > 0 || folded <= 2 || /^[a-f]{3,8}$/i.test(word);

export function identifierKeys(values: IdentifierValues | undefined, prefix: string): OutgoingIdentifier[] {
  if (!values) return [];
  return [
    ...(values.phones ?? []).flatMap((p, i) =>
      phoneKeys(p).map((k) => ({ key: k, field: `${prefix}.phones[${i}]` })),
    ),
    ...(values.bankAccounts ?? []).flatMap((a, i) =>
      keyVariants(a.accountNumber).map((k) => ({
        key: k,
        field: `${prefix}.bankAccounts[${i}].accountNumber`,
      })),
    ),
    ...(values.cryptoAddresses ?? []).map((w, i) => ({
      key: walletKey(w.address),
      field: `${prefix}.cryptoAddresses[${i}].address`,
    })),
    ...(values.urls ?? []).flatMap((u, i) => [
      { key: urlKey(u), field: `${prefix}.urls[${i}]` },
      // The whole address, user, fragment and all: a number hidden in any part is still that number.
      ...numbersIn(u, `${prefix}.urls[${i}]`),
    ]),
    ...(values.compounds ?? []).flatMap((c, i) => [
      { key: compoundKey(c), field: `${prefix}.compounds[${i}]` },
      ...numbersIn(c, `${prefix}.compounds[${i}]`),
    ]),
  ].filter((i) => i.key !== 'id:'); // nothing left once folded: nothing to weigh
}

/**
 * Every key under which a receipt of one identifier as a record holds it (`identifier_index`: its kind
 * and raw value) may have been recorded in `identifier_provenance`, by each path that records one: a
 * request's or its findings' identifiers (`identifierKeys`), a freeze target (`freezeTargetKeys`), a
 * person's document numbers and phones (`ReleaseService`). Empty keys (nothing left once folded) are
 * left out: no receipt is ever recorded under one. Used where the SQL key (`identifier_provenance_key`)
 * cannot be trusted (a value outside the characters it folds faithfully): more keys can only find more
 * receipts, which refuses more, never less.
 */
export function receiptKeysOf(kind: string, value: string): string[] {
  const keys = ((): string[] => {
    switch (kind) {
      case 'phone':
        return phoneKeys(value);
      case 'bank_account':
        return [accountKey(value), ...keyVariants(value)];
      case 'passport':
        return [
          documentKey(foldDocumentNumber(value)),
          ...keyVariants(foldDocumentNumber(value)),
          ...keyVariants(value),
        ];
      case 'wallet':
        return [walletKey(value)];
      // A web address and a compound name carry the numbers written in them as the release rule weighs
      // them (`identifierKeys`: an arrest's place, a request's compounds and urls): a compound named after
      // a received phone is that phone too (probe r48).
      case 'web':
        return [urlKey(value), ...numbersIn(value, 'value').map((i) => i.key)];
      case 'compound':
        return [compoundKey(value), ...numbersIn(value, 'value').map((i) => i.key)];
      default:
        // A kind added later with no rule here: every fold there is, rather than none.
        return [key(value), ...keyVariants(value)];
    }
  })();
  return [...new Set(keys)].filter((k) => k !== 'id:');
}

/** An asset-freeze target's account number or wallet address. */
export function freezeTargetKeys(
  targets: Array<{ accountNumber?: string; address?: string }>,
): OutgoingIdentifier[] {
  return targets.flatMap((t, i) => [
    ...(t.accountNumber ? [{ key: accountKey(t.accountNumber), field: `targets[${i}].accountNumber` }] : []),
    ...(t.address ? [{ key: walletKey(t.address), field: `targets[${i}].address` }] : []),
  ]);
}
