import { taskForce, TaskForce } from '../support/scenario';
import { createTestApp, TestApp } from '../support/test-app';

const BASE = '/information-requests';

/**
 * Probe (round 9): a hit/no-hit check tells a third country that a partner holds a compound name the
 * partner received only on a RED request, when the name is written in a non-Latin script.
 * KH sends KR a RED information request naming a compound in Khmer script and one in Latin letters.
 * KR's liaison (a named recipient) accepts and answers it, naming both compounds in the findings — the
 * RED request's own thread, where a RED receipt may go back to its originator. KR's findings are a
 * record of KR's own. MY (KR's partner under the Korea–Malaysia MOU) asks KR about both names: the
 * Latin one answers "no hit" (RED never goes on), the Khmer one "hit". MY learns what KH told KR under
 * RED, which stays with its named recipients.
 * Cause: as in probe-r9-check-hit-non-latin-compound — `IdentifierCheckStore.hits`
 * (src/identifier-checks/identifier-check.store.ts) finds no receipt for the holding because the index's
 * SQL `identifier_provenance_key` (migration 1763800070000) drops every letter outside A–Z (the Khmer
 * name's key is `id:`) while the receipt carries the key of `foldIdentifier`
 * (src/sharing/identifier-keys.ts); the holding counts as the partner's own (`independent`).
 */
describe('Probe r9: a non-Latin compound received under RED hits for a third country', () => {
  let t: TestApp;
  let tf: TaskForce;
  const KHMER = 'អគារ ភ្នំមាស';
  const LATIN = 'Golden Hill Building';

  beforeAll(async () => {
    t = await createTestApp();
    tf = await taskForce(t);
    const draft = (
      await tf['kh.officer']
        .post(BASE, {
          frameworkId: tf.cambodiaKoreaFramework,
          targetCountry: 'KR',
          priority: 'immediate',
          handlingCode: 'RED',
          subject: 'Korean investors in a compound building',
          questions: ['Which Korean companies lease these buildings?'],
          identifiers: { compounds: [KHMER, LATIN] },
        })
        .expect(201)
    ).body;
    const submitted = (
      await tf['kh.officer'].post(`${BASE}/${draft.id}/submit`, { version: draft.version }).expect(200)
    ).body;
    const sent = (
      await tf['kh.liaison'].post(`${BASE}/${draft.id}/approve`, { version: submitted.version }).expect(200)
    ).body;
    const accepted = (
      await tf['kr.liaison'].post(`${BASE}/${draft.id}/accept`, { version: sent.version }).expect(200)
    ).body;
    const fulfilled = (
      await tf['kr.liaison']
        .post(`${BASE}/${draft.id}/fulfil`, {
          version: accepted.version,
          findings: {
            summary: 'Two Korean shell companies lease both buildings.',
            identifiers: { compounds: [KHMER, LATIN] },
          },
        })
        .expect(200)
    ).body;
    expect(fulfilled.status).toBe('fulfilled');
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
  });
});
