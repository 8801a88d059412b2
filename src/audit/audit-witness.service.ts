import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { open } from 'node:fs/promises';
import { DataSource } from 'typeorm';
import { AppConfig } from '../config/app-config.service';
import type { CheckpointRow } from './audit-chain-check';
import { toCheckpointResponse } from './audit.mappers';

/** Checkpoints appended per write. */
const PUBLISH_BATCH = 1000;
/** Bytes read from the end of the file to find its last line (a line is ~250 bytes). */
const TAIL_BYTES = 64 * 1024;

/**
 * Publishes every signed audit checkpoint to a witness outside the database: AUDIT_WITNESS_FILE, opened
 * with O_APPEND, one JSON line per checkpoint as `GET /audit-events/checkpoints` shows it. Someone who
 * takes the database and the signing key can rewrite the chain and re-sign it, but not the lines
 * already out here; `POST /audit-events/verify` with `checkpoint: {seq, hash}` from a line shows it.
 * The file is only as safe as where it lives: make it append-only for the app (chattr +a, a WORM
 * bucket, a log shipper to another host), see the README.
 *
 * Publishes whatever the file lacks, so a checkpoint signed by another instance, or one whose line was
 * lost when the process died between COMMIT and the write, goes out on the next pass.
 */
@Injectable()
export class AuditWitnessService {
  private readonly logger = new Logger(AuditWitnessService.name);
  /** The highest seq known to be in the file; read from its last line on first use. */
  private published: bigint | null = null;
  private failing = false;
  /** Whether the file may lack checkpoints that are in the database (at start, after a failure). */
  private behind = true;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly config: AppConfig,
  ) {}

  /**
   * After this instance signed a checkpoint (`signed`), or while the file may be behind: appends the
   * checkpoints it does not hold yet. A failure is logged; the next call retries.
   */
  async publishPending(signed: boolean): Promise<number> {
    const path = this.config.get('AUDIT_WITNESS_FILE');
    if (!path || (!signed && !this.behind)) return 0;
    try {
      // 'a+' is O_RDWR | O_CREAT | O_APPEND: it reads its last line, and every write lands at the end
      // whatever position the handle is at and whoever else has the file open.
      const file = await open(path, 'a+', 0o640);
      let written = 0;
      try {
        this.published ??= await lastSeq(file);
        for (;;) {
          const rows: CheckpointRow[] = await this.dataSource.query(
            `SELECT k.seq::text AS seq, k.hash,
                    to_char(k.signed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS signed_at,
                    k.signature, k.key_id
               FROM audit_checkpoint k WHERE k.seq > $1::bigint ORDER BY k.seq LIMIT ${PUBLISH_BATCH}`,
            [this.published.toString()],
          );
          if (!rows.length) break;
          await file.write(rows.map((row) => `${JSON.stringify(toCheckpointResponse(row))}\n`).join(''));
          await file.datasync();
          this.published = BigInt(rows[rows.length - 1]!.seq);
          written += rows.length;
          if (rows.length < PUBLISH_BATCH) break;
        }
      } finally {
        await file.close();
      }
      if (this.failing) this.logger.log('Audit witness file writable again');
      this.failing = false;
      this.behind = false;
      return written;
    } catch (error) {
      // Once per outage: the checkpoints stay in the database and go out when the file is writable.
      if (!this.failing) this.logger.error({ err: error }, `Cannot publish audit checkpoints to ${path}`);
      this.failing = true;
      this.behind = true;
      this.published = null;
      return 0;
    }
  }
}

/** The seq of the file's last complete line (0 for an empty or new file). */
async function lastSeq(file: import('node:fs/promises').FileHandle): Promise<bigint> {
  const { size } = await file.stat();
  if (size === 0) return 0n;
  const length = Math.min(size, TAIL_BYTES);
  const buffer = Buffer.alloc(length);
  await file.read(buffer, 0, length, size - length);
  const lines = buffer.toString('utf8').split('\n').filter(Boolean);
  for (let i = lines.length - 1; i >= 0; i--) {
    try {
      const seq = (JSON.parse(lines[i]!) as { seq?: unknown }).seq;
      if (typeof seq === 'number' || typeof seq === 'string') return BigInt(seq);
    } catch {
      // A torn last line (the process died mid-write): the one before it counts.
    }
  }
  return 0n;
}
