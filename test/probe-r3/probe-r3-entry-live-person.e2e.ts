import { signIn } from '../support/http';
import { khPersonKrProposedToMy } from '../support/blacklist-scenario';
import { taskForce, TaskForce } from '../support/scenario';
import { createTestApp, TestApp } from '../support/test-app';

/**
 * Probe (round 3): a blacklist entry that is not active yet shows the LIVE person, past the reader's
 * kept copy. KH owns a person and shares it with KR (case share, CLEAR). KR proposes the person for MY's
 * blacklist (KR–MY MOU); MY accepts the proposal but has not decided the entry yet. MY reads the person
 * only through KR's record: it is an onward recipient, and "the owner's later additions do not travel
 * through a partner's record" (README, release rule; `ReleaseService.keepForEndedCooperation` gives MY an
 * onward copy at KH's first later edit, and `GET /persons/:id` shows MY that copy).
 * KH then renames the person and adds a passport. `GET /blacklist-entries/:id` (and the list) for MY
 * still shows KH's new name: `BlacklistService` views (`people.get(e.personId)`, blacklist.service.ts
 * ~l.358) read the `person` row directly for an entry without an identity copy, never
 * `PersonsService.viewsFor`. Activation then copies the live person (`BlacklistIndexService.activate`:
 * `UPDATE blacklist_entry … FROM person p`), so MY's entry (and its screenings) carry KH's new passport
 * for good. The same holds for KR after KH leaves every framework with KR (KR keeps a copy; the entry
 * view shows it the live person).
 * Fix: src/blacklist/blacklist.service.ts (entry views through the reader's kept copy / viewsFor) and
 * src/blacklist/blacklist-index.service.ts `activate` (copy what the banning country reads of the person,
 * its kept copy where it keeps one, not the live row).
 */
describe('Probe r3: a pending blacklist entry shows the owner’s later edits past the kept copy', () => {
  let t: TestApp;
  let tf: TaskForce;
  let personId: string;
  let entryId: string;
  const before = { full: 'SOK Keptname', passport: 'N1234567' };
  const after = { full: 'SOK Renamed', passport: 'N7654321' };

  type Candidate = { entry: { entryId: string }; reasons: string[] };
  const names = (body: { names?: Array<{ full: string }> }) => (body.names ?? []).map((n) => n.full);

  beforeAll(async () => {
    t = await createTestApp();
    tf = await taskForce(t);
    ({ personId, entryId } = await khPersonKrProposedToMy(t, tf, {
      names: [{ full: before.full, script: 'latin', kind: 'primary' }],
      birthDate: '1988',
      nationalities: ['KH'],
      documents: [{ type: 'passport', number: before.passport, issuingCountry: 'KH' }],
    }));
    // Control: MY reads the person as KR passed it on.
    expect(names((await tf['my.officer'].get(`/persons/${personId}`).expect(200)).body)).toEqual([
      before.full,
    ]);

    // KH, the owner, renames its person and adds a passport.
    const current = (await tf['kh.officer'].get(`/persons/${personId}`).expect(200)).body;
    await tf['kh.officer']
      .patch(`/persons/${personId}`, {
        version: current.version,
        names: [{ full: after.full, script: 'latin', kind: 'primary' }],
        birthDate: '1988',
        nationalities: ['KH'],
        documents: [
          { type: 'passport', number: before.passport, issuingCountry: 'KH' },
          { type: 'passport', number: after.passport, issuingCountry: 'KH' },
        ],
      })
      .expect(200);
  }, 180_000);
  afterAll(() => t?.close());

  it('MY (onward) still reads the person as KR passed it on (the rule works)', async () => {
    const mine = (await tf['my.officer'].get(`/persons/${personId}`).expect(200)).body;
    expect(names(mine)).toEqual([before.full]);
    expect(JSON.stringify(mine)).not.toContain(after.passport);
  });

  it('MY’s view and list of the pending entry show the same person, not KH’s later edit', async () => {
    const entry = (await tf['my.liaison'].get(`/blacklist-entries/${entryId}`).expect(200)).body;
    const listed = (await tf['my.liaison'].get('/blacklist-entries?limit=200').expect(200)).body
      .items as Array<{
      id: string;
      names: Array<{ full: string }>;
    }>;
    expect({
      view: names(entry),
      list: names(listed.find((e) => e.id === entryId) ?? {}),
    }).toEqual({ view: [before.full], list: [before.full] });
  });

  it('MY’s activation copies what MY was given, not KH’s later passport', async () => {
    await tf['my.liaison']
      .post(`/blacklist-entries/${entryId}/activate`, {
        version: 1,
        legalBasis: 'Immigration Act s. 9',
        expiresOn: '2031-12-31',
      })
      .expect(200);
    const entry = (await tf['my.liaison'].get(`/blacklist-entries/${entryId}`).expect(200)).body;
    // A checkpoint in MY finds the traveller by KH's later passport only if MY was given it.
    const screener = await signIn(t.server, 'my.screener');
    const screening = (
      await screener
        .post('/screenings', {
          checkpoint: 'KLIA T1',
          names: [{ full: before.full }],
          document: { number: after.passport },
        })
        .expect(201)
    ).body;
    expect({
      view: names(entry),
      matchedOnLaterPassport: (screening.candidates as Candidate[])
        .filter((c) => c.entry.entryId === entryId)
        .flatMap((c) => c.reasons)
        .filter((r) => /document/i.test(r)),
    }).toEqual({ view: [before.full], matchedOnLaterPassport: [] });
  });
});
