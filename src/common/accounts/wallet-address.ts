import { createHash } from 'node:crypto';

/** Chains a wallet target may be on. */
export const CHAINS = ['bitcoin', 'ethereum', 'tron', 'bsc', 'solana'] as const;
export type Chain = (typeof CHAINS)[number];

const BASE58 = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';
const BECH32 = 'qpzry9x8gf2tvdw0s3jn54khce6mua7l';

/** Base58 (Bitcoin alphabet) to bytes, or null when a character is outside the alphabet. */
export function base58Decode(text: string): Uint8Array | null {
  let value = 0n;
  for (const ch of text) {
    const digit = BASE58.indexOf(ch);
    if (digit < 0) return null;
    value = value * 58n + BigInt(digit);
  }
  const bytes: number[] = [];
  while (value > 0n) {
    bytes.unshift(Number(value % 256n));
    value /= 256n;
  }
  for (const ch of text) {
    if (ch !== '1') break;
    bytes.unshift(0);
  }
  return Uint8Array.from(bytes);
}

const sha256 = (data: Uint8Array) => createHash('sha256').update(data).digest();

/** The payload of a Base58Check string (version byte included), or null when the checksum is wrong. */
function base58CheckPayload(text: string): Uint8Array | null {
  const bytes = base58Decode(text);
  if (!bytes || bytes.length < 5) return null;
  const payload = bytes.subarray(0, bytes.length - 4);
  const checksum = sha256(sha256(payload)).subarray(0, 4);
  return Buffer.compare(checksum, Buffer.from(bytes.subarray(bytes.length - 4))) === 0 ? payload : null;
}

function bech32Polymod(values: number[]): number {
  const generator = [0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3];
  let chk = 1;
  for (const v of values) {
    const top = chk >>> 25;
    chk = ((chk & 0x1ffffff) << 5) ^ v;
    for (let i = 0; i < 5; i++) if ((top >>> i) & 1) chk ^= generator[i]!;
  }
  return chk >>> 0;
}

/** A SegWit address (`bc1…`): bech32 for witness version 0 (20- or 32-byte programs), bech32m from version 1. */
function validSegwit(address: string): boolean {
  if (address !== address.toLowerCase() && address !== address.toUpperCase()) return false;
  const lower = address.toLowerCase();
  if (!/^bc1[qpzry9x8gf2tvdw0s3jn54khce6mua7l]{8,87}$/.test(lower) || lower.length > 90) return false;
  const data = [...lower.slice(3)].map((c) => BECH32.indexOf(c));
  const hrp = [...'bc'].map((c) => c.charCodeAt(0));
  const check = bech32Polymod([...hrp.map((c) => c >> 5), 0, ...hrp.map((c) => c & 31), ...data]);
  const version = data[0]!;
  if (version === 0) return check === 1 && (lower.length === 42 || lower.length === 62);
  return version <= 16 && check === 0x2bc830a3;
}

function validBitcoin(address: string): boolean {
  if (/^bc1/i.test(address)) return validSegwit(address);
  if (!/^[13][1-9A-HJ-NP-Za-km-z]{25,34}$/.test(address)) return false;
  const payload = base58CheckPayload(address);
  return payload !== null && payload.length === 21 && (payload[0] === 0x00 || payload[0] === 0x05);
}

/** `0x` and 40 hex digits; a mixed-case (EIP-55) checksum is accepted without being verified. */
const validEvm = (address: string) => /^0x[0-9a-fA-F]{40}$/.test(address);

function validTron(address: string): boolean {
  if (!/^T[1-9A-HJ-NP-Za-km-z]{33}$/.test(address)) return false;
  const payload = base58CheckPayload(address);
  return payload !== null && payload.length === 21 && payload[0] === 0x41;
}

function validSolana(address: string): boolean {
  if (!/^[1-9A-HJ-NP-Za-km-z]{32,44}$/.test(address)) return false;
  return base58Decode(address)?.length === 32;
}

const VALIDATORS: Record<Chain, (address: string) => boolean> = {
  bitcoin: validBitcoin,
  ethereum: validEvm,
  bsc: validEvm,
  tron: validTron,
  solana: validSolana,
};

const FORMATS: Record<Chain, string> = {
  bitcoin: 'a Base58Check address starting with 1 or 3, or a bech32 address starting with bc1',
  ethereum: '0x followed by 40 hexadecimal digits',
  bsc: '0x followed by 40 hexadecimal digits',
  tron: 'a Base58Check address of 34 characters starting with T',
  solana: 'a base58 public key of 32 to 44 characters',
};

/** Why an address is not one of the chain's, or null when it is. */
export function walletAddressProblem(chain: Chain, address: string): string | null {
  return VALIDATORS[chain](address) ? null : `is not a ${chain} address (expected ${FORMATS[chain]})`;
}

/**
 * The form compared for duplicates: hex and bech32 addresses are case-insensitive, so lower-cased;
 * base58 addresses are case-sensitive and kept as they are.
 */
export function normaliseWalletAddress(chain: Chain, address: string): string {
  if (chain === 'ethereum' || chain === 'bsc') return address.toLowerCase();
  if (chain === 'bitcoin' && /^bc1/i.test(address)) return address.toLowerCase();
  return address;
}

/** How an account number may be written (a freeze target's, a person's): compared as `normaliseAccountNumber`. */
export const ACCOUNT_NUMBER = /^(?=.*[A-Za-z0-9])[A-Za-z0-9 \-./]{1,64}$/;
export const ACCOUNT_NUMBER_MESSAGE =
  'accountNumber must be 1–64 letters, digits, spaces, hyphens, dots or slashes';

/** Account numbers are compared without spaces, hyphens, dots or slashes, in upper case. */
export function normaliseAccountNumber(accountNumber: string): string {
  return accountNumber.replace(/[\s\-./]/g, '').toUpperCase();
}

export function normaliseInstitutionCode(code: string): string {
  return code.trim().toUpperCase();
}
