import request from 'supertest';
import { login, signIn } from '../../support/http';
import { createTestApp, TestApp } from '../../support/test-app';
import { aDraft, taskForce, TaskForce } from '../../support/scenario';
import { importCsv, RAID_HEADER, raidRow, toCsv } from '../../arrests/raid-fixtures';

const count = async (t: TestApp, table: string) =>
  Number((await t.dataSource.query(`SELECT count(*) AS n FROM ${table}`))[0].n);

const aPerson = (full: string) => ({ names: [{ full, script: 'latin', kind: 'primary' }] });

/** Issue 17: input that reached PostgreSQL or class-transformer as it was answered 500. */
describe('Bad input is a 400 naming the field, never a 500', () => {
  let t: TestApp;
  let tf: TaskForce;
  beforeAll(async () => {
    t = await createTestApp();
    tf = await taskForce(t);
  });
  afterAll(() => t?.close());

  const expectFieldError = (res: request.Response, field: string) => {
    // The path in the comparison says which of many requests failed.
    const { path } = (res as request.Response & { req: { path: string } }).req;
    expect({ path, status: res.status }).toEqual({ path, status: 400 });
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(res.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field })]));
  };

  it('refuses a NUL character in any body string, query value or CSV cell and records nothing', async () => {
    const cases = await count(t, 'case_file');
    const persons = await count(t, 'person');
    const arrests = await count(t, 'arrest');
    expectFieldError(await tf['kr.officer'].post('/cases', { title: 'Raid\u0000' }), 'title');
    expectFieldError(await tf['kr.officer'].post('/persons', aPerson('KIM\u0000')), 'names[0].full');
    expectFieldError(
      await tf['kr.officer'].post(
        '/information-requests',
        aDraft(tf.cambodiaKoreaFramework, { subject: 'who\u0000' }),
      ),
      'subject',
    );
    const draft = await tf['kr.officer']
      .post('/information-requests', aDraft(tf.cambodiaKoreaFramework))
      .expect(201);
    expectFieldError(
      await tf['kr.officer'].post(`/information-requests/${draft.body.id}/submit`, {
        version: draft.body.version,
        comment: 'ready\u0000',
      }),
      'comment',
    );
    expectFieldError(
      await tf['kr.screener'].post('/screenings', {
        names: [{ full: 'KIM\u0000' }],
        checkpoint: 'ICN T1',
      }),
      'names[0].full',
    );
    const csv = toCsv(RAID_HEADER, [raidRow('KR', 0), raidRow('VN', 1, { place: 'Block\u0000C' })]);
    const imported = await importCsv(t.server, tf['kh.officer'], csv);
    expectFieldError(imported, 'place');
    expect(imported.body.errors[0].row).toBe(3);
    expectFieldError(await tf['kr.officer'].get('/cases?q=a%00b'), 'q');
    expectFieldError(await tf['kr.officer'].get('/persons?name=ab%00'), 'name');
    expectFieldError(await tf['kr.auditor'].get('/audit-events?actor=kr%00'), 'actor');
    expect(await count(t, 'case_file')).toBe(cases);
    expect(await count(t, 'person')).toBe(persons);
    expect(await count(t, 'arrest')).toBe(arrests);
  });

  it('refuses other C0 control characters and lone surrogates but keeps tabs and line breaks', async () => {
    expectFieldError(await tf['kr.officer'].post('/cases', { title: 'Raid\u0007' }), 'title');
    expectFieldError(await tf['kr.officer'].post('/cases', { title: 'Raid\u001b[31m' }), 'title');
    expectFieldError(await tf['kr.officer'].post('/cases', { title: 'Raid \ud800 x' }), 'title');
    expectFieldError(await tf['kr.officer'].post('/cases', { title: 'Raid', summary: 'x\udc00' }), 'summary');
    const fine = await tf['kr.officer'].post('/cases', { title: 'Raid', summary: 'a\tb\r\nc 😀' });
    expect(fine.status).toBe(201);
    expect(fine.body.summary).toBe('a\tb\r\nc 😀');
  });

  it('refuses JSON nested 2,000 levels deep with a 400 before class-transformer runs, on every route', async () => {
    const deep = (depth: number) => JSON.parse('['.repeat(depth) + '"x"' + ']'.repeat(depth));
    expectFieldError(await tf['kr.officer'].post('/cases', { title: 'Raid', tags: deep(2000) }), 'tags');
    expectFieldError(
      await tf['kr.officer'].post('/persons', { ...aPerson('KIM'), notes: deep(2000) }),
      'notes',
    );
    const login = await request(t.server)
      .post('/api/v1/auth/login')
      .send({ username: deep(2000), password: 'x' });
    expectFieldError(login, 'username');
    // A depth a real body never reaches but well within the limit is still judged by its DTO.
    const shallow = await tf['kr.officer'].post('/cases', { title: 'Raid', tags: deep(5) });
    expect(shallow.status).toBe(400);
  });

  it('refuses a malformed cursor on every list with a 400 naming cursor', async () => {
    const base64 = (s: string) => Buffer.from(s).toString('base64url');
    const cursors = [
      'not-a-cursor!!',
      base64('{"at":"2026-01-01T00:00:00Z","id":"not-a-uuid"}'),
      base64('{"at":"99999-01-01","id":"7a1c6e53-3c1d-4f52-9d43-1b2b3c4d5e6f"}'),
      base64('{"at":"2026-01-01","id":"7a1c6e53-3c1d-4f52-9d43-1b2b3c4d5e6f\u0000"}'),
      base64('[]'),
      base64('{"o":"x","at":1,"id":null}'),
    ];
    const lists: Array<[keyof TaskForce, string]> = [
      ['kr.officer', '/cases'],
      ['kr.officer', '/persons'],
      ['kh.officer', '/arrests'],
      ['kr.officer', '/information-requests'],
      ['kr.officer', '/asset-freeze-requests'],
      ['kr.officer', '/repatriation-requests'],
      ['kr.officer', '/blacklist-entries'],
      ['kr.officer', '/notifications'],
      ['kr.auditor', '/audit-events'],
    ];
    const wrong: string[] = [];
    for (const [who, path] of lists)
      for (const cursor of cursors) {
        const res = await (tf[who] as TaskForce['kr.officer']).get(
          `${path}?cursor=${encodeURIComponent(cursor)}`,
        );
        const named = (res.body.errors ?? []).some((e: { field: string }) => e.field === 'cursor');
        if (res.status !== 400 || !named) wrong.push(`${path} cursor ${cursor} → ${res.status}`);
      }
    const admin = await request(t.server)
      .get(`/api/v1/users?cursor=${cursors[1]}`)
      .set('Authorization', `Bearer ${(await login(t.server, 'kr.admin')).accessToken}`);
    if (admin.status !== 400) wrong.push(`/users → ${admin.status}`);
    expect(wrong).toEqual([]);
  });

  it('reads a page size only from plain decimal digits: 0x10, 1e1, +5, 5.0 or padded digits are a 400 naming limit', async () => {
    const lists: Array<[keyof TaskForce, string]> = [
      ['kr.officer', '/cases'],
      ['kr.officer', '/information-requests'],
      ['kr.officer', '/blacklist-entries'],
      ['kr.officer', '/notifications'],
      ['kr.auditor', '/audit-events'],
    ];
    const wrong: string[] = [];
    for (const [who, path] of lists) {
      const client = tf[who] as TaskForce['kr.officer'];
      const plain = await client.get(`${path}?limit=16`);
      if (plain.status !== 200) wrong.push(`${path} limit=16 → ${plain.status}`);
      for (const limit of ['0x10', '1e1', '+5', '5.0', ' 5', '0b11']) {
        const res = await client.get(`${path}?limit=${encodeURIComponent(limit)}`);
        const named = (res.body.errors ?? []).some((e: { field: string }) => e.field === 'limit');
        if (res.status !== 400 || !named) wrong.push(`${path} limit=${limit} → ${res.status}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('refuses wrong JSON types with a 400 naming the field, sign-in included', async () => {
    for (const username of [123, null, { a: 1 }, ['kr.officer']]) {
      const res = await request(t.server).post('/api/v1/auth/login').send({ username, password: 'x' });
      expectFieldError(res, 'username');
    }
    for (const title of [42, null, {}, ['Raid'], true])
      expectFieldError(await tf['kr.officer'].post('/cases', { title }), 'title');
    expectFieldError(await tf['kr.officer'].post('/cases', { title: 'Raid', tags: 'one' }), 'tags');
    expectFieldError(await tf['kr.officer'].post('/cases', { title: 'Raid', tags: [1, {}] }), 'tags');
    expectFieldError(await tf['kr.officer'].post('/persons', { names: [{ full: 5 }] }), 'names[0].full');
  });

  it('answers an oversized query string with problem details too (probe, third round)', async () => {
    const res = await request(t.server)
      .get(`/api/v1/persons?name=${'a'.repeat(100_000)}`)
      .set('Authorization', `Bearer ${tf['kr.officer'].tokens.accessToken}`);
    expect(res.status).toBe(431);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(JSON.parse(res.text)).toMatchObject({
      status: 431,
      type: expect.stringContaining('headers-too-large'),
    });
  });

  it('refuses bodies that are not UTF-8 instead of storing replacement characters (probe, third round)', async () => {
    const raw = (contentType: string, bytes: Buffer) =>
      request(t.server)
        .post('/api/v1/persons')
        .set('Authorization', `Bearer ${tf['kr.officer'].tokens.accessToken}`)
        .set('Content-Type', contentType)
        // The bytes as they are: superagent would write a Buffer out as JSON of its own.
        .serialize((body: Buffer) => body as unknown as string)
        .send(bytes);
    const before = await count(t, 'person');
    // "Latïn" in Latin-1: 0xEF is no UTF-8 sequence here.
    const latin1 = Buffer.concat([
      Buffer.from('{"names":[{"full":"Lat', 'utf8'),
      Buffer.from([0xef]),
      Buffer.from('n","script":"latin","kind":"primary"}]}', 'utf8'),
    ]);
    expectFieldError(await raw('application/json', latin1), 'body');
    expect((await raw('application/json; charset=latin1', latin1)).status).toBe(415);
    const csv = Buffer.concat([
      Buffer.from(`${toCsv(RAID_HEADER, [raidRow('KR', 1)])}`.replace('\r\n', '\r\nX'), 'utf8'),
      Buffer.from([0xff, 0xfe]),
    ]);
    const imported = await importCsv(t.server, tf['kh.officer'], csv);
    expect(imported.status).toBe(400);
    expect(imported.body.errors[0]).toMatchObject({ field: 'csv', message: 'the file must be UTF-8 text' });
    expect(await count(t, 'person')).toBe(before);
    // Proper UTF-8, with or without a charset, is read as ever.
    const good = Buffer.from(JSON.stringify(aPerson('Latïn Ok')), 'utf8');
    expect((await raw('application/json; charset=utf-8', good)).status).toBe(201);
  });

  it('refuses a list inside a list and a person listed twice with 400, not 500 (probe, third round)', async () => {
    const names = [{ full: 'KIM Nested', script: 'latin', kind: 'primary' }];
    expectFieldError(
      await tf['kr.officer'].post('/persons', {
        names,
        documents: [[{ type: 'passport', number: 'M1', issuingCountry: 'KR' }]],
      }),
      'documents',
    );
    expectFieldError(await tf['kr.officer'].post('/persons', { names: [names] }), 'names');
    const person = (await tf['kr.officer'].post('/persons', { names }).expect(201)).body;
    const twice = { personId: person.id, role: 'suspect' };
    expectFieldError(
      await tf['kr.officer'].post('/cases', { title: 'Twice', persons: [twice, twice] }),
      'persons[1].personId',
    );
    const kase = (await tf['kr.officer'].post('/cases', { title: 'Once' }).expect(201)).body;
    expectFieldError(
      await tf['kr.officer'].post(`/cases/${kase.id}/persons`, { persons: [twice, twice] }),
      'persons[1].personId',
    );
  });

  it('refuses null on fields that may be left out but cannot be empty (found by the fuzz suite)', async () => {
    const admin = await signIn(t.server, 'platform.admin');
    expectFieldError(
      await admin.patch(`/frameworks/${tf.cambodiaKoreaFramework}`, { active: null }),
      'active',
    );
    expectFieldError(
      await admin.patch(`/frameworks/${tf.cambodiaKoreaFramework}`, { members: null }),
      'members',
    );
    const krAdmin = await signIn(t.server, 'kr.admin');
    const officer2 = await tf.userId('kr.officer2');
    for (const field of ['roles', 'agencyId', 'displayName'])
      expectFieldError(await krAdmin.patch(`/users/${officer2}`, { version: 1, [field]: null }), field);
    const kase = await tf['kr.officer'].post('/cases', { title: 'Raid' }).expect(201);
    for (const field of ['title', 'summary', 'status', 'tags'])
      expectFieldError(
        await tf['kr.officer'].patch(`/cases/${kase.body.id}`, { version: 1, [field]: null }),
        field,
      );
  });

  it('answers a path that is not UTF-8 with the same problem body as any bad input', async () => {
    const res = await request(t.server)
      .get('/api/v1/cases/%ED%A0%80')
      .set('Authorization', `Bearer ${tf['kr.officer'].tokens.accessToken}`);
    expectFieldError(res, 'path');
    expect(res.body).toMatchObject({ type: 'urn:case-desk:problem:validation-failed', status: 400 });
  });

  it('refuses names that outgrow their length limit once NFKC-normalised', async () => {
    // Each of these is one character that NFKC turns into many (ﷺ into 18, ㍿ into 4).
    const expanding = 'ﷺ'.repeat(150);
    expectFieldError(await tf['kr.officer'].post('/persons', aPerson(expanding)), 'names[0].full');
    expectFieldError(
      await tf['kr.screener'].post('/screenings', { names: [{ full: expanding }], checkpoint: 'ICN' }),
      'names[0].full',
    );
    expectFieldError(
      await tf['kr.officer'].get(`/persons?name=${encodeURIComponent('㍿'.repeat(100))}`),
      'name',
    );
    // A name of ordinary letters at the limit of its prepared form (120 letters, see the screening
    // caps) is still fine; one past it is not.
    expect((await tf['kr.officer'].post('/persons', aPerson('A'.repeat(120)))).status).toBe(201);
    expectFieldError(await tf['kr.officer'].post('/persons', aPerson('A'.repeat(121))), 'names[0].full');
  });
});
