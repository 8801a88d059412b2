import { createTestApp, TestApp } from '../support/test-app';
import { RescreeningService } from '../../src/screening/rescreening.service';
import { BlacklistAmendmentsService } from '../../src/blacklist/blacklist-amendments.service';
import { signIn, SignedIn } from '../support/http';
import { taskForce, TaskForce } from '../support/scenario';
import { keyCounts } from '../support/blacklist-scenario';
import { BlacklistEntrySnapshot1763800017000 } from '../../migrations/1763800017000-BlacklistEntrySnapshot';

// KR proposes LIM Kosal to Malaysia; MY bans him. KR later rewrites its person record: new names and a
// new passport number that an innocent traveller, TAN Wei Ming, happens to hold.
const limKosal = {
  names: [{ full: 'LIM Kosal', family: 'Lim', given: 'Kosal', script: 'latin', kind: 'primary' }],
  birthDate: '1988-07-02',
  nationalities: ['KH'],
  sex: 'male',
  documents: [{ type: 'passport', number: 'N00451277', issuingCountry: 'KH' }],
};
const rewritten = {
  names: [{ full: 'CHEA Sopheak', family: 'Chea', given: 'Sopheak', script: 'latin', kind: 'primary' }],
  birthDate: '1990-01-15',
  nationalities: ['KH'],
  sex: 'male',
  documents: [{ type: 'passport', number: 'A55501234', issuingCountry: 'MY' }],
};
const ACTIVATE = { legalBasis: 'Immigration Act 1959/63 s. 9', expiresOn: '2031-12-31' };

describe('Blacklist entries keep the banning country’s identity; the owner’s edits become amendments', () => {
  let t: TestApp;
  let tf: TaskForce;
  let myScreener: SignedIn;
  let koreaMalaysia: string;

  beforeAll(async () => {
    t = await createTestApp();
    tf = await taskForce(t);
    myScreener = await signIn(t.server, 'my.screener');
    [{ id: koreaMalaysia }] = await t.dataSource.query(
      `SELECT id FROM framework WHERE name = 'Korea–Malaysia Police Cooperation MOU'`,
    );
  });
  afterAll(() => t?.close());

  /** KR records LIM Kosal, proposes him to MY; MY accepts the list and activates the entry. */
  async function activeInMalaysia() {
    const person = (await tf['kr.officer'].post('/persons', limKosal).expect(201)).body;
    const proposal = (
      await tf['kr.officer']
        .post('/blacklist-entries', {
          frameworkId: koreaMalaysia,
          banningCountry: 'MY',
          entry: {
            personId: person.id,
            grounds: 'Runs a scam compound in Kuala Lumpur.',
            groundsSummary: 'Scam compound boss',
          },
        })
        .expect(201)
    ).body;
    let version = proposal.version;
    for (const [who, action] of [
      [tf['kr.officer'], 'submit'],
      [tf['kr.liaison'], 'approve'],
      [tf['my.liaison'], 'accept'],
    ] as const) {
      version = (await who.post(`/blacklist-proposals/${proposal.id}/${action}`, { version }).expect(200))
        .body.version;
    }
    const entry = (
      await tf['my.liaison']
        .post(`/blacklist-entries/${proposal.entries[0].id}/activate`, { version: 1, ...ACTIVATE })
        .expect(200)
    ).body;
    return { personId: person.id as string, entry };
  }

  /** KR's edit, then the background job that proposes amendments once an edit has committed. */
  const rewrite = async (personId: string, fields: object = rewritten) => {
    const { version } = (await tf['kr.officer'].get(`/persons/${personId}`).expect(200)).body;
    const edited = (await tf['kr.officer'].patch(`/persons/${personId}`, { ...fields, version }).expect(200))
      .body;
    await t.app.get(BlacklistAmendmentsService).runPending();
    return edited;
  };

  const screen = async (traveller: object) =>
    (await myScreener.post('/screenings', { checkpoint: 'KLIA-T1-ARR', ...traveller }).expect(201)).body
      .candidates as Array<{ score: number; entry: { entryId: string } }>;
  const asLimKosal = { names: [{ full: 'LIM Kosal' }], birthDate: '1988-07-02', nationality: 'KH' };
  const asTanWeiMing = {
    names: [{ full: 'TAN Wei Ming', family: 'Tan', given: 'Wei Ming' }],
    birthDate: '1990-01-15',
    nationality: 'MY',
    document: { number: 'A55501234' },
  };
  const hits = async (traveller: object) => (await screen(traveller)).map((c) => c.entry.entryId);

  it("the owner's edit of a person does not change another country's active entry", async () => {
    const { personId, entry } = await activeInMalaysia();
    expect(await hits(asLimKosal)).toContain(entry.id);
    expect(await hits(asTanWeiMing)).not.toContain(entry.id);

    await rewrite(personId);

    expect(await hits(asLimKosal)).toContain(entry.id);
    expect(await hits(asTanWeiMing)).not.toContain(entry.id);
    const seenByMy = (await tf['my.liaison'].get(`/blacklist-entries/${entry.id}`).expect(200)).body;
    expect(seenByMy.names.map((n: { full: string }) => n.full)).toEqual(['LIM Kosal']);
    expect(seenByMy.birthDate).toBe('1988-07-02');
  });

  const amendmentsOf = async (who: SignedIn, entryId: string, query = '') =>
    (await who.get(`/blacklist-entries/${entryId}/amendments${query}`).expect(200)).body as Array<{
      id: string;
      status: string;
      names: Array<{ full: string }>;
      changedFields: string[];
      allowedActions: string[];
      version: number;
    }>;

  it('KR’s edit waits as an amendment; once MY’s liaison accepts it, screening follows the new identity', async () => {
    const { personId, entry } = await activeInMalaysia();
    await rewrite(personId);
    expect(await hits(asLimKosal)).toContain(entry.id);
    expect(await hits(asTanWeiMing)).not.toContain(entry.id);

    const waiting = (await tf['my.liaison'].get(`/blacklist-entries/${entry.id}`).expect(200)).body;
    expect(waiting.pendingAmendments).toBe(1);
    const [pending] = await amendmentsOf(tf['my.liaison'], entry.id);
    expect(pending).toMatchObject({
      status: 'pending',
      names: [expect.objectContaining({ full: 'CHEA Sopheak' })],
      changedFields: ['names', 'birthDate', 'documents'],
      allowedActions: ['accept', 'reject'],
    });
    // KR sees what it proposed, decides nothing.
    expect((await amendmentsOf(tf['kr.liaison'], entry.id))[0]).toMatchObject({
      id: pending!.id,
      allowedActions: [],
    });

    const accepted = (
      await tf['my.liaison']
        .post(`/blacklist-entries/${entry.id}/amendments/${pending!.id}/accept`, {
          version: pending!.version,
          comment: 'Identity confirmed with KNPA',
        })
        .expect(200)
    ).body;
    expect(accepted).toMatchObject({
      status: 'accepted',
      decisionComment: 'Identity confirmed with KNPA',
      allowedActions: [],
    });

    expect(await hits(asLimKosal)).not.toContain(entry.id);
    expect(await hits({ names: [{ full: 'CHEA Sopheak' }], birthDate: '1990-01-15' })).toEqual([entry.id]);
    const tan = (await screen(asTanWeiMing)).find((c) => c.entry.entryId === entry.id);
    expect(tan?.score).toBeGreaterThan(0.7); // the document now is the entry's: MY chose so, on the record
    // The recent screenings are matched against the accepted identity, as on activation (by the job).
    await t.app.get(RescreeningService).runPending();
    const rescreened = await t.dataSource.query(
      `SELECT count(*)::int AS n FROM screening_candidate WHERE entry_id = $1 AND found_by = 'rescreen'`,
      [entry.id],
    );
    expect(rescreened[0].n).toBeGreaterThan(0);
    const seenByMy = (await tf['my.liaison'].get(`/blacklist-entries/${entry.id}`).expect(200)).body;
    expect(seenByMy.names.map((n: { full: string }) => n.full)).toEqual(['CHEA Sopheak']);
    expect(seenByMy).toMatchObject({ version: entry.version + 1, pendingAmendments: 0 });

    await tf['my.liaison']
      .post(`/blacklist-entries/${entry.id}/amendments/${pending!.id}/accept`, {})
      .expect(409);
    const { counted, held } = await keyCounts(t.dataSource);
    expect(counted).toEqual(held);
  });

  it('a rejected amendment leaves the entry as it was; a later edit supersedes a pending one', async () => {
    const { personId, entry } = await activeInMalaysia();
    await rewrite(personId);
    const [first] = await amendmentsOf(tf['my.liaison'], entry.id);
    await rewrite(personId, {
      ...rewritten,
      names: [...rewritten.names, { full: 'Lim Ko Sal', script: 'latin', kind: 'alias' }],
    });
    // A change of what screening does not use (a phone number) proposes nothing new.
    await rewrite(personId, {
      ...rewritten,
      names: [...rewritten.names, { full: 'Lim Ko Sal', script: 'latin', kind: 'alias' }],
      phones: ['+60123456789'],
    });
    expect(await amendmentsOf(tf['my.liaison'], entry.id)).toHaveLength(2);
    const [second, older] = await amendmentsOf(tf['my.liaison'], entry.id);
    expect(older).toMatchObject({ id: first!.id, status: 'superseded', allowedActions: [] });
    expect(second).toMatchObject({ status: 'pending' });
    expect((await amendmentsOf(tf['my.liaison'], entry.id, '?status=pending')).map((a) => a.id)).toEqual([
      second!.id,
    ]);
    await tf['my.liaison']
      .post(`/blacklist-entries/${entry.id}/amendments/${first!.id}/accept`, {})
      .expect(409);
    await tf['my.liaison']
      .post(`/blacklist-entries/${entry.id}/amendments/${second!.id}/accept`, {
        version: second!.version + 1,
      })
      .expect(409);

    const rejected = await tf['my.liaison']
      .post(`/blacklist-entries/${entry.id}/amendments/${second!.id}/reject`, { comment: 'Not the same man' })
      .expect(200);
    expect(rejected.body.status).toBe('rejected');
    expect(await hits(asLimKosal)).toContain(entry.id);
    expect(await hits(asTanWeiMing)).not.toContain(entry.id);
    const seenByMy = (await tf['my.liaison'].get(`/blacklist-entries/${entry.id}`).expect(200)).body;
    expect(seenByMy.names.map((n: { full: string }) => n.full)).toEqual(['LIM Kosal']);
    expect(seenByMy.version).toBe(entry.version);

    // An edit that brings the person back to the entry's identity proposes nothing.
    await rewrite(personId, limKosal);
    expect(await amendmentsOf(tf['my.liaison'], entry.id, '?status=pending')).toEqual([]);
  });

  it('only the banning country’s liaison decides: MY officer 403, KR liaison 403, KH 404', async () => {
    const { personId, entry } = await activeInMalaysia();
    await rewrite(personId);
    const [pending] = await amendmentsOf(tf['my.liaison'], entry.id);
    const accept = `/blacklist-entries/${entry.id}/amendments/${pending!.id}/accept`;
    await tf['my.officer'].post(accept, {}).expect(403);
    await tf['kr.liaison'].post(accept, {}).expect(403);
    await tf['kr.officer'].post(accept, {}).expect(403);
    await tf['kh.liaison'].post(accept, {}).expect(404);
    await tf['kh.liaison'].get(`/blacklist-entries/${entry.id}/amendments`).expect(404);
    await myScreener.get(`/blacklist-entries/${entry.id}/amendments`).expect(403);
    await tf['my.liaison']
      .post(`/blacklist-entries/${entry.id}/amendments/00000000-0000-4000-8000-000000000000/accept`, {})
      .expect(404);
    await tf['my.liaison'].post(accept, { version: 1, unknown: true }).expect(400);
    expect((await amendmentsOf(tf['my.liaison'], entry.id))[0]!.status).toBe('pending');
    expect(await hits(asLimKosal)).toContain(entry.id);
  });

  it('MY’s auditor sees the amendment proposed to MY and MY’s decision on it', async () => {
    const { personId, entry } = await activeInMalaysia();
    await rewrite(personId);
    const [pending] = await amendmentsOf(tf['my.liaison'], entry.id);
    await tf['my.liaison']
      .post(`/blacklist-entries/${entry.id}/amendments/${pending!.id}/accept`, {})
      .expect(200);
    const events = (
      await tf['my.auditor']
        .get(`/audit-events?recordType=blacklist_entry&recordId=${entry.id}&limit=200`)
        .expect(200)
    ).body.items as Array<{
      action: string;
      ownerCountry: string;
      counterpartCountry: string;
      actor: unknown;
    }>;
    const actions = events.map((e) => e.action);
    expect(actions).toEqual(
      expect.arrayContaining(['blacklist.entry.amendment.propose', 'blacklist.entry.amendment.accept']),
    );
    const proposedEvent = events.find((e) => e.action === 'blacklist.entry.amendment.propose')!;
    // Proposed by the rule (the background job), never by the owner's editor.
    // Owned by the proposing country as every event of the entry, so KR's auditors read it too (r12).
    expect(proposedEvent).toMatchObject({
      ownerCountry: 'KR',
      counterpartCountry: 'MY',
      actor: { kind: 'system', username: 'blacklist-amendments' },
    });
  });

  it('a person another country shared under AMBER cannot be proposed to a third country; the refusal names no other country’s record', async () => {
    const khPerson = (
      await tf['kh.officer']
        .post('/persons', {
          names: [{ full: 'SAM Rith', script: 'latin', kind: 'primary' }],
          nationalities: ['KH'],
        })
        .expect(201)
    ).body;
    // Make the KH person visible to KR: KH shares a case that links him.
    const caseFile = (await tf['kh.officer'].post('/cases', { title: 'Bavet compound' }).expect(201)).body;
    await tf['kh.officer']
      .post(`/cases/${caseFile.id}/persons`, { persons: [{ personId: khPerson.id, role: 'suspect' }] })
      .expect((r) => expect([200, 201]).toContain(r.status));
    await tf['kh.liaison']
      .post(`/cases/${caseFile.id}/shares`, { countryCode: 'KR' })
      .expect((r) => expect([200, 201]).toContain(r.status));
    await tf['kr.officer'].get(`/persons/${khPerson.id}`).expect(200);

    const before = await t.dataSource.query(`SELECT count(*)::int AS n FROM blacklist_entry`);
    const res = await tf['kr.officer']
      .post('/blacklist-entries', {
        frameworkId: koreaMalaysia,
        banningCountry: 'MY',
        entry: { personId: khPerson.id, grounds: 'Recruiter.', groundsSummary: 'Recruiter' },
      })
      .expect(409);
    expect(res.body).toMatchObject({ status: 409, errors: [{ field: 'entries[0].personId' }] });
    expect(res.body.type).toMatch(/release-refused/);
    expect(JSON.stringify(res.body)).not.toMatch(/KH|Cambodia|SAM Rith/);
    expect(await t.dataSource.query(`SELECT count(*)::int AS n FROM blacklist_entry`)).toEqual(before);
    // A person nobody showed KR stays a person that does not exist.
    await tf['kr.officer']
      .post('/blacklist-entries', {
        frameworkId: koreaMalaysia,
        banningCountry: 'MY',
        entry: {
          personId: (
            await tf['kh.officer']
              .post('/persons', { names: [{ full: 'X Y', script: 'latin', kind: 'primary' }] })
              .expect(201)
          ).body.id,
          grounds: 'g',
          groundsSummary: 's',
        },
      })
      .expect(400);
  });

  it('the migration goes down and up again, filling the identity of active and lifted entries from their person', async () => {
    const { entry } = await activeInMalaysia(); // at least one active entry whatever ran before
    const runner = t.dataSource.createQueryRunner();
    try {
      const migration = new BlacklistEntrySnapshot1763800017000();
      await migration.down(runner);
      const columns = await runner.query(
        `SELECT column_name FROM information_schema.columns WHERE table_name = 'blacklist_entry' AND column_name LIKE 'identity_%'`,
      );
      expect(columns).toEqual([]);
      await migration.up(runner);
    } finally {
      await runner.release();
    }
    const rows = await t.dataSource.query(
      `SELECT e.id, e.status, e.identity_names = p.names AS names_same, e.identity_documents = p.documents AS docs_same,
              e.identity_nationalities = p.nationalities AS nat_same, e.identity_taken_at IS NOT NULL AS taken
         FROM blacklist_entry e JOIN person p ON p.id = e.person_id`,
    );
    expect(rows.map((r: { id: string }) => r.id)).toContain(entry.id);
    for (const row of rows) {
      const filled = row.status === 'active' || row.status === 'lifted';
      expect({ id: row.id, taken: row.taken }).toEqual({ id: row.id, taken: filled });
      if (filled) expect(row).toMatchObject({ names_same: true, docs_same: true, nat_same: true });
    }
    expect(await t.dataSource.query(`SELECT 1 FROM blacklist_entry_amendment`)).toEqual([]);
  });

  it('once the Korea–Malaysia framework has ended, KR’s edit proposes no amendment: MY keeps the identity it banned (probe, fourth round)', async () => {
    const { personId, entry } = await activeInMalaysia();
    const admin = await signIn(t.server, 'platform.admin');
    await admin.patch(`/frameworks/${koreaMalaysia}`, { active: false }).expect(200);
    try {
      await rewrite(personId);
      expect(await amendmentsOf(tf['my.liaison'], entry.id)).toEqual([]);
      const seenByMy = (await tf['my.liaison'].get(`/blacklist-entries/${entry.id}`).expect(200)).body;
      expect(seenByMy).toMatchObject({ pendingAmendments: 0, birthDate: '1988-07-02' });
    } finally {
      await admin.patch(`/frameworks/${koreaMalaysia}`, { active: true }).expect(200);
    }
  });
});
