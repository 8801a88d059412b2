import { entryMalaysiaAskedKoreaToBan } from '../support/blacklist-scenario';
import { signIn, SignedIn } from '../support/http';
import { taskForce, TaskForce } from '../support/scenario';
import { createTestApp, TestApp } from '../support/test-app';

const tanWeiMing = {
  names: [{ full: 'TAN Wei Ming', family: 'Tan', given: 'Wei Ming', script: 'latin', kind: 'primary' }],
  birthDate: '1990-01-15',
  nationalities: ['MY'],
  sex: 'male',
  documents: [{ type: 'passport', number: 'A77701234', issuingCountry: 'MY' }],
};

/**
 * Probe (round 9): an arrest names the screening hit, blacklist entry and blacklist proposal it came
 * from. The arrest travels (a share, a repatriation) where those records do not: a country the arrest
 * was shared with must not learn their ids — that the arrested person is on another pair's blacklist —,
 * nor a user of the arresting country a RED proposal it may not read.
 */
describe('Probe: an arrest shows its screening and blacklist links only to those who may read them', () => {
  let t: TestApp;
  let tf: TaskForce;
  let krScreener: SignedIn;
  let links: { screeningHitId: string; blacklistEntryId: string; blacklistRequestId: string };
  let arrestId: string;

  beforeAll(async () => {
    t = await createTestApp();
    tf = await taskForce(t);
    krScreener = await signIn(t.server, 'kr.screener');
    // MY proposes TAN Wei Ming for KR's blacklist; KR accepts and activates the entry.
    const { entryId, proposalId } = await entryMalaysiaAskedKoreaToBan(t, tf, {
      person: tanWeiMing,
      grounds: 'Recruiter for a KL compound.',
      groundsSummary: 'Recruiter',
    });
    // KR's checkpoint screens him, confirms the hit, and KR arrests him.
    const screening = (
      await krScreener
        .post('/screenings', {
          checkpoint: 'ICN T1',
          names: [{ full: 'TAN Wei Ming' }],
          birthDate: '1990-01-15',
          document: { number: 'A77701234' },
        })
        .expect(201)
    ).body;
    const candidate = screening.candidates.find(
      (c: { entry: { entryId: string } }) => c.entry.entryId === entryId,
    );
    expect(candidate).toBeDefined();
    await krScreener
      .post(`/screenings/${screening.id}/candidates/${candidate.id}/decision`, { decision: 'confirmed' })
      .expect(200);
    links = { screeningHitId: candidate.id, blacklistEntryId: entryId, blacklistRequestId: proposalId };
    const arrest = (
      await tf['kr.officer']
        .post('/arrests', {
          arrestedAt: '2026-03-01T02:30:00Z',
          place: 'Incheon airport, terminal 1',
          grounds: 'Entry refused: blacklisted',
          arrestingAgency: 'Korean National Police Agency',
          nationality: 'MY',
          person: { names: [{ full: 'TAN Wei Ming', script: 'latin', kind: 'primary' }] },
          ...links,
        })
        .expect(201)
    ).body;
    arrestId = arrest.id;
    // KR shares the arrest with KH, which reads neither the screening nor MY's proposal.
    await tf['kr.liaison'].post(`/arrests/${arrestId}/shares`, { countryCode: 'KH' }).expect(200);
  }, 120_000);
  afterAll(() => t?.close());

  const linksOf = (view: Record<string, unknown>) => ({
    screeningHitId: view.screeningHitId,
    blacklistEntryId: view.blacklistEntryId,
    blacklistRequestId: view.blacklistRequestId,
  });

  it('the arresting country reads the links it made', async () => {
    expect(linksOf((await tf['kr.officer'].get(`/arrests/${arrestId}`).expect(200)).body)).toEqual(links);
  });

  it('a country the arrest was shared with reads the arrest but none of the links, by id or in the list', async () => {
    const single = (await tf['kh.officer'].get(`/arrests/${arrestId}`).expect(200)).body;
    expect(linksOf(single)).toEqual({
      screeningHitId: null,
      blacklistEntryId: null,
      blacklistRequestId: null,
    });
    const list = await tf['kh.liaison'].get('/arrests?limit=200').expect(200);
    expect(list.body.items.map((a: { id: string }) => a.id)).toContain(arrestId);
    for (const id of Object.values(links)) expect(list.text).not.toContain(id);
    // What it would have learnt names nothing it may read.
    await tf['kh.liaison'].get(`/blacklist-proposals/${links.blacklistRequestId}`).expect(404);
    await tf['kh.liaison'].get(`/blacklist-entries/${links.blacklistEntryId}`).expect(404);
  });
});
