import { BlacklistEntryExtension1763801260000 } from '../../migrations/1763801260000-BlacklistEntryExtension';
import { BlacklistExpiryService } from '../../src/blacklist/blacklist-expiry.service';
import { Clock } from '../../src/common/time/clock';
import { proposedAndAccepted, threeSuspects } from '../support/blacklist-scenario';
import { signIn, SignedIn } from '../support/http';
import { taskForce, TaskForce } from '../support/scenario';
import { createTestApp, TestApp } from '../support/test-app';

/** A calendar day `days` from today (UTC), as `expiresOn` takes it. */
const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
const BAN_EXPIRED = 'urn:case-desk:problem:ban-expired';

// KR asked KH to ban three suspects. A ban lapses on its date: before `extend`, the only way to keep a
// fugitive banned past it was to lift and propose again, losing the history and leaving a gap at KH's
// border. KH's liaison now moves the date, with a reason, while the ban holds.
describe('The banning country extends an active ban before it lapses', () => {
  let t: TestApp;
  let tf: TaskForce;
  let khScreener: SignedIn;

  beforeAll(async () => {
    t = await createTestApp();
    tf = await taskForce(t);
    khScreener = await signIn(t.server, 'kh.screener');
  });
  afterAll(() => t?.close());
  afterEach(() => jest.restoreAllMocks());

  /** KR's three suspects, accepted by KH; Lee and Park banned until `expiresOn`, Choi still proposed. */
  async function bannedUntil(expiresOn: string) {
    const { proposal } = await proposedAndAccepted(tf, threeSuspects(tf.cambodiaKoreaFramework));
    const [lee, park, choi] = proposal.entries as Array<{ id: string }>;
    for (const entry of [lee!, park!])
      await tf['kh.liaison']
        .post(`/blacklist-entries/${entry.id}/activate`, {
          version: 1,
          legalBasis: 'Immigration Law art. 29',
          expiresOn,
        })
        .expect(200);
    return { lee: lee!.id, park: park!.id, choi: choi!.id };
  }
  const entryOf = async (who: SignedIn, id: string) =>
    (await who.get(`/blacklist-entries/${id}`).expect(200)).body;
  const extend = (who: SignedIn, id: string, body: object) =>
    who.post(`/blacklist-entries/${id}/extend`, body);
  const profileExpiry = async (id: string) =>
    (
      await t.dataSource.query(
        `SELECT expires_on::text AS expires_on FROM blacklist_screening_profile WHERE entry_id = $1`,
        [id],
      )
    ).map((r: { expires_on: string }) => r.expires_on);
  /** The entries a KH checkpoint is shown for a traveller of that name. */
  const screened = async (full: string) =>
    (
      await khScreener
        .post('/screenings', { checkpoint: 'PNH-AIRPORT-ARR-3', names: [{ full }], nationality: 'KR' })
        .expect(201)
    ).body.candidates.map((c: { entry: { entryId: string } }) => c.entry.entryId);

  it('the entry and its screening profile take the later date at once; after the old date checkpoints still find the person, and both countries read the extension', async () => {
    const soon = inDays(3);
    const { lee, park } = await bannedUntil(soon);
    const before = await entryOf(tf['kh.liaison'], lee);
    expect(before.allowedActions).toEqual(['lift', 'extend']);

    const extended = (
      await extend(tf['kh.liaison'], lee, {
        version: before.version,
        expiresOn: '2031-12-31',
        reason: 'Warrant renewed by the Seoul Central District Court until 2031',
      }).expect(200)
    ).body;
    expect(extended).toMatchObject({
      id: lee,
      status: 'active',
      legalBasis: 'Immigration Law art. 29',
      expiresOn: '2031-12-31',
      extendedFrom: soon,
      extensionReason: 'Warrant renewed by the Seoul Central District Court until 2031',
      decidedAt: before.decidedAt, // the activation's: an extension is not a new activation
      allowedActions: ['lift', 'extend'],
      version: before.version + 1,
    });
    expect(Date.parse(extended.extendedAt)).toBeGreaterThan(Date.parse(before.decidedAt));
    expect(await profileExpiry(lee)).toEqual(['2031-12-31']);
    // KR, which asked for the ban, reads the same extension on its entry (as it reads a lift's reason).
    expect(await entryOf(tf['kr.liaison'], lee)).toMatchObject({
      expiresOn: '2031-12-31',
      extendedFrom: soon,
      extensionReason: extended.extensionReason,
      extendedAt: extended.extendedAt,
      allowedActions: [],
    });

    // The day after the old date: the hourly expiry job takes Park (not extended) out of the index and
    // leaves Lee; KH's checkpoint finds Lee, not Park.
    const dayAfter = new Date(Date.parse(`${soon}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
    jest.spyOn(t.app.get(Clock), 'today').mockReturnValue(dayAfter); // sign-ins keep the real time
    expect(await t.app.get(BlacklistExpiryService).unindexExpired()).toBe(1);
    expect(await profileExpiry(park)).toEqual([]);
    expect(await screened('Lee Jae-seong')).toContain(lee);
    expect(await screened('PARK Min-ho')).not.toContain(park);

    // The trail keeps each extension with the dates before and after, read by both countries' auditors.
    for (const auditor of [tf['kh.auditor'], tf['kr.auditor']]) {
      const events = (
        await auditor.get(`/audit-events?recordType=blacklist_entry&recordId=${lee}&limit=200`).expect(200)
      ).body.items as Array<{ action: string; changes: unknown }>;
      expect(events.filter((e) => e.action === 'blacklist.entry.extend')).toEqual([
        expect.objectContaining({
          changes: expect.objectContaining({
            before: { expiresOn: soon },
            after: { expiresOn: '2031-12-31', extensionReason: extended.extensionReason },
          }),
        }),
      ]);
    }
  });

  it('extends again from the extended date: the entry shows the last extension', async () => {
    const { lee } = await bannedUntil('2030-06-30');
    const first = (
      await extend(tf['kh.liaison'], lee, {
        version: 2,
        expiresOn: '2031-06-30',
        reason: 'First renewal',
      }).expect(200)
    ).body;
    const second = (
      await extend(tf['kh.liaison'], lee, {
        version: first.version,
        expiresOn: '2032-06-30',
        reason: 'Second renewal',
      }).expect(200)
    ).body;
    expect(second).toMatchObject({
      expiresOn: '2032-06-30',
      extendedFrom: '2031-06-30',
      extensionReason: 'Second renewal',
    });
    expect(await profileExpiry(lee)).toEqual(['2032-06-30']);
  });

  it('only KH’s liaison extends: KR’s liaison 403, KH’s officer 403, MY (a third country) 404 as for no entry at all; nothing changes', async () => {
    const { lee } = await bannedUntil('2030-06-30');
    const body = { version: 2, expiresOn: '2031-06-30', reason: 'Renewed' };
    expect((await extend(tf['kr.liaison'], lee, body)).status).toBe(403);
    expect((await extend(tf['kh.officer'], lee, body)).status).toBe(403);
    expect((await extend(tf['kh.auditor'], lee, body)).status).toBe(403);
    const hidden = await extend(tf['my.liaison'], lee, body);
    const none = await extend(tf['my.liaison'], '00000000-0000-4000-8000-00000000e0e0', body);
    expect(hidden.status).toBe(404);
    expect({ type: hidden.body.type, title: hidden.body.title, detail: hidden.body.detail }).toEqual({
      type: none.body.type,
      title: none.body.title,
      detail: none.body.detail,
    });
    expect(await entryOf(tf['kh.liaison'], lee)).toMatchObject({
      version: 2,
      expiresOn: '2030-06-30',
      extendedAt: null,
      extensionReason: null,
      extendedFrom: null,
    });
    expect(await profileExpiry(lee)).toEqual(['2030-06-30']);
  });

  it('an expired ban is not extended (409 ban-expired: propose again); a proposed or lifted entry has no ban to extend', async () => {
    const { lee, park, choi } = await bannedUntil('2030-06-30');
    // Lee's ban ended yesterday (the date moved, not the clock: sign-ins keep the real time).
    await t.dataSource.query(`UPDATE blacklist_entry SET expires_on = current_date - 1 WHERE id = $1`, [lee]);
    const expired = await extend(tf['kh.liaison'], lee, {
      version: 2,
      expiresOn: '2031-06-30',
      reason: 'Renewed too late',
    });
    expect(expired.status).toBe(409);
    expect(expired.body.type).toBe(BAN_EXPIRED);
    expect(expired.body.detail).toMatch(/proposing country proposes them again/);
    expect((await entryOf(tf['kh.liaison'], lee)).status).toBe('expired');
    expect((await entryOf(tf['kh.liaison'], lee)).allowedActions).toEqual([]);

    const proposed = await extend(tf['kh.liaison'], choi, {
      version: 1,
      expiresOn: '2031-06-30',
      reason: 'x',
    });
    expect(proposed.status).toBe(409);
    expect(proposed.body).toMatchObject({ currentState: 'proposed', allowedActions: ['activate', 'reject'] });

    await tf['kh.liaison']
      .post(`/blacklist-entries/${park}/lift`, { version: 2, reason: 'Arrested' })
      .expect(200);
    const lifted = await extend(tf['kh.liaison'], park, { version: 3, expiresOn: '2031-06-30', reason: 'x' });
    expect(lifted.status).toBe(409);
    expect(lifted.body).toMatchObject({ currentState: 'lifted', allowedActions: [] });
    expect(
      await t.dataSource.query(
        `SELECT count(*)::int AS n FROM audit_event WHERE action = 'blacklist.entry.extend' AND outcome = 'success'
            AND record_id = ANY($1)`,
        [[lee, park, choi]],
      ),
    ).toEqual([{ n: 0 }]);
  });

  it('the new date must be later than the current one and in the future; a stale version is a conflict', async () => {
    const { lee } = await bannedUntil('2030-06-30');
    const refused = async (expiresOn: string, version = 2) => {
      const res = await extend(tf['kh.liaison'], lee, { version, expiresOn, reason: 'Renewed' });
      return { status: res.status, fields: (res.body.errors ?? []).map((e: { field: string }) => e.field) };
    };
    expect(await refused('2030-06-30')).toEqual({ status: 400, fields: ['expiresOn'] });
    expect(await refused('2030-01-01')).toEqual({ status: 400, fields: ['expiresOn'] });
    expect(await refused(inDays(-1))).toEqual({ status: 400, fields: ['expiresOn'] });
    expect(await refused(inDays(0))).toEqual({ status: 400, fields: ['expiresOn'] });
    expect(await refused('2031-06-30', 1)).toEqual({ status: 409, fields: [] });
    expect(await entryOf(tf['kh.liaison'], lee)).toMatchObject({ version: 2, expiresOn: '2030-06-30' });
  });

  it('bad input is a 400 naming the field, never a 500, and changes nothing', async () => {
    const { lee } = await bannedUntil('2030-06-30');
    const valid = { version: 2, expiresOn: '2031-06-30', reason: 'Renewed' };
    const cases: Array<[object, string]> = [
      [{ ...valid, reason: 'Renewed\u0000' }, 'reason'],
      [{ ...valid, reason: 42 }, 'reason'],
      [{ ...valid, reason: '' }, 'reason'],
      [{ ...valid, reason: 'x'.repeat(2001) }, 'reason'],
      [{ version: 2, expiresOn: '2031-06-30' }, 'reason'],
      [{ ...valid, expiresOn: 20310630 }, 'expiresOn'],
      [{ ...valid, expiresOn: '2031-02-30' }, 'expiresOn'],
      [{ ...valid, expiresOn: '2031-06-30T00:00:00Z' }, 'expiresOn'],
      [{ ...valid, expiresOn: '2031-06-30\u0000' }, 'expiresOn'],
      [{ ...valid, version: '2' }, 'version'],
      [{ ...valid, version: 0 }, 'version'],
      [{ ...valid, legalBasis: 'A new basis' }, 'legalBasis'],
    ];
    for (const [body, field] of cases) {
      const res = await extend(tf['kh.liaison'], lee, body);
      expect({ body, status: res.status }).toEqual({ body, status: 400 });
      expect(JSON.stringify(res.body.errors ?? [])).toContain(field);
    }
    expect(await entryOf(tf['kh.liaison'], lee)).toMatchObject({ version: 2, expiresOn: '2030-06-30' });
  });

  it('the migration goes down and up again: the expiry an extension set stays, the record of the last extension goes', async () => {
    const { lee } = await bannedUntil('2030-06-30');
    await extend(tf['kh.liaison'], lee, { version: 2, expiresOn: '2031-06-30', reason: 'Renewed' }).expect(
      200,
    );
    const runner = t.dataSource.createQueryRunner();
    try {
      const migration = new BlacklistEntryExtension1763801260000();
      await migration.down(runner);
      await migration.up(runner);
    } finally {
      await runner.release();
    }
    expect(await entryOf(tf['kr.liaison'], lee)).toMatchObject({
      status: 'active',
      expiresOn: '2031-06-30',
      extendedAt: null,
      extensionReason: null,
      extendedFrom: null,
    });
    expect(await profileExpiry(lee)).toEqual(['2031-06-30']);
    await extend(tf['kh.liaison'], lee, {
      version: 3,
      expiresOn: '2032-06-30',
      reason: 'Renewed again',
    }).expect(200);
  });
});
