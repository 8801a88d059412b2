import { Injectable } from '@nestjs/common';
import { AppConfig } from '../config/app-config.service';
import { FileReadingBusyError, ReadingRefusal } from './attachment-errors';
import { FileLines, readableLines } from './readable-text';
import { AttachmentStorage } from './storage/attachment-storage';

/** How a reading waits for its slot. */
export interface SlotWait {
  /**
   * Waits however long it takes and whatever the queue's length: the catch-up job, one file at a time
   * and never more than one waiter (a run at a time per process), whose files must be read some day.
   */
  patient?: boolean;
  /**
   * Aborts when the upload's client has gone away: a waiter leaves the queue at once (its place went to
   * a reading whose answer nobody would read: eighteen uploads sent and dropped kept every country's
   * uploads waiting for minutes, review).
   */
  signal?: AbortSignal;
}

interface Waiter {
  take: () => void;
  timer?: NodeJS.Timeout;
}

/**
 * At most `slots` readings at once, the others waiting their turn in the order they came (a counting
 * semaphore). Bounded for callers who wait on an answer: when `queueMax` wait already, or when one has
 * waited `maxWaitMs`, it is refused (`FileReadingBusyError`, 503) rather than parked for ever.
 *
 * A slot is taken before `read` is called and given back when what it returns settles, fulfilled or
 * not, so whatever `read` starts (a reading deadline: `OwnNumbersSeen`) starts once the file is read.
 */
export class ReadingSlots {
  private taken = 0;
  private readonly waiting: Waiter[] = [];

  constructor(
    readonly slots: number,
    readonly queueMax: number,
    readonly maxWaitMs: number,
  ) {
    if (!Number.isInteger(slots) || slots < 1) throw new Error('a reading needs one slot at least');
  }

  /** Readings going on now. */
  get reading(): number {
    return this.taken;
  }

  /** Readings waiting for a slot now. */
  get queued(): number {
    return this.waiting.length;
  }

  async run<T>(read: () => Promise<T>, wait: SlotWait = {}): Promise<T> {
    await this.take(wait);
    try {
      return await read();
    } finally {
      this.giveBack();
    }
  }

  private take({ patient = false, signal }: SlotWait): Promise<void> {
    if (signal?.aborted) return Promise.reject(new FileReadingBusyError('client-gone', this.queueMax));
    // A free slot goes to whoever waits first: one that comes later does not pass the queue.
    if (this.taken < this.slots && !this.waiting.length) {
      this.taken++;
      return Promise.resolve();
    }
    // The job waits beside the uploads, not in their count: it is one waiter at most.
    if (!patient && this.waiting.filter((w) => w.timer).length >= this.queueMax)
      return Promise.reject(new FileReadingBusyError('queue-full', this.queueMax));
    return new Promise<void>((resolve, reject) => {
      const leave = (reason: ReadingRefusal) => {
        const at = this.waiting.indexOf(waiter);
        if (at >= 0) this.waiting.splice(at, 1);
        clearTimeout(waiter.timer);
        signal?.removeEventListener('abort', gone);
        reject(new FileReadingBusyError(reason, this.queueMax));
      };
      const gone = () => leave('client-gone');
      const waiter: Waiter = {
        take: () => {
          signal?.removeEventListener('abort', gone);
          resolve();
        },
      };
      if (!patient) waiter.timer = setTimeout(() => leave('waited-too-long'), this.maxWaitMs);
      signal?.addEventListener('abort', gone, { once: true });
      this.waiting.push(waiter);
    });
  }

  private giveBack(): void {
    const next = this.waiting.shift();
    // Handed over as it is: the number taken stays, so no newcomer slips in between.
    if (!next) {
      this.taken--;
      return;
    }
    clearTimeout(next.timer);
    next.take();
  }
}

/** A stored file to read: its content's hash, media type and size. */
export interface StoredFile {
  sha256: string;
  mediaType: string;
  sizeBytes: number;
}

/**
 * The files read for their numbers at once in this process, uploads and the catch-up job alike
 * (`FILE_READING_CONCURRENCY`). Each reading of a hostile file may keep a few hundred MB until it ends
 * (a PDF's content streams: probe input10, four at once peaked at ~1,000 MB of a server started with a
 * 1 GB heap), and the readings share one event loop, so more at once read no faster: a cap bounds the
 * memory by the cap, whatever arrives. Uploads wait their turn up to `FILE_READING_MAX_WAIT_MS`, at most
 * `FILE_READING_QUEUE_MAX` of them, then answer 503 with Retry-After; the bytes they stored are removed.
 */
@Injectable()
export class FileReadingSlots extends ReadingSlots {
  constructor(
    private readonly config: AppConfig,
    private readonly storage: AttachmentStorage,
  ) {
    super(
      config.get('FILE_READING_CONCURRENCY'),
      config.get('FILE_READING_QUEUE_MAX'),
      config.get('FILE_READING_MAX_WAIT_MS'),
    );
  }

  /**
   * `use` of the stored file's readable lines, in the file's turn, within the reading bounds the
   * configuration sets: the one way uploads and the catch-up job read a file.
   */
  read<T>(file: StoredFile, use: (lines: FileLines) => Promise<T>, wait: SlotWait = {}): Promise<T> {
    return this.run(
      () =>
        use(
          readableLines(this.storage, file.sha256, file.mediaType, file.sizeBytes, {
            nestedInflatedMax: this.config.get('ATTACHMENT_NESTED_ZIP_MAX_INFLATED_BYTES'),
          }),
        ),
      wait,
    );
  }
}
