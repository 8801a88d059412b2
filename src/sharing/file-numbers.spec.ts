import {
  OwnNumbersSeen,
  ReadTooLongError,
  receivedNumbersIn,
  TooManyNumbersError,
  writtenNumbersIn,
} from './file-numbers';
import { accountKey, documentKey, keyVariants, numbersIn, phoneKeys } from './identifier-keys';

async function* lines(...texts: string[]): AsyncGenerator<string> {
  for (const text of texts) yield text;
}

describe('received numbers in a file’s lines', () => {
  const [international, national] = phoneKeys('+85512000111');

  it('finds the received numbers a line holds however written, and only those', async () => {
    const received = new Set([international!, national!, 'id:99999999']);
    const found = await receivedNumbersIn(
      lines('date,caller', '2026-03-03,012-000-111,5000', 'nothing here', 'Call +855 97 555 4321'),
      received,
    );
    expect([...found]).toEqual([national]);
  });

  it('reads a line holding more runs of groups than one text may in parts, and still finds the number', async () => {
    const crowded = `${'1 '.repeat(800)}+855 12 000 111`;
    const found = await receivedNumbersIn(lines(crowded), new Set([international!]));
    expect([...found]).toEqual([international]);
  });

  it('reads nothing when nothing was received', async () => {
    const read: string[] = [];
    async function* watched() {
      for (const l of ['+855 12 000 111']) yield (read.push(l), l);
    }
    expect((await receivedNumbersIn(watched(), new Set())).size).toBe(0);
    expect(read).toEqual([]);
  });
});

describe('the numbers of its own a file’s lines show', () => {
  async function* lines(...texts: string[]): AsyncGenerator<string> {
    for (const text of texts) yield text;
  }
  const read = async (seen: OwnNumbersSeen, ...texts: string[]) => {
    const passed: string[] = [];
    for await (const line of seen.through(lines(...texts))) passed.push(line);
    return passed;
  };

  it('finds each phone a call log shows, a national form read as the uploader’s country’s; dates, times and amounts are no one’s number', async () => {
    const seen = new OwnNumbersSeen('KH', 1000, 1024);
    const texts = [
      'date,caller,seconds',
      '2026-03-03 10:05,012 000 111,5000',
      '2026-03-03T10:07:15Z;012 000 111;3500.00',
      'Paid 3,500 dollars on 2026-03-04 at 10:05:07.250',
    ];
    expect(await read(seen, ...texts)).toEqual(texts);
    // The phone, and the national number as written (with its trunk 0), as a record typing it would hold it.
    expect([...seen.keys].sort()).toEqual(
      [...new Set([...phoneKeys('+85512000111'), ...keyVariants('012000111')])].sort(),
    );
  });

  it('finds a phone written with more groups after it on its line (a call’s duration)', async () => {
    const seen = new OwnNumbersSeen('KH', 1000, 1024);
    await read(seen, '2026-03-04 10:05 +855 77 500 101 5 min', '2026-03-04 10:09 +855 12 000 111 12 min');
    for (const key of [...phoneKeys('+85577500101'), ...phoneKeys('+85512000111')])
      expect(seen.keys).toContain(key);
  });

  it('finds the account and document numbers a bank statement and a passenger list show, however written', async () => {
    const seen = new OwnNumbersSeen('KH', 1000, 1024);
    await read(
      seen,
      'Date;Account;Reference;Amount',
      '04/03/2026;1234-5678-9012;TRF 88;12,500.00',
      'Beneficiary account no. 0071 2233 4455 held at ACLEDA since 1998',
      'SOK Dara, passport N-5664 4249, issued 12.05.2019',
      'Wallet-less account ٩٨٧٦٥٤٣٢١٠ (Arabic-Indic digits)',
    );
    for (const typed of [
      accountKey('1234-5678-9012'),
      accountKey('007122334455'),
      accountKey('71 2233 4455'),
      documentKey('N56644249'),
      accountKey('9876543210'),
    ])
      expect(seen.keys).toContain(typed);
    // What a record typing the number would be weighed by, written in any of these forms, meets a key.
    for (const written of ['N56644249', '123456789012', '0071-2233-4455'])
      expect(numbersIn(written, 'notes').some(({ key }) => seen.keys.has(key))).toBe(true);
    // Days, references, amounts and years are no one's number.
    for (const notANumber of ['04/03/2026', '12500.00', '12.05.2019', '1998', '88'])
      expect(numbersIn(`x ${notANumber} y`, 'notes').some(({ key }) => seen.keys.has(key))).toBe(false);
  });

  it('finds an account stored as text amid a file’s raw bytes, as in its printable runs', async () => {
    const seen = new OwnNumbersSeen('KH', 1000, 1024);
    const raw = Buffer.concat([
      Buffer.from([0x78, 0x9c, 0x01, 0x02, 0x03, 0x1b, 0x00, 0x05, 0x7f, 0x90, 0x91, 0xb2, 0xb3, 0xb9, 0x0e]),
      Buffer.from('acct 0071-2233-4455'),
      Buffer.from([0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x10, 0x11, 0x12]),
    ]).toString('latin1');
    await read(seen, raw);
    expect(seen.keys).toContain(accountKey('0071-2233-4455'));
  });

  it('reads a run of groups longer than any number from each group on, not every part of it', () => {
    const groups = Array.from({ length: 40 }, (_, i) => String(1000 + i));
    const keys = writtenNumbersIn(groups.join(' '));
    // From each of the 40 groups on, as far as 64 characters reach (16 groups): one key each, and the
    // variants of each (its runs of digits) — not the ~600 runs of two groups and more it holds.
    expect(keys.length).toBeLessThanOrEqual(40 * 2);
    expect(keys).toContain(accountKey(groups.slice(0, 16).join('')));
  });

  it('stops reading a file past the time its size allows (30 s and 5 s a MB stored)', async () => {
    const started = Date.now();
    const seen = new OwnNumbersSeen('KH', 1000, 2 * 1024 * 1024);
    const lines = Array.from({ length: 120 }, (_, i) => `+1(1(1( line ${i}`);
    const clock = jest.spyOn(Date, 'now');
    try {
      clock.mockReturnValue(started + 39_000);
      expect(await read(seen, ...lines)).toHaveLength(120);
      clock.mockReturnValue(started + 41_000);
      await expect(read(seen, ...lines)).rejects.toThrow(ReadTooLongError);
    } finally {
      clock.mockRestore();
    }
  });

  it('refuses to keep more numbers than it may', async () => {
    const many = Array.from({ length: 30 }, (_, i) => `+855 12 000 ${String(100 + i)}`);
    await expect(read(new OwnNumbersSeen('KH', 20, 1024), ...many)).rejects.toThrow(TooManyNumbersError);
  });
});
