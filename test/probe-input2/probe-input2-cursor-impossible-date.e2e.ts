import request from 'supertest';
import { taskForce, TaskForce } from '../support/scenario';
import { createTestApp, TestApp } from '../support/test-app';
import { login } from '../support/http';

/**
 * Probe (input round 2): a cursor is vetted by `decodeCursorWith` (src/common/pagination/page.ts) with a
 * shape regex and `Date.parse`, but V8's `Date.parse` reads `2026-02-30T00:00:00.000Z` (as 2 March) and
 * `0000-01-01T00:00:00.000Z` (1 BC), which PostgreSQL refuses ("date/time field value out of range")
 * when the string reaches the keyset comparison as a parameter: the list answers 500. A cursor the API
 * never wrote must be the 400 naming `cursor` that a garbled one already gets.
 */
describe('Probe: a cursor holding a date that does not exist is a 400, not a 500', () => {
  let t: TestApp;
  let tf: TaskForce;
  beforeAll(async () => {
    t = await createTestApp();
    tf = await taskForce(t);
  });
  afterAll(() => t?.close());

  const cursorAt = (at: string, extra: object = {}) =>
    Buffer.from(JSON.stringify({ at, id: '00000000-0000-4000-8000-000000000000', ...extra })).toString(
      'base64url',
    );
  // Each list with the members its own cursor carries.
  const lists: Array<[string, object]> = [
    ['/cases', {}],
    ['/persons', {}],
    ['/arrests', {}],
    ['/blacklist-entries', {}],
    ['/identifier-checks', {}],
    ['/notifications', { unread: 0 }],
    ['/information-requests', { o: 0 }],
    ['/asset-freeze-requests', { o: 0 }],
    ['/repatriation-requests', { o: 0 }],
    ['/release-requests', { o: 0 }],
    ['/blacklist-proposals', { o: 0 }],
  ];

  it('a garbled cursor already gets that 400 (the answer expected below)', async () => {
    const res = await request(t.server)
      .get(`/api/v1/cases?cursor=${cursorAt('not a time')}`)
      .set('Authorization', `Bearer ${tf['kr.officer'].tokens.accessToken}`);
    expect({ status: res.status, type: res.body.type, field: res.body.errors?.[0]?.field }).toEqual({
      status: 400,
      type: 'urn:case-desk:problem:validation-failed',
      field: 'cursor',
    });
  });

  it.each(['2026-02-30T00:00:00.000Z', '2026-04-31T00:00:00.000Z', '0000-01-01T00:00:00.000Z'])(
    'a cursor at %s: every list answers a 400 naming cursor',
    async (at) => {
      const answers: Record<string, unknown> = {};
      for (const [list, extra] of lists) {
        const res = await request(t.server)
          .get(`/api/v1${list}?cursor=${cursorAt(at, extra)}`)
          .set('Authorization', `Bearer ${tf['kr.officer'].tokens.accessToken}`);
        answers[list] = {
          status: res.status,
          type: res.body?.type,
          problemJson: /^application\/problem\+json/.test(String(res.headers['content-type'])),
          field: res.body?.errors?.[0]?.field,
        };
      }
      const expected = Object.fromEntries(
        lists.map(([list]) => [
          list,
          {
            status: 400,
            type: 'urn:case-desk:problem:validation-failed',
            problemJson: true,
            field: 'cursor',
          },
        ]),
      );
      expect(answers).toEqual(expected);
    },
  );

  it("the same for a record's attachments and the screening alerts", async () => {
    const at = cursorAt('2026-02-30T00:00:00.000Z');
    const kase = await tf['kr.officer'].post('/cases', { title: 'Cursor probe' }).expect(201);
    const person = await tf['kr.officer']
      .post('/persons', { names: [{ full: 'KIM Min-jun', kind: 'primary' }] })
      .expect(201);
    const answers: Record<string, unknown> = {};
    for (const [who, list] of [
      ['kr.officer', `/cases/${kase.body.id}/attachments`],
      ['kr.officer', `/persons/${person.body.id}/attachments`],
      ['kr.liaison', '/screenings/alerts'],
    ] as const) {
      const res = await tf[who].get(`${list}?cursor=${at}`);
      answers[list] = { status: res.status, type: res.body.type, field: res.body.errors?.[0]?.field };
    }
    const refused = { status: 400, type: 'urn:case-desk:problem:validation-failed', field: 'cursor' };
    expect(answers).toEqual({
      [`/cases/${kase.body.id}/attachments`]: refused,
      [`/persons/${person.body.id}/attachments`]: refused,
      '/screenings/alerts': refused,
    });
  });

  it('the same for the user list of an administrator', async () => {
    const admin = await login(t.server, 'kr.admin');
    const res = await request(t.server)
      .get(`/api/v1/users?cursor=${cursorAt('2026-02-30T00:00:00.000Z')}`)
      .set('Authorization', `Bearer ${admin.accessToken}`);
    expect({ status: res.status, type: res.body.type, field: res.body.errors?.[0]?.field }).toEqual({
      status: 400,
      type: 'urn:case-desk:problem:validation-failed',
      field: 'cursor',
    });
  });
});
