import { normaliseAccountNumber } from '../asset-freezes/wallet-address';

/** An identifier about to leave, as the key its provenance is kept under, and the field that gave it. */
export interface OutgoingIdentifier {
  key: string;
  field: string;
}

export interface IdentifierValues {
  phones?: string[];
  bankAccounts?: Array<{ accountNumber: string }>;
  cryptoAddresses?: Array<{ address: string }>;
}

/**
 * The same phone, account or wallet written by two countries must meet under one key: phones as
 * digits with their `+`, account numbers without separators in upper case, wallet addresses lower-cased
 * (a base58 address differing only in case from another is not a real case).
 */
export const phoneKey = (phone: string) => `phone:${phone.replace(/[^\d+]/g, '')}`;
export const accountKey = (accountNumber: string) => `account:${normaliseAccountNumber(accountNumber)}`;
/** `numbers` already folded as persons store them (`foldDocumentNumber`). */
export const documentKey = (folded: string) => `document:${folded}`;
export const walletKey = (address: string) => `wallet:${address.trim().toLowerCase()}`;

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
  ];
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
