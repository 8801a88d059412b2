import request from 'supertest';
import { taskForce, TaskForce } from '../support/scenario';
import { createTestApp, TestApp } from '../support/test-app';

/**
 * Probe (input round): the input guard names at most 50 problems (MAX_REPORTED in
 * src/common/http/input-guard.ts), but the validation pipe's `flattenValidationErrors`
 * (src/common/http/validation.ts) lists every one class-validator finds, and `@ArrayMaxSize` does not
 * stop `@ValidateNested({ each: true })` from validating every element past the limit. A 660 KB body of
 * 60,000 names `{ "full": 1 }` on `POST /persons` answered a 17.7 MB problem body (~27× the request);
 * a body that is a JSON array of 15,000 persons answered one "should not exist" per element. The
 * refusal must stay a small, machine-readable 400: the bound here is the arrest batch's own (it lists
 * "the first 1000" row errors), looser than the guard's 50.
 */
describe('Probe: validation problems of a wide body are reported in bounded number', () => {
  let t: TestApp;
  let tf: TaskForce;
  beforeAll(async () => {
    t = await createTestApp();
    tf = await taskForce(t);
  });
  afterAll(() => t?.close());

  const count = async (table: string) =>
    (await t.dataSource.query(`SELECT count(*)::int AS n FROM ${table}`))[0].n as number;
  const post = (path: string, body: string) =>
    request(t.server)
      .post(`/api/v1${path}`)
      .set('Authorization', `Bearer ${tf['kr.officer'].tokens.accessToken}`)
      .set('Content-Type', 'application/json')
      .send(body);

  // 30,000 since input round 5: 60,000 names are 120,000 values, more than a 1 MB body may hold (the
  // parser refuses such a body whole, naming `body`); 30,000 are within it, and the list is named.
  it('30,000 names of the wrong type: a 400 naming names, with at most 1,000 problems', async () => {
    const persons = await count('person');
    const body = JSON.stringify({ names: Array.from({ length: 30_000 }, () => ({ full: 1 })) });
    const res = await post('/persons', body);
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field: 'names' })]));
    expect({
      errors: res.body.errors.length,
      atMost1000: res.body.errors.length <= 1000,
      bytes: res.text.length,
      smallerThanRequest: res.text.length < body.length,
    }).toEqual({
      errors: res.body.errors.length,
      atMost1000: true,
      bytes: res.text.length,
      smallerThanRequest: true,
    });
    expect(await count('person')).toBe(persons);
  });

  it('a body that is an array of 15,000 persons: a 400 with at most 1,000 problems', async () => {
    const persons = await count('person');
    const body = JSON.stringify(
      Array.from({ length: 15_000 }, () => ({ names: [{ full: 'SOK Dara', kind: 'primary' }] })),
    );
    const res = await post('/persons', body);
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect({ errors: res.body.errors.length, atMost1000: res.body.errors.length <= 1000 }).toEqual({
      errors: res.body.errors.length,
      atMost1000: true,
    });
    expect(await count('person')).toBe(persons);
  });
});
