import { createTestApp, TestApp } from '../support/test-app';
import { BlacklistAmendmentsService } from '../../src/blacklist/blacklist-amendments.service';
import { taskForce, TaskForce } from '../support/scenario';

/**
 * Probe r30, found by the differential: KR saved PARK Min-ho (its person, banned in KH at its proposal)
 * as he was, and KH's auditor read a new `blacklist.entry.amendment.supersede` event on its entry, with
 * two "superseded" amendments that never existed (`[null, null]`). The amendment job read an UPDATE's
 * raw answer (`[rows, count]`) as its rows. A save that changes nothing must change nothing another
 * country reads (probe r5), and an amendment's event must name what it really superseded.
 */
const lim = {
  names: [{ full: 'LIM Kosal', family: 'Lim', given: 'Kosal', script: 'latin', kind: 'primary' }],
  birthDate: '1988-07-02',
  nationalities: ['KH'],
};

describe('Probe r30: the owner’s save that changes no identity writes nothing on the ban', () => {
  let t: TestApp;
  let tf: TaskForce;
  let koreaMalaysia: string;

  beforeAll(async () => {
    t = await createTestApp();
    tf = await taskForce(t);
    [{ id: koreaMalaysia }] = await t.dataSource.query(
      `SELECT id FROM framework WHERE name = 'Korea–Malaysia Police Cooperation MOU'`,
    );
  });
  afterAll(() => t?.close());

  /** KR proposes LIM Kosal to MY; MY bans him. */
  async function bannedInMalaysia() {
    const person = (await tf['kr.officer'].post('/persons', lim).expect(201)).body;
    const proposal = (
      await tf['kr.officer']
        .post('/blacklist-entries', {
          frameworkId: koreaMalaysia,
          banningCountry: 'MY',
          entry: { personId: person.id, grounds: 'Runs a scam compound.', groundsSummary: 'Compound boss' },
        })
        .expect(201)
    ).body;
    let version = proposal.version;
    for (const [who, action] of [
      ['kr.officer', 'submit'],
      ['kr.liaison', 'approve'],
      ['my.liaison', 'accept'],
    ] as const)
      version = (await tf[who].post(`/blacklist-proposals/${proposal.id}/${action}`, { version }).expect(200))
        .body.version;
    await tf['my.liaison']
      .post(`/blacklist-entries/${proposal.entries[0].id}/activate`, {
        version: 1,
        legalBasis: 'Immigration Act 1959/63 s. 9',
        expiresOn: '2031-12-31',
      })
      .expect(200);
    return { personId: person.id as string, entryId: proposal.entries[0].id as string };
  }

  /** KR saves the person with `fields`; the background job then proposes what it must. */
  const save = async (personId: string, fields: object) => {
    const { version } = (await tf['kr.officer'].get(`/persons/${personId}`).expect(200)).body;
    await tf['kr.officer'].patch(`/persons/${personId}`, { ...lim, ...fields, version }).expect(200);
    await t.app.get(BlacklistAmendmentsService).runPending();
  };

  /** The entry's events as MY's auditor reads them (its own reads left out). */
  const eventsOnTheBan = async (entryId: string) =>
    (
      (
        await tf['my.auditor']
          .get(`/audit-events?recordType=blacklist_entry&recordId=${entryId}&limit=200`)
          .expect(200)
      ).body.items as Array<{ action: string; details: { supersededAmendmentIds?: unknown[] } | null }>
    ).filter((e) => e.action !== 'audit.read');

  it('writes no event MY reads when KR saves LIM Kosal as he is, or adds only a phone', async () => {
    const { personId, entryId } = await bannedInMalaysia();
    const before = (await eventsOnTheBan(entryId)).map((e) => e.action);
    expect(before).toContain('blacklist.entry.activate');
    await save(personId, {});
    await save(personId, { phones: ['+60123456789'] });
    expect((await eventsOnTheBan(entryId)).map((e) => e.action)).toEqual(before);
    const ban = (await tf['my.liaison'].get(`/blacklist-entries/${entryId}`).expect(200)).body;
    expect(ban.pendingAmendments).toBe(0);
  });

  it('names, on an amendment’s event, the amendment it superseded and no other', async () => {
    const { personId, entryId } = await bannedInMalaysia();
    await save(personId, { birthDate: '1988-07-03' });
    const [first] = (await tf['my.liaison'].get(`/blacklist-entries/${entryId}/amendments`).expect(200))
      .body as Array<{ id: string }>;
    await save(personId, { birthDate: '1988-07-04' });
    const proposed = (await eventsOnTheBan(entryId)).filter(
      (e) => e.action === 'blacklist.entry.amendment.propose',
    );
    expect(proposed.map((e) => e.details?.supersededAmendmentIds)).toEqual(
      expect.arrayContaining([[], [first.id]]),
    );
    expect(proposed).toHaveLength(2);
    // Back to the banned identity: the pending amendment is superseded, and the event says which.
    await save(personId, {});
    const superseded = (await eventsOnTheBan(entryId)).filter(
      (e) => e.action === 'blacklist.entry.amendment.supersede',
    );
    expect(superseded).toHaveLength(1);
    expect(superseded[0].details?.supersededAmendmentIds).toHaveLength(1);
  });
});
