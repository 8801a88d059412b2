import { createTestApp, TestApp } from '../support/test-app';
import { taskForce, TaskForce } from '../support/scenario';

/**
 * Probe race: one person on two open repatriation requests. KH arrested the same person twice (two
 * arrests of one person, on two days). One at a time, a second request for the person answers 409
 * ("already on another open repatriation request"): the service checks the person's open requests
 * (src/repatriations/repatriation-requests.service.ts, the `busy` query). At once, both drafts pass that
 * check before either commits, and the database only holds one open request per *arrest* and side
 * (`repatriation_arrest_one_open_per_side`), not per person (`repatriation_person_one_open` was dropped by
 * migration 1763800029000): both are created, and the person is on two open requests of KH.
 */
describe('One person, two arrests, two repatriation drafts at once', () => {
  let t: TestApp;
  let tf: TaskForce;
  beforeAll(async () => {
    t = await createTestApp();
    tf = await taskForce(t);
  });
  afterAll(() => t?.close());

  const draftFor = (who: 'kh.officer' | 'kh.officer2', arrestIds: string[]) =>
    tf[who].post('/repatriation-requests', {
      frameworkId: tf.cambodiaKoreaFramework,
      targetCountry: 'KR',
      priority: 'routine',
      handlingCode: 'AMBER',
      subject: 'Repatriation',
      arrestIds,
    });

  /** A Korean arrested by KH twice: the arrests' ids and the person's. */
  async function arrestedTwice(name: string) {
    const arrest = (extra: object, day: string) => ({
      arrestedAt: `2026-03-0${day}T02:30:00Z`,
      place: 'Golden Fortune compound',
      grounds: 'Online fraud',
      arrestingAgency: 'Cambodian National Police',
      nationality: 'KR',
      ...extra,
    });
    const first = (
      await tf['kh.officer']
        .post(
          '/arrests',
          arrest({ person: { names: [{ full: name, script: 'hangul', kind: 'primary' }] } }, '1'),
        )
        .expect(201)
    ).body;
    const personId = first.person.id as string;
    const second = (await tf['kh.officer'].post('/arrests', arrest({ personId }, '2')).expect(201)).body;
    return { arrestIds: [first.id as string, second.id as string], personId };
  }

  const openRequestsOf = async (personId: string) =>
    (
      await t.dataSource.query(
        `SELECT count(DISTINCT request_id)::int AS n FROM repatriation_person WHERE open AND person_id = $1`,
        [personId],
      )
    )[0].n as number;

  it('one at a time, the second request for the person is refused (the rule the race must keep)', async () => {
    const { arrestIds, personId } = await arrestedTwice('정우성');
    await draftFor('kh.officer', [arrestIds[0]!]).expect(201);
    const second = await draftFor('kh.officer2', [arrestIds[1]!]).expect(409);
    expect(second.body.detail).toMatch(/already on another open repatriation request/);
    expect(await openRequestsOf(personId)).toBe(1);
  });

  it('at once, one draft is created and the other gets 409; the person is on one open request', async () => {
    for (let round = 0; round < 5; round++) {
      const { arrestIds, personId } = await arrestedTwice(`김수${round}`);
      const responses = await Promise.all([
        draftFor('kh.officer', [arrestIds[0]!]),
        draftFor('kh.officer2', [arrestIds[1]!]),
      ]);
      expect(responses.map((r) => r.status).sort()).toEqual([201, 409]);
      expect(await openRequestsOf(personId)).toBe(1);
    }
  });
});
