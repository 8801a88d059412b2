import request from 'supertest';
import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';
import { RAID_HEADER, raidRow, toCsv } from '../../arrests/raid-fixtures';
import { taskForce, TaskForce } from '../../support/scenario';
import { createTestApp, TestApp } from '../../support/test-app';

const aPerson = (full: string) => ({ names: [{ full, script: 'latin', kind: 'primary' }] });

/**
 * Probe (session 11): a JSON name given twice reached the route as its last value, whatever a proxy in
 * front had read. And the server decodes no Content-Encoding. A compressed JSON body was refused as
 * "not UTF-8" (a misleading 400) and a compressed CSV as a bad file; a compressed upload would have
 * been stored as the file. Every body with a coding other than identity is a 415 and changes nothing.
 */
describe('Probe: request bodies with a name given twice or a Content-Encoding', () => {
  let t: TestApp;
  let tf: TaskForce;
  beforeAll(async () => {
    t = await createTestApp();
    tf = await taskForce(t);
  });
  afterAll(() => t?.close());

  const count = async (table: string) =>
    (await t.dataSource.query(`SELECT count(*)::int AS n FROM ${table}`))[0].n as number;
  const send = (
    path: string,
    contentType: string,
    coding: string | null,
    bytes: Buffer,
    who = tf['kr.officer'],
  ) => {
    const req = request(t.server)
      .post(`/api/v1${path}`)
      .set('Authorization', `Bearer ${who.tokens.accessToken}`)
      .set('Content-Type', contentType);
    if (coding !== null) req.set('Content-Encoding', coding);
    // The bytes as they are: superagent would write a Buffer out as JSON of its own.
    return req.serialize((body: Buffer) => body as unknown as string).send(bytes);
  };

  it('answers 415 with a problem body to gzip, deflate, br or an unknown coding, and stores nothing', async () => {
    const json = Buffer.from(JSON.stringify(aPerson('Encoded Person')), 'utf8');
    const persons = await count('person');
    const codings: Array<[string, Buffer]> = [
      ['gzip', gzipSync(json)],
      ['deflate', deflateSync(json)],
      ['br', brotliCompressSync(json)],
      ['x-unheard-of', json],
      ['gzip, identity', gzipSync(json)],
    ];
    for (const [coding, bytes] of codings) {
      const res = await send('/persons', 'application/json', coding, bytes);
      expect({ coding, status: res.status }).toEqual({ coding, status: 415 });
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.body).toMatchObject({
        status: 415,
        type: expect.stringContaining('unsupported-media-type'),
      });
    }
    const csv = Buffer.from(toCsv(RAID_HEADER, [raidRow('KR', 1)]), 'utf8');
    const arrests = await count('arrest');
    expect(
      (await send('/arrests/import', 'text/csv; charset=utf-8', 'gzip', gzipSync(csv), tf['kh.officer']))
        .status,
    ).toBe(415);
    expect(await count('person')).toBe(persons);
    expect(await count('arrest')).toBe(arrests);
  });

  it('refuses a name given twice in one object with a 400 naming it, on sign-in as on any route', async () => {
    const persons = await count('person');
    const twice = Buffer.from(
      '{"names":[{"full":"First Reading","full":"Second Reading","script":"latin","kind":"primary"}]}',
      'utf8',
    );
    const res = await send('/persons', 'application/json', null, twice);
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([
      { field: 'names[0].full', message: 'names[0].full is given twice in one object' },
    ]);
    expect(await count('person')).toBe(persons);
    const signIn = await request(t.server)
      .post('/api/v1/auth/login')
      .set('Content-Type', 'application/json')
      .send('{"username":"kr.officer","username":"kh.officer","password":"x"}');
    expect(signIn.status).toBe(400);
    expect(signIn.body.errors).toEqual([
      { field: 'username', message: 'username is given twice in one object' },
    ]);
  });

  it('answers a body nested thousands of levels deep with the 400 of any too-deep body', async () => {
    // Session 12: the duplicate-name check walks the text recursively and overflowed the stack at a few
    // thousand levels (30 KB); Fastify then called valid JSON "not valid JSON", before the input
    // guard's depth limit could answer.
    const persons = await count('person');
    // Objects reach the depth limit; lists inside lists are refused as such first.
    for (const [open, close, message] of [
      ['{"a":', '}', 'names is nested deeper than 32 levels'],
      ['[', ']', 'names[0] is a list inside a list; an object or a value is expected'],
    ]) {
      const deep = Buffer.from(`{"names":${open.repeat(20_000)}1${close.repeat(20_000)}}`, 'utf8');
      const res = await send('/persons', 'application/json', null, deep);
      expect({ open, status: res.status, errors: res.body.errors }).toEqual({
        open,
        status: 400,
        errors: [{ field: 'names', message }],
      });
    }
    expect(await count('person')).toBe(persons);
  });

  it('leaves a request without a body alone, whatever Content-Encoding it names', async () => {
    // Nothing to decode: the header describes no content (RFC 9110 §8.4), so the route answers as ever.
    const res = await request(t.server)
      .get('/api/v1/persons')
      .set('Authorization', `Bearer ${tf['kr.officer'].tokens.accessToken}`)
      .set('Content-Encoding', 'gzip');
    expect(res.status).toBe(200);
  });

  it('reads a body marked identity, or with no coding, as ever', async () => {
    const json = Buffer.from(JSON.stringify(aPerson('Plain Person')), 'utf8');
    expect((await send('/persons', 'application/json', 'identity', json)).status).toBe(201);
    expect((await send('/persons', 'application/json', null, json)).status).toBe(201);
  });
});
