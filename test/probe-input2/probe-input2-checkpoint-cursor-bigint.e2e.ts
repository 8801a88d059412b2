import request from 'supertest';
import { login } from '../support/http';
import { createTestApp, TestApp } from '../support/test-app';

/**
 * Probe (input round 2): the checkpoint list's cursor is the base64url of a chain position, vetted by
 * `decodeCursor` in src/audit-trail/audit-trail.service.ts against `^\d{1,19}$`. Nineteen digits reach
 * past PostgreSQL's bigint (9223372036854775807), and the position goes into `k.seq < $1::bigint`
 * (`checkpoints`): `9999999999999999999` answers 500 ("value out of range for type bigint") to the
 * platform operator. A position no checkpoint can have is a cursor the API never wrote: a 400 naming
 * `cursor`, as the garbled one below gets.
 */
describe('Probe: a checkpoint cursor past bigint is a 400, not a 500', () => {
  let t: TestApp;
  let operator: string;
  beforeAll(async () => {
    t = await createTestApp();
    operator = (await login(t.server, 'platform.admin')).accessToken;
  });
  afterAll(() => t?.close());

  const cursor = (position: string) => Buffer.from(position, 'utf8').toString('base64url');
  const answer = async (c: string) => {
    const res = await request(t.server)
      .get(`/api/v1/audit-events/checkpoints?cursor=${c}`)
      .set('Authorization', `Bearer ${operator}`);
    return {
      status: res.status,
      type: res.body.type,
      problemJson: /^application\/problem\+json/.test(String(res.headers['content-type'])),
      field: res.body.errors?.[0]?.field,
    };
  };
  const refused = {
    status: 400,
    type: 'urn:case-desk:problem:validation-failed',
    problemJson: true,
    field: 'cursor',
  };

  it('a position that is not a number is refused so (the answer expected below)', async () => {
    expect(await answer(cursor('seven'))).toEqual(refused);
  });

  it('the largest bigint is an ordinary position: a page, empty or not', async () => {
    expect((await answer(cursor('9223372036854775807'))).status).toBe(200);
  });

  it.each(['9223372036854775808', '9999999999999999999'])('position %s: a 400 naming cursor', async (p) => {
    expect(await answer(cursor(p))).toEqual(refused);
  });
});
