import type { SignedIn } from '../support/http';
import { aDraft } from '../support/scenario';
import type { TestApp } from '../support/test-app';
import { multilateralWorld } from '../probe-r21/r21-support';
import { PLATFORM_ADMIN_USERNAME } from '../../src/seed/demo-data';

/**
 * Probe r49, lead 3: TH's membership of the multilateral body is set to begin tomorrow; KR sends one
 * request to KH and MY through the body, recipients hidden; then TH's joining is moved to today. TH,
 * now a member, reads nothing of the dispatch: no thread, no list entry, no notice, no count; KH's and
 * MY's views still name no recipients, TH among them or not.
 */
describe('Probe r49: a member joining after a hidden dispatch learns nothing of it', () => {
  let t: TestApp;
  let as: Record<string, SignedIn>;
  let body: string;
  const base = '/information-requests';
  let threads: Array<{ country: string; requestId: string; reference: string }>;

  beforeAll(async () => {
    ({ t, as, body } = await multilateralWorld([
      'kr.officer',
      'kr.liaison',
      'kh.liaison',
      'my.liaison',
      'th.liaison',
      'th.officer',
      'th.auditor',
      PLATFORM_ADMIN_USERNAME,
    ]));
    const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
    await as[PLATFORM_ADMIN_USERNAME]!.put(`/frameworks/${body}/members/TH`, { joinedOn: tomorrow }).expect(
      200,
    );
    const draft = (
      await as['kr.officer']!.post(
        base,
        aDraft(body, { targetCountry: 'KH', alsoTo: ['MY'], subject: 'Probe r49 late member dispatch' }),
      ).expect(201)
    ).body;
    const submitted = (
      await as['kr.officer']!.post(`${base}/${draft.id}/submit`, { version: draft.version }).expect(200)
    ).body;
    threads = (
      await as['kr.liaison']!.post(`${base}/${draft.id}/approve`, { version: submitted.version }).expect(200)
    ).body.recipients;
    const today = new Date().toISOString().slice(0, 10);
    await as[PLATFORM_ADMIN_USERNAME]!.put(`/frameworks/${body}/members/TH`, { joinedOn: today }).expect(200);
  }, 120_000);
  afterAll(() => t?.close());

  it('TH reads no thread of it, lists none, is told of none', async () => {
    expect(threads.map((r) => r.country)).toEqual(['KH', 'MY']);
    for (const who of ['th.liaison', 'th.officer', 'th.auditor']) {
      const seen = JSON.stringify([
        (await as[who]!.get(`${base}?limit=200`).expect(200)).body,
        (await as[who]!.get(`${base}?q=late%20member&limit=200`).expect(200)).body,
        (await as[who]!.get('/notifications?limit=200').expect(200)).body,
        (await as[who]!.get('/audit-events?limit=200')).body,
      ]);
      for (const r of threads) {
        expect(seen).not.toContain(r.requestId);
        expect(seen).not.toContain(r.reference);
      }
      expect(seen).not.toContain('late member dispatch');
    }
    // Asked by id (after the reads above: the refusals are the asker's own audit events).
    for (const who of ['th.liaison', 'th.officer', 'th.auditor'])
      for (const r of threads) await as[who]!.get(`${base}/${r.requestId}`).expect(404);
  });

  it('KH and MY still read no recipients', async () => {
    for (const [who, r] of [
      ['kh.liaison', threads[0]!],
      ['my.liaison', threads[1]!],
    ] as const) {
      const view = (await as[who]!.get(`${base}/${r.requestId}`).expect(200)).body;
      expect(view.recipients).toBeNull();
    }
  });
});
