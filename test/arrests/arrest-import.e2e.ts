import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { ArrestRecorder } from '../../src/arrests/arrest-recorder.service';
import { createTestApp, TestApp } from '../support/test-app';
import { taskForce, TaskForce } from '../support/scenario';
import { importCsv, RAID_HEADER, raidRow, toCsv } from './raid-fixtures';
import { HEAVY_TEST_TIMEOUT_MS } from '../support/timeouts';

const count = async (t: TestApp, sql: string) => Number((await t.dataSource.query(sql))[0].n);

describe('Arrests in bulk: JSON batch and streamed CSV import, all or nothing', () => {
  let t: TestApp;
  let tf: TaskForce;
  beforeAll(async () => {
    t = await createTestApp();
    tf = await taskForce(t);
  });
  afterAll(() => t?.close());

  it('a CSV with bad rows imports nothing and names each row and column', async () => {
    const before = await count(t, `SELECT count(*) AS n FROM arrest`);
    const persons = await count(t, `SELECT count(*) AS n FROM person`);
    const rows = [
      raidRow('KR', 0),
      raidRow('VN', 1),
      raidRow('KR', 2, { nationality: 'XX', document_country: 'KR' }), // line 4: unknown nationality
      raidRow('TH', 3, { full_name: '' }), // line 5: missing name
      raidRow('ID', 4, { arrested_at: '2026-02-30T10:00:00Z' }), // line 6: no such date
      raidRow('MY', 5, { arrested_at: 'yesterday', birth_date: '1990-13' }), // line 7: two bad fields
      raidRow('KH', 6),
    ];
    const res = await importCsv(t.server, tf['kh.officer'], toCsv(RAID_HEADER, rows)).expect(400);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(res.body.detail).toMatch(/nothing was recorded/);
    const errors = res.body.errors as Array<{ row: number; field: string; message: string }>;
    expect(errors.map((e) => `${e.row}:${e.field}`)).toEqual([
      '4:nationality',
      '5:full_name',
      '6:arrested_at',
      '7:arrested_at',
      '7:birth_date',
    ]);
    expect(errors[0]!.message).toMatch(/'XX' is not a known country code/);
    expect(await count(t, `SELECT count(*) AS n FROM arrest`)).toBe(before);
    expect(await count(t, `SELECT count(*) AS n FROM person`)).toBe(persons);
  });

  it('a bad row after whole chunks were already written still leaves nothing behind', async () => {
    const before = await count(t, `SELECT count(*) AS n FROM arrest`);
    const persons = await count(t, `SELECT count(*) AS n FROM person`);
    const audits = await count(t, `SELECT count(*) AS n FROM audit_event WHERE action = 'arrest.create'`);
    const rows = Array.from({ length: 1200 }, (_, i) => raidRow(['KR', 'VN', 'TH'][i % 3]!, i));
    rows[1150] = raidRow('KR', 1150, { birth_date: '19xx' }); // line 1152, after two chunks of 500
    const write = jest.spyOn(ArrestRecorder.prototype, 'write');
    const res = await importCsv(t.server, tf['kh.officer'], toCsv(RAID_HEADER, rows)).expect(400);
    expect(write).toHaveBeenCalledTimes(2); // rows 1–1000 were inserted, then rolled back
    write.mockRestore();
    expect(res.body.errors).toEqual([
      { row: 1152, field: 'birth_date', message: 'birthDate must be YYYY, YYYY-MM or YYYY-MM-DD' },
    ]);
    expect(await count(t, `SELECT count(*) AS n FROM arrest`)).toBe(before);
    expect(await count(t, `SELECT count(*) AS n FROM person`)).toBe(persons);
    expect(await count(t, `SELECT count(*) AS n FROM audit_event WHERE action = 'arrest.create'`)).toBe(
      audits,
    );
  });

  it('refuses a header it does not know, unreadable CSV, a charset other than UTF-8, and CSV on routes that take JSON', async () => {
    const bad = await importCsv(t.server, tf['kh.officer'], 'when,where\n2026-01-01,here\n').expect(400);
    expect(bad.body.errors).toEqual(
      expect.arrayContaining([
        { row: 1, field: 'when', message: "unknown column 'when'" },
        { row: 1, field: 'arrested_at', message: "the header must have a 'arrested_at' column" },
      ]),
    );
    const broken = `${RAID_HEADER.join(',')}\n"2026-03-01T02:30:00Z,unterminated\n`;
    expect((await importCsv(t.server, tf['kh.officer'], broken).expect(400)).body.errors[0].field).toBe(
      'csv',
    );
    await request(t.server)
      .post('/api/v1/arrests/batch')
      .set('Authorization', `Bearer ${tf['kh.officer'].tokens.accessToken}`)
      .set('Content-Type', 'text/csv')
      .send('a,b\n')
      .expect(415);
    // A CSV declared in another charset is not read as if it were UTF-8 (JSON bodies answer the same).
    const before = (await t.dataSource.query(`SELECT count(*)::int AS n FROM arrest`))[0].n;
    const utf16 = await request(t.server)
      .post('/api/v1/arrests/import')
      .set('Authorization', `Bearer ${tf['kh.officer'].tokens.accessToken}`)
      .set('Content-Type', 'text/csv; charset=utf-16')
      .send(toCsv(RAID_HEADER, [raidRow('KR', 1)]));
    expect({ status: utf16.status, detail: utf16.body.detail }).toEqual({
      status: 415,
      detail: 'CSV imports are UTF-8: send charset=utf-8 or none.',
    });
    expect((await t.dataSource.query(`SELECT count(*)::int AS n FROM arrest`))[0].n).toBe(before);
    await importCsv(t.server, tf['kh.auditor'], toCsv(RAID_HEADER, [raidRow('KR', 1)])).expect(403);
  });

  it('a JSON batch reports { row, field, message } and records nothing on error; else counts by nationality', async () => {
    const arrest = (nationality: string, name: string, extra: object = {}) => ({
      arrestedAt: '2026-03-01T02:30:00Z',
      place: 'Golden Fortune compound',
      grounds: 'Online fraud',
      arrestingAgency: 'Cambodian National Police',
      nationality,
      person: { names: [{ full: name, script: 'latin', kind: 'primary' }] },
      ...extra,
    });
    const bad = await tf['kh.officer']
      .post('/arrests/batch', {
        arrests: [
          arrest('KR', 'KIM Min-jun'),
          arrest('ZZ', 'Nobody'),
          arrest('VN', 'Tran', { color: 'red' }),
          arrest('TH', 'Somchai', { personId: '7d1c6f0e-1f7a-4d43-9f3e-8f7b0b6f6a11' }),
        ],
      })
      .expect(400);
    expect(bad.body.errors).toEqual([
      { row: 2, field: 'nationality', message: "nationality 'ZZ' is not a known country code" },
      { row: 3, field: 'color', message: 'field should not exist' },
      { row: 4, field: 'person', message: 'give either personId or person, not both' },
      { row: 4, field: 'personId', message: 'personId names a person that does not exist' },
    ]);
    const ok = await tf['kh.officer']
      .post('/arrests/batch', {
        arrests: [arrest('KR', 'KIM Min-jun'), arrest('KR', 'LEE Seo-yeon'), arrest('VN', 'Tran')],
      })
      .expect(201);
    expect(ok.body).toMatchObject({ recorded: 3, byNationality: { KR: 2, VN: 1 } });
    expect(ok.body.rows.map((r: { row: number }) => r.row)).toEqual([1, 2, 3]);
    // The case must be one of the arresting country's own.
    const krCase = (await tf['kr.officer'].post('/cases', { title: 'Seoul investigation' }).expect(201)).body
      .id;
    const khCase = (await tf['kh.officer'].post('/cases', { title: 'Operation Dawn' }).expect(201)).body.id;
    const cases = await tf['kh.officer']
      .post('/arrests/batch', {
        arrests: [arrest('KR', 'PARK', { caseId: khCase }), arrest('KR', 'CHOI', { caseId: krCase })],
      })
      .expect(400);
    expect(cases.body.errors).toEqual([
      { row: 2, field: 'caseId', message: 'caseId must be a case of your country' },
    ]);
    const tooMany = await tf['kh.officer']
      .post('/arrests/batch', { arrests: Array.from({ length: 2001 }, () => arrest('KR', 'X')) })
      .expect(400);
    expect(tooMany.body.errors[0].field).toBe('arrests');
  });

  it(
    'a 10 MB file is read whole before its transaction opens: no row is written while the body still arrives',
    async () => {
      // Rows of ~2 KB (case files quote the grounds at length): 10 MB is ~5,000 arrests.
      const grounds = `Participation in an online fraud organisation; ${'romance and investment scams against Korean victims; '.repeat(33)}`;
      const header = Buffer.from(RAID_HEADER.join(',') + '\r\n');
      const lineFor = (i: number) =>
        Buffer.from(toCsv([], [raidRow(['KR', 'VN', 'TH', 'ID'][i % 4]!, i, { grounds })]), 'utf8');
      const rowBytes = lineFor(0).length;
      const rows = Math.ceil((10 * 1024 * 1024) / rowBytes);
      const total = header.length + rows * rowBytes;
      expect(total).toBeGreaterThanOrEqual(10 * 1024 * 1024);

      // Watch the server's writes (one per chunk of 500 rows) against what the client has sent so far.
      const original = ArrestRecorder.prototype.write;
      const sentAtWrite: number[] = [];
      let sent = 0;
      const write = jest.spyOn(ArrestRecorder.prototype, 'write').mockImplementation(function (
        this: ArrestRecorder,
        ...args: Parameters<ArrestRecorder['write']>
      ) {
        sentAtWrite.push(sent);
        return original.apply(this, args);
      });

      const { port } = t.server.address() as AddressInfo;
      const started = Date.now();
      const response = await new Promise<{ status: number; body: any }>((resolve, reject) => {
        const req = httpRequest(
          {
            host: '127.0.0.1',
            port,
            method: 'POST',
            path: '/api/v1/arrests/import',
            headers: {
              Authorization: `Bearer ${tf['kh.officer'].tokens.accessToken}`,
              'Content-Type': 'text/csv',
            },
          },
          (res) => {
            const chunks: Buffer[] = [];
            res.on('data', (c: Buffer) => chunks.push(c));
            res.on('end', () =>
              resolve({ status: res.statusCode!, body: JSON.parse(Buffer.concat(chunks).toString()) }),
            );
          },
        );
        req.on('error', reject);
        (async () => {
          const send = async (buf: Buffer) => {
            sent += buf.length;
            if (!req.write(buf)) await new Promise((r) => req.once('drain', r));
          };
          await send(header);
          for (let i = 0; i < rows; i++) {
            await send(lineFor(i));
            // Half-way, pause: a server that opened its transaction while the body arrives would write
            // the rows received so far meanwhile (holding a pooled connection for as long as we dawdle).
            if (i === Math.floor(rows / 2)) await new Promise((r) => setTimeout(r, 500));
          }
          req.end();
        })().catch(reject);
      });
      write.mockRestore();
      const seconds = (Date.now() - started) / 1000;

      expect(response.status).toBe(201);
      expect(response.body.recorded).toBe(rows);
      expect(sentAtWrite.length).toBe(Math.ceil(rows / 500));
      // Nothing was written before the last byte had been sent.
      expect(sentAtWrite[0]).toBe(sent);
      console.info(
        `10 MB import: ${rows} rows, ${(total / 1024 / 1024).toFixed(1)} MB in ${seconds.toFixed(1)} s; ` +
          `first chunk written after all ${(sentAtWrite[0]! / 1024 / 1024).toFixed(2)} MB of the body had been sent`,
      );
      expect(
        await count(t, `SELECT count(*) AS n FROM arrest WHERE raid_id = '${response.body.raidId}'`),
      ).toBe(rows);
    },
    HEAVY_TEST_TIMEOUT_MS,
  );
});
