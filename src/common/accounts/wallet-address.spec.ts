import {
  base58Decode,
  normaliseAccountNumber,
  normaliseWalletAddress,
  walletAddressProblem,
} from './wallet-address';

describe('wallet address validators', () => {
  it.each([
    ['bitcoin', '1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa'],
    ['bitcoin', '3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy'],
    ['bitcoin', 'bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq'],
    ['bitcoin', 'BC1QAR0SRRR7XFKVY5L643LYDNW9RE59GTZZWF5MDQ'],
    ['bitcoin', 'bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqzk5jj0'],
    ['ethereum', '0xde0B295669a9FD93d5F28D9Ec85E40f4cb697BAe'],
    ['ethereum', '0xde0b295669a9fd93d5f28d9ec85e40f4cb697bae'],
    ['bsc', '0x55d398326f99059fF775485246999027B3197955'],
    ['tron', 'TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t'],
    ['solana', 'So11111111111111111111111111111111111111112'],
    ['solana', 'Es9vMFrzaCERmJfrF4H2FYD4KCoNkY11McCe8BenwNYB'],
  ] as const)('accepts a %s address %s', (chain, address) => {
    expect(walletAddressProblem(chain, address)).toBeNull();
  });

  it.each([
    ['bitcoin', '1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNb', 'bad Base58Check checksum'],
    ['bitcoin', '1A1zP1eP5QGefi2DMPTfTL5SLmv7Divf0a', '0 is not base58'],
    ['bitcoin', 'bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdp', 'bad bech32 checksum'],
    ['bitcoin', 'bc1qAr0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq', 'mixed case bech32'],
    ['bitcoin', '0xde0B295669a9FD93d5F28D9Ec85E40f4cb697BAe', 'an EVM address'],
    ['ethereum', '0xde0B295669a9FD93d5F28D9Ec85E40f4cb697BA', '39 hex digits'],
    ['ethereum', 'de0B295669a9FD93d5F28D9Ec85E40f4cb697BAe00', 'no 0x'],
    ['bsc', '0xZZ0B295669a9FD93d5F28D9Ec85E40f4cb697BAe', 'not hex'],
    ['tron', 'TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6u', 'bad checksum'],
    ['tron', '1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa', 'a bitcoin address'],
    ['tron', 'TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6', 'length 33'],
    ['solana', 'So1111111111111111111111111111111', 'too short, decodes to fewer than 32 bytes'],
    ['solana', '0xde0B295669a9FD93d5F28D9Ec85E40f4cb697BAe', 'not base58'],
  ] as const)('refuses %s address %s (%s)', (chain, address, _why) => {
    expect(walletAddressProblem(chain, address)).toMatch(new RegExp(`is not a ${chain} address`));
  });

  it('decodes base58 with leading zero bytes', () => {
    expect(Buffer.from(base58Decode('1112')!).toString('hex')).toBe('00000001');
    expect(base58Decode('0OIl')).toBeNull();
  });

  it('normalises what is case-insensitive, keeps base58 as it is', () => {
    expect(normaliseWalletAddress('ethereum', '0xDE0b295669a9fd93d5f28d9ec85e40f4cb697bae')).toBe(
      '0xde0b295669a9fd93d5f28d9ec85e40f4cb697bae',
    );
    expect(normaliseWalletAddress('bitcoin', 'BC1QAR0SRRR7XFKVY5L643LYDNW9RE59GTZZWF5MDQ')).toBe(
      'bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq',
    );
    expect(normaliseWalletAddress('tron', 'TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t')).toBe(
      'TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t',
    );
    expect(normaliseAccountNumber(' 5140-1234 5678.90 ')).toBe('51401234567890');
    expect(normaliseAccountNumber('ab-12/3')).toBe('AB123');
  });
});
