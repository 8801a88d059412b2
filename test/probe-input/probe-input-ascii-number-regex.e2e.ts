import request from 'supertest';
import { taskForce, TaskForce } from '../support/scenario';
import { createTestApp, TestApp } from '../support/test-app';
import { withLoopStall } from './loop-stall';

/**
 * Probe (input round): `@IsAsciiNumber` (src/common/http/validators.ts) tests
 * `^[A-Za-z0-9…]*[A-Za-z0-9][A-Za-z0-9…]*$` — the letter class sits inside both stars, so a long run of
 * letters ending in one character outside the class backtracks quadratically (20,000 letters: ~1 s;
 * 32,000: ~3.5 s in plain node). class-validator runs every decorator (`stopAtFirstError: false`), so
 * `@Length(1, 50)` refusing the value first does not spare it. Reached by persons' documents, a
 * request's bank accounts and wallets, each CSV import row (64 MB a file) and `POST /arrests/batch`
 * (16 MB a body: one number of millions of letters would run for hours).
 *
 * The app runs in this process, so the event loop's longest stall while the request is handled is
 * what every other caller would have waited (sampled by a timer of this process, so no client request
 * has to be in flight at the right moment).
 */
describe('Probe: a long document, account or wallet number cannot hold the event loop', () => {
  let t: TestApp;
  let tf: TaskForce;
  beforeAll(async () => {
    t = await createTestApp();
    tf = await taskForce(t);
  });
  afterAll(() => t?.close());

  const LONG = 'A'.repeat(40_000) + '!';
  const count = async (table: string) =>
    (await t.dataSource.query(`SELECT count(*)::int AS n FROM ${table}`))[0].n as number;

  /** The answer, and the longest the event loop stalled meanwhile (the fault stalled it 2–8 s). */
  async function withStall(send: () => PromiseLike<request.Response>) {
    const { res, stallMs } = await withLoopStall(send);
    return { res, stallMs, stalledUnder1s: stallMs < 1000 };
  }
  const postJson = (path: string, body: object) => () =>
    request(t.server)
      .post(`/api/v1${path}`)
      .set('Authorization', `Bearer ${tf['kr.officer'].tokens.accessToken}`)
      .send(body);

  it('POST /persons with documents[0].number of 40,000 letters and a "!": a 400 without stalling', async () => {
    const persons = await count('person');
    const { res, stallMs, stalledUnder1s } = await withStall(
      postJson('/persons', {
        names: [{ full: 'SOK Dara', script: 'latin', kind: 'primary' }],
        documents: [{ type: 'passport', number: LONG, issuingCountry: 'KH' }],
      }),
    );
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual(
      expect.arrayContaining([expect.objectContaining({ field: 'documents[0].number' })]),
    );
    expect({ stallMs, stalledUnder1s }).toEqual({ stallMs, stalledUnder1s: true });
    expect(await count('person')).toBe(persons);
  });

  it('POST /information-requests with a long bank account and wallet address: a 400 without stalling', async () => {
    const requests = await count('cross_border_request');
    const { res, stallMs, stalledUnder1s } = await withStall(
      postJson('/information-requests', {
        frameworkId: tf.cambodiaKoreaFramework,
        targetCountry: 'KH',
        priority: 'routine',
        handlingCode: 'AMBER',
        subject: 'Probe request',
        questions: ['Who holds it?'],
        identifiers: {
          bankAccounts: [{ institution: 'ABA Bank', accountNumber: LONG }],
          cryptoAddresses: [{ chain: 'tron', address: LONG }],
        },
      }),
    );
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ field: 'identifiers.bankAccounts[0].accountNumber' }),
        expect.objectContaining({ field: 'identifiers.cryptoAddresses[0].address' }),
      ]),
    );
    expect({ stallMs, stalledUnder1s }).toEqual({ stallMs, stalledUnder1s: true });
    expect(await count('cross_border_request')).toBe(requests);
  });

  it('POST /arrests/import with a 40,000-letter document_number cell: a 400 without stalling', async () => {
    const arrests = await count('arrest');
    const csv =
      'arrested_at,place,grounds,arresting_agency,nationality,full_name,document_type,document_number,document_country\r\n' +
      `2026-03-01T02:30:00Z,Block C,Fraud,Police,KR,SOK Dara,passport,${LONG},KR\r\n`;
    const { res, stallMs, stalledUnder1s } = await withStall(() =>
      request(t.server)
        .post('/api/v1/arrests/import')
        .set('Authorization', `Bearer ${tf['kh.officer'].tokens.accessToken}`)
        .set('Content-Type', 'text/csv; charset=utf-8')
        .send(Buffer.from(csv, 'utf8')),
    );
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual(
      expect.arrayContaining([expect.objectContaining({ row: 2, field: 'document_number' })]),
    );
    expect({ stallMs, stalledUnder1s }).toEqual({ stallMs, stalledUnder1s: true });
    expect(await count('arrest')).toBe(arrests);
  });

  it('control: a short number answers without stalling (the measure itself is quiet)', async () => {
    const { res, stalledUnder1s } = await withStall(
      postJson('/persons', {
        names: [{ full: 'SOK Dara', script: 'latin', kind: 'primary' }],
        documents: [{ type: 'passport', number: 'N1234567!', issuingCountry: 'KH' }],
      }),
    );
    expect(res.status).toBe(400);
    expect(stalledUnder1s).toBe(true);
  });
});
