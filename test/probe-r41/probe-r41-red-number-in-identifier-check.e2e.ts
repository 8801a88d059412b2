import { givenIn } from '../support/given';
import { taskForce, TaskForce } from '../support/scenario';
import { createTestApp, TestApp } from '../support/test-app';

/**
 * Probe r41, finding 2: a number KR holds for a RED request's named recipients only, typed by one of them
 * into a hit/no-hit check. KH asks KR under RED about a phone: in KR only the request's liaisons (and an
 * assigned officer) read it; writing it into anything the rest of KR reads (a person of KR's own, a
 * request that is not RED) is refused (`keepRedNumbersWithRecipients`), and typed into a search it is
 * withheld from the search's event. A check is kept for the whole country: every KR officer and auditor
 * reads `GET /identifier-checks/:id` with the identifiers asked. The liaison's check of the RED phone with
 * MY put the number before all of them.
 */
describe('Probe r41: a RED number typed into a hit/no-hit check does not reach the rest of the country', () => {
  let t: TestApp;
  let tf: TaskForce;
  const redPhone = '+85593300777';

  beforeAll(async () => {
    t = await createTestApp();
    tf = await taskForce(t);
    await givenIn(tf)
      .anInformationRequest()
      .from('KH')
      .sentTo('KR')
      .handledAs('RED')
      .with({ subject: 'Who holds this phone?', identifiers: { phones: [redPhone] } })
      .sent();
  }, 60_000);
  afterAll(() => t?.close());

  it('the world: KR’s officer and auditor do not read the RED request; its liaison does', async () => {
    const inbound = (await tf['kr.liaison'].get('/information-requests?direction=inbound').expect(200)).body;
    expect(JSON.stringify(inbound.items)).toContain('Who holds this phone?');
    for (const user of ['kr.officer', 'kr.auditor'] as const) {
      const page = (await tf[user].get('/information-requests?direction=inbound').expect(200)).body;
      expect(JSON.stringify(page.items)).not.toContain('Who holds this phone?');
    }
  });

  it('FINDING 2: KR’s officers and auditors do not read the RED phone in the liaison’s check', async () => {
    const res = await tf['kr.liaison'].post('/identifier-checks', {
      partners: ['MY'],
      identifiers: [{ kind: 'phone', value: redPhone }],
    });
    // Refused as writing it into a person of KR's is (on main: 201, and the check kept for all of KR).
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ status: 409 });
    expect(JSON.stringify(res.body)).not.toContain('KH');
    // The refusal is in KR's trail without the number or who gave it.
    const refusals = (
      await tf['kr.auditor'].get('/audit-events?action=release.refused&limit=200').expect(200)
    ).body.items as Array<{ details: unknown; ownerCountry: string | null }>;
    expect(refusals.length).toBeGreaterThan(0);
    expect(JSON.stringify(refusals)).not.toContain('93300777');
    expect(refusals.map((e) => e.ownerCountry)).not.toContain('KH');
    // The same check of a number KR holds otherwise goes on.
    await tf['kr.liaison']
      .post('/identifier-checks', {
        partners: ['MY'],
        identifiers: [{ kind: 'phone', value: '+85593300778' }],
      })
      .expect(201);
    for (const user of ['kr.officer', 'kr.auditor'] as const) {
      const list = (await tf[user].get('/identifier-checks').expect(200)).body as {
        items: Array<{ id: string }>;
      };
      for (const item of list.items) {
        const view = (await tf[user].get(`/identifier-checks/${item.id}`).expect(200)).body;
        expect({ user, view: JSON.stringify(view).includes('93300777') }).toEqual({ user, view: false });
      }
      if (res.status === 201) {
        const direct = await tf[user].get(`/identifier-checks/${res.body.id}`);
        expect({ user, leaked: JSON.stringify(direct.body).includes('93300777') }).toEqual({
          user,
          leaked: false,
        });
      }
    }
  });
});
