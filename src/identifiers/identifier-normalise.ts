import { isSupportedCountry, parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js';
import { getAlpha2Codes } from 'i18n-iso-countries';
import {
  CHAINS,
  normaliseWalletAddress,
  walletAddressProblem,
  type Chain,
} from '../common/accounts/wallet-address';
import { asciiDigits } from '../sharing/identifier-keys';

export const IDENTIFIER_KINDS = ['phone', 'bank_account', 'wallet', 'passport', 'compound', 'web'] as const;
export type IdentifierKind = (typeof IDENTIFIER_KINDS)[number];

/** An identifier as a caller writes it (a check item, a "seen in" query). */
export interface IdentifierInput {
  kind: IdentifierKind;
  value: string;
  /** phone: the country a national number (`012 345 678`) is dialled in. */
  region?: string;
  /** bank_account: the bank, as named (shown, not compared: bank names are free text). */
  bank?: string;
  /** wallet: the chain; when left out, read from the address's form. */
  chain?: string;
  /** passport: the issuing country, part of what is compared. */
  issuingCountry?: string;
}

/**
 * An identifier in the form records hold it, ready for the database's `identifier_match_key` (one key
 * function for stored and asked values, migration 1763800070000). `qualifier`: the bank, chain or
 * issuing country.
 */
export interface NormalisedIdentifier {
  kind: IdentifierKind;
  value: string;
  qualifier: string | null;
}

export type Normalised = { ok: NormalisedIdentifier } | { problem: string; field: 'value' | 'qualifier' };

/** Longest value after NFKC: a few characters may expand to many (`ﷺ` is 18), so the limit is applied again. */
const MAX_NORMALISED = 256;
const ISO_ALPHA2 = new Set(Object.keys(getAlpha2Codes()));

const problem = (message: string, field: 'value' | 'qualifier' = 'value'): Normalised => ({
  problem: message,
  field,
});

/**
 * NFKC (full-width and compatibility forms), digits of any script as ASCII, invisible format characters
 * (zero-width spaces, direction marks) dropped, spaces (and tabs, as pasted from a spreadsheet)
 * collapsed. Null when the text holds another control character (NUL, escape, line breaks…): no
 * identifier is written with one, so it is refused rather than cleaned into something not typed.
 */
function clean(text: string): string | null {
  if (/[\p{Cc}\u2028\u2029]/u.test(text.replace(/\t/g, ' '))) return null;
  const folded = asciiDigits(text.normalize('NFKC'))
    .replace(/\p{Cf}/gu, '')
    .replace(/\s+/gu, ' ')
    .trim();
  return folded;
}

/** Validates an identifier and brings it to the form records hold; a problem names what is wrong. */
export function normaliseIdentifier(input: IdentifierInput): Normalised {
  if (!(IDENTIFIER_KINDS as readonly string[]).includes(input.kind))
    return problem(`kind must be one of ${IDENTIFIER_KINDS.join(', ')}`);
  const value = clean(input.value);
  if (value === null) return problem('must not contain control characters');
  if (!value) return problem('must not be empty');
  if (value.length > MAX_NORMALISED)
    return problem(`is longer than ${MAX_NORMALISED} characters once normalised`);
  switch (input.kind) {
    case 'phone':
      return phone(value, input.region);
    case 'bank_account':
      return bankAccount(value, input.bank);
    case 'wallet':
      return wallet(value, input.chain);
    case 'passport':
      return passport(value, input.issuingCountry);
    case 'compound':
      return compound(value);
    case 'web':
      return web(value);
  }
}

/**
 * A phone in E.164. A number written internationally (`+855 12 345 678`, `00855…`) is kept digit for
 * digit, as persons and requests hold it (E.164 is all they accept); a national number is read with
 * libphonenumber in `region` and must be a possible number there.
 */
function phone(value: string, region: string | undefined): Normalised {
  if (!/^[+0-9 ()./-]+$/.test(value)) return problem('must be a phone number (digits, +, spaces, dashes)');
  const compact = value.replace(/[ ()./-]/g, '');
  const international = /^\+[1-9]\d{6,14}$/.test(compact)
    ? compact
    : /^00[1-9]\d{6,14}$/.test(compact)
      ? `+${compact.slice(2)}`
      : null;
  if (international) return { ok: { kind: 'phone', value: international, qualifier: null } };
  if (!region)
    return problem('must be an E.164 number such as +85512345678, or give region for a national number');
  if (!isSupportedCountry(region))
    return problem('must be an ISO 3166-1 alpha-2 country code', 'qualifier');
  const parsed = parsePhoneNumberFromString(compact, region as CountryCode);
  if (!parsed?.isPossible()) return problem(`is not a possible phone number in ${region}`);
  return { ok: { kind: 'phone', value: parsed.number, qualifier: null } };
}

/** Account numbers are Latin letters and digits with separators, compared without the separators. */
function bankAccount(value: string, bank: string | undefined): Normalised {
  if (!/^[A-Za-z0-9 ./-]+$/.test(value))
    return problem('must be written with Latin letters, digits and separators');
  const account = value.replace(/[^A-Za-z0-9]/g, '').toUpperCase();
  if (account.length < 4 || account.length > 64) return problem('must have 4 to 64 letters and digits');
  const bankName = bank === undefined ? null : clean(bank);
  if (bankName === null && bank !== undefined)
    return problem('must not contain control characters', 'qualifier');
  if (bankName !== null && bankName.length > 200)
    return problem('bank is too long once normalised', 'qualifier');
  return { ok: { kind: 'bank_account', value: account, qualifier: bankName || null } };
}

/**
 * A wallet address without a URI scheme (`ethereum:`) or query, checked against its chain (or, with no
 * chain given, against each chain's form in turn); hex and bech32 addresses in lower case, base58 as
 * written (it is case-sensitive).
 */
function wallet(value: string, chain: string | undefined): Normalised {
  const address = value
    .replace(/\s/g, '')
    .replace(/^[A-Za-z][A-Za-z0-9+.-]*:(\/\/)?/, '')
    .replace(/\?.*$/, '');
  if (!/^[A-Za-z0-9]{8,128}$/.test(address))
    return problem('must be a wallet address (Latin letters and digits)');
  if (chain !== undefined && !(CHAINS as readonly string[]).includes(chain))
    return problem(`chain must be one of ${CHAINS.join(', ')}`, 'qualifier');
  const candidates = chain ? [chain as Chain] : CHAINS;
  const match = candidates.find((c) => walletAddressProblem(c, address) === null);
  if (!match)
    return problem(
      chain ? walletAddressProblem(chain as Chain, address)! : 'is not an address of a known chain',
    );
  return { ok: { kind: 'wallet', value: normaliseWalletAddress(match, address), qualifier: chain ?? match } };
}

function passport(value: string, issuingCountry: string | undefined): Normalised {
  if (!issuingCountry || !ISO_ALPHA2.has(issuingCountry))
    return problem('must be an ISO 3166-1 alpha-2 country code', 'qualifier');
  if (!/^[A-Za-z0-9 -]+$/.test(value)) return problem('must be written with Latin letters and digits');
  const number = value.replace(/[^A-Za-z0-9]/g, '').toUpperCase();
  if (number.length < 5 || number.length > 20) return problem('must have 5 to 20 letters and digits');
  return { ok: { kind: 'passport', value: number, qualifier: issuingCountry } };
}

/** A compound's name or place: compared in lower case with punctuation and spacing folded. */
function compound(value: string): Normalised {
  if (!/[\p{L}\p{N}]/u.test(value)) return problem('must contain letters or digits');
  if (value.length > 200) return problem('must be at most 200 characters once normalised');
  return { ok: { kind: 'compound', value, qualifier: null } };
}

/**
 * A web address (http or https, scheme optional) as host without `www.` plus path and query, or a
 * handle (`@name`). Hosts are compared in ASCII (`xn--…`) form.
 */
function web(value: string): Normalised {
  if (value.startsWith('@')) {
    if (!/^@[A-Za-z0-9_.]{1,64}$/.test(value))
      return problem('a handle is @ and up to 64 letters, digits, _ or .');
    return { ok: { kind: 'web', value: value.toLowerCase(), qualifier: null } };
  }
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(value) ? value : `http://${value}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    return problem('must be a web address or a handle such as @name');
  }
  if (!['http:', 'https:'].includes(url.protocol)) return problem('must be an http or https address');
  if (!url.hostname.includes('.') || /\s/.test(url.hostname))
    return problem('must name a host such as example.com');
  const host = url.hostname.replace(/^www\./, '');
  const path = `${url.pathname}${url.search}`.replace(/\/+$/, '');
  return { ok: { kind: 'web', value: `${host}${path}`, qualifier: null } };
}
