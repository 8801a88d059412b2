import { BlacklistAmendmentsService } from '../../../src/blacklist/blacklist-amendments.service';
import { auditServices } from '../../audit/support';
import { officerContext } from '../../audit/fixtures';
import { khPersonKrProposedToMy } from '../../support/blacklist-scenario';
import { taskForce, TaskForce } from '../../support/scenario';
import { createTestApp, TestApp } from '../../support/test-app';

/**
 * Probe (partner): KH owns a person and shares it (case share, CLEAR) with KR. KR proposes the person
 * for MY's blacklist (KR–MY MOU); MY activates the entry. KH is not a party to that proposal and must
 * never learn of it. KH then edits its own person: the blacklist engine writes a
 * `blacklist.entry.amendment.propose` event about MY's entry with the KH editor as the actor, and
 * `auditEventScope` lets every auditor read events whose actor is of their country.
 */
describe('Probe (partner): an owner’s edit does not show its auditors another pair’s blacklist entry', () => {
  let t: TestApp;
  let tf: TaskForce;
  let personId: string;
  let entryId: string;
  let proposalId: string;
  let patched: { status: number; text: string };

  beforeAll(async () => {
    t = await createTestApp();
    tf = await taskForce(t);
    // KR proposes the KH person for MY's blacklist; MY activates the entry. KH takes no part.
    ({ personId, entryId, proposalId } = await khPersonKrProposedToMy(
      t,
      tf,
      {
        names: [{ full: 'SOK Probe', script: 'latin', kind: 'primary' }],
        birthDate: '1988',
        nationalities: ['KH'],
      },
      { activate: true },
    ));
    // Control: KH cannot read the entry or the proposal.
    await tf['kh.officer'].get(`/blacklist-entries/${entryId}`).expect(404);
    await tf['kh.officer'].get(`/blacklist-proposals/${proposalId}`).expect(404);

    // KH, the owner, corrects the person's date of birth.
    const current = (await tf['kh.officer'].get(`/persons/${personId}`).expect(200)).body;
    const res = await tf['kh.officer']
      .patch(`/persons/${personId}`, {
        version: current.version,
        names: [{ full: 'SOK Probe', script: 'latin', kind: 'primary' }],
        birthDate: '1988-06-02',
        nationalities: ['KH'],
      })
      .expect(200);
    patched = { status: res.status, text: res.text };
    // The background job that proposes amendments once an edit has committed (here: none, see below).
    expect(await t.app.get(BlacklistAmendmentsService).runPending()).toBe(1);
  }, 180_000);
  afterAll(() => t?.close());

  it('KH’s auditor reads no event about MY’s blacklist entry (list, filter, timeline, export)', async () => {
    // KH's own refused look-ups above (access.denied, owner withheld) and its auditor's own reads are by design.
    type Event = {
      action: string;
      recordId: string;
      ownerCountry: string | null;
      counterpartCountry: string | null;
    };
    const aboutEntry = (items: Event[]) =>
      items
        .filter((e) => e.recordId === entryId && e.action !== 'access.denied' && e.action !== 'audit.read')
        .map((e) => `${e.action} owner=${e.ownerCountry} counterpart=${e.counterpartCountry}`);
    const list = (await tf['kh.auditor'].get('/audit-events?limit=200').expect(200)).body.items as Event[];
    const timeline = (
      await tf['kh.auditor']
        .get(`/audit-events/timeline?recordType=blacklist_entry&recordId=${entryId}`)
        .expect(200)
    ).body.items as Event[];
    const exported = (await tf['kh.auditor'].get('/audit-events/export').expect(200)).text
      .split('\n')
      .filter(Boolean)
      .map((line: string) => JSON.parse(line) as Event);
    expect({
      list: aboutEntry(list),
      timeline: aboutEntry(timeline),
      exported: aboutEntry(exported),
    }).toEqual({
      list: [],
      timeline: [],
      exported: [],
    });
  });

  it('the edit’s answer, KH’s own person.update event, KH’s notifications and webhooks name no entry', async () => {
    // The PATCH answers the person as KH owns it, and nothing else.
    expect(patched.text).not.toContain(entryId);
    expect(patched.text).not.toContain(proposalId);
    expect(patched.text).not.toMatch(/blacklist|amendment|"MY"/i);
    // KH's auditor reads KH's own edit, which says nothing of the entry.
    const own = (
      await tf['kh.auditor'].get(`/audit-events/timeline?recordType=person&recordId=${personId}`).expect(200)
    ).body.items as Array<{ action: string }>;
    const update = own.filter((e) => e.action === 'person.update');
    expect(update).toHaveLength(1);
    expect(JSON.stringify(update)).not.toContain(entryId);
    expect(JSON.stringify(update)).not.toMatch(/blacklist|amendment/i);
    // Nothing told KH (or its webhooks) of the entry.
    const told: Array<{ n: number }> = await t.dataSource.query(
      `SELECT count(*)::int AS n FROM notification
        WHERE country_code = 'KH' AND (record_id::text = $1 OR payload::text LIKE '%' || $1 || '%')`,
      [entryId],
    );
    expect(told[0]!.n).toBe(0);
    const delivered: Array<{ n: number }> = await t.dataSource.query(
      `SELECT count(*)::int AS n FROM webhook_delivery d JOIN notification n ON n.id = d.notification_id
        WHERE n.record_id::text = $1 OR n.payload::text LIKE '%' || $1 || '%'`,
      [entryId],
    );
    expect(delivered[0]!.n).toBe(0);
    for (const who of ['kh.officer', 'kh.liaison', 'kh.auditor'] as const) {
      const mine = await tf[who].get('/notifications?limit=200');
      if (mine.status === 200) expect(mine.text).not.toContain(entryId);
    }
  });

  it('MY, which reads the person only through KR’s proposal, gets no amendment of KH’s edit (probe r3)', async () => {
    // The owner's later edits do not travel through a partner's record: MY keeps the person as KR passed it.
    expect((await tf['my.liaison'].get(`/blacklist-entries/${entryId}/amendments`).expect(200)).body).toEqual(
      [],
    );
    const entry = (await tf['my.liaison'].get(`/blacklist-entries/${entryId}`).expect(200)).body;
    expect(entry).toMatchObject({ birthDate: '1988', pendingAmendments: 0 });
    const rows = await t.dataSource.query(`SELECT 1 FROM blacklist_entry_amendment WHERE entry_id = $1`, [
      entryId,
    ]);
    expect(rows).toEqual([]);
  });

  it('an auditor reads its users’ successful steps only on records its country is a party to; their refusals always', async () => {
    // Whatever writes it: a successful event of a KH user about MY's entry (KR the counterpart).
    const { tx, audit } = auditServices(t);
    await tx.run(() =>
      audit.record(officerContext('KH'), {
        action: 'blacklist.entry.amendment.propose',
        recordType: 'blacklist_entry',
        recordId: entryId,
        ownerCountry: 'MY',
        counterpartCountry: 'KR',
      }),
    );
    const list = (await tf['kh.auditor'].get(`/audit-events?recordId=${entryId}&limit=200`).expect(200)).body
      .items as Array<{ action: string; outcome: string }>;
    // KH's officer's refused look-ups of the entry stay KH's to audit.
    // (Its auditor's own reads of the entry's timeline are its own, as above.)
    expect(list.filter((e) => e.action !== 'audit.read').map((e) => `${e.action}:${e.outcome}`)).toEqual([
      'access.denied:denied',
    ]);
    // KH's own steps on its own records, and on records it is the counterpart of, stay in view.
    const own = (await tf['kh.auditor'].get(`/audit-events?recordId=${personId}&limit=200`).expect(200)).body
      .items as Array<{ action: string }>;
    expect(own.map((e) => e.action)).toEqual(expect.arrayContaining(['person.create', 'person.update']));
  });
});
