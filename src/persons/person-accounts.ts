import {
  CHAINS,
  normaliseAccountNumber,
  normaliseWalletAddress,
  walletAddressProblem,
  type Chain,
} from '../common/accounts/wallet-address';
import type { PersonAccount } from './person.entity';

/** The fields of each account type: one of the other type is refused, not stored (as on freeze targets). */
export const ACCOUNT_FIELDS: Record<PersonAccount['type'], readonly string[]> = {
  bank_account: ['institutionName', 'accountNumber', 'holderName', 'borrowedName'],
  crypto_wallet: ['chain', 'address'],
};

/**
 * An account's compared form, as freeze targets compare theirs (`wallet-address.ts`): an account number
 * without separators in upper case, a wallet address lower-cased where its chain is case-insensitive.
 * Two accounts of a person with the same form are one account. Null for a value that is not an account
 * (validation names it).
 */
export function accountNumberOf(account: unknown): string | null {
  if (!account || typeof account !== 'object') return null;
  const a = account as Record<string, unknown>;
  if (a.type === 'bank_account' && typeof a.accountNumber === 'string')
    return normaliseAccountNumber(a.accountNumber);
  if (
    a.type === 'crypto_wallet' &&
    typeof a.address === 'string' &&
    (CHAINS as readonly unknown[]).includes(a.chain)
  )
    return normaliseWalletAddress(a.chain as Chain, a.address);
  return null;
}

/** The forms a searched account number or wallet address may be stored under (`accountNumbers`). */
export function searchedAccountNumbers(value: string): string[] {
  const forms = new Set<string>([normaliseAccountNumber(value), value]);
  for (const chain of CHAINS)
    if (walletAddressProblem(chain, value) === null) forms.add(normaliseWalletAddress(chain, value));
  return [...forms].filter(Boolean);
}

/** An account as stored: only its type's fields, the optional ones null when not given. */
export function storedAccount(a: PersonAccountInput): PersonAccount {
  return a.type === 'bank_account'
    ? {
        type: 'bank_account',
        institutionName: a.institutionName!,
        accountNumber: a.accountNumber!,
        holderName: a.holderName ?? null,
        borrowedName: a.borrowedName ?? null,
      }
    : { type: 'crypto_wallet', chain: a.chain!, address: a.address! };
}

export interface PersonAccountInput {
  type: PersonAccount['type'];
  institutionName?: string;
  accountNumber?: string;
  holderName?: string;
  borrowedName?: boolean;
  chain?: Chain;
  address?: string;
}
