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
 * Letters and digits only, after NFKC, in upper case: zero-width characters, dashes of any kind,
 * underscores, spaces and full-width forms cannot make one number look like another.
 */
export function foldIdentifier(value: string): string {
  return asciiDigits(value.normalize('NFKC').replace(/[^\p{L}\p{N}]/gu, '')).toUpperCase();
}

/**
 * Decimal digits of any script as ASCII (Khmer ១២៣, Thai ๑๒๓, Arabic-Indic…): Unicode keeps each
 * script's digits as runs of ten from zero, so a digit's value is its distance from its run's start.
 */
function asciiDigits(value: string): string {
  return value.replace(/\p{Nd}/gu, (digit) => {
    const cp = digit.codePointAt(0)!;
    let start = cp;
    while (/\p{Nd}/u.test(String.fromCodePoint(start - 1))) start--;
    return String((cp - start) % 10);
  });
}

/**
 * The same phone, account or wallet written by two countries must meet under one key, however it was
 * written. Phones: the digits only, without an international `00` or `+` (a number with and without its
 * `+` is the same number). Account and document numbers share one key space (`number:`): a passport
 * number pasted into an account field is still that number. Wallets lower-cased (a base58 address
 * differing only in case from another is not a real case).
 */
export const phoneKey = (phone: string) =>
  `phone:${asciiDigits(phone.normalize('NFKC')).replace(/\D/g, '').replace(/^00/, '')}`;
export const accountKey = (accountNumber: string) => `number:${foldIdentifier(accountNumber)}`;
/** `numbers` already folded as persons store them (`foldDocumentNumber`); folded again all the same. */
export const documentKey = (folded: string) => `number:${foldIdentifier(folded)}`;
export const walletKey = (address: string) => `wallet:${foldIdentifier(address).toLowerCase()}`;
/** A web address without its scheme, `www.` and punctuation: `https://www.Scam.example/` is `scam.example`. */
export const urlKey = (url: string) =>
  `url:${foldIdentifier(
    url
      .normalize('NFKC')
      .trim()
      .replace(/^[a-z][a-z0-9+.-]*:\/\//i, '')
      .replace(/^www\./i, ''),
  ).toLowerCase()}`;
export const compoundKey = (name: string) => `compound:${foldIdentifier(name)}`;

export function identifierKeys(values: IdentifierValues | undefined, prefix: string): OutgoingIdentifier[] {
  if (!values) return [];
  return [
    ...(values.phones ?? []).map((p, i) => ({ key: phoneKey(p), field: `${prefix}.phones[${i}]` })),
    ...(values.bankAccounts ?? []).map((a, i) => ({
      key: accountKey(a.accountNumber),
      field: `${prefix}.bankAccounts[${i}].accountNumber`,
    })),
    ...(values.cryptoAddresses ?? []).map((w, i) => ({
      key: walletKey(w.address),
      field: `${prefix}.cryptoAddresses[${i}].address`,
    })),
    ...(values.urls ?? []).map((u, i) => ({ key: urlKey(u), field: `${prefix}.urls[${i}]` })),
    ...(values.compounds ?? []).map((c, i) => ({ key: compoundKey(c), field: `${prefix}.compounds[${i}]` })),
  ].filter((i) => !/^[a-z]+:$/.test(i.key)); // nothing left once folded: nothing to weigh
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
