import { BlacklistExpiryService } from '../../src/blacklist/blacklist-expiry.service';
import { Clock } from '../../src/common/time/clock';
import { keyCounts, proposedAndAccepted, threeSuspects } from '../support/blacklist-scenario';
import { signIn, SignedIn } from '../support/http';
import { taskForce, TaskForce } from '../support/scenario';
import { createTestApp, TestApp } from '../support/test-app';

describe('Blacklist entries past their expiry date', () => {
  let t: TestApp;
  let tf: TaskForce;
  let khScreener: SignedIn;
  let ids: { expiring: string; lasting: string };

  beforeAll(async () => {
    t = await createTestApp();
    tf = await taskForce(t);
    khScreener = await signIn(t.server, 'kh.screener');
    const { proposal } = await proposedAndAccepted(tf, threeSuspects(tf.cambodiaKoreaFramework));
    const [lee, park] = proposal.entries;
    ids = { expiring: lee.id, lasting: park.id };
    for (const [id, expiresOn] of [
      [lee.id, '2027-01-31'],
      [park.id, '2031-12-31'],
    ]) {
      await tf['kh.liaison']
        .post(`/blacklist-entries/${id}/activate`, {
          version: 1,
          legalBasis: 'Immigration Law art. 29',
          expiresOn,
        })
        .expect(200);
    }
  });
  afterAll(async () => {
    jest.restoreAllMocks();
    await t?.close();
  });

  const indexRows = async (entryId: string) => {
    const [row] = await t.dataSource.query(
      `SELECT (SELECT count(*)::int FROM blacklist_search_key WHERE entry_id = $1) AS keys,
              (SELECT count(*)::int FROM blacklist_screening_profile WHERE entry_id = $1) AS profiles`,
      [entryId],
    );
    return row;
  };

  it('leave the screening index on the hourly run, each with an audit event; the others stay', async () => {
    const traveller = { checkpoint: 'PNH-AIRPORT-ARR-3', names: [{ full: 'Lee Jae-seong' }] };
    const before = (await khScreener.post('/screenings', traveller).expect(201)).body.candidates;
    expect(before.map((c: { entry: { entryId: string } }) => c.entry.entryId)).toEqual([ids.expiring]);
    const expiry = t.app.get(BlacklistExpiryService);
    expect(await expiry.unindexExpired()).toBe(0);
    const indexed = await indexRows(ids.expiring);
    expect(indexed.keys).toBeGreaterThan(0);
    expect(indexed.profiles).toBe(1);

    jest.spyOn(t.app.get(Clock), 'now').mockReturnValue(new Date('2027-02-01T06:00:00Z'));
    expect(await expiry.unindexExpired()).toBe(1);
    expect(await indexRows(ids.expiring)).toEqual({ keys: 0, profiles: 0 });
    expect((await indexRows(ids.lasting)).profiles).toBe(1);
    expect(await expiry.unindexExpired()).toBe(0);

    const events = await t.dataSource.query(
      `SELECT actor_kind, actor_username, details FROM audit_event WHERE action = 'blacklist.entry.expired' AND record_id = $1`,
      [ids.expiring],
    );
    expect(events).toEqual([
      { actor_kind: 'system', actor_username: 'blacklist-expiry', details: { expiresOn: '2027-01-31' } },
    ]);
    const { counted, held } = await keyCounts(t.dataSource);
    expect(counted).toEqual(held);
  });

  it('are listed as expired, not active: the status filter matches the status each entry shows', async () => {
    jest.restoreAllMocks(); // the moved clock would also expire the sign-ins: move the date instead
    await t.dataSource.query(`UPDATE blacklist_entry SET expires_on = current_date - 1 WHERE id = $1`, [
      ids.expiring,
    ]);
    const listed = async (status: string) =>
      (
        await tf['kh.liaison'].get(`/blacklist-entries?status=${status}&limit=200`).expect(200)
      ).body.items.map((e: { id: string; status: string }) => `${e.id}:${e.status}`);
    const active = await listed('active');
    expect(active).toContain(`${ids.lasting}:active`);
    expect(active.some((e: string) => e.startsWith(ids.expiring))).toBe(false);
    expect(await listed('expired')).toEqual([`${ids.expiring}:expired`]);
  });
});
