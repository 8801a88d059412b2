import { signIn } from '../support/http';
import { taskForce, TaskForce } from '../support/scenario';
import { createTestApp, TestApp } from '../support/test-app';

/**
 * Probe (round 3): a `RED` blacklist proposal's entry, once its banning country's liaison activates it,
 * is shown to every screener and officer of that country. RED is "the named recipients only: the
 * target's liaisons and the assigned officer", and "a person a country received only as the target of
 * RED requests is read there by those requests' liaisons and assigned officer" (README). KR proposes a
 * person for MY's blacklist under RED; MY's liaison accepts and activates the entry. MY's officer cannot
 * read the entry or the person (404, control), yet `POST /screenings` by MY's screener or officer (and
 * `GET /screenings/:id` after) answers the entry as a candidate: the RED person's names, date of birth,
 * nationality, the grounds summary and the proposing country. Screening is not weighed by the release
 * rule at all (`ScreeningService`, `candidate-pool.ts`: every active entry of the banning country).
 * Fix: refuse `RED` for blacklist proposals (src/blacklist/dto/blacklist.dto.ts / blacklist.service.ts
 * `propose`), or refuse activating an entry received only under RED
 * (src/blacklist/blacklist.service.ts `activate`), since a ban is read at every checkpoint.
 */
describe('Probe r3: a RED blacklist entry reaches every screener and officer of the banning country', () => {
  let t: TestApp;
  let tf: TaskForce;
  /** How far the RED proposal got: refused at proposal, at activation, or active. */
  let outcome: 'refused' | 'active';
  let entryId: string | null = null;
  let personId: string | null = null;
  const person = {
    names: [{ full: 'KANG Redsource', script: 'latin', kind: 'primary' }],
    birthDate: '1983-09-10',
    nationalities: ['KR'],
  };

  beforeAll(async () => {
    t = await createTestApp();
    tf = await taskForce(t);
    const [{ id: koreaMalaysia }] = await t.dataSource.query(
      `SELECT id FROM framework WHERE name = 'Korea–Malaysia Police Cooperation MOU'`,
    );
    const created = await tf['kr.officer'].post('/blacklist-entries', {
      frameworkId: koreaMalaysia,
      banningCountry: 'MY',
      handlingCode: 'RED',
      entry: {
        person,
        grounds: 'Informant-sourced: runs the compound.',
        groundsSummary: 'Compound boss (RED)',
      },
    });
    if (created.status !== 201) {
      expect(created.status).toBeGreaterThanOrEqual(400);
      expect(created.status).toBeLessThan(500);
      outcome = 'refused';
      return;
    }
    const proposal = created.body;
    let version = proposal.version;
    for (const [who, action] of [
      [tf['kr.officer'], 'submit'],
      [tf['kr.liaison'], 'approve'],
      [tf['my.liaison'], 'accept'],
    ] as const)
      version = (await who.post(`/blacklist-proposals/${proposal.id}/${action}`, { version }).expect(200))
        .body.version;
    entryId = proposal.entries[0].id as string;
    personId = proposal.entries[0].personId as string;
    const activated = await tf['my.liaison'].post(`/blacklist-entries/${entryId}/activate`, {
      version: 1,
      legalBasis: 'Immigration Act s. 9',
      expiresOn: '2031-12-31',
    });
    outcome = activated.status === 200 ? 'active' : 'refused';
  }, 180_000);
  afterAll(() => t?.close());

  it('MY’s officer does not read the RED entry or its person (control)', async () => {
    if (!entryId) return;
    await tf['my.officer'].get(`/blacklist-entries/${entryId}`).expect(404);
    await tf['my.officer'].get(`/persons/${personId}`).expect(404);
  });

  it('no screener or officer of MY reads the RED entry through a screening', async () => {
    const shown: Record<string, boolean> = {};
    if (outcome === 'active') {
      for (const who of [await signIn(t.server, 'my.screener'), tf['my.officer']]) {
        const screening = await who
          .post('/screenings', {
            checkpoint: 'KLIA T2',
            names: [{ full: 'KANG Redsource' }],
            birthDate: '1983-09-10',
          })
          .expect(201);
        const again = await who.get(`/screenings/${screening.body.id}`).expect(200);
        shown[who === tf['my.officer'] ? 'officer' : 'screener'] =
          screening.text.includes(entryId!) ||
          screening.text.includes('Compound boss') ||
          again.text.includes(entryId!);
      }
    }
    expect(shown).toEqual(outcome === 'active' ? { screener: false, officer: false } : {});
  });
});
