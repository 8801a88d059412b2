import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { AuditService } from '../audit/audit.service';
import { systemContext } from '../common/request-context';
import { TransactionService } from '../database/transaction.service';
import { JobsService } from '../jobs/jobs.service';
import { OWN_NUMBERS_READING } from '../sharing/file-numbers';
import { FileReleaseService } from '../sharing/file-release.service';
import { FileReadingSlots } from './file-reading-slots';
import { UnreadableContentError } from './readable-text';

export const OWN_NUMBERS_CATCH_UP_JOB = 'file-own-numbers-catch-up';
const ctx = systemContext(OWN_NUMBERS_CATCH_UP_JOB);
/** Files looked up at once; each is read, and kept in a transaction of its own. */
const BATCH = 20;
/** A run stops taking new files after this long (a third of its minute): the next run goes on. */
const RUN_MS = 20_000;

/**
 * The numbers of its own a file shows are read when it is uploaded (`OwnNumbersSeen`); a file uploaded
 * before a reading found them (or before a newer one: `OWN_NUMBERS_READING`) is read here, every
 * minute, a batch at a time, and what it shows is kept and recorded as received by every country the
 * file reached already, as an upload and a release record it now. Until then such a file's numbers were
 * the recipient's own for the release rule (probe r44). A file that cannot be read is kept as read with
 * nothing found (an upload refuses it; this one went out before); one whose bytes cannot be had now (a
 * storage outage) is left for the next run.
 */
@Injectable()
export class OwnNumbersCatchUpService implements OnModuleInit {
  private readonly logger = new Logger('OwnNumbersCatchUp');
  /** A run found no file to read: this process looks no more (`catchUp`). */
  private caughtUp = false;
  private running = false;

  constructor(
    private readonly jobs: JobsService,
    private readonly tx: TransactionService,
    private readonly audit: AuditService,
    private readonly fileRelease: FileReleaseService,
    private readonly readingSlots: FileReadingSlots,
  ) {}

  onModuleInit(): void {
    this.jobs.define({
      name: OWN_NUMBERS_CATCH_UP_JOB,
      cron: '* * * * *',
      handler: async () => void (await this.catchUp()),
    });
  }

  /**
   * How many files were read. A run stops taking files after `RUN_MS`; one still going when the next
   * minute comes is left to finish alone. Once a run finds none to read, this process looks no more:
   * an upload marks what it read itself, and a newer reading comes with a new release, which starts
   * the process again.
   */
  async catchUp(): Promise<number> {
    if (this.caughtUp || this.running) return 0;
    this.running = true;
    try {
      return await this.readEarlierFiles();
    } finally {
      this.running = false;
    }
  }

  private async readEarlierFiles(): Promise<number> {
    const started = Date.now();
    let read = 0;
    let after: { sha256: string; holder: string } | null = null;
    for (;;) {
      const files = await this.fileRelease.filesNotReadForOwnNumbers(BATCH, after);
      if (!files.length) {
        this.caughtUp = after === null;
        return read;
      }
      for (const file of files) {
        if (Date.now() - started > RUN_MS) return read;
        after = file;
        let found: string[] = [];
        let unreadable: string | undefined;
        try {
          // In its turn among the uploads' readings (`FileReadingSlots`), as long as that takes: one file
          // at a time, back in the queue after each, so it neither holds uploads up for more than a file
          // nor is passed over by them for ever.
          const size = Number(file.size_bytes);
          found = await this.readingSlots.read(
            { sha256: file.sha256, mediaType: file.media_type, sizeBytes: size },
            (lines) => this.fileRelease.ownNumbersIn(file.holder, lines, size),
            { patient: true },
          );
        } catch (error) {
          if (!(error instanceof UnreadableContentError)) {
            // Its bytes cannot be had now (a storage outage): the next run tries again.
            this.logger.warn(
              `file ${file.sha256} of ${file.holder} not read now: ${(error as Error).message}`,
            );
            continue;
          }
          unreadable = error.message;
        }
        read += (await this.keep(file, found, unreadable)) ? 1 : 0;
      }
    }
  }

  private keep(
    file: { sha256: string; holder: string; attachment_id: string },
    found: string[],
    unreadable: string | undefined,
  ): Promise<boolean> {
    return this.tx.run(async () => {
      const kept = await this.fileRelease.keepOwnNumbersOfEarlierFile(file.sha256, file.holder, found);
      if (!kept) return false;
      await this.audit.record(ctx, {
        action: 'attachment.own_numbers_read',
        recordType: 'attachment',
        recordId: file.attachment_id,
        ownerCountry: file.holder,
        details: {
          sha256: file.sha256,
          reading: OWN_NUMBERS_READING,
          numbers: kept.numbers,
          recordedAsReceivedBy: kept.recipients,
          ...(unreadable ? { unreadable } : {}),
        },
      });
      return true;
    });
  }
}
