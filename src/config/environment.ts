import { plainToInstance, Transform } from 'class-transformer';
import ipaddr from 'ipaddr.js';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsNumber,
  IsOptional,
  IsString,
  Matches,
  Max,
  Min,
  MinLength,
  validateSync,
} from 'class-validator';
import { isIP } from 'node:net';
import { egressAllowListProblems } from './egress-allow-list';

const toBoolean = ({ value }: { value: unknown }) =>
  typeof value === 'string' ? ['true', '1', 'yes', 'on'].includes(value.toLowerCase()) : value;
const toInt = ({ value }: { value: unknown }) =>
  typeof value === 'string' && value !== '' ? Number(value) : value;

/**
 * Every environment variable the service reads. Validated once at start-up so a bad value stops the
 * process with a message naming the variable, instead of failing later on a request.
 * Documented one by one in `.env.example`.
 */
export class Environment {
  @IsIn(['development', 'production', 'test'])
  NODE_ENV: 'development' | 'production' | 'test' = 'development';

  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(65535)
  PORT = 3000;

  @IsString()
  HOST = '127.0.0.1';

  @IsOptional()
  @Matches(/^postgres(ql)?:\/\/.+/, { message: 'DATABASE_URL must be a postgres:// connection URL' })
  DATABASE_URL?: string;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(200)
  DATABASE_POOL_SIZE = 10;

  /**
   * Streaming standbys of DATABASE_URL (comma-separated postgres:// URLs). The list, statistics and
   * audit-read routes then read from one of them (see src/database/replicas); everything else, and any
   * read a standby cannot serve fresh enough, stays on the primary. Unset: every query on the primary.
   */
  @IsOptional()
  @IsString()
  DATABASE_REPLICA_URLS?: string;

  /** A standby further behind the primary than this (ms) is not read from until it catches up. */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(3_600_000)
  DATABASE_REPLICA_MAX_LAG_MS = 5000;

  @IsString()
  DATA_DIR = './data';

  @Transform(toBoolean)
  @IsBoolean()
  MIGRATIONS_RUN = true;

  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL = 'info';

  @Transform(toInt)
  @IsInt()
  @Min(1024)
  @Max(50 * 1024 * 1024)
  BODY_LIMIT_BYTES = 1024 * 1024;

  /** An upload (the CSV import, a file while the server is ready to read it) or a JSON body that sends nothing for this long is refused with 408. */
  @Transform(toInt)
  @IsInt()
  @Min(100)
  @Max(10 * 60_000)
  UPLOAD_IDLE_TIMEOUT_MS = 10_000;

  /** An upload (the CSV import) or a JSON body that has not arrived whole after this long is refused with 408. */
  @Transform(toInt)
  @IsInt()
  @Min(100)
  @Max(60 * 60_000)
  UPLOAD_TOTAL_TIMEOUT_MS = 120_000;

  /**
   * PostgreSQL ends an app session that stays idle inside a transaction this long (its
   * `idle_in_transaction_session_timeout`), so a stuck request cannot hold locks, a pooled connection
   * and the audit sealer's horizon for ever. 0 turns it off. Real PostgreSQL only.
   */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(24 * 3600_000)
  DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_MS = 60_000;

  /**
   * The connection migrations run with: a role that owns the tables (see README, database roles).
   * Unset: DATABASE_URL. The app itself then connects as a runtime role that cannot alter them.
   */
  @IsOptional()
  @Matches(/^postgres(ql)?:\/\/.+/, {
    message: 'MIGRATION_DATABASE_URL must be a postgres:// connection URL',
  })
  MIGRATION_DATABASE_URL?: string;

  /** Comma-separated origins allowed by CORS; empty means CORS stays off. */
  @IsString()
  CORS_ORIGINS = '';

  @Transform(toBoolean)
  @IsBoolean()
  OPENAPI_ENABLED = true;

  /** Secret for signing access tokens; generated into DATA_DIR when unset outside production. */
  @IsOptional()
  @IsString()
  @MinLength(32, { message: 'JWT_SECRET must be at least 32 characters' })
  JWT_SECRET?: string;

  @Transform(toInt)
  @IsInt()
  @Min(60)
  @Max(24 * 3600)
  ACCESS_TOKEN_TTL_SECONDS = 900;

  /**
   * Comma-separated roles whose holders must turn on a second factor (TOTP): until they have, every
   * route but their own account's (`/auth/me`, `/auth/mfa/*`, `/auth/logout`, `/auth/password`) answers
   * 403 `mfa-enrolment-required`. Empty (the default): the second factor is each user's choice.
   */
  @IsString()
  @Matches(/^\s*((officer|liaison|screener|auditor|admin|platform_admin)\s*(,\s*|$))*$/, {
    message:
      'MFA_REQUIRED_ROLES must list roles (officer, liaison, screener, auditor, admin, platform_admin) separated by commas',
  })
  MFA_REQUIRED_ROLES = '';

  /**
   * Key material (32+ characters) the TOTP secrets are sealed under (AES-256-GCM, key derived by HKDF).
   * Unset: derived from the access-token secret, so changing JWT_SECRET then makes every enrolled second
   * factor unreadable (its users need an admin's reset). Set it to keep the two apart.
   */
  @IsOptional()
  @IsString()
  @MinLength(32, { message: 'MFA_ENCRYPTION_KEY must be at least 32 characters' })
  MFA_ENCRYPTION_KEY?: string;

  /**
   * Comma-separated IPs or CIDRs of the reverse proxies in front of the service. `X-Forwarded-For` is
   * believed only from these; empty (the default) believes it from nobody, so a client cannot choose
   * its own source address for the sign-in limits and the audit trail.
   */
  @IsString()
  TRUSTED_PROXIES = '';

  /**
   * Comma-separated host names, IPs or CIDRs that webhooks may reach although they are private,
   * loopback or otherwise not public (an in-house receiver). Empty (the default): public addresses only.
   */
  @IsString()
  WEBHOOK_ALLOWED_HOSTS = '';

  /** Sign-in attempts allowed per source address per minute. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  LOGIN_RATE_LIMIT_PER_ADDRESS = 30;

  /** Failed sign-ins (wrong password or unknown username) allowed per username per minute; then 429. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  LOGIN_RATE_LIMIT_PER_USERNAME = 10;

  /**
   * Redis (`redis://` or `rediss://`) for the sign-in rate-limit counters. Unset: the counters live in
   * the PostgreSQL every instance shares (in process memory on the embedded database).
   */
  @IsOptional()
  @Matches(/^rediss?:\/\/.+/, { message: 'REDIS_URL must be a redis:// or rediss:// URL' })
  REDIS_URL?: string;

  @IsOptional()
  @IsString()
  @MinLength(12)
  DEMO_PASSWORD?: string;

  /** Screening candidates scoring at least this (calibrated, 0–1) are alerts (`band: 'alert'`). */
  @Transform(({ value }: { value: unknown }) =>
    typeof value === 'string' && value !== '' ? Number(value) : value,
  )
  @IsNumber()
  @Min(0.3)
  @Max(1)
  SCREENING_THRESHOLD = 0.5;

  /** Candidates from this up to SCREENING_THRESHOLD are shown for review (`band: 'review'`); below, not shown. */
  @Transform(({ value }: { value: unknown }) =>
    typeof value === 'string' && value !== '' ? Number(value) : value,
  )
  @IsNumber()
  @Min(0.05)
  @Max(1)
  SCREENING_REVIEW_THRESHOLD = 0.05;

  /** When an entry becomes active, screenings of this many past days are matched against it. */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(365)
  RESCREEN_DAYS = 30;

  /**
   * Both countries of an active ban are told this many days before it lapses (`blacklist.entry_expiring`),
   * so the banning country can extend it in time.
   */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(365)
  BLACKLIST_EXPIRY_NOTICE_DAYS = 14;

  /** Run background jobs (deadlines, webhook deliveries) in this process. */
  @Transform(toBoolean)
  @IsBoolean()
  JOBS_ENABLED = true;

  /** First retry delay of a failed webhook delivery; doubles each time, for about 24 hours. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  WEBHOOK_RETRY_DELAY_SECONDS = 30;

  /** How often a worker looks for new jobs; unset: 2 s on PostgreSQL, 30 s on the embedded database. */
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(100)
  JOBS_POLL_INTERVAL_MS?: number;

  /**
   * Test only, refused with NODE_ENV=production: besides the once-a-minute job, this instance scans
   * deadlines on its own timer this often, so a test sees several instances scan within seconds.
   */
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(100)
  TEST_DEADLINE_SCAN_INTERVAL_MS?: number;

  @Transform(toBoolean)
  @IsBoolean()
  SEED_DEMO_ON_EMPTY = true;

  /** How often the audit sealer chains newly committed events, in ms; 0 turns the loop off. */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(60_000)
  AUDIT_SEAL_INTERVAL_MS = 200;

  /**
   * The sealer's interval once it has found nothing to do for a few passes; an audit event written by
   * this instance brings it back to AUDIT_SEAL_INTERVAL_MS at once. At most the delay before another
   * instance's events are chained when this one seals.
   */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(60_000)
  AUDIT_SEAL_IDLE_INTERVAL_MS = 2000;

  /** A signed checkpoint after at most this many newly sealed events… */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(10_000_000)
  AUDIT_CHECKPOINT_EVERY = 1000;

  /** …or after this many seconds, whichever comes first (only when new events were sealed). */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(24 * 3600)
  AUDIT_CHECKPOINT_SECONDS = 60;

  /** Ed25519 private key (PEM, or base64 of PEM or PKCS#8 DER); generated into DATA_DIR when unset. */
  @IsOptional()
  @IsString()
  AUDIT_SIGNING_KEY?: string;

  /**
   * A file every signed checkpoint is appended to (O_APPEND, one JSON line each): a witness outside the
   * database for `verify` with `checkpoint`. Unset: no witness file.
   */
  @IsOptional()
  @IsString()
  AUDIT_WITNESS_FILE?: string;

  /** Years audit events are kept at the least; the app itself never deletes them. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(100)
  AUDIT_RETENTION_YEARS = 7;

  /**
   * The largest attachment one upload may carry, in bytes (checked while the body streams). At most
   * 5 GiB: the S3 driver moves an upload under its hash with one server-side copy, which S3 caps there.
   */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(5 * 1024 * 1024 * 1024)
  ATTACHMENT_MAX_BYTES = 200 * 1024 * 1024;

  /**
   * What all entries of an uploaded ZIP may inflate to together, in bytes (`checkZipStructure`): what the
   * recipient's unzip writes. 1 GiB is five times the largest upload, more than a phone extract of
   * documents and pictures (1:1 to about 3:1 overall) needs, and far less than a bomb writes.
   */
  @Transform(toInt)
  @IsInt()
  @Min(1024 * 1024)
  @Max(64 * 1024 * 1024 * 1024)
  ATTACHMENT_ZIP_MAX_EXPANDED_BYTES = 1024 * 1024 * 1024;

  /**
   * What the entries of the ZIPs inside an uploaded ZIP may inflate to together while its text is read
   * for numbers (`readableLines`), in bytes; past it the file is refused as unreadable (422). The upload's
   * own entries are held to ATTACHMENT_ZIP_MAX_EXPANDED_BYTES; the ZIPs inside them are not (probe input
   * r7: a 26 KB upload inflated 5 GB of zeros). A setting so that a test can show the refusal without
   * inflating a whole GiB.
   */
  @Transform(toInt)
  @IsInt()
  @Min(1024 * 1024)
  // Inflated while the upload holds a reading slot: 5 GB took 25 s of CPU (probe input r7), so 4 GiB at most.
  @Max(4 * 1024 * 1024 * 1024)
  ATTACHMENT_NESTED_ZIP_MAX_INFLATED_BYTES = 1024 * 1024 * 1024;

  /**
   * Files read for their numbers at once (uploads and the catch-up job together: `FileReadingSlots`).
   * A hostile file may keep a few hundred MB until its reading ends, and the readings share one event
   * loop: 2 suits a 2-core machine with the 1 GB heap of `npm start`.
   */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(64)
  FILE_READING_CONCURRENCY = 2;

  /** Uploads that may wait for a reading slot at once; one more answers 503 (0: none waits). */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(10_000)
  FILE_READING_QUEUE_MAX = 16;

  /**
   * How long an upload waits for a reading slot before it answers 503 (ms). Short: a proxy in front
   * (nginx's `proxy_read_timeout`, an AWS ALB's idle timeout: 60 s by default) gives up on an upload that
   * answers nothing for longer than this wait and its reading (30 s for a small file), and would answer
   * the client 504 while the server went on to store the file.
   */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(10 * 60_000)
  FILE_READING_MAX_WAIT_MS = 20_000;

  /** Where attachment bytes live: `fs` under DATA_DIR/attachments (no set-up), or an S3-compatible bucket. */
  @IsIn(['fs', 's3'])
  ATTACHMENT_STORAGE: 'fs' | 's3' = 'fs';

  /** S3-compatible endpoint (MinIO: `http://minio:9000`); unset means AWS itself. */
  @IsOptional()
  @Matches(/^https?:\/\/.+/, { message: 'S3_ENDPOINT must be an http(s) URL' })
  S3_ENDPOINT?: string;

  @IsOptional()
  @IsString()
  S3_BUCKET?: string;

  @IsString()
  S3_REGION = 'us-east-1';

  @IsOptional()
  @IsString()
  S3_ACCESS_KEY_ID?: string;

  @IsOptional()
  @IsString()
  S3_SECRET_ACCESS_KEY?: string;

  /** Path-style addressing (`endpoint/bucket/key`), which MinIO and most self-hosted stores need. */
  @Transform(toBoolean)
  @IsBoolean()
  S3_FORCE_PATH_STYLE = false;
}

export function validateEnvironment(raw: Record<string, unknown>): Environment {
  // Empty strings mean "not set" so `.env.example` can list every variable blank.
  const present = Object.fromEntries(Object.entries(raw).filter(([, v]) => v !== ''));
  const env = plainToInstance(Environment, present, { exposeDefaultValues: true });
  const errors = validateSync(env, { skipMissingProperties: false });
  if (errors.length > 0) {
    const lines = errors.flatMap((e) =>
      Object.values(e.constraints ?? {}).map((m) => `  ${e.property}=${JSON.stringify(e.value)}: ${m}`),
    );
    throw new Error(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const addressProblems = [
    ...trustedProxiesProblems(env.TRUSTED_PROXIES),
    ...egressAllowListProblems(env.WEBHOOK_ALLOWED_HOSTS),
  ];
  if (addressProblems.length > 0)
    throw new Error(`Invalid configuration:\n${addressProblems.map((p) => `  ${p}`).join('\n')}`);
  if (env.UPLOAD_TOTAL_TIMEOUT_MS < env.UPLOAD_IDLE_TIMEOUT_MS) {
    throw new Error(
      'Invalid configuration:\n  UPLOAD_TOTAL_TIMEOUT_MS: must be at least UPLOAD_IDLE_TIMEOUT_MS',
    );
  }
  const replicaProblems = replicaUrlProblems(env);
  if (replicaProblems.length > 0)
    throw new Error(`Invalid configuration:\n${replicaProblems.map((p) => `  ${p}`).join('\n')}`);
  if (env.ATTACHMENT_STORAGE === 's3' && !env.S3_BUCKET) {
    throw new Error('Invalid configuration:\n  S3_BUCKET: required when ATTACHMENT_STORAGE=s3');
  }
  if (env.NODE_ENV === 'production' && !env.JWT_SECRET) {
    throw new Error('Invalid configuration:\n  JWT_SECRET: required when NODE_ENV=production');
  }
  if (env.NODE_ENV === 'production' && env.TEST_DEADLINE_SCAN_INTERVAL_MS !== undefined) {
    throw new Error(
      'Invalid configuration:\n  TEST_DEADLINE_SCAN_INTERVAL_MS: refused when NODE_ENV=production',
    );
  }
  return env;
}

/** DATABASE_REPLICA_URLS as a list (empty when unset). */
export function replicaUrls(raw: string | undefined): string[] {
  return (raw ?? '')
    .split(',')
    .map((u) => u.trim())
    .filter(Boolean);
}

function replicaUrlProblems(env: Environment): string[] {
  const urls = replicaUrls(env.DATABASE_REPLICA_URLS);
  if (urls.length === 0) return [];
  if (!env.DATABASE_URL)
    return ['DATABASE_REPLICA_URLS: needs DATABASE_URL (the embedded database has no standbys)'];
  return urls
    .filter((u) => !/^postgres(ql)?:\/\/.+/.test(u))
    .map((u) => `DATABASE_REPLICA_URLS: ${JSON.stringify(u)} is not a postgres:// connection URL`);
}

/** The TRUSTED_PROXIES entries, each an IP address or a CIDR (empty list: trust nobody). */
export function trustedProxies(raw: string): string[] {
  return raw
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean);
}

function trustedProxiesProblems(raw: string): string[] {
  return trustedProxies(raw)
    .filter((entry) => !isAddressOrCidr(entry))
    .map((entry) => `TRUSTED_PROXIES=${JSON.stringify(entry)}: each entry must be an IP address or a CIDR`);
}

/** `10.0.0.1`, `fd00::1`, `10.0.0.0/8`, `fd00::/8`: dotted-quad or IPv6 only, no `127.1` shorthand. */
export function isAddressOrCidr(entry: string): boolean {
  const [address, bits, ...rest] = entry.split('/');
  if (rest.length > 0 || !address || isIP(address) === 0) return false;
  if (bits === undefined) return true;
  try {
    ipaddr.parseCIDR(entry);
    return /^\d{1,3}$/.test(bits);
  } catch {
    return false;
  }
}
