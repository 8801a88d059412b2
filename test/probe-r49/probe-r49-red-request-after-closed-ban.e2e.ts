import { BlacklistAmendmentsService } from '../../src/blacklist/blacklist-amendments.service';
import { givenIn } from '../support/given';
import type { SignedIn } from '../support/http';
import { taskForce, TaskForce } from '../support/scenario';
import { createTestApp, TestApp } from '../support/test-app';

/**
 * Probe r49, lead 1: KH proposed SOK R49 to KR for a ban (AMBER), KR activated it, the proposal was
 * fulfilled and closed: KR keeps the person as it received it. KH then sends KR a RED information request
 * naming him and adds a passport number to him. The passport reaches KR's RED recipients only (the
 * request's liaisons and assigned officer): KR's auditors, officers and screener must learn nothing of
 * it — not through an amendment of the active entry, its screening, or the entry's view.
 */
describe('Probe r49: a RED request about a person KR bans: what KH adds stays with the recipients', () => {
  let t: TestApp;
  let tf: TaskForce;
  let entryId: string;
  let personId: string;
  const PASSPORT = 'N49004917';
  const ACTIVATE = { legalBasis: 'Immigration Act s. 11', expiresOn: '2031-12-31' };

  const step = async (who: SignedIn, id: string, action: string) => {
    const { version } = (await who.get(`/blacklist-proposals/${id}`).expect(200)).body;
    return who.post(`/blacklist-proposals/${id}/${action}`, { version }).expect(200);
  };

  beforeAll(async () => {
    t = await createTestApp();
    tf = await taskForce(t);
    personId = (
      await tf['kh.officer']
        .post('/persons', {
          names: [{ full: 'SOK R49', script: 'latin', kind: 'primary' }],
          nationalities: ['KH'],
          birthDate: '1984-05-09',
        })
        .expect(201)
    ).body.id;
    const proposal = (
      await tf['kh.officer']
        .post('/blacklist-entries', {
          frameworkId: tf.cambodiaKoreaFramework,
          banningCountry: 'KR',
          entry: {
            personId,
            grounds: 'Recruiter for a scam compound.',
            groundsSummary: 'Compound recruiter',
          },
        })
        .expect(201)
    ).body;
    await step(tf['kh.officer'], proposal.id, 'submit');
    await step(tf['kh.liaison'], proposal.id, 'approve');
    await step(tf['kr.liaison'], proposal.id, 'accept');
    entryId = proposal.entries[0].id;
    await tf['kr.liaison']
      .post(`/blacklist-entries/${entryId}/activate`, { version: 1, ...ACTIVATE })
      .expect(200);
    await step(tf['kr.liaison'], proposal.id, 'fulfil');
    await step(tf['kh.officer'], proposal.id, 'close');
    await givenIn(tf)
      .anInformationRequest()
      .from('KH')
      .sentTo('KR')
      .handledAs('RED')
      .with({ subject: 'Where does he travel?', personIds: [personId] } as never)
      .sent();
    const { version } = (await tf['kh.officer'].get(`/persons/${personId}`).expect(200)).body;
    await tf['kh.officer']
      .patch(`/persons/${personId}`, {
        version,
        names: [
          { full: 'SOK R49', script: 'latin', kind: 'primary' },
          { full: 'SOK Vannak', script: 'latin', kind: 'alias' },
        ],
        documents: [{ type: 'passport', number: PASSPORT, issuingCountry: 'KH' }],
      })
      .expect(200);
    await t.app.get(BlacklistAmendmentsService).runPending();
  }, 120_000);
  afterAll(() => t?.close());

  it('the world: KR’s liaison reads the passport on the person; KR’s officer does not', async () => {
    expect(JSON.stringify((await tf['kr.liaison'].get(`/persons/${personId}`).expect(200)).body)).toContain(
      PASSPORT,
    );
    const asOfficer = await tf['kr.officer'].get(`/persons/${personId}`);
    expect(JSON.stringify(asOfficer.body)).not.toContain(PASSPORT);
  });

  it('KR’s auditor reads neither an amendment nor the entry with the passport; no notice tells KR', async () => {
    for (const who of [tf['kr.auditor'], tf['kr.officer'], tf['kr.liaison']]) {
      const entry = await who.get(`/blacklist-entries/${entryId}`);
      expect(JSON.stringify(entry.body)).not.toContain(PASSPORT);
      const amendments = await who.get(`/blacklist-entries/${entryId}/amendments`);
      expect(JSON.stringify(amendments.body)).not.toContain(PASSPORT);
      expect(JSON.stringify(amendments.body)).not.toContain('Vannak');
    }
    const notices = (await tf['kr.auditor'].get('/notifications?limit=200').expect(200)).body.items;
    expect(JSON.stringify(notices)).not.toContain(entryId);
    const trail = (await tf['kr.auditor'].get('/audit-events?limit=200').expect(200)).body.items;
    expect(JSON.stringify(trail)).not.toContain(PASSPORT);
    expect(JSON.stringify(trail)).not.toContain('Vannak');
  });

  it('KR’s screener screening the passport or the alias finds no entry by them', async () => {
    const res = await tf['kr.screener']
      .post('/screenings', {
        checkpoint: 'ICN-T1-ARR',
        names: [{ full: 'SOK Vannak' }],
        document: { number: PASSPORT },
      })
      .expect(201);
    expect(JSON.stringify(res.body)).not.toContain(PASSPORT);
    expect(JSON.stringify(res.body)).not.toMatch(/document number/i);
    expect(
      res.body.candidates.filter(
        (c: { entry: { entryId: string }; band: string }) =>
          c.entry.entryId === entryId && c.band === 'alert',
      ),
    ).toEqual([]);
  });
});
