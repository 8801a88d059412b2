import { receivedNumbersIn } from './file-numbers';
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
