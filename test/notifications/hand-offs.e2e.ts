import { givenIn } from '../support/given';
import type { SignedIn } from '../support/http';
import { aDraft, taskForce, TaskForce } from '../support/scenario';
import { createTestApp, TestApp } from '../support/test-app';

interface Notice {
  recordId: string;
  eventType: string;
  payload: Record<string, unknown>;
}

/**
 * A step that leaves the next move to a colleague tells that colleague, or the work waits unseen: a
 * draft submitted waits for a liaison's approval, a draft returned for its officers to mend it, an
 * assigned request for its officer. None of it is news for the other country. A repatriation's plan and
 * a person dropped from it are news for the side that did not take the step, whichever that is.
 */
describe('Hand-offs: whoever must act next is told', () => {
  let t: TestApp;
  let tf: TaskForce;
  beforeAll(async () => {
    t = await createTestApp({}, {}, 'demo');
    tf = await taskForce(t);
  });
  afterAll(() => t?.close());

  const path = '/information-requests';
  const told = async (who: SignedIn, id: string): Promise<string[]> =>
    ((await who.get('/notifications?limit=200').expect(200)).body.items as Notice[])
      .filter((n) => n.recordId === id)
      .map((n) => n.eventType)
      .sort();
  const step = (who: SignedIn, base: string, r: { id: string; version: number }, action: string, body = {}) =>
    who.post(`${base}/${r.id}/${action}`, { version: r.version, ...body }).expect(200);

  it('submitted: KR’s liaisons are told, not its officers, and KH hears nothing before it is sent', async () => {
    const submitted = await givenIn(tf).anInformationRequest().from('KR').sentTo('KH').submitted();
    for (const liaison of [tf['kr.liaison'], tf['kr.liaison2']])
      expect(await told(liaison, submitted.id)).toEqual(['request.submitted']);
    expect(await told(tf['kr.officer2'], submitted.id)).toEqual([]);
    expect(await told(tf['kh.liaison'], submitted.id)).toEqual([]);
  });

  it('returned: the officers who drafted and submitted it are told, no other officer', async () => {
    const draft = (await tf['kr.officer'].post(path, aDraft(tf.cambodiaKoreaFramework)).expect(201)).body;
    const submitted = (await step(tf['kr.officer2'], path, draft, 'submit')).body;
    const returned = (
      await step(tf['kr.liaison'], path, submitted, 'return', { comment: 'Name the compound’s floor' })
    ).body;
    expect(returned.status).toBe('draft');
    expect(await told(tf['kr.officer'], draft.id)).toEqual(['request.returned']);
    expect(await told(tf['kr.officer2'], draft.id)).toEqual(['request.returned']);
    // The liaisons heard of the submission only; KH of nothing.
    expect(await told(tf['kr.liaison2'], draft.id)).toEqual(['request.submitted']);
    expect(await told(tf['kh.liaison'], draft.id)).toEqual([]);
    expect(await told(tf['kh.officer'], draft.id)).toEqual([]);
  });

  it('assigned: only the officer it was handed to is told; KR hears nothing of it', async () => {
    const assigned = await givenIn(tf)
      .anInformationRequest()
      .from('KR')
      .sentTo('KH')
      .assignedTo('kh.officer2');
    expect(await told(tf['kh.officer2'], assigned.id)).toEqual(['request.assigned', 'request.inbound']);
    expect(await told(tf['kh.officer'], assigned.id)).toEqual(['request.inbound']);
    expect(await told(tf['kr.officer'], assigned.id)).toEqual(['request.accepted']);
  });

  it('a RED request assigned: its officer is told without the subject, which other officers never see', async () => {
    const assigned = await givenIn(tf)
      .anInformationRequest()
      .from('KR')
      .sentTo('KH')
      .handledAs('RED')
      .with({ subject: 'Informant in the compound' })
      .assignedTo('kh.officer');
    const notices = (
      (await tf['kh.officer'].get('/notifications?limit=200').expect(200)).body.items as Notice[]
    ).filter((n) => n.recordId === assigned.id);
    expect(notices.map((n) => n.eventType)).toEqual(['request.assigned']);
    expect(notices[0]!.payload).toMatchObject({ reference: assigned.reference, handlingCode: 'RED' });
    expect(JSON.stringify(notices)).not.toContain('Informant');
    expect(await told(tf['kh.officer2'], assigned.id)).toEqual([]);
  });

  it('a request to three countries submitted and returned tells each colleague once', async () => {
    const [{ id: body }] = await t.dataSource.query(
      `SELECT id FROM framework WHERE name = 'International Investigative Body on Scam Compounds'`,
    );
    const draft = (
      await tf['kr.officer']
        .post(path, aDraft(body, { targetCountry: 'KH', alsoTo: ['MY', 'TH'] }))
        .expect(201)
    ).body;
    const threads = (draft.recipients as Array<{ requestId: string }>).map((r) => r.requestId);
    expect(threads).toHaveLength(3);
    const submitted = (await step(tf['kr.officer'], path, draft, 'submit')).body;
    await step(tf['kr.liaison'], path, submitted, 'return');
    const heard = async (who: SignedIn, event: string) =>
      ((await who.get('/notifications?limit=200').expect(200)).body.items as Notice[]).filter(
        (n) => threads.includes(n.recordId) && n.eventType === event,
      ).length;
    expect(await heard(tf['kr.liaison2'], 'request.submitted')).toBe(1);
    expect(await heard(tf['kr.officer'], 'request.returned')).toBe(1);
  });

  describe('a repatriation (KH sends a Korean national home)', () => {
    const base = '/repatriation-requests';
    const plan = {
      departureAt: '2026-03-20T01:00:00Z',
      departurePoint: 'Phnom Penh International Airport',
      arrivalPoint: 'Incheon International Airport',
      carrier: 'Korean Air',
      flightNumber: 'KE9688',
      sendingEscorts: ['Lt. Sok Dara'],
      receivingEscorts: ['Insp. Park Ji-hoon'],
    };

    async function accepted() {
      const arrests = [];
      for (const name of ['정하늘', '윤바다']) {
        arrests.push(
          (
            await tf['kh.officer']
              .post('/arrests', {
                arrestedAt: '2026-03-01T02:30:00Z',
                place: 'Golden Fortune compound',
                grounds: 'Online fraud',
                arrestingAgency: 'Cambodian National Police',
                nationality: 'KR',
                person: { names: [{ full: name, script: 'hangul', kind: 'primary' }] },
              })
              .expect(201)
          ).body.id as string,
        );
      }
      const request = await givenIn(tf)
        .aRequest('repatriation')
        .from('KH')
        .sentTo('KR')
        .with({ arrestIds: arrests })
        .accepted();
      return { request, arrests };
    }

    it('a plan made by one side is news for the other, whichever side makes it', async () => {
      const { request } = await accepted();
      const plans = async (who: SignedIn) =>
        (await told(who, request.id)).filter((e) => e === 'repatriation.scheduled').length;
      const byKr = (await step(tf['kr.officer'], base, request, 'schedule', plan)).body;
      expect(await plans(tf['kh.officer'])).toBe(1);
      expect(await plans(tf['kh.liaison'])).toBe(1);
      expect(await plans(tf['kr.officer'])).toBe(0);
      await step(tf['kh.officer'], base, byKr, 'schedule', { ...plan, flightNumber: 'KE9690' });
      expect(await plans(tf['kr.officer'])).toBe(1);
      expect(await plans(tf['kr.liaison'])).toBe(1);
      expect(await plans(tf['kh.officer'])).toBe(1);
    });

    it('a person dropped by the sending side is news for the receiving side', async () => {
      const { request, arrests } = await accepted();
      await step(tf['kh.officer'], base, request, 'drop', { arrestId: arrests[0], reason: 'released' });
      expect(await told(tf['kr.liaison'], request.id)).toContain('repatriation.person_dropped');
      expect(await told(tf['kh.liaison'], request.id)).not.toContain('repatriation.person_dropped');
    });
  });
});
