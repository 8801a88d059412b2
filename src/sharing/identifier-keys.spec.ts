import {
  accountKey,
  compoundKey,
  documentKey,
  identifierKeys,
  keyVariants,
  nationalKeysOf,
  numbersIn,
  numbersInAll,
  phoneKey,
  phoneKeys,
  receiptKeysOf,
  textsIn,
  urlKey,
  walletKey,
} from './identifier-keys';
import { ValidationFailedError } from '../common/errors/domain-errors';

describe('identifier keys: one key however a number is written', () => {
  it('folds zero-width characters, dashes of any kind, underscores and full-width forms out of account numbers', () => {
    const key = accountKey('KH-0012-3456');
    for (const disguised of [
      'kh0012\u200b3456', // zero-width space
      'KH\u20130012\u20133456', // en dash
      'KH_0012_3456',
      'ＫＨ００１２３４５６', // full-width
      ' KH 0012 3456 ',
    ])
      expect(accountKey(disguised)).toBe(key);
    expect(accountKey('KH-0012-3457')).not.toBe(key);
  });

  it('reads digits of any script as the same digits (Khmer, Thai)', () => {
    expect(phoneKey('+855 ១២ ៣៤៥ ៦៧៨')).toBe(phoneKey('+85512345678'));
    expect(accountKey('๑๒๓๔๕')).toBe(accountKey('12345'));
  });

  it('treats a phone with or without its + or international 00 as one number', () => {
    expect(phoneKey('855-12-345-678')).toBe(phoneKey('+855 12 345 678'));
    expect(phoneKey('00855 12 345 678')).toBe(phoneKey('+855 12 345 678'));
  });

  it('puts account and document numbers in one key space: a passport number in an account field is that number', () => {
    expect(accountKey('M1234-5678')).toBe(documentKey('M12345678'));
  });

  it('lower-cases wallets and strips what hides in them, with or without 0x and a chain scheme', () => {
    expect(walletKey('0xAbC\u200bdef')).toBe(walletKey('0xabcdef'));
    expect(walletKey('abcdef')).toBe(walletKey('0xABCDEF'));
    expect(walletKey('ethereum:0xabcdef')).toBe(walletKey('0xabcdef'));
  });

  it('reads look-alike letters of other scripts as the letters they imitate (Cyrillic М, Greek Ο)', () => {
    expect(documentKey('\u041c12345678')).toBe(documentKey('M12345678'));
    expect(compoundKey('G\u043eld\u0435n Fortune')).toBe(compoundKey('Golden Fortune'));
    expect(accountKey('77\u039f0-1234')).toBe(accountKey('77O0-1234'));
  });

  it('keeps one key space: a phone typed as an account number or a wallet is the same value', () => {
    expect(accountKey('855 1234 5678')).toBe(phoneKey('+85512345678'));
    expect(walletKey('85512345678')).toBe(phoneKey('+85512345678'));
  });

  it('compares an international web address in its ASCII form, without port or user', () => {
    expect(urlKey('https://xn--e1afmkfd.example/login')).toBe(
      urlKey('http://\u043f\u0440\u0438\u043c\u0435\u0440.example/login'),
    );
    expect(urlKey('https://user@scam.example:8443/a')).toBe(urlKey('scam.example/a'));
  });

  it('keys web addresses without scheme, www. and punctuation, and compounds by their letters', () => {
    expect(urlKey('https://www.Scam-Site.example/login/')).toBe(urlKey('http://scam-site.example/login'));
    expect(compoundKey('Jinbei  Compound 4')).toBe(compoundKey('JINBEI-COMPOUND-4'));
  });

  it('finds number-like words inside names, paths and notes, as the keys they would have alone', () => {
    expect(numbersIn('Lotus block, passport N700-1007', 'f').map((k) => k.key)).toContain(
      documentKey('N7001007'),
    );
    expect(numbersIn('KK Park 2, building 14', 'f')).toEqual([]);
    // Numbers written in groups are weighed joined, whatever the spacing.
    expect(numbersIn('call +855 12 345 678 today', 'f').map((k) => k.key)).toContain(
      phoneKey('+85512345678'),
    );
    expect(numbersIn('his passport is N 7001 007', 'f').map((k) => k.key)).toContain(documentKey('N7001007'));
    // Prose with a few numbers in it is not a number: no run of ordinary words is joined.
    expect(numbersIn('Meet at gate 12 of terminal 2 tomorrow', 'f')).toEqual([]);
  });

  it('meets the written forms partner probes used (third round): national phones, glued letters, 0x in text, URL fragments', () => {
    const keysOf = (text: string) => numbersIn(text, 'f').map((k) => k.key);
    // A Cambodian mobile given in international form, written back in national form with its trunk 0.
    const [, national] = phoneKeys('+855 39 339 08893');
    expect(keysOf('Block 03933908893')).toContain(national);
    expect(keyVariants('03933908893')).toContain(national);
    // A passport number glued to letters before or after.
    for (const text of ['Unit ppN56644249', 'passportnoN56644249', 'N56644249x'])
      expect(keysOf(text)).toContain(documentKey('N56644249'));
    // A wallet written, as usual, with its 0x.
    expect(keysOf('Tower 0xc19c4e1136aa')).toContain(walletKey('c19c4e1136aa'));
    // A number in a web address's fragment or user part.
    const urlKeys = identifierKeys({ urls: ['https://N56644249@other.example/#N56644249'] }, 'i').map(
      (k) => k.key,
    );
    expect(urlKeys).toContain(documentKey('N56644249'));
    // Ordinary words stay ordinary.
    expect(keysOf('Tower 7, floor 12')).toEqual([]);
  });

  it('names the field of every identifier, and drops one that folds to nothing', () => {
    expect(
      identifierKeys(
        { phones: ['+855 12', '---'], urls: ['https://a.example'], compounds: ['KK Park'] },
        'identifiers',
      ).map((i) => i.field),
    ).toEqual(['identifiers.phones[0]', 'identifiers.urls[0]', 'identifiers.compounds[0]']);
  });

  describe('numbers however they are split in text (probe round 2)', () => {
    const has = (text: string, key: string) => numbersIn(text, 'body').some((i) => i.key === key);

    it('joins a long group with a short tail, and a number spelled digit by digit however long', () => {
      expect(has('Deposits went to account 9876543210 98.', accountKey('987654321098'))).toBe(true);
      expect(has('He answers on +855975318 64.', phoneKey('+85597531864'))).toBe(true);
      expect(has(`Account ${'5647382910473'.split('').join(' ')}`, accountKey('5647382910473'))).toBe(true);
    });

    it('joins a wallet written in groups of four without 0x, a group of letters only included', () => {
      const wallet = '0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed';
      const grouped = wallet
        .slice(2)
        .match(/.{1,4}/g)!
        .join(' ');
      expect(grouped).toContain(' eAed');
      expect(has(`Wallet ${grouped}`, walletKey(wallet))).toBe(true);
    });

    it('drops what takes no place between digits: keycaps, Hangul fillers, variation selectors', () => {
      const account = '463728190554';
      for (const between of ['\uFE0F\u20E3', '\u3164', '\uFFA0', '\u115F', '\u1160', '\u00AD', '\u200B'])
        expect([between, has(`Account ${account.split('').join(between)}`, accountKey(account))]).toEqual([
          between,
          true,
        ]);
    });

    it('reads Han numerals written digit by digit as digits', () => {
      const han = [...'463728190554'].map((d) => '〇一二三四五六七八九'[Number(d)]).join('');
      expect(has(`口座 ${han}`, accountKey('463728190554'))).toBe(true);
    });

    it('reads the other ways a digit is written: financial Han numerals, 幺, Suzhou numerals, circled dingbats', () => {
      const phone = '+85512000111';
      const national = phoneKeys(phone)[1]!;
      for (const form of [
        '零壹贰零零零壹壹壹',
        '零壹貳零零零壹壹壹',
        '〇幺二〇〇〇幺幺幺',
        '洞壱弐洞洞洞壱壱壱',
        '〇〡〢〇〇〇〡〡〡',
        '0❶❷000➀➊⓵',
      ])
        expect([form, has(`Phone ${form}`, national)]).toEqual([form, true]);
    });

    it('keeps the bare run of a number written with a letter for a digit at its end', () => {
      expect(keyVariants('12345678L')).toContain(accountKey('12345678'));
    });

    it('pairs each phone’s national key with the international key it came from, and nothing else', () => {
      const cambodian = phoneKeys('+85588100111');
      const thai = phoneKeys('+6688100111');
      expect(cambodian[1]).toBe(thai[1]);
      expect(nationalKeysOf([...cambodian, accountKey('463728190554')])).toEqual([
        [cambodian[1], cambodian[0]],
      ]);
      // One national key consented for two numbers: a pair for each.
      expect(nationalKeysOf([...cambodian, thai[0]!])).toEqual([
        [cambodian[1], cambodian[0]],
        [thai[1], thai[0]],
      ]);
      // A national key granted without its number (or a number without its national key) pairs nothing.
      expect(nationalKeysOf([cambodian[0]!])).toEqual([]);
      expect(nationalKeysOf([cambodian[1]!])).toEqual([]);
    });

    it('reads Latin letters written for digits in a word of digits, or in the groups of one', () => {
      const [international, national] = phoneKeys('+85512000111');
      expect(has('Phone O12-OOO-lll', national!)).toBe(true);
      expect(has('Phone OI2OOOIII', national!)).toBe(true);
      expect(has('Phone +855 l2 OOO lll', international!)).toBe(true);
      expect(has('Phone 12 OOO lll', national!)).toBe(true);
      expect(has('Phone +855 12 OOO-lll', international!)).toBe(true);
      // Words with other letters, or with no digit beside them, are words: a list of oil and litres
      // is not a number, nor twenty kilobytes of one.
      expect(numbersIn('Oil lol, 1 Olli and Io', 'x')).toEqual([]);
      expect(() => numbersIn('10 l oil 20 l oil '.repeat(1200), 'x')).not.toThrow();
    });

    it('finds no number in ordinary prose with a few small numbers in it', () => {
      expect(
        numbersIn('He met them on 2 May at 10 am in a bed and breakfast, then paid 40 USD for 3 rooms.', 'x'),
      ).toEqual([]);
    });
  });

  describe('every text of what leaves, named by its path (textsIn)', () => {
    it('walks objects and arrays to every string and number, and leaves out ids and dates only', () => {
      const id = '6f1c2a8e-3b4d-4e5f-8a9b-0c1d2e3f4a5b';
      expect(
        textsIn(
          {
            id,
            personId: id,
            created_by: id,
            arrestedAt: '2026-03-01T02:30:00Z',
            birth_date: '1990-05-01',
            place: 'Incheon',
            amount: 25000,
            names: [{ full: 'KIM', given: 'Minsu' }],
            notes: id, // a UUID under a key that names no id is text like any
            empty: null,
          },
          'arrest',
        ),
      ).toEqual([
        ['arrest.place', 'Incheon'],
        ['arrest.amount', '25000'],
        ['arrest.names[0].full', 'KIM'],
        ['arrest.names[0].given', 'Minsu'],
        ['arrest.notes', id],
      ]);
    });

    it('weighs a number in any field, however deep, named by its path', () => {
      expect(
        numbersInAll({ targets: [{ institutionCode: '736251849002', grounds: { summary: 'none' } }] }, ''),
      ).toEqual([{ key: accountKey('736251849002'), field: 'targets[0].institutionCode' }]);
    });
  });

  it('refuses a text with more runs of number-like groups than it can weigh, quickly, and weighs an ordinary long one', () => {
    // 5,000 one-digit words: 300,000 runs to join, 0.8 s of CPU before the cap.
    const digits = Array.from({ length: 5000 }, (_, i) => String(i % 10)).join(' ');
    const started = process.hrtime.bigint();
    expect(() => numbersIn(digits, 'body')).toThrow(ValidationFailedError);
    // Bounded work, not a timing target: an order of magnitude under what the uncapped scan took.
    expect(Number(process.hrtime.bigint() - started) / 1e6).toBeLessThan(5000);
    const table = Array.from({ length: 1000 }, (_, i) => `+855 ${10_000_000 + i}`).join(', ');
    expect(numbersIn(table, 'body').map((n) => n.key)).toContain(phoneKey('+85510000999'));
  });

  it('keys an indexed value as every path records its receipts, in any script (probe r9)', () => {
    // A Khmer compound name: its letters stay (the SQL fold kept none).
    expect(receiptKeysOf('compound', 'កាស៊ីណូ មាសសំណាង')).toEqual([compoundKey('កាស៊ីណូ មាសសំណាង')]);
    expect(compoundKey('កាស៊ីណូ មាសសំណាង')).not.toBe('id:');
    // A Cyrillic look-alike is the Latin name; Khmer digits are the phone's digits, national form too.
    expect(receiptKeysOf('compound', 'G\u043elden Tower')).toEqual([compoundKey('Golden Tower')]);
    expect(receiptKeysOf('phone', '+855១២៣៤៥៦៧៨')).toEqual(phoneKeys('+85512345678'));
    // Accounts and documents as requests, freeze targets and persons record them: each of their forms.
    expect(receiptKeysOf('bank_account', '٠٠١٢٣٤٥٦٧٨')).toEqual(
      expect.arrayContaining([accountKey('0012345678'), ...keyVariants('0012345678')]),
    );
    expect(receiptKeysOf('passport', 'N-5664 4249')).toEqual(
      expect.arrayContaining(keyVariants('N56644249')),
    );
    expect(receiptKeysOf('web', 'https://ทอง.example/a')).toEqual([urlKey('https://ทอง.example/a')]);
    expect(receiptKeysOf('wallet', 'ethereum:0xＡＢ12')).toEqual([walletKey('0xAB12')]);
    // Nothing left once folded: no receipt can be under it.
    expect(receiptKeysOf('compound', '🏢🏢')).toEqual([]);
    // The numbers written in a compound's name or a web address are weighed with it (probe r48).
    expect(receiptKeysOf('compound', 'Tower 012 000 777')).toEqual(
      expect.arrayContaining([compoundKey('Tower 012 000 777'), ...phoneKeys('+85512000777').slice(1)]),
    );
  });
});
