import { BlacklistAmendmentsService } from '../../src/blacklist/blacklist-amendments.service';
import { taskForce, TaskForce } from '../support/scenario';
import { createTestApp, TestApp } from '../support/test-app';

const ACTIVATE = { legalBasis: 'Immigration Act 1959/63 s. 9', expiresOn: '2031-12-31' };

/**
 * Probe (round 12): the proposing country's auditors do not read the changes of identity of their own
 * blacklist entry. KR records a person and proposes him to Malaysia's blacklist (Korea–Malaysia MOU);
 * MY accepts the proposal and activates the entry. KR's officer then corrects the person (new name,
 * date of birth); the background job (`BlacklistAmendmentsService.runPending`, invoked here as its
 * scheduler would) proposes the change to MY on KR's behalf, and MY's liaison accepts it: the entry
 * MY's checkpoints screen against now carries the new identity. KR's officer reads that (`GET
 * /blacklist-entries/:id/amendments`: `accepted`), but KR's auditor reads no
 * `blacklist.entry.amendment.propose` nor `.accept` on the entry
 * (`GET /audit-events?recordType=blacklist_entry&recordId=…`), while the entry's other events
 * (`blacklist.entry.activate`, `.lift`, `.expired`) are KR's (`ownerCountry` the proposing country).
 * src/blacklist/blacklist-amendments.service.ts `propose` and `decide` record the events with
 * `ownerCountry: entry.banningCountry, counterpartCountry: entry.proposingCountry`, and
 * src/access/scopes.ts `auditEventScope` opens a `blacklist_entry` event to a counterpart only when it
 * is the *target* of the proposal (`fromSent`: `target_country = :accCountry`), which the proposing
 * country never is. Fix: own these events by the proposing country with the banning country as
 * counterpart, as `decide` in blacklist.service.ts does (MY still reads them: the proposal was sent to
 * it), or open them to the proposing country in `auditEventScope`.
 */
describe('Probe r12: an amendment of a blacklist entry is not in the proposing country’s audit trail', () => {
  let t: TestApp;
  let tf: TaskForce;
  let entryId: string;
  let amendmentStatus: string;
  let krActions: string[];
  let myActions: string[];

  beforeAll(async () => {
    t = await createTestApp();
    tf = await taskForce(t);
    const koreaMalaysia = (await tf.frameworkBetween('KR', 'MY'))!;
    const person = (
      await tf['kr.officer']
        .post('/persons', {
          names: [
            { full: 'YOON Proposed', family: 'Yoon', given: 'Proposed', script: 'latin', kind: 'primary' },
          ],
          birthDate: '1984-02-11',
          nationalities: ['KR'],
          sex: 'male',
        })
        .expect(201)
    ).body;
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
      [tf['kr.officer'], 'submit'],
      [tf['kr.liaison'], 'approve'],
      [tf['my.liaison'], 'accept'],
    ] as const)
      version = (await who.post(`/blacklist-proposals/${proposal.id}/${action}`, { version }).expect(200))
        .body.version;
    entryId = proposal.entries[0].id;
    await tf['my.liaison']
      .post(`/blacklist-entries/${entryId}/activate`, { version: 1, ...ACTIVATE })
      .expect(200);

    const current = (await tf['kr.officer'].get(`/persons/${person.id}`).expect(200)).body;
    await tf['kr.officer']
      .patch(`/persons/${person.id}`, {
        version: current.version,
        names: [
          { full: 'YOON Corrected', family: 'Yoon', given: 'Corrected', script: 'latin', kind: 'primary' },
        ],
        birthDate: '1984-02-12',
        nationalities: ['KR'],
        sex: 'male',
      })
      .expect(200);
    await t.app.get(BlacklistAmendmentsService).runPending();
    const [pending] = (await tf['my.liaison'].get(`/blacklist-entries/${entryId}/amendments`).expect(200))
      .body as Array<{ id: string }>;
    await tf['my.liaison']
      .post(`/blacklist-entries/${entryId}/amendments/${pending!.id}/accept`, {})
      .expect(200);
    const seenByKr = (await tf['kr.officer'].get(`/blacklist-entries/${entryId}/amendments`).expect(200))
      .body as Array<{ status: string }>;
    amendmentStatus = seenByKr[0]!.status;
    const actionsOf = async (auditor: TaskForce['kr.auditor']) =>
      (
        (
          await auditor
            .get(`/audit-events?recordType=blacklist_entry&recordId=${entryId}&limit=200`)
            .expect(200)
        ).body.items as Array<{ action: string }>
      ).map((e) => e.action);
    krActions = await actionsOf(tf['kr.auditor']);
    myActions = await actionsOf(tf['my.auditor']);
  }, 120_000);
  afterAll(() => t?.close());

  it('KR reads its entry amended, and MY’s auditor reads both events', () => {
    expect(amendmentStatus).toBe('accepted');
    expect(myActions).toEqual(
      expect.arrayContaining(['blacklist.entry.amendment.propose', 'blacklist.entry.amendment.accept']),
    );
  });

  it('KR’s auditor reads the entry’s activation, and its amendment: proposed and accepted', () => {
    expect(krActions).toContain('blacklist.entry.activate');
    expect(krActions).toEqual(
      expect.arrayContaining(['blacklist.entry.amendment.propose', 'blacklist.entry.amendment.accept']),
    );
  });
});
