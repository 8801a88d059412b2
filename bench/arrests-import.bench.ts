/**
 * `npm run bench:arrests`: one raid of 2,000 arrests recorded in one batch (JSON `POST /arrests/batch`)
 * and the same raid as a streamed CSV (`POST /arrests/import`), several runs each, and the time and rows
 * per second. The built server (`dist/`, as `npm start` runs it) is started as its own process on a
 * fresh clone of the tests' migrated template on real PostgreSQL, so jest's sandbox does not slow the
 * server down. Not part of `npm test`.
 */
import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { Client } from 'pg';
import { TEST_DEMO_PASSWORD } from '../test/support/demo-password';
import { databaseUrl } from '../test/support/test-database-server';
import { RAID_HEADER, raidRow, toCsv } from '../test/arrests/raid-fixtures';

const ROWS = 2000;
const RUNS = 5;
const NATIONALITIES = ['KR', 'VN', 'TH', 'ID', 'MY', 'KH'];
const MAIN = join(__dirname, '../dist/src/main.js');
const PORT = 39_000 + Math.floor(Math.random() * 1000);
const BASE = `http://127.0.0.1:${PORT}/api/v1`;

/** The raid of day `day` of March: each post is a raid of its own day, so none repeats an arrest (409). */
const arrestedOn = (day: number) => `2026-03-${String(day).padStart(2, '0')}T02:30:00Z`;

function jsonArrest(i: number, day: number) {
  const nationality = NATIONALITIES[i % NATIONALITIES.length]!;
  const korean = nationality === 'KR';
  return {
    arrestedAt: arrestedOn(day),
    place: 'Golden Fortune compound, Building C',
    province: 'Preah Sihanouk',
    district: 'Sihanoukville',
    coordinates: { latitude: 10.6275, longitude: 103.5222 },
    operation: 'Operation Dawn',
    grounds: 'Participation in an online fraud organisation (Criminal Code art. 377)',
    arrestingAgency: 'Cambodian National Police',
    nationality,
    person: {
      names: [
        {
          full: korean ? `김민준${i}` : `Nguyen Van An ${i}`,
          script: korean ? 'hangul' : 'latin',
          kind: 'primary',
        },
      ],
      birthDate: '1990-04',
      sex: 'male',
      documents: [{ type: 'passport', number: `${nationality}${100000 + i}`, issuingCountry: nationality }],
    },
  };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function admin<T>(fn: (c: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: process.env.TEST_ADMIN_URL });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

describe('bench: arrests import', () => {
  const database = `case_desk_bench_${randomBytes(4).toString('hex')}`;
  let server: ChildProcess;
  let token: string;
  let output = '';

  beforeAll(async () => {
    await admin((c) => c.query(`CREATE DATABASE ${database} TEMPLATE ${process.env.TEST_TEMPLATE_DATABASE}`));
    server = spawn(process.execPath, [MAIN], {
      env: {
        ...process.env,
        NODE_ENV: 'test',
        DATABASE_URL: databaseUrl(process.env.TEST_ADMIN_URL!, database),
        PORT: String(PORT),
        HOST: '127.0.0.1',
        MIGRATIONS_RUN: 'false',
        SEED_DEMO_ON_EMPTY: 'false',
        LOG_LEVEL: 'warn',
        JWT_SECRET: 'bench-secret-that-is-long-enough-for-hs256-0123456789',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    server.stdout?.on('data', (d) => (output += d));
    server.stderr?.on('data', (d) => (output += d));
    const deadline = Date.now() + 60_000;
    for (;;) {
      if (server.exitCode !== null) throw new Error(`server exited:\n${output}`);
      if (
        await fetch(`http://127.0.0.1:${PORT}/api/ready`).then(
          (r) => r.ok,
          () => false,
        )
      )
        break;
      if (Date.now() > deadline) throw new Error(`server not ready:\n${output}`);
      await new Promise((r) => setTimeout(r, 250));
    }
    const login = await fetch(`${BASE}/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'kh.officer', password: TEST_DEMO_PASSWORD }),
    });
    token = ((await login.json()) as { accessToken: string }).accessToken;
  });

  afterAll(async () => {
    server?.kill('SIGTERM');
    if (server && server.exitCode === null) await new Promise((r) => server.once('exit', r));
    await admin((c) => c.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`));
  });

  async function post(path: string, contentType: string, body: string | Buffer): Promise<number> {
    const started = process.hrtime.bigint();
    const res = await fetch(`${BASE}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': contentType },
      body,
    });
    const result = (await res.json()) as { recorded?: number };
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    if (res.status !== 201 || result.recorded !== ROWS)
      throw new Error(`${path}: ${res.status} ${JSON.stringify(result).slice(0, 500)}`);
    return ms;
  }

  it(`records a raid of ${ROWS} arrests in one batch`, async () => {
    const batchOf = (day: number) =>
      JSON.stringify({ arrests: Array.from({ length: ROWS }, (_, i) => jsonArrest(i, day)) });
    const csvOf = (day: number) =>
      Buffer.from(
        toCsv(
          RAID_HEADER,
          Array.from({ length: ROWS }, (_, i) =>
            raidRow(NATIONALITIES[i % NATIONALITIES.length]!, i, { arrested_at: arrestedOn(day) }),
          ),
        ),
      );
    const batch = batchOf(1);
    const csv = csvOf(2);
    // One warm-up of each, not counted.
    await post('/arrests/batch', 'application/json', batch);
    await post('/arrests/import', 'text/csv', csv);
    const jsonTimes: number[] = [];
    const csvTimes: number[] = [];
    for (let run = 0; run < RUNS; run++) {
      const [jsonBody, csvBody] = [batchOf(3 + 2 * run), csvOf(4 + 2 * run)];
      jsonTimes.push(await post('/arrests/batch', 'application/json', jsonBody));
      csvTimes.push(await post('/arrests/import', 'text/csv', csvBody));
    }
    const line = (name: string, times: number[]) =>
      `${name.padEnd(36)} median ${median(times).toFixed(0).padStart(5)} ms ` +
      `(min ${Math.min(...times).toFixed(0)}, max ${Math.max(...times).toFixed(0)})  ` +
      `${Math.round((ROWS / median(times)) * 1000)} rows/s`;
    console.log(
      [
        `arrests import: ${ROWS} arrests (new persons) per raid, one transaction each, ${RUNS} runs after a warm-up`,
        line(`POST /arrests/batch (JSON, ${(batch.length / 1024).toFixed(0)} KB)`, jsonTimes),
        line(`POST /arrests/import (CSV, ${(csv.length / 1024).toFixed(0)} KB)`, csvTimes),
      ].join('\n'),
    );
  });
});
