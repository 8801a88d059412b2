import { RescreeningService } from '../../src/screening/rescreening.service';
import { entryMalaysiaAskedKoreaToBan } from '../support/blacklist-scenario';
import { signIn, SignedIn } from '../support/http';
import { taskForce, TaskForce } from '../support/scenario';
import { createTestApp, TestApp } from '../support/test-app';

const ongKahWai = {
  names: [{ full: 'ONG Kah Wai', family: 'Ong', given: 'Kah Wai', script: 'latin', kind: 'primary' }],
  birthDate: '1987-05-09',
  nationalities: ['MY'],
  sex: 'male',
  documents: [{ type: 'passport', number: 'A88804321', issuingCountry: 'MY' }],
};
const traveller = {
  checkpoint: 'ICN T2',
  names: [{ full: 'ONG Kah Wai' }],
  birthDate: '1987-05-09',
  document: { number: 'A88804321' },
};

/**
 * Probe (round 9): when the banning country activates an entry, its past screenings are matched
 * against it (re-screening). A match is the banning country's lead at its own checkpoint until its
 * screener confirms it; only a confirmed hit is the proposing country's too. The re-screening's audit
 * event was owned by the proposing country, so its auditors read which of the banning country's
 * screenings matched (and how many it had scored) before anybody confirmed anything.
 */
describe('Probe: a re-screening stays with the banning country until a hit is confirmed', () => {
  let t: TestApp;
  let tf: TaskForce;
  let krScreener: SignedIn;
  let myAuditor: SignedIn;
  let pastScreening: { id: string };
  let entryId: string;

  beforeAll(async () => {
    t = await createTestApp({}, { JOBS_ENABLED: 'false' });
    tf = await taskForce(t);
    krScreener = await signIn(t.server, 'kr.screener');
    myAuditor = tf['my.auditor'];
    // KR's checkpoint screens the traveller while nothing is on its list yet.
    pastScreening = (await krScreener.post('/screenings', traveller).expect(201)).body;
    // MY proposes him for KR's list; KR accepts and activates the entry, which re-screens the past.
    ({ entryId } = await entryMalaysiaAskedKoreaToBan(t, tf, {
      person: ongKahWai,
      grounds: 'Money mule recruiter.',
      groundsSummary: 'Mule recruiter',
    }));
    expect(await t.app.get(RescreeningService).runPending()).toBe(1);
  }, 120_000);
  afterAll(() => t?.close());

  /** Everything an auditor reads of the trail: the list, the entry's timeline and the export. */
  async function trail(auditor: SignedIn): Promise<string> {
    const list = await auditor.get('/audit-events?limit=200').expect(200);
    const timeline = await auditor
      .get(`/audit-events/timeline?recordType=blacklist_entry&recordId=${entryId}&limit=200`)
      .expect(200);
    const exported = await auditor.get('/audit-events/export').buffer(true).expect(200);
    return [list.text, timeline.text, String(exported.text ?? exported.body)].join('\n');
  }

  it('the banning country’s auditors read the re-screening and the screening it matched', async () => {
    const read = await trail(tf['kr.auditor']);
    expect({
      rescreen: read.includes('blacklist.entry.rescreen'),
      matchedScreening: read.includes(pastScreening.id),
    }).toEqual({ rescreen: true, matchedScreening: true });
  });

  it('the proposing country’s auditors read neither the re-screening nor which screening matched', async () => {
    const read = await trail(myAuditor);
    expect(read).toContain('blacklist.entry.activate'); // what KR decided on MY's proposal, MY reads
    expect({
      rescreen: read.includes('blacklist.entry.rescreen'),
      matchedScreening: read.includes(pastScreening.id),
    }).toEqual({ rescreen: false, matchedScreening: false });
  });

  it('once KR’s screener confirms the hit, MY reads the confirmation', async () => {
    const screening = (await krScreener.get(`/screenings/${pastScreening.id}`).expect(200)).body;
    const candidate = screening.candidates.find(
      (c: { entry: { entryId: string } }) => c.entry.entryId === entryId,
    );
    await krScreener
      .post(`/screenings/${pastScreening.id}/candidates/${candidate.id}/decision`, { decision: 'confirmed' })
      .expect(200);
    expect(await trail(myAuditor)).toContain('screening.candidate.confirmed');
  });
});
