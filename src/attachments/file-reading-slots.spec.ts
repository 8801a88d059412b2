import { OwnNumbersSeen, ReadTooLongError } from '../sharing/file-numbers';
import { FileReadingBusyError } from './attachment-errors';
import { ReadingSlots } from './file-reading-slots';

/** A reading the test ends when it likes: `end()` fulfils it, `fail()` rejects it. */
function heldReading() {
  let end!: () => void;
  let fail!: (error: Error) => void;
  const settled = new Promise<void>((resolve, reject) => {
    end = resolve;
    fail = reject;
  });
  return { read: () => settled, end, fail };
}

/** Lets every promise that can settle now settle. */
const settle = () => new Promise((resolve) => setImmediate(resolve));

async function* lines(count: number): AsyncGenerator<string> {
  for (let i = 0; i < count; i++) yield `line ${i} of a statement`;
}

async function readThrough(seen: OwnNumbersSeen): Promise<string> {
  for await (const _ of seen.through(lines(200)));
  return 'read';
}

describe('ReadingSlots: files read at once', () => {
  afterEach(() => jest.useRealTimers());

  it('reads at most `slots` files at once, the others starting in the order they came', async () => {
    const slots = new ReadingSlots(2, 10, 60_000);
    const started: number[] = [];
    const readings = [0, 1, 2, 3, 4].map(() => heldReading());
    const runs = readings.map((reading, i) =>
      slots.run(() => {
        started.push(i);
        return reading.read();
      }),
    );
    await settle();
    expect({ started, reading: slots.reading, queued: slots.queued }).toEqual({
      started: [0, 1],
      reading: 2,
      queued: 3,
    });
    readings[1]!.end();
    await settle();
    expect(started).toEqual([0, 1, 2]);
    readings[0]!.end();
    readings[2]!.end();
    await settle();
    expect(started).toEqual([0, 1, 2, 3, 4]);
    readings[3]!.end();
    readings[4]!.end();
    await Promise.all(runs);
    expect({ reading: slots.reading, queued: slots.queued }).toEqual({ reading: 0, queued: 0 });
  });

  it('lets a waiter whose client went away leave the queue: the next one reads in its place', async () => {
    const slots = new ReadingSlots(1, 10, 60_000);
    const first = heldReading();
    const started: string[] = [];
    const running = slots.run(() => {
      started.push('first');
      return first.read();
    });
    const client = new AbortController();
    const dropped = slots.run(
      async () => {
        started.push('dropped');
      },
      { signal: client.signal },
    );
    const next = slots.run(async () => {
      started.push('next');
    });
    await settle();
    expect(slots.queued).toBe(2);
    client.abort();
    await expect(dropped).rejects.toMatchObject({ extensions: { reason: 'client-gone' } });
    expect(slots.queued).toBe(1);
    first.end();
    await Promise.all([running, next]);
    expect({ started, reading: slots.reading, queued: slots.queued }).toEqual({
      started: ['first', 'next'],
      reading: 0,
      queued: 0,
    });
    // Gone before it asked: refused at once, nothing taken.
    await expect(slots.run(async () => 'read', { signal: client.signal })).rejects.toBeInstanceOf(
      FileReadingBusyError,
    );
    expect(slots.reading).toBe(0);
  });

  it('gives the slot back when a reading fails, and the next one starts', async () => {
    const slots = new ReadingSlots(1, 10, 60_000);
    const first = heldReading();
    const failing = slots.run(first.read);
    let secondStarted = false;
    const second = slots.run(async () => {
      secondStarted = true;
      return 'second';
    });
    first.fail(new Error('its bytes cannot be had'));
    await expect(failing).rejects.toThrow('its bytes cannot be had');
    await expect(second).resolves.toBe('second');
    expect({ secondStarted, reading: slots.reading }).toEqual({ secondStarted: true, reading: 0 });
  });

  it('gives the slot back when a reading passes its deadline (ReadTooLongError)', async () => {
    jest.useFakeTimers({ doNotFake: ['setImmediate', 'nextTick', 'queueMicrotask'] });
    const slots = new ReadingSlots(1, 10, 600_000);
    const seen = new OwnNumbersSeen('KH', 1000, 1024);
    jest.advanceTimersByTime(31_000);
    await expect(slots.run(() => readThrough(seen))).rejects.toThrow(ReadTooLongError);
    await expect(slots.run(async () => 'next')).resolves.toBe('next');
    expect(slots.reading).toBe(0);
  });

  it("starts a file's reading deadline when its reading begins, not when it began to wait", async () => {
    jest.useFakeTimers({ doNotFake: ['setImmediate', 'nextTick', 'queueMicrotask'] });
    const slots = new ReadingSlots(1, 10, 600_000);
    const first = heldReading();
    const reading = slots.run(first.read);
    // The way a reading was timed before: its clock started as the upload began to wait.
    const timedAtArrival = new OwnNumbersSeen('KH', 1000, 1024);
    const waited = slots.run(() => readThrough(new OwnNumbersSeen('KH', 1000, 1024)));
    // The first reading holds the slot for a minute, twice the deadline of a file this small (30 s).
    jest.advanceTimersByTime(60_000);
    first.end();
    await reading;
    await expect(waited).resolves.toBe('read');
    await expect(readThrough(timedAtArrival)).rejects.toThrow(ReadTooLongError);
  });

  it('refuses at once (503, Retry-After) when `queueMax` wait already, and takes nothing', async () => {
    const slots = new ReadingSlots(1, 2, 60_000);
    const first = heldReading();
    const runs = [slots.run(first.read), slots.run(async () => 1), slots.run(async () => 2)];
    let refusedRead = false;
    const refused = await slots
      .run(async () => {
        refusedRead = true;
      })
      .catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(FileReadingBusyError);
    const busy = refused as FileReadingBusyError;
    expect({
      status: busy.status,
      code: busy.code,
      extensions: busy.extensions,
      headers: busy.headers,
      refusedRead,
      queued: slots.queued,
    }).toEqual({
      status: 503,
      code: 'file-reading-busy',
      extensions: { reason: 'queue-full', retryAfterSeconds: 30 },
      headers: { 'Retry-After': '30' },
      refusedRead: false,
      queued: 2,
    });
    first.end();
    await expect(Promise.all(runs)).resolves.toEqual([undefined, 1, 2]);
  });

  it('refuses one that waited `maxWaitMs` (503), leaving the queue, never read after', async () => {
    jest.useFakeTimers({ doNotFake: ['setImmediate', 'nextTick', 'queueMicrotask'] });
    const slots = new ReadingSlots(1, 10, 5_000);
    const first = heldReading();
    const reading = slots.run(first.read);
    let lateRead = false;
    const late = slots
      .run(async () => {
        lateRead = true;
      })
      .catch((error: unknown) => error);
    jest.advanceTimersByTime(5_000);
    const refused = (await late) as FileReadingBusyError;
    expect({ reason: refused.extensions.reason, status: refused.status, queued: slots.queued }).toEqual({
      reason: 'waited-too-long',
      status: 503,
      queued: 0,
    });
    first.end();
    await reading;
    await settle();
    expect({ lateRead, reading: slots.reading }).toEqual({ lateRead: false, reading: 0 });
  });

  it('lets a patient reading (the catch-up job) wait past the bounds, in its turn among the others', async () => {
    jest.useFakeTimers({ doNotFake: ['setImmediate', 'nextTick', 'queueMicrotask'] });
    const slots = new ReadingSlots(1, 1, 5_000);
    const order: string[] = [];
    const first = heldReading();
    const runs = [
      slots.run(first.read),
      slots.run(async () => void order.push('upload waiting before it')),
      // The queue is full for an upload, not for the job.
      slots.run(async () => void order.push('catch-up'), { patient: true }),
    ];
    const refused = await slots.run(async () => void order.push('refused')).catch((e: Error) => e);
    expect(refused).toBeInstanceOf(FileReadingBusyError);
    // The upload that waited gives up after 5 s; the job waits on.
    jest.advanceTimersByTime(60_000);
    await expect(runs[1]).rejects.toBeInstanceOf(FileReadingBusyError);
    const after = slots.run(async () => void order.push('upload after it'));
    first.end();
    await Promise.all([runs[0], runs[2], after]);
    expect(order).toEqual(['catch-up', 'upload after it']);
  });
});
