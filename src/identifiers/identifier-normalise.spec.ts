import { normaliseIdentifier, type IdentifierInput, type Normalised } from './identifier-normalise';

const ok = (input: IdentifierInput) => {
  const result: Normalised = normaliseIdentifier(input);
  if (!('ok' in result)) throw new Error(`refused ${JSON.stringify(input)}: ${result.problem}`);
  return result.ok;
};
const refused = (input: IdentifierInput) => {
  const result = normaliseIdentifier(input);
  if ('ok' in result) throw new Error(`accepted ${JSON.stringify(input)} as ${JSON.stringify(result.ok)}`);
  return result;
};

describe('identifier normalisation', () => {
  describe('phones', () => {
    it.each([
      ['+855 12 345 678', '+85512345678'],
      ['+855-12-345-678', '+85512345678'],
      ['00855 12 345 678', '+85512345678'],
      ['(+60) 12.345.6789', '+60123456789'],
      // Full-width and Khmer digits are the same number.
      ['＋８５５１２３４５６７８', '+85512345678'],
      ['+៨៥៥១២៣៤៥៦៧៨', '+85512345678'],
      // Zero-width characters inside are dropped, not kept as part of the number.
      ['+855\u200b12\u200d345678', '+85512345678'],
    ])('%s is %s', (value, e164) => {
      expect(ok({ kind: 'phone', value }).value).toBe(e164);
    });

    it('keeps an international number digit for digit, as records hold it', () => {
      // libphonenumber would drop this trunk 0; E.164 in a record keeps it, so the check must too.
      expect(ok({ kind: 'phone', value: '+855012345678' }).value).toBe('+855012345678');
    });

    it('reads a national number in its region with libphonenumber', () => {
      expect(ok({ kind: 'phone', value: '012 345 678', region: 'KH' }).value).toBe('+85512345678');
      expect(ok({ kind: 'phone', value: '010-1234-5678', region: 'KR' }).value).toBe('+821012345678');
    });

    it.each([
      ['012 345 678', undefined, /region/],
      ['12', 'KH', /possible/],
      ['+855 12 abc 678', undefined, /digits/],
      ['+0 12345678', undefined, /E\.164/],
      ['012345678', 'ZZ', /ISO 3166-1 alpha-2/],
    ])('refuses %s (region %s)', (value, region, message) => {
      expect(refused({ kind: 'phone', value, region }).problem).toMatch(message);
    });
  });

  describe('bank accounts', () => {
    it('compares the account number without separators, in upper case; the bank is kept as named', () => {
      expect(ok({ kind: 'bank_account', value: '000-123 456/7', bank: ' ABA  Bank ' })).toEqual({
        kind: 'bank_account',
        value: '0001234567',
        qualifier: 'ABA Bank',
      });
      expect(ok({ kind: 'bank_account', value: 'gb29 nwbk 6016 1331 9268 19' }).value).toBe(
        'GB29NWBK60161331926819',
      );
    });

    it('refuses letters of other scripts and too short numbers', () => {
      expect(refused({ kind: 'bank_account', value: '12ก45678' }).problem).toMatch(/Latin/);
      expect(refused({ kind: 'bank_account', value: '1-2' }).problem).toMatch(/4 to 64/);
    });
  });

  describe('wallets', () => {
    const evm = '0x52908400098527886E0F7030069857D2E4169EE7';

    it('lower-cases an EVM address and reads its chain from its form', () => {
      expect(ok({ kind: 'wallet', value: evm })).toEqual({
        kind: 'wallet',
        value: evm.toLowerCase(),
        qualifier: 'ethereum',
      });
      expect(ok({ kind: 'wallet', value: `ethereum:${evm}?value=1`, chain: 'bsc' }).value).toBe(
        evm.toLowerCase(),
      );
    });

    it('keeps base58 as written (case-sensitive) and lower-cases bech32', () => {
      expect(ok({ kind: 'wallet', value: 'TNPeeaaFB7K9cmo4uQpcU32zGK8G1NYqeL' }).value).toBe(
        'TNPeeaaFB7K9cmo4uQpcU32zGK8G1NYqeL',
      );
      expect(ok({ kind: 'wallet', value: 'BC1QW508D6QEJXTDG4Y5R3ZARVARY0C5XW7KV8F3T4' }).value).toBe(
        'bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4',
      );
    });

    it('refuses an address that is not of the chain named, or of no known chain', () => {
      expect(refused({ kind: 'wallet', value: evm, chain: 'tron' }).problem).toMatch(/tron/);
      expect(refused({ kind: 'wallet', value: 'not-a-wallet-at-all' }).problem).toMatch(/wallet|chain/);
      expect(refused({ kind: 'wallet', value: evm, chain: 'dogecoin' })).toMatchObject({
        field: 'qualifier',
      });
    });
  });

  describe('passports', () => {
    it('is its issuing country and number', () => {
      expect(ok({ kind: 'passport', value: 'm 1234-5678', issuingCountry: 'KR' })).toEqual({
        kind: 'passport',
        value: 'M12345678',
        qualifier: 'KR',
      });
    });

    it('needs a real issuing country', () => {
      expect(refused({ kind: 'passport', value: 'M12345678' })).toMatchObject({ field: 'qualifier' });
      expect(refused({ kind: 'passport', value: 'M12345678', issuingCountry: 'XX' })).toMatchObject({
        field: 'qualifier',
        // The caller names the field it came in (`issuingCountry must be …`), once.
        problem: 'must be an ISO 3166-1 alpha-2 country code',
      });
    });
  });

  describe('compounds and web addresses', () => {
    it('keeps a compound name in any script, spacing folded', () => {
      expect(ok({ kind: 'compound', value: '  Golden   Fortune\tCompound ' }).value).toBe(
        'Golden Fortune Compound',
      );
      expect(ok({ kind: 'compound', value: 'ភូមិ ៣' }).value).toBe('ភូមិ 3');
    });

    it('reads a web address as host (no www, ASCII form) and path, and a handle in lower case', () => {
      expect(ok({ kind: 'web', value: 'https://WWW.Scam-Invest.com/Join/?ref=7#top' }).value).toBe(
        'scam-invest.com/Join/?ref=7',
      );
      expect(ok({ kind: 'web', value: 'scam-invest.com/' }).value).toBe('scam-invest.com');
      expect(ok({ kind: 'web', value: 'http://bücher.example/x' }).value).toBe('xn--bcher-kva.example/x');
      expect(ok({ kind: 'web', value: '@Scam_Boss' }).value).toBe('@scam_boss');
    });

    it('refuses other schemes and hosts without a dot', () => {
      expect(refused({ kind: 'web', value: 'javascript:alert(1)' }).problem).toMatch(/http|host|web/);
      expect(refused({ kind: 'web', value: 'ftp://files.example.com' }).problem).toMatch(/http/);
      expect(refused({ kind: 'web', value: 'localhost' }).problem).toMatch(/host/);
    });
  });

  describe('hostile input', () => {
    it.each([
      '+855\u000012345678',
      'Golden\u001bFortune',
      '+85512345678\n',
      'ABA\u2028123456',
      '\u0085123456',
    ])('refuses control characters (%j)', (value) => {
      for (const kind of ['phone', 'bank_account', 'compound'] as const)
        expect(refused({ kind, value }).problem).toMatch(/control characters/);
    });

    it('refuses a bank name with a NUL as a problem of the bank field', () => {
      expect(refused({ kind: 'bank_account', value: '123456', bank: 'ABA\u0000' })).toMatchObject({
        field: 'qualifier',
      });
    });

    it('applies the length limit after NFKC, which can expand a short input many times', () => {
      const expanding = '\ufdfa'.repeat(20); // each becomes 18 characters
      expect(expanding.length).toBe(20);
      expect(refused({ kind: 'compound', value: expanding }).problem).toMatch(/longer than 256/);
    });

    it('refuses empty and invisible-only values', () => {
      expect(refused({ kind: 'compound', value: '   ' }).problem).toMatch(/empty/);
      expect(refused({ kind: 'phone', value: '\u200b\u200b' }).problem).toMatch(/empty/);
    });

    it('refuses an unknown kind (a client sending a kind the API does not list)', () => {
      expect(refused({ kind: 'email' as never, value: 'a@b.c' }).problem).toMatch(/kind must be one of/);
    });
  });
});
