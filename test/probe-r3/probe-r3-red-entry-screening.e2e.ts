import { signIn } from '../support/http';
import { taskForce, TaskForce } from '../support/scenario';
import { createTestApp, TestApp } from '../support/test-app';

/**
 * Probe (round 3): a `RED` blacklist proposal's entry, once its banning country's liaison activated it,
 * was shown to every screener and officer of that country through `POST /screenings` (names, date of
 * birth, nationality, the grounds summary, the proposing country), although RED is "the named recipients
 * only: the target's liaisons and the assigned officer" and MY's officer got 404 on the entry and the
 * person. A ban is read at every checkpoint, so it cannot be kept to named recipients: a blacklist
 * proposal cannot be RED (400 naming `handlingCode`), and nothing of it reaches MY.
 */
describe('Probe r3: a blacklist proposal cannot be RED, so no RED entry reaches MY’s checkpoints', () => {
  let t: TestApp;
  let tf: TaskForce;
  let koreaMalaysia: string;
  const person = {
    names: [{ full: 'KANG Redsource', script: 'latin', kind: 'primary' }],
    birthDate: '1983-09-10',
    nationalities: ['KR'],
  };
  const entry = {
    person,
    grounds: 'Informant-sourced: runs the compound.',
    groundsSummary: 'Compound boss (RED)',
  };

  beforeAll(async () => {
    t = await createTestApp();
    tf = await taskForce(t);
    [{ id: koreaMalaysia }] = await t.dataSource.query(
      `SELECT id FROM framework WHERE name = 'Korea–Malaysia Police Cooperation MOU'`,
    );
  }, 180_000);
  afterAll(() => t?.close());

  it('refuses RED on a proposal, one entry or a list, and records nothing', async () => {
    const before = await t.dataSource.query(`SELECT count(*)::int AS n FROM blacklist_entry`);
    const one = await tf['kr.officer'].post('/blacklist-entries', {
      frameworkId: koreaMalaysia,
      banningCountry: 'MY',
      handlingCode: 'RED',
      entry,
    });
    const list = await tf['kr.officer'].post('/blacklist-entries/batch', {
      frameworkId: koreaMalaysia,
      banningCountry: 'MY',
      handlingCode: 'RED',
      entries: [entry],
    });
    for (const res of [one, list]) {
      expect(res.status).toBe(400);
      expect(res.body.errors).toEqual([expect.objectContaining({ field: 'handlingCode' })]);
      expect(res.body.errors[0].message).toMatch(/cannot be RED/);
    }
    expect(await t.dataSource.query(`SELECT count(*)::int AS n FROM blacklist_entry`)).toEqual(before);
  });

  it('AMBER+STRICT is still accepted (the refusal is RED’s alone)', async () => {
    await tf['kr.officer']
      .post('/blacklist-entries', {
        frameworkId: koreaMalaysia,
        banningCountry: 'MY',
        handlingCode: 'AMBER+STRICT',
        entry,
      })
      .expect(201);
  });

  it('no screener or officer of MY reads anything of the refused proposal through a screening', async () => {
    for (const who of [await signIn(t.server, 'my.screener'), tf['my.officer']]) {
      const screening = await who
        .post('/screenings', {
          checkpoint: 'KLIA T2',
          names: [{ full: 'KANG Redsource' }],
          birthDate: '1983-09-10',
        })
        .expect(201);
      expect(screening.body.candidates).toEqual([]);
      expect(screening.text).not.toContain('Compound boss');
    }
  });
});
