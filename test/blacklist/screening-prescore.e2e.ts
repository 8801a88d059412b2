import { createTestApp, TestApp } from '../support/test-app';
import { taskForce, TaskForce } from '../support/scenario';
import { proposedAndAccepted } from '../support/blacklist-scenario';
import { fillMissingScreeningProfiles } from '../../src/blacklist/screening-profile';
import { CANDIDATES_SQL } from '../../src/screening/candidate-pool';
import { pickForScoring } from '../../src/screening/candidate-prescore';
import { queryKeys } from '../../src/screening/entry-keys';
import { retrievalFormsOf, type PersonName } from '../../src/screening/matching';
import { formSimilarity } from '../../src/screening/matching/retrieval-similarity';
import { ScreeningProfileRetrievalForms1763800110000 } from '../../migrations/1763800110000-ScreeningProfileRetrievalForms';

// Issue 16, item 4: the retrieval's pre-score by name runs in SQL over the retrieval forms stored in each
// screening profile; it must pick what its model in Node (`pickForScoring`) picks.
const KOREANS = [
  ['Kim', 'Yunhwa'],
  ['Kim', 'Yunsu'],
  ['Kim', 'Yunsu'],
  ['Kim', 'Yunsu'],
  ['Kim', 'Minsu'],
  ['Kim', 'Yunwon'],
  ['Kim', 'Yeonhwa'],
  ['Kim', 'Wonyeon'],
  ['Kim', 'Yuna'],
  ['Kim', 'Minjun'],
  ['Kim', 'Minjun'],
  ['Kim', 'Seonghun'],
  ['Kim', 'Seunghun'],
  ['Kim', 'Haeun'],
  ['Kim', 'Hayun'],
  ['Gim', 'Yunho'],
  ['Park', 'Yunhwa'],
  ['Lee', 'Yunsu'],
  ['Kim', 'Yunseo'],
  ['Kim', 'Yunji'],
  ['Kim', 'Eunwoo'],
  ['Kim', 'Jiwon'],
  ['Kim', 'Yuwon'],
  ['Kim', 'Yunwoo'],
];
const TRAVELLERS = [
  'Yeonwn Gim',
  'Kim Yunhwa',
  'Gim Yun Su',
  'KIM Seunghoon',
  'Hun Gim',
  'Yunwon',
  'Park Jiho',
];
const HOLDERS = 2000;

describe('Retrieval pre-score in SQL (edit similarity of the stored retrieval forms)', () => {
  let t: TestApp;
  let tf: TaskForce;
  const today = new Date().toISOString().slice(0, 10);

  beforeAll(async () => {
    t = await createTestApp();
    tf = await taskForce(t);
    const { proposal } = await proposedAndAccepted(tf, {
      frameworkId: tf.cambodiaKoreaFramework,
      banningCountry: 'KH',
      subject: 'Recruiters of the Golden Fortune compound',
      entries: KOREANS.map(([family, given], i) => ({
        person: {
          names: [
            { full: `${family!.toUpperCase()} ${given}`, family, given, script: 'latin', kind: 'primary' },
          ],
          birthDate: `${1970 + i}`,
          nationalities: ['KR'],
        },
        grounds: 'Recruiter.',
        groundsSummary: 'Recruiter',
      })),
    });
    for (const entry of proposal.entries) {
      await tf['kh.liaison']
        .post(`/blacklist-entries/${entry.id}/activate`, {
          version: 1,
          legalBasis: 'Immigration Law art. 29',
          expiresOn: '2031-12-31',
        })
        .expect(200);
    }
  });
  afterAll(() => t?.close());

  interface Row {
    id: string;
    weight: string;
    names: PersonName[];
  }
  const retrieve = (
    traveller: string,
    fetched: number,
    byWeight: number,
    withTies: number,
    mostAlike: number,
    mostAlikeWithTies = mostAlike,
  ) =>
    t.dataSource.query(CANDIDATES_SQL, [
      'KH',
      queryKeys([traveller]),
      today,
      fetched,
      HOLDERS,
      byWeight,
      withTies,
      mostAlike,
      retrievalFormsOf([traveller]),
      mostAlikeWithTies,
    ]) as Promise<Row[]>;

  it('picks what the Node pre-score picks from the same fetched entries, in the same order', async () => {
    let alikeBeyondWeight = 0;
    let namesakesTiedInLikeness = 0;
    for (const traveller of TRAVELLERS) {
      // Everything the keys find, with its weight: the model's input.
      const fetched = await retrieve(traveller, 20, 20, 20, 0);
      expect(fetched.length).toBeGreaterThan(0);
      for (const [byWeight, withTies, mostAlike, mostAlikeWithTies] of [
        [3, 5, 4, 4],
        [2, 2, 6, 6],
        [5, 8, 0, 0],
        [1, 10, 20, 20],
        // Namesakes (three Kim Yunsu, two Kim Minjun) tie in likeness and weight: a cut through them.
        [1, 1, 1, 3],
        [2, 2, 2, 6],
        [1, 1, 3, 4],
      ] as const) {
        const picked = await retrieve(traveller, 20, byWeight, withTies, mostAlike, mostAlikeWithTies);
        const model = pickForScoring(
          [traveller],
          fetched.map((row) => ({ candidate: { id: row.id, names: row.names }, weight: Number(row.weight) })),
          { byWeight, byWeightWithTies: withTies, mostAlike, mostAlikeWithTies },
        );
        expect(picked.map((row) => row.id)).toEqual(model.map((c) => c.id));
        const byWeightOnly = fetched.slice(0, picked.length).map((row) => row.id);
        if (picked.some((row) => !byWeightOnly.includes(row.id))) alikeBeyondWeight++;
        if (picked.length > withTies + mostAlike) namesakesTiedInLikeness++;
      }
    }
    // The examples exercise the similarity, not only the weights, and the ties among the most alike.
    expect(alikeBeyondWeight).toBeGreaterThan(3);
    expect(namesakesTiedInLikeness).toBeGreaterThan(0);
  });

  it('compares forms as the Node comparison does: the SQL similarity equals formSimilarity exactly', async () => {
    const forms = [
      ...new Set([
        ...KOREANS.flatMap(([family, given]) =>
          retrievalFormsOf([{ full: `${family} ${given}`, family, given, kind: 'primary' } as PersonName]),
        ),
        ...retrievalFormsOf(TRAVELLERS),
        'kim', // a form of one part
      ]),
    ];
    const pairs = forms.flatMap((a) => forms.map((b) => [a, b] as const));
    // The expression of CANDIDATES_SQL's `alike`, over pairs instead of one candidate's forms.
    const expression = /SELECT max\((CASE WHEN [\s\S]*? END)\)/.exec(CANDIDATES_SQL)![1]!;
    const lateral = /(LATERAL \(SELECT split_part[\s\S]*?\) x)\)/.exec(CANDIDATES_SQL)![1]!;
    const rows: Array<{ similarity: number }> = await t.dataSource.query(
      `SELECT ${expression} AS similarity
         FROM unnest($1::text[], $2::text[]) WITH ORDINALITY AS p(q, e, n), ${lateral} ORDER BY n`,
      [pairs.map(([a]) => a), pairs.map(([, b]) => b)],
    );
    expect(rows).toHaveLength(pairs.length);
    pairs.forEach(([a, b], i) => expect(rows[i]!.similarity).toBe(formSimilarity(a, b)));
    // Not all the same: the comparison tells names apart.
    expect(new Set(rows.map((r) => r.similarity)).size).toBeGreaterThan(10);
  });

  it('fills the forms of profiles written before the column existed, as the migration does', async () => {
    const before = await t.dataSource.query(
      `SELECT entry_id, names, retrieval_forms FROM blacklist_screening_profile ORDER BY entry_id`,
    );
    expect(before.length).toBeGreaterThanOrEqual(KOREANS.length);
    for (const row of before) expect(row.retrieval_forms).toEqual(retrievalFormsOf(row.names));
    const runner = t.dataSource.createQueryRunner();
    try {
      const migration = new ScreeningProfileRetrievalForms1763800110000();
      await runner.startTransaction();
      await migration.down(runner);
      await migration.up(runner);
      await runner.commitTransaction();
    } finally {
      await runner.release();
    }
    const after = await t.dataSource.query(
      `SELECT entry_id, names, retrieval_forms FROM blacklist_screening_profile ORDER BY entry_id`,
    );
    expect(after).toEqual(before);
    const [{ nullable }] = await t.dataSource.query(
      `SELECT is_nullable AS nullable FROM information_schema.columns
        WHERE table_name = 'blacklist_screening_profile' AND column_name = 'retrieval_forms'`,
    );
    expect(nullable).toBe('NO');
  });

  it('writes the missing profiles of a bulk load as activation writes them, forms included', async () => {
    const profiles = `SELECT * FROM blacklist_screening_profile ORDER BY entry_id`;
    const before = await t.dataSource.query(profiles);
    await t.dataSource.query(
      `DELETE FROM blacklist_screening_profile WHERE entry_id IN (SELECT entry_id FROM blacklist_screening_profile ORDER BY entry_id DESC LIMIT 5)`,
    );
    expect(await fillMissingScreeningProfiles((sql, parameters) => t.dataSource.query(sql, parameters))).toBe(
      5,
    );
    expect(await t.dataSource.query(profiles)).toEqual(before);
  });
});
