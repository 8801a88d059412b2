import type { SignedIn } from '../support/http';
import { taskForce, TaskForce } from '../support/scenario';
import { createTestApp, TestApp } from '../support/test-app';

const BASE = '/information-requests';

/**
 * Probe (round 9): a hit/no-hit check tells a third country that a partner holds a compound name the
 * partner only received from another country under AMBER+STRICT, when the name is written in a
 * non-Latin script (Khmer, as Cambodian compound names are).
 * KH sends KR an AMBER+STRICT information request naming two compounds, one in Latin letters and one in
 * Khmer. KR later names both compounds in its own request back to KH (giving data back to its
 * originator is allowed), so KR holds them in a record of its own, recorded after it received them.
 * MY (a partner of KR under the Korea–Malaysia MOU, never given anything) asks KR about both: the Latin
 * name answers "no hit" (AMBER+STRICT never goes on), the Khmer name answers "hit". MY learns that KR
 * holds what KH gave KR under AMBER+STRICT.
 * Cause: `IdentifierCheckStore.hits` (src/identifier-checks/identifier-check.store.ts) decides whether a
 * holding is the partner's own by looking up receipts in `identifier_provenance` under the index row's
 * `provenance_key`, which the SQL function `identifier_provenance_key` (migration 1763800070000) computes
 * by keeping ASCII letters and digits only: the Khmer name's key is `id:` (empty), while the receipt
 * was recorded under the key of `src/sharing/identifier-keys.ts` (`foldIdentifier` keeps letters of every
 * script: `id:កសណមសសណង`). No receipt is found, the holding counts as `independent`, and
 * `ReleaseService.releasableIdentifiers` is never asked. The two folds agree only for ASCII values.
 */
describe('Probe r9: a non-Latin compound received under AMBER+STRICT hits for a third country', () => {
  let t: TestApp;
  let tf: TaskForce;
  const KHMER = 'កាស៊ីណូ មាសសំណាង';
  const LATIN = 'Golden Fortune Tower';

  const send = async (officer: SignedIn, liaison: SignedIn, body: object) => {
    const draft = (await officer.post(BASE, body).expect(201)).body;
    const submitted = (
      await officer.post(`${BASE}/${draft.id}/submit`, { version: draft.version }).expect(200)
    ).body;
    return (await liaison.post(`${BASE}/${draft.id}/approve`, { version: submitted.version }).expect(200))
      .body;
  };

  beforeAll(async () => {
    t = await createTestApp();
    tf = await taskForce(t);
    // KH gives KR both compound names under AMBER+STRICT: they stay in KR.
    await send(tf['kh.officer'], tf['kh.liaison'], {
      frameworkId: tf.cambodiaKoreaFramework,
      targetCountry: 'KR',
      priority: 'urgent',
      handlingCode: 'AMBER+STRICT',
      subject: 'Korean managers of two compounds in Sihanoukville',
      questions: ['Which Korean nationals manage these compounds?'],
      identifiers: { compounds: [KHMER, LATIN] },
    });
    // KR names them back to KH, their originator (allowed): a record of KR's own now holds them.
    const back = await send(tf['kr.officer'], tf['kr.liaison'], {
      frameworkId: tf.cambodiaKoreaFramework,
      targetCountry: 'KH',
      priority: 'urgent',
      handlingCode: 'AMBER',
      subject: 'Follow-up on the two compounds you asked about',
      questions: ['Who owns the buildings?'],
      identifiers: { compounds: [KHMER, LATIN] },
    });
    expect(back.status).toBe('sent');
  }, 120_000);
  afterAll(() => t?.close());

  it('answers MY "no hit" for both names, whatever their script', async () => {
    const check = (
      await tf['my.officer']
        .post('/identifier-checks', {
          partners: ['KR'],
          identifiers: [
            { kind: 'compound', value: LATIN },
            { kind: 'compound', value: KHMER },
          ],
        })
        .expect(201)
    ).body;
    const answers = check.results.map(
      (r: { identifier: { value: string }; answers: Array<{ country: string; answer: string }> }) => [
        r.identifier.value,
        r.answers[0]!.answer,
      ],
    );
    expect(answers).toEqual([
      [LATIN, 'no_hit'],
      [KHMER, 'no_hit'],
    ]);
    expect(check.partners).toEqual([expect.objectContaining({ country: 'KR', answered: true, hits: 0 })]);
  });
});
