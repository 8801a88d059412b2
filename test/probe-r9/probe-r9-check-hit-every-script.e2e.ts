import { FaithfulProvenanceKeys1763800870000 } from '../../migrations/1763800870000-FaithfulProvenanceKeys';
import type { SignedIn } from '../support/http';
import { taskForce, TaskForce } from '../support/scenario';
import { createTestApp, TestApp } from '../support/test-app';

const BASE = '/information-requests';

/**
 * Probe r9, beyond Khmer: whatever a value is written in, a hit/no-hit check never answers "hit" for an
 * identifier the partner holds only because another country gave it under AMBER+STRICT. Receipts are
 * kept under the TypeScript key (`src/sharing/identifier-keys.ts`); the index's SQL key
 * (`identifier_provenance_key`) folded only `[A-Za-z0-9]`, so any value it could not fold the same way
 * found no receipt and counted as the partner's own:
 * - a Thai name and a Han name (their letters dropped: the key was `id:`);
 * - a Latin name with one Cyrillic look-alike letter (`о`, which the TypeScript reads as `o` and the SQL
 *   dropped);
 * - a web address in ASCII with a percent-encoded path (the look-alike skeleton reads `%` as `º/₀`).
 * KH gives KR all four under AMBER+STRICT; KR names them back to KH in a request of its own, with a
 * Thai name it found itself. MY asks KR: only KR's own name hits. The same holds for index rows written
 * before the fix (migration 1763800870000 computes every row's key again).
 */
describe('Probe r9: no script makes a received identifier look like the holder’s own', () => {
  let t: TestApp;
  let tf: TaskForce;
  const THAI = 'คาสิโนมังกรทอง';
  const HAN = '金龙国际娱乐城';
  const LOOKALIKE = 'G\u043elden Dragon Tower';
  const PERCENT = 'https://golden-dragon.example/%E0%B8%84%E0%B8%B2';
  const THAI_OWN = 'ตึกมังกรเงิน';

  const send = async (officer: SignedIn, liaison: SignedIn, body: object) => {
    const draft = (await officer.post(BASE, body).expect(201)).body;
    const submitted = (
      await officer.post(`${BASE}/${draft.id}/submit`, { version: draft.version }).expect(200)
    ).body;
    return (await liaison.post(`${BASE}/${draft.id}/approve`, { version: submitted.version }).expect(200))
      .body;
  };

  /** KH gives KR the four under AMBER+STRICT; KR names them back, with a name of its own. */
  const khGivesKrBack = async (subject: string) => {
    await send(tf['kh.officer'], tf['kh.liaison'], {
      frameworkId: tf.cambodiaKoreaFramework,
      targetCountry: 'KR',
      priority: 'urgent',
      handlingCode: 'AMBER+STRICT',
      subject,
      questions: ['Which Korean nationals run these?'],
      identifiers: { compounds: [THAI, HAN, LOOKALIKE], urls: [PERCENT] },
    });
    const back = await send(tf['kr.officer'], tf['kr.liaison'], {
      frameworkId: tf.cambodiaKoreaFramework,
      targetCountry: 'KH',
      priority: 'urgent',
      handlingCode: 'AMBER',
      subject: `Follow-up: ${subject}`,
      questions: ['Who owns the buildings?'],
      identifiers: { compounds: [THAI, HAN, LOOKALIKE, THAI_OWN], urls: [PERCENT] },
    });
    expect(back.status).toBe('sent');
  };

  const myAsksKr = async () => {
    const check = (
      await tf['my.officer']
        .post('/identifier-checks', {
          partners: ['KR'],
          identifiers: [
            { kind: 'compound', value: THAI },
            { kind: 'compound', value: HAN },
            { kind: 'compound', value: LOOKALIKE },
            { kind: 'web', value: PERCENT },
            { kind: 'compound', value: THAI_OWN },
          ],
        })
        .expect(201)
    ).body;
    return check.results.map((r: { answers: Array<{ answer: string }> }) => r.answers[0]!.answer);
  };

  beforeAll(async () => {
    t = await createTestApp();
    tf = await taskForce(t);
  }, 120_000);
  afterAll(() => t?.close());

  it('answers MY "no hit" for each received name and address, and "hit" for KR’s own', async () => {
    await khGivesKrBack('Compounds in Poipet');
    expect(await myAsksKr()).toEqual(['no_hit', 'no_hit', 'no_hit', 'no_hit', 'hit']);
  });

  it('answers so too for index rows written before the fix, once the migration has run', async () => {
    const migration = new FaithfulProvenanceKeys1763800870000();
    const runner = t.dataSource.createQueryRunner();
    try {
      // The index as it was before: the old functions, every row keyed by them (the first test's rows
      // again, and new ones written by the old functions).
      await migration.down(runner);
      await khGivesKrBack('Compounds in Bavet');
      const [{ keys }] = await t.dataSource.query(
        `SELECT array_agg(DISTINCT provenance_key) AS keys FROM identifier_index WHERE holder_country = 'KR'`,
      );
      expect(keys).toContain('id:'); // the Thai and Han names, as the old function keyed them
      // The leak as it was (all 'hit') no longer shows even under the old keys: since probe r48 the check
      // decides from the SQL key only for wallets, and keys compounds and web addresses in Node.
      expect(await myAsksKr()).toEqual(['no_hit', 'no_hit', 'no_hit', 'no_hit', 'hit']);
      await migration.up(runner);
    } finally {
      await runner.release();
    }
    expect(await myAsksKr()).toEqual(['no_hit', 'no_hit', 'no_hit', 'no_hit', 'hit']);
  });
});
