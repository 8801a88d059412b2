import {
  BeforeApplicationShutdown,
  Injectable,
  Logger,
  OnApplicationBootstrap,
  OnApplicationShutdown,
} from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { setImmediate as setImmediatePromise } from 'node:timers/promises';
import { DataSource, EntityManager } from 'typeorm';
import { AppConfig } from '../config/app-config.service';
import {
  canonicalEventColumns,
  CanonicalEventRow,
  checkpointPayload,
  eventHash,
  GENESIS_HASH,
  isoMicros,
} from './audit-canonical';
import { AuditSigningKey } from './audit-signing-key';
import { AuditWitnessService } from './audit-witness.service';
import { onAuditEventWritten } from './audit-write-signal';

/** Advisory lock key shared by every app instance: only the holder seals or checkpoints. */
export const AUDIT_SEALER_LOCK = '7263544901';
/** Events chained per transaction; a larger backlog takes several transactions in one pass. */
export const SEAL_BATCH_SIZE = 5000;
/** Passes in a row that find nothing to do before the loop slows to AUDIT_SEAL_IDLE_INTERVAL_MS. */
const QUIET_PASSES_BEFORE_IDLE = 5;
/** Events hashed between two yields to the event loop. */
const YIELD_EVERY = 250;

export interface SealResult {
  /** Events chained by this pass. */
  sealed: number;
  /** Chain head after the pass (null while the chain is empty, or when another instance held the lock). */
  headSeq: number | null;
  /** Seq of the checkpoint signed by this pass, if any. */
  checkpointSeq: number | null;
}

interface Head {
  seq: bigint;
  hash: Buffer;
}

/**
 * Chains committed audit events after the fact, so business transactions insert events without any
 * lock and never wait on each other.
 *
 * Every pass (a timer every AUDIT_SEAL_INTERVAL_MS, or `sealNow()`), under a transaction-scoped advisory
 * lock, takes the events not yet chained whose transaction id is below the xmin of the current snapshot:
 * those transactions have all finished, so no event can still commit "before" them. It orders them by id,
 * links each to the previous hash and inserts their `audit_chain` rows in the same transaction. Events of
 * a transaction still running wait for the next pass, which keeps the chain free of gaps and forks.
 * Then, if AUDIT_CHECKPOINT_EVERY events were sealed since the last checkpoint or the oldest of them was
 * sealed AUDIT_CHECKPOINT_SECONDS ago, the head is signed into `audit_checkpoint`.
 *
 * After a few passes with nothing to do the loop waits AUDIT_SEAL_IDLE_INTERVAL_MS instead, until an
 * audit event is written in this process: an idle server then runs a few queries a second instead of
 * ~50, which lets V8 shrink its young generation (~30 MB; bench/README "Session 12: embedded idle").
 */
@Injectable()
export class AuditSealerService
  implements OnApplicationBootstrap, BeforeApplicationShutdown, OnApplicationShutdown
{
  private readonly logger = new Logger(AuditSealerService.name);
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  /** Passes run one after the other in this process; this is the tail of that queue. */
  private tail: Promise<unknown> = Promise.resolve();
  /** Every committed event with a tx_id below this is sealed (known from an earlier complete pass). */
  private txFloor = '0';
  private failing = false;
  private quietPasses = 0;
  /** Sealed events that no checkpoint covers yet: a time-based checkpoint is still to come. */
  private checkpointOwed = false;
  /** The pending timer is an idle one (and no pass is running). */
  private idleTimer = false;
  private stopListening: (() => void) | undefined;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly config: AppConfig,
    private readonly signingKey: AuditSigningKey,
    private readonly witness: AuditWitnessService,
  ) {}

  onApplicationBootstrap(): void {
    if (this.config.get('AUDIT_SEAL_INTERVAL_MS') > 0) this.start();
  }

  /** Starts (or restarts after `stop()`) the loop. */
  start(): void {
    this.stopped = false;
    this.stopListening ??= onAuditEventWritten(() => this.wake());
    if (!this.timer) this.schedule();
  }

  /** Stops the loop and waits for a pass in flight, before the database connection closes. */
  async beforeApplicationShutdown(): Promise<void> {
    await this.stop();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.stop();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.stopListening?.();
    this.stopListening = undefined;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await this.tail;
  }

  /**
   * Seals everything sealable now, waiting for the lock if another instance holds it. With
   * `drain: true` it repeats until every event committed before the call is sealed (a writing
   * transaction anywhere on the server holds the snapshot xmin back, so one pass may seal only part),
   * giving up after `drainTimeoutMs`. With `checkpoint: true` it then signs the head whatever the
   * thresholds say (tests, operators).
   */
  async sealNow(
    options: { checkpoint?: boolean; drain?: boolean; drainTimeoutMs?: number } = {},
  ): Promise<SealResult> {
    if (!options.drain) return this.enqueue(() => this.pass(true, options.checkpoint ?? false));
    const [{ upTo }] = await this.dataSource.query(
      `SELECT coalesce(max(id), 0)::text AS "upTo" FROM audit_event`,
    );
    const deadline = Date.now() + (options.drainTimeoutMs ?? 10_000);
    let sealed = 0;
    for (;;) {
      const result = await this.enqueue(() => this.pass(true, false));
      sealed += result.sealed;
      const [{ pending }] = await this.dataSource.query(
        `SELECT EXISTS (SELECT 1 FROM audit_event e WHERE e.id <= $1::bigint
                 AND NOT EXISTS (SELECT 1 FROM audit_chain c WHERE c.event_id = e.id)) AS pending`,
        [upTo],
      );
      if (!pending || Date.now() > deadline) {
        const checkpointSeq = options.checkpoint
          ? await this.enqueue(() => this.checkpointIfDue(true, true))
          : result.checkpointSeq;
        return { sealed, headSeq: result.headSeq, checkpointSeq };
      }
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  private enqueue<T>(work: () => Promise<T>): Promise<T> {
    const run = this.tail.then(work);
    this.tail = run.catch(() => undefined);
    return run;
  }

  private schedule(): void {
    if (this.stopped) return;
    const interval = this.config.get('AUDIT_SEAL_INTERVAL_MS');
    let delay = interval;
    if (this.quietPasses >= QUIET_PASSES_BEFORE_IDLE) {
      delay = Math.max(interval, this.config.get('AUDIT_SEAL_IDLE_INTERVAL_MS'));
      // A time-based checkpoint must not wait for the idle interval much past its due time.
      if (this.checkpointOwed)
        delay = Math.max(interval, Math.min(delay, (this.config.get('AUDIT_CHECKPOINT_SECONDS') * 1000) / 2));
    }
    this.idleTimer = delay > interval;
    this.timer = setTimeout(() => void this.tick(), delay);
    this.timer.unref();
  }

  /** An event is being written here: leave the idle interval now rather than at its end. */
  private wake(): void {
    this.quietPasses = 0;
    if (!this.idleTimer || !this.timer || this.stopped) return;
    clearTimeout(this.timer);
    this.schedule();
  }

  private async tick(): Promise<void> {
    this.idleTimer = false;
    try {
      const result = await this.enqueue(() => this.pass(false, false));
      if (result.sealed > 0) this.checkpointOwed = true;
      if (result.checkpointSeq !== null) this.checkpointOwed = false;
      this.quietPasses = result.sealed > 0 || result.checkpointSeq !== null ? 0 : this.quietPasses + 1;
      if (this.failing) this.logger.log('Audit sealing works again');
      this.failing = false;
    } catch (error) {
      // Log once per outage, not every 200 ms; the next tick retries.
      if (!this.failing) this.logger.error({ err: error }, 'Audit sealing failed; retrying');
      this.failing = true;
    } finally {
      this.schedule();
    }
  }

  private async pass(wait: boolean, forceCheckpoint: boolean): Promise<SealResult> {
    let sealed = 0;
    let headSeq: number | null = null;
    for (;;) {
      const batch = await this.sealBatch(wait);
      if (batch === null) return { sealed, headSeq: null, checkpointSeq: null };
      sealed += batch.sealed;
      headSeq = batch.headSeq;
      if (batch.sealed < SEAL_BATCH_SIZE) break;
    }
    const checkpointSeq = await this.checkpointIfDue(wait, forceCheckpoint);
    return { sealed, headSeq, checkpointSeq };
  }

  private async lock(m: EntityManager, wait: boolean): Promise<boolean> {
    if (wait) {
      await m.query(`SELECT pg_advisory_xact_lock($1::bigint)`, [AUDIT_SEALER_LOCK]);
      return true;
    }
    const [{ locked }] = await m.query(`SELECT pg_try_advisory_xact_lock($1::bigint) AS locked`, [
      AUDIT_SEALER_LOCK,
    ]);
    return locked === true;
  }

  private async head(m: EntityManager): Promise<Head | null> {
    const rows: Array<{ seq: string; hash: Buffer }> = await m.query(
      `SELECT c.seq::text AS seq, c.hash FROM audit_chain c ORDER BY c.seq DESC LIMIT 1`,
    );
    return rows.length ? { seq: BigInt(rows[0].seq), hash: rows[0].hash } : null;
  }

  /**
   * The oldest transaction still running in this database (from the snapshot's in-progress list,
   * matched to this database's backends), or the snapshot's xmax when none is. The server-wide xmin
   * would do too, but lets a long transaction in any other database hold sealing back.
   */
  private async horizon(m: EntityManager): Promise<string> {
    try {
      const [{ horizon }] = await m.query(
        `SELECT coalesce(
                  (SELECT min(x) FROM pg_snapshot_xip(s.snap) x
                    WHERE (x::text::numeric % 4294967296) IN (
                      SELECT a.backend_xid::text::numeric FROM pg_stat_activity a
                       WHERE a.datname = current_database() AND a.backend_xid IS NOT NULL)),
                  pg_snapshot_xmax(s.snap))::text AS horizon
           FROM (SELECT pg_current_snapshot() AS snap) s`,
      );
      return horizon;
    } catch {
      const [{ xmin }] = await m.query(`SELECT pg_snapshot_xmin(pg_current_snapshot())::text AS xmin`);
      return xmin;
    }
  }

  /** One transaction: chains up to SEAL_BATCH_SIZE events. Null when another instance holds the lock. */
  private async sealBatch(wait: boolean): Promise<{ sealed: number; headSeq: number | null } | null> {
    let floorAfter: string | null = null;
    const result = await this.dataSource.transaction(async (m) => {
      if (!(await this.lock(m, wait))) return null;
      const head = await this.head(m);
      // Transactions of this database below the horizon have all ended: their committed events are all
      // visible from here on. Other databases on the server are ignored: they never write this table.
      const xmin = await this.horizon(m);
      const events: CanonicalEventRow[] = await m.query(
        `SELECT ${canonicalEventColumns('e')} FROM audit_event e
          WHERE e.tx_id >= $1::xid8 AND e.tx_id < $2::xid8
            AND NOT EXISTS (SELECT 1 FROM audit_chain c WHERE c.event_id = e.id)
          ORDER BY e.id
          LIMIT ${SEAL_BATCH_SIZE}`,
        [this.txFloor, xmin],
      );
      if (events.length < SEAL_BATCH_SIZE) floorAfter = xmin;
      if (events.length === 0) return { sealed: 0, headSeq: head ? Number(head.seq) : null };

      let prev = head?.hash ?? GENESIS_HASH;
      let seq = head?.seq ?? 0n;
      const seqs: string[] = [];
      const ids: string[] = [];
      const prevs: string[] = [];
      const hashes: string[] = [];
      for (const [index, event] of events.entries()) {
        // Hashing is synchronous: let requests in between so a large backlog does not stall them.
        if (index > 0 && index % YIELD_EVERY === 0) await setImmediatePromise();
        seq += 1n;
        const hash = eventHash(prev, event);
        seqs.push(seq.toString());
        ids.push(event.id);
        prevs.push(prev.toString('hex'));
        hashes.push(hash.toString('hex'));
        prev = hash;
      }
      await m.query(
        `INSERT INTO audit_chain (seq, event_id, prev_hash, hash)
         SELECT s, ev, decode(p, 'hex'), decode(h, 'hex')
           FROM unnest($1::bigint[], $2::bigint[], $3::text[], $4::text[]) AS t(s, ev, p, h)`,
        [seqs, ids, prevs, hashes],
      );
      return { sealed: events.length, headSeq: Number(seq) };
    });
    if (floorAfter !== null) this.txFloor = floorAfter;
    return result;
  }

  /**
   * Signs the chain head when enough events or time accumulated since the last checkpoint; once that
   * has committed, appends what the witness file lacks (also checkpoints of other instances).
   */
  private async checkpointIfDue(wait: boolean, force: boolean): Promise<number | null> {
    const seq = await this.signCheckpointIfDue(wait, force);
    await this.witness.publishPending(seq !== null);
    return seq;
  }

  private async signCheckpointIfDue(wait: boolean, force: boolean): Promise<number | null> {
    return this.dataSource.transaction(async (m) => {
      if (!(await this.lock(m, wait))) return null;
      const head = await this.head(m);
      if (!head) return null;
      const [last]: Array<{ seq: string }> = await m.query(
        `SELECT k.seq::text AS seq FROM audit_checkpoint k ORDER BY k.seq DESC LIMIT 1`,
      );
      const lastSeq = last ? BigInt(last.seq) : 0n;
      if (lastSeq >= head.seq) return null;
      const pending = head.seq - lastSeq;
      let due = force || pending >= BigInt(this.config.get('AUDIT_CHECKPOINT_EVERY'));
      if (!due) {
        const [oldest]: Array<{ age: number }> = await m.query(
          `SELECT extract(epoch FROM clock_timestamp() - sealed_at)::float8 AS age FROM audit_chain WHERE seq = $1`,
          [(lastSeq + 1n).toString()],
        );
        due = !oldest || oldest.age >= this.config.get('AUDIT_CHECKPOINT_SECONDS');
      }
      if (!due) return null;
      const signedAt = isoMicros(new Date());
      const signature = this.signingKey.sign(checkpointPayload(head.seq.toString(), head.hash, signedAt));
      await m.query(
        `INSERT INTO audit_checkpoint (seq, hash, signed_at, signature, key_id) VALUES ($1, $2, $3, $4, $5)`,
        [head.seq.toString(), head.hash, signedAt, signature, this.signingKey.keyId],
      );
      return Number(head.seq);
    });
  }
}
