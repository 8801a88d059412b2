import { PhonesSeen, receivedNumbersIn, TooManyPhonesError } from './file-numbers';
import { phoneKeys } from './identifier-keys';

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

describe('the phones a file’s lines show', () => {
  async function* lines(...texts: string[]): AsyncGenerator<string> {
    for (const text of texts) yield text;
  }
  const read = async (seen: PhonesSeen, ...texts: string[]) => {
    const passed: string[] = [];
    for await (const line of seen.through(lines(...texts))) passed.push(line);
    return passed;
  };

  it('finds each phone a call log shows, a national form read as the uploader’s country’s; dates and amounts are no one’s phone', async () => {
    const seen = new PhonesSeen('KH', 1000);
    const texts = [
      'date,caller,seconds',
      '2026-03-03 10:05,012 000 111,5000',
      'Paid 3,500 dollars on 2026-03-04',
    ];
    expect(await read(seen, ...texts)).toEqual(texts);
    expect([...seen.keys].sort()).toEqual(phoneKeys('+85512000111').sort());
  });

  it('refuses to keep more phones than it may', async () => {
    const many = Array.from({ length: 30 }, (_, i) => `+855 12 000 ${String(100 + i)}`);
    await expect(read(new PhonesSeen('KH', 20), ...many)).rejects.toThrow(TooManyPhonesError);
  });
});
