import request from 'supertest';
import { createTestApp, TestApp } from '../support/test-app';
import { signIn, SignedIn } from '../support/http';
import { count } from './probe-input4-support';

/**
 * Probe (input round 4): an Idempotency-Key names one request, and a query string is part of it. The
 * fingerprint a key is stored with was the method, the path without its query, and the body: a raid
 * batch sent with a key and then again with the same key and `?allowDuplicates=true` replayed the
 * first answer (201, `Idempotent-Replayed: true`) although the second asked for something else.
 * Now a key reused with another query is the 422 of a key reused with another body
 * (src/idempotency/idempotency.service.ts, requestFingerprint); the same query still replays.
 */
describe('Probe: an Idempotency-Key reused with another query string', () => {
  let t: TestApp;
  let officer: SignedIn;
  beforeAll(async () => {
    t = await createTestApp();
    officer = await signIn(t.server, 'kh.officer');
  });
  afterAll(() => t?.close());

  const raid = {
    arrests: ['KIM Min-jun', 'LEE Seo-yeon'].map((full) => ({
      arrestedAt: '2026-03-01T02:30:00Z',
      place: 'Golden Fortune compound',
      grounds: 'Online fraud',
      arrestingAgency: 'Cambodian National Police',
      nationality: 'KR',
      person: { names: [{ full, script: 'latin', kind: 'primary' }] },
    })),
  };
  const batch = (query: string, key: string) =>
    request(t.server)
      .post(`/api/v1/arrests/batch${query}`)
      .set('Authorization', `Bearer ${officer.tokens.accessToken}`)
      .set('Idempotency-Key', key)
      .send(raid);

  it('the same key with ?allowDuplicates=true is a 422 and records nothing; the same query again replays', async () => {
    const first = await batch('', 'raid-42');
    expect(first.status).toBe(201);
    const arrests = await count(t, 'arrest');
    const events = await count(t, 'audit_event');

    const other = await batch('?allowDuplicates=true', 'raid-42');
    expect({ status: other.status, type: other.body.type }).toEqual({
      status: 422,
      type: 'urn:case-desk:problem:idempotency-key-reused',
    });
    expect({ arrests: await count(t, 'arrest'), events: await count(t, 'audit_event') }).toEqual({
      arrests,
      events,
    });

    const again = await batch('', 'raid-42');
    expect({
      status: again.status,
      replayed: again.headers['idempotent-replayed'],
      body: again.body,
    }).toEqual({
      status: 201,
      replayed: 'true',
      body: first.body,
    });
    // A key first used with a query replays for that same query.
    const flagged = await batch('?allowDuplicates=true', 'raid-43');
    expect(flagged.status).toBe(201);
    const flaggedAgain = await batch('?allowDuplicates=true', 'raid-43');
    expect({ status: flaggedAgain.status, replayed: flaggedAgain.headers['idempotent-replayed'] }).toEqual({
      status: 201,
      replayed: 'true',
    });
  });
});
