import { BlacklistAmendmentsService } from '../../src/blacklist/blacklist-amendments.service';
import { signIn } from '../support/http';
import { khPersonKrProposedToMy } from '../support/blacklist-scenario';
import { taskForce, TaskForce } from '../support/scenario';
import { createTestApp, TestApp } from '../support/test-app';

/**
 * Probe (round 3): "When a framework ends, what was given stays given and nothing more goes." KH owns a
 * person and shares it with KR (case share, CLEAR). KR proposes the person for MY's blacklist (KR–MY
 * MOU); MY activates the entry. KH then leaves the only framework it shared with KR (it has none with
 * MY). KR keeps a copy of the person (`person_kept_copy`, GET /persons/:id shows the old name). KH edits
 * its person (new name, new passport): the background job (`BlacklistAmendmentsService.propose`) reads the LIVE person and
 * proposes it as an amendment of MY's entry; `entriesToAmend` only asks whether the proposing (KR) and
 * banning (MY) countries cooperate, never the owner (KH) with either, nor whether they keep a copy.
 * KR's and MY's `GET /blacklist-entries/:id/amendments` then show KH's post-end name and passport, and
 * MY can accept it into the entry its checkpoints screen against.
 * Fix: src/blacklist/blacklist-amendments.service.ts (`entriesToAmend`/`propose`): propose nothing for an
 * entry whose proposing country no longer cooperates with the person's owner (it keeps a copy: what it
 * passed on is that copy), as `ReleaseService.keepForEndedCooperation` decides for reads. (Settled: an
 * onward banning country gets no amendment at all; probe-partner-amendment-audit expects none.)
 */
describe('Probe r3: an owner’s edit after the framework ended reaches KR and MY as a blacklist amendment', () => {
  let t: TestApp;
  let tf: TaskForce;
  let personId: string;
  let entryId: string;
  const before = { full: 'SOK Beforeend', passport: 'N2345678' };
  const after = { full: 'SOK Afterend', passport: 'N8765432' };

  const names = (body: { names?: Array<{ full: string }> }) => (body.names ?? []).map((n) => n.full);

  beforeAll(async () => {
    t = await createTestApp();
    tf = await taskForce(t);
    const framework = async (name: string) =>
      (
        (await t.dataSource.query(`SELECT id FROM framework WHERE name LIKE $1 || '%'`, [name]))[0] as {
          id: string;
        }
      ).id;
    ({ personId, entryId } = await khPersonKrProposedToMy(
      t,
      tf,
      {
        names: [{ full: before.full, script: 'latin', kind: 'primary' }],
        birthDate: '1987',
        nationalities: ['KH'],
        documents: [{ type: 'passport', number: before.passport, issuingCountry: 'KH' }],
      },
      { activate: true },
    ));

    // KH leaves the Cambodia–Korea JTF, its only framework with KR (the bilateral test world).
    const today = new Date().toISOString().slice(0, 10);
    const admin = await signIn(t.server, 'platform.admin');
    await admin
      .put(`/frameworks/${await framework('Cambodia–Korea Joint Task Force')}/members/KH`, {
        joinedOn: '2025-11-01',
        leftOn: today,
      })
      .expect(200);
    // Control: KH and KR no longer cooperate (a new share is refused).
    const other = (await tf['kh.officer'].post('/cases', { title: 'After the end' }).expect(201)).body;
    await tf['kh.liaison'].post(`/cases/${other.id}/shares`, { countryCode: 'KR' }).expect(400);

    // KH, the owner, renames its person and adds a passport.
    const current = (await tf['kh.officer'].get(`/persons/${personId}`).expect(200)).body;
    await tf['kh.officer']
      .patch(`/persons/${personId}`, {
        version: current.version,
        names: [{ full: after.full, script: 'latin', kind: 'primary' }],
        birthDate: '1987',
        nationalities: ['KH'],
        documents: [
          { type: 'passport', number: before.passport, issuingCountry: 'KH' },
          { type: 'passport', number: after.passport, issuingCountry: 'KH' },
        ],
      })
      .expect(200);
    await t.app.get(BlacklistAmendmentsService).runPending();
  }, 180_000);
  afterAll(() => t?.close());

  it('KR keeps reading the person as it stood when the framework ended (the rule works)', async () => {
    const kr = (await tf['kr.officer'].get(`/persons/${personId}`).expect(200)).body;
    expect(names(kr)).toEqual([before.full]);
    expect(JSON.stringify(kr)).not.toContain(after.passport);
  });

  it('neither KR (proposing) nor MY (banning) reads KH’s post-end edit in the entry’s amendments', async () => {
    const kr = await tf['kr.liaison'].get(`/blacklist-entries/${entryId}/amendments`).expect(200);
    const my = await tf['my.liaison'].get(`/blacklist-entries/${entryId}/amendments`).expect(200);
    const carries = (text: string) => ({
      name: text.includes(after.full),
      passport: text.includes(after.passport),
    });
    expect({ KR: carries(kr.text), MY: carries(my.text) }).toEqual({
      KR: { name: false, passport: false },
      MY: { name: false, passport: false },
    });
  });
});
