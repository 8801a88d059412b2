import { randomUUID } from 'node:crypto';
import { givenIn } from '../support/given';
import { taskForce, TaskForce } from '../support/scenario';
import { createTestApp, TestApp } from '../support/test-app';

/**
 * Probe r22: KH arrests a Korean and a Malaysian national and drafts (then submits, not yet approved)
 * a repatriation request to KR for the Korean, changing his custody meanwhile. Until KH's liaison sends
 * it, KR's officer and auditor read of it exactly what they read of a record that does not exist: the
 * request, the arrest, their custody and timelines, the audit trail filtered by either id, seen-in of
 * the Korean's passport, notifications and stats. MY reads nothing of either arrest, at any stage.
 */
describe('Probe r22: KH’s unsent repatriation request, from KR’s and MY’s side', () => {
  let t: TestApp;
  let tf: TaskForce;
  let korean: { id: string; person: { id: string } };
  let malaysian: { id: string };
  const passport = 'M22000811';
  beforeAll(async () => {
    t = await createTestApp({}, {}, 'demo');
    tf = await taskForce(t);
    const arrestOf = async (full: string, nationality: string, number: string) =>
      (
        await tf['kh.officer']
          .post('/arrests', {
            arrestedAt: '2026-03-04T02:30:00Z',
            place: 'Bavet compound',
            grounds: 'Online fraud',
            arrestingAgency: 'GDNP',
            nationality,
            person: {
              names: [{ full, script: 'latin', kind: 'primary' }],
              nationalities: [nationality],
              documents: [{ type: 'passport', number, issuingCountry: nationality }],
            },
          })
          .expect(201)
      ).body;
    korean = await arrestOf('PARK Draft', 'KR', passport);
    malaysian = await arrestOf('LIM Draft', 'MY', 'A22000812');
  }, 60_000);
  afterAll(() => t?.close());

  /** Keys that differ between any two answers: problem and event ids, event times, seals (sealed later). */
  const DROPPED = ['requestId', 'instance', 'id', 'occurredAt', 'seal'];

  /**
   * Everything a reader gets for `ids` (each swapped for `[name]` in the answers, `DROPPED` keys left
   * out); the audit trail holds the reader's own reads of those ids, alike for both.
   */
  async function reads(who: string, ids: Record<string, string>) {
    const u = tf[who as keyof TaskForce] as TaskForce['kr.officer'];
    const out: Record<string, unknown> = {};
    const clean = (body: unknown) =>
      JSON.parse(
        Object.entries(ids).reduce(
          (s, [name, id]) => s.split(id).join(`[${name}]`),
          JSON.stringify(body, (k, v) => (DROPPED.includes(k) ? undefined : v)),
        ),
      );
    for (const [name, id] of Object.entries(ids)) {
      for (const path of [
        `/repatriation-requests/${id}`,
        `/arrests/${id}`,
        `/arrests/${id}/custody`,
        `/audit-events/timeline?recordType=arrest&recordId=${id}`,
        `/audit-events/timeline?recordType=request&recordId=${id}`,
        `/audit-events?recordId=${id}&outcome=success`,
      ]) {
        const res = await u.get(path);
        out[`${name} ${path.replace(id, '…')}`] = [res.status, clean(res.body)];
      }
    }
    for (const path of [
      `/identifiers/seen-in?kind=passport&value=${passport}&issuingCountry=KR`,
      '/notifications',
      '/stats?from=2026-01-01T00:00:00Z&to=2027-12-31T00:00:00Z',
      '/repatriation-requests',
      '/arrests',
    ]) {
      const res = await u.get(path);
      out[path] = [res.status, clean(res.body)];
    }
    return out;
  }

  it('KR’s officer and auditor read of the unsent request and its arrest what they read of none', async () => {
    const given = givenIn(tf)
      .aRequest('repatriation')
      .from('KH')
      .sentTo('KR')
      .handledAs('AMBER')
      .with({ arrestIds: [korean.id], subject: 'Repatriation r22 draft' });
    const draft = await given.drafted();
    const a = (await tf['kh.officer'].get(`/arrests/${korean.id}`).expect(200)).body;
    await tf['kh.officer']
      .post(`/arrests/${korean.id}/custody`, {
        status: 'charged',
        reason: 'Charged while drafting',
        version: a.version,
      })
      .expect(200);
    // Ids of nothing, read in the same order as the real ones (the audit trail keeps each read).
    const none = { request: randomUUID(), arrest: randomUUID() };
    for (const who of ['kr.officer', 'kr.auditor']) {
      const ofNone = await reads(who, none);
      expect(await reads(who, { request: draft.id, arrest: korean.id })).toEqual(ofNone);
    }
    await given.submitted();
    for (const who of ['kr.officer', 'kr.auditor']) {
      const ofNone = await reads(who, none);
      expect(await reads(who, { request: draft.id, arrest: korean.id })).toEqual(ofNone);
    }
    // Sent: KR reads the request and the Korean's arrest, never the Malaysian's.
    await given.sent();
    await tf['kr.officer'].get(`/repatriation-requests/${draft.id}`).expect(200);
    await tf['kr.officer'].get(`/arrests/${korean.id}`).expect(200);
    const seen = (
      await tf['kr.officer']
        .get(`/identifiers/seen-in?kind=passport&value=${passport}&issuingCountry=KR`)
        .expect(200)
    ).body;
    expect(JSON.stringify(seen)).toContain(korean.person.id);
    const ofNone = await reads('kr.auditor', { arrest: randomUUID() });
    expect(await reads('kr.auditor', { arrest: malaysian.id })).toMatchObject(
      Object.fromEntries(Object.entries(ofNone).filter(([k]) => k.startsWith('arrest '))),
    );
    const myNone = await reads('my.officer', { request: randomUUID(), arrest: randomUUID() });
    expect(await reads('my.officer', { request: draft.id, arrest: malaysian.id })).toEqual(myNone);
  });
});
