import { AuditSealerService } from '../../src/audit/audit-sealer.service';
import { aDraft, taskForce, TaskForce } from '../support/scenario';
import { createTestApp, TestApp } from '../support/test-app';

interface Event {
  id: string;
  action: string;
  actor: { username: string | null; country: string | null };
  details: Record<string, unknown> | null;
}

/**
 * An auditor leaves users of their own country out of the trail (`excludeActors`): their own reads,
 * which every page they read adds, or an integration account's. Another country's staff are not told
 * apart on KR's pages (their usernames are withheld), so naming one must leave out nothing: otherwise
 * the difference would say which of the partner's events were whose.
 */
describe('Audit events without the named users of the auditor’s own country', () => {
  let t: TestApp;
  let tf: TaskForce;
  /** The window the comparisons read: the scenario's events and nothing the reads themselves add. */
  let window: string;

  beforeAll(async () => {
    t = await createTestApp();
    tf = await taskForce(t);
    const from = new Date().toISOString();
    // KR asks KH, KH's liaison accepts (in KR's trail, without a username), KR's officer reads persons.
    const draft = (
      await tf['kr.officer'].post('/information-requests', aDraft(tf.cambodiaKoreaFramework)).expect(201)
    ).body;
    const step = async (who: keyof TaskForce, action: string) => {
      const { version } = (
        await (tf[who] as TaskForce['kr.officer']).get(`/information-requests/${draft.id}`)
      ).body;
      await (tf[who] as TaskForce['kr.officer'])
        .post(`/information-requests/${draft.id}/${action}`, { version })
        .expect(200);
    };
    await step('kr.officer', 'submit');
    await step('kr.liaison', 'approve');
    await step('kh.liaison', 'accept');
    await tf['kr.officer'].get('/persons').expect(200);
    // Every event of the window sealed now: a seal appearing between two reads is the sealer's timing.
    await t.app.get(AuditSealerService).sealNow({ drain: true });
    await new Promise((r) => setTimeout(r, 5));
    window = `from=${encodeURIComponent(from)}&to=${encodeURIComponent(new Date().toISOString())}`;
  }, 60_000);
  afterAll(() => t?.close());

  const list = async (query = ''): Promise<Event[]> =>
    (await tf['kr.auditor'].get(`/audit-events?${window}&limit=200${query}`).expect(200)).body.items;

  it('leaves out the named users’ events, by username or by id, and keeps everyone else’s', async () => {
    const all = await list();
    const byOfficer = all.filter((e) => e.actor.username === 'kr.officer');
    expect(byOfficer.length).toBeGreaterThan(1);
    expect(all.some((e) => e.actor.username === 'kr.liaison')).toBe(true);

    const withoutOfficer = await list('&excludeActors=kr.officer');
    expect(withoutOfficer).toEqual(all.filter((e) => e.actor.username !== 'kr.officer'));
    const officerId = (await tf.userId('kr.officer')).toUpperCase();
    expect(await list(`&excludeActors=${officerId}`)).toEqual(withoutOfficer);
    expect(await list('&excludeActors=KR.Officer,kr.liaison')).toEqual(
      all.filter((e) => !['kr.officer', 'kr.liaison'].includes(e.actor.username ?? '')),
    );
  });

  it('leaves out nothing for another country’s staff, however named, as for a user that does not exist', async () => {
    const all = await list();
    // KH's liaison accepted: the event is in KR's trail, its actor withheld.
    expect(all.some((e) => e.action === 'request.accept' && e.actor.country === 'KH')).toBe(true);
    const khLiaisonId = await tf.userId('kh.liaison');
    for (const named of ['kh.liaison', khLiaisonId, 'kh.liaison,kh.officer', 'kr.nobody'])
      expect(await list(`&excludeActors=${named}`)).toEqual(all);
  });

  it('leaves them out of the export too, and the auditor’s own read records what was left out', async () => {
    const res = await tf['kr.auditor']
      .get(`/audit-events/export?${window}&excludeActors=kr.officer`)
      .expect(200);
    const exported = String(res.text)
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as Event);
    // The export reads oldest first, the list newest first: the same events.
    const listed = (await list()).filter((e) => e.actor.username !== 'kr.officer');
    expect(listed.length).toBeGreaterThanOrEqual(2);
    expect(exported.map((e) => e.id)).toEqual(listed.map((e) => e.id).reverse());

    await list('&excludeActors=kr.auditor');
    const own = await tf['kr.auditor']
      .get('/audit-events?actor=kr.auditor&action=audit.read&limit=2')
      .expect(200);
    const filtersRead = own.body.items.map(
      (e: Event) => (e.details?.filters as { excludeActors?: string[] }) ?? {},
    );
    expect(filtersRead.map((f: { excludeActors?: string[] }) => f.excludeActors)).toContainEqual([
      'kr.auditor',
    ]);
  });

  it('refuses a list it cannot read, naming the field', async () => {
    const tooMany = Array.from({ length: 51 }, (_, i) => `kr.user${i}`).join(',');
    for (const bad of [tooMany, 'kr officer', 'kr.officer,,kr.liaison', '%00kr.officer']) {
      const res = await tf['kr.auditor']
        .get(`/audit-events?excludeActors=${bad.replace(/ /g, '%20')}`)
        .expect(400);
      expect(res.body.errors.map((e: { field: string }) => e.field)).toContain('excludeActors');
    }
  });
});
