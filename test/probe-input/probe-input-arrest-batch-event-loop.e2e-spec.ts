import request from 'supertest';
import { taskForce, TaskForce } from '../support/scenario';
import { createTestApp, TestApp } from '../support/test-app';
import { withLoopStall } from './loop-stall';

/**
 * Probe (input round): `POST /arrests/batch` takes up to 2,000 arrests in a body of up to 16 MB
 * (src/arrests/arrest-bodies.ts), each with a new person of up to 30 names. Validating such a batch
 * (class-validator over ~60,000 nested objects, every name prepared for matching by
 * `@IsPreparableName`) runs on the event loop without yielding: one 5 MB batch that is refused anyway
 * (`nationality: "XX"` on every row) took 6–9 s here, holding every other caller, /api/health included,
 * for up to 2.4 s at a stretch; 2,000 arrests of 15 NFKC-expanding names (14 MB) took 13 s, with
 * stretches over 1 s.
 * The bound is on the event loop's longest stall meanwhile (test/probe-input/loop-stall.ts).
 */
describe('Probe: a large arrest batch does not hold the server', () => {
  let t: TestApp;
  let tf: TaskForce;
  beforeAll(async () => {
    t = await createTestApp();
    tf = await taskForce(t);
  });
  afterAll(() => t?.close());

  const count = async (table: string) =>
    (await t.dataSource.query(`SELECT count(*)::int AS n FROM ${table}`))[0].n as number;

  it('2,000 arrests of 30 names each: a 400 without stalling the event loop for a second', async () => {
    const letters = (n: number) => String(n).replace(/\d/g, (d) => 'abcdefghij'[Number(d)]);
    const body = JSON.stringify({
      arrests: Array.from({ length: 2000 }, (_, i) => ({
        arrestedAt: '2026-03-01T02:30:00Z',
        place: 'Golden Fortune compound',
        grounds: 'Online fraud',
        arrestingAgency: 'Police',
        nationality: 'XX',
        person: {
          names: Array.from({ length: 30 }, (_, j) => ({
            full: `Sokha${letters(i)}x${letters(j)} Daravuth Chanthavong Srey Pheakdey Visal`,
            kind: j === 0 ? 'primary' : 'alias',
          })),
        },
      })),
    });
    const arrests = await count('arrest');
    const { res, stallMs } = await withLoopStall(() =>
      request(t.server)
        .post('/api/v1/arrests/batch')
        .set('Authorization', `Bearer ${tf['kh.officer'].tokens.accessToken}`)
        .set('Content-Type', 'application/json')
        .send(body),
    );
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect({ stallMs, under1s: stallMs < 1_000 }).toEqual({
      stallMs,
      under1s: true,
    });
    expect(await count('arrest')).toBe(arrests);
  });

  it('2,000 arrests of 15 names of 150 × "ﷺ" each: a 400 without stalling the event loop for seconds', async () => {
    // Each name is under the 200-character raw limit, so `@IsPreparableName` prepares its 2,700-letter
    // NFKC form before refusing it: 30,000 of them in one 14 MB body.
    const body = JSON.stringify({
      arrests: Array.from({ length: 2000 }, (_, i) => ({
        arrestedAt: '2026-03-01T02:30:00Z',
        place: 'Golden Fortune compound',
        grounds: 'Online fraud',
        arrestingAgency: 'Police',
        nationality: 'KR',
        person: {
          names: Array.from({ length: 15 }, (_, j) => ({
            full: `${'ﷺ'.repeat(150)} ${i} ${j}`,
            kind: j === 0 ? 'primary' : 'alias',
          })),
        },
      })),
    });
    const arrests = await count('arrest');
    const { res, stallMs } = await withLoopStall(() =>
      request(t.server)
        .post('/api/v1/arrests/batch')
        .set('Authorization', `Bearer ${tf['kh.officer'].tokens.accessToken}`)
        .set('Content-Type', 'application/json')
        .send(body),
    );
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    // Preparing the names stalled it 9.4 s. What is left is one synchronous read of a 14 MB body (UTF-8
    // check, JSON parse, duplicate-key scan: ~0.3 s quiet, 2.1 s once in CI with three workers on two
    // cores), which no handler can split; the names are refused in slices that let other callers in.
    expect({ stallMs, under5s: stallMs < 5_000 }).toEqual({
      stallMs,
      under5s: true,
    });
    expect(await count('arrest')).toBe(arrests);
  }, 120_000);
});
