import { createTestApp, TestApp } from '../support/test-app';
import { signIn, SignedIn } from '../support/http';
import { taskForce, TaskForce } from '../support/scenario';
import { proposedAndAccepted, threeSuspects } from '../support/blacklist-scenario';
import { HEAVY_TEST_TIMEOUT_MS } from '../support/timeouts';

describe('Fugitive blacklist: proposal, review entry by entry, lifting', () => {
  let t: TestApp;
  let tf: TaskForce;
  let screener: SignedIn;
  beforeAll(async () => {
    t = await createTestApp();
    tf = await taskForce(t);
    screener = await signIn(t.server, 'kh.screener');
  });
  afterAll(() => t?.close());

  const entryRows = () =>
    t.dataSource.query(`SELECT id, status, legal_basis, expires_on FROM blacklist_entry ORDER BY id`);

  it('KR proposes three, KH activates two and rejects one, then fulfils; decisions need the right side and state', async () => {
    const { proposal } = await proposedAndAccepted(tf, threeSuspects(tf.cambodiaKoreaFramework));
    expect(proposal.entryCounts).toEqual({ proposed: 3, active: 0, rejected: 0, lifted: 0 });
    const [lee, park, choi] = proposal.entries;
    const seenByKr = (await tf['kr.liaison'].get(`/blacklist-entries/${lee.id}`).expect(200)).body;
    expect(seenByKr.allowedActions).toEqual([]); // the proposing country does not decide
    await tf['kr.liaison']
      .post(`/blacklist-entries/${lee.id}/activate`, { version: 1, legalBasis: 'x', expiresOn: '2030-01-01' })
      .expect(403);
    const early = await tf['kh.liaison'].post(`/blacklist-proposals/${proposal.id}/fulfil`, {
      version: proposal.version,
    });
    expect(early.status).toBe(409);

    const inKh = (await tf['kh.liaison'].get(`/blacklist-entries/${lee.id}`).expect(200)).body;
    expect(inKh.allowedActions).toEqual(['activate', 'reject']);
    await tf['kh.officer']
      .post(`/blacklist-entries/${lee.id}/activate`, { version: 1, legalBasis: 'x', expiresOn: '2030-01-01' })
      .expect(403);
    await tf['kh.liaison']
      .post(`/blacklist-entries/${lee.id}/activate`, {
        version: 1,
        legalBasis: 'Immigration Law art. 29',
        expiresOn: '2020-01-01',
      })
      .expect(400);
    const active = await tf['kh.liaison']
      .post(`/blacklist-entries/${lee.id}/activate`, {
        version: 1,
        legalBasis: 'Immigration Law art. 29',
        expiresOn: '2031-12-31',
      })
      .expect(200);
    expect(active.body).toMatchObject({
      status: 'active',
      legalBasis: 'Immigration Law art. 29',
      allowedActions: ['lift', 'extend'],
    });
    await tf['kh.liaison']
      .post(`/blacklist-entries/${park.id}/activate`, {
        version: 1,
        legalBasis: 'Immigration Law art. 29',
        expiresOn: '2031-12-31',
      })
      .expect(200);
    await tf['kh.liaison']
      .post(`/blacklist-entries/${choi.id}/reject`, { version: 1, reason: 'Insufficient evidence' })
      .expect(200);
    const again = await tf['kh.liaison']
      .post(`/blacklist-entries/${choi.id}/activate`, {
        version: 2,
        legalBasis: 'x',
        expiresOn: '2031-01-01',
      })
      .expect(409);
    expect(again.body.currentState).toBe('rejected');

    const current = (await tf['kh.liaison'].get(`/blacklist-proposals/${proposal.id}`).expect(200)).body;
    expect(current.entryCounts).toEqual({ proposed: 0, active: 2, rejected: 1, lifted: 0 });
    const fulfilled = await tf['kh.liaison']
      .post(`/blacklist-proposals/${proposal.id}/fulfil`, { version: current.version })
      .expect(200);
    expect(fulfilled.body.status).toBe('fulfilled');

    await tf['kh.liaison'].post(`/blacklist-entries/${park.id}/lift`, { version: 2 }).expect(400);
    const lifted = await tf['kh.liaison']
      .post(`/blacklist-entries/${park.id}/lift`, { version: 2, reason: 'Arrested in Korea' })
      .expect(200);
    expect(lifted.body.status).toBe('lifted');
    const keys = await t.dataSource.query(`SELECT DISTINCT entry_id FROM blacklist_search_key`);
    expect(keys.map((k: { entry_id: string }) => k.entry_id)).toEqual([lee.id]);
    const audit = await t.dataSource.query(
      `SELECT action FROM audit_event WHERE record_id = $1 ORDER BY id`,
      [park.id],
    );
    expect(audit.map((a: { action: string }) => a.action)).toEqual([
      'blacklist.entry.propose',
      'blacklist.entry.activate',
      'blacklist.entry.lift',
    ]);
  });

  it('screeners get 403 on every blacklist listing and reading endpoint; MY sees nothing of the KR→KH list', async () => {
    const { proposal } = await proposedAndAccepted(tf, threeSuspects(tf.cambodiaKoreaFramework));
    const entryId = proposal.entries[0].id;
    for (const path of [
      '/blacklist-entries',
      `/blacklist-entries/${entryId}`,
      '/blacklist-proposals',
      `/blacklist-proposals/${proposal.id}`,
      `/blacklist-proposals/${proposal.id}/history`,
    ]) {
      const res = await screener.get(path);
      expect({ path, status: res.status }).toEqual({ path, status: 403 });
    }
    await tf['my.liaison'].get(`/blacklist-entries/${entryId}`).expect(404);
    await tf['my.liaison'].get(`/blacklist-proposals/${proposal.id}`).expect(404);
    expect((await tf['my.liaison'].get('/blacklist-entries?limit=200').expect(200)).body.items).toEqual([]);
  });

  it('the banning country sees a proposal only once it is sent', async () => {
    const draft = (
      await tf['kr.officer']
        .post('/blacklist-entries', {
          frameworkId: tf.cambodiaKoreaFramework,
          banningCountry: 'KH',
          entry: threeSuspects('').entries[2],
        })
        .expect(201)
    ).body;
    expect(draft).toMatchObject({ status: 'draft', entryCounts: { proposed: 1 } });
    await tf['kh.liaison'].get(`/blacklist-proposals/${draft.id}`).expect(404);
    await tf['kh.liaison'].get(`/blacklist-entries/${draft.entries[0].id}`).expect(404);
  });

  it('a batch with bad rows records nothing and reports each row', async () => {
    const before = await entryRows();
    const body = threeSuspects(tf.cambodiaKoreaFramework);
    body.entries[1] = {
      ...body.entries[1],
      person: { ...body.entries[1].person, names: [{ full: 'X', script: 'elvish', kind: 'primary' }] },
    } as never;
    body.entries[2] = { ...body.entries[2], groundsSummary: '' };
    const res = await tf['kr.officer'].post('/blacklist-entries/batch', body).expect(400);
    const fields = res.body.errors.map((e: { field: string }) => e.field);
    expect(fields).toEqual(
      expect.arrayContaining(['entries[1].person.names[0].script', 'entries[2].groundsSummary']),
    );
    const both = await tf['kr.officer']
      .post('/blacklist-entries/batch', {
        ...threeSuspects(tf.cambodiaKoreaFramework),
        entries: [{ grounds: 'g', groundsSummary: 's' }],
      })
      .expect(400);
    expect(both.body.errors[0].field).toBe('entries[0].person');
    const tooMany = await tf['kr.officer']
      .post('/blacklist-entries/batch', { ...body, entries: Array(1001).fill(threeSuspects('').entries[2]) })
      .expect(400);
    expect(tooMany.body.errors[0].field).toBe('entries');
    expect(await entryRows()).toEqual(before);
  });

  it(
    'proposes 1,000 entries in one call',
    async () => {
      const entries = Array.from({ length: 1000 }, (_, i) => ({
        person: {
          names: [{ full: `Suspect Number ${i}`, script: 'latin', kind: 'primary' }],
          nationalities: ['KR'],
        },
        grounds: 'Compound worker recruiter',
        groundsSummary: 'Recruiter',
      }));
      const res = await tf['kr.officer']
        .post('/blacklist-entries/batch', {
          frameworkId: tf.cambodiaKoreaFramework,
          banningCountry: 'KH',
          entries,
        })
        .expect(201);
      expect(res.body.entryCounts.proposed).toBe(1000);
    },
    HEAVY_TEST_TIMEOUT_MS,
  );
});
