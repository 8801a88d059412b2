import { signIn, SignedIn } from '../support/http';
import { givenIn } from '../support/given';
import { taskForce, TaskForce } from '../support/scenario';
import { createTestApp, TestApp } from '../support/test-app';

/**
 * A target may be working on a request when its origin withdraws it: its liaisons (and officers, but
 * for RED) are told, as they are of every other step of the other side. A draft or a submitted request
 * the target was never sent is nobody's news: withdrawing it tells the target nothing.
 */
describe('The target hears when a request it was sent is withdrawn, and of nothing it was not sent', () => {
  let t: TestApp;
  let tf: TaskForce;
  beforeAll(async () => {
    t = await createTestApp();
    tf = await taskForce(t);
  });
  afterAll(() => t?.close());

  const path = '/information-requests';
  const told = async (who: SignedIn, id: string) =>
    (
      (await who.get('/notifications?limit=200').expect(200)).body.items as Array<{
        recordId: string;
        eventType: string;
        payload: Record<string, unknown>;
      }>
    ).filter((n) => n.recordId === id);
  const withdraw = (who: SignedIn, r: { id: string; version: number }) =>
    who
      .post(`${path}/${r.id}/withdraw`, { version: r.version, comment: 'Suspect arrested at home' })
      .expect(200);

  it('KR withdraws a request KH had accepted: KH’s liaisons and officers are told, without KR’s comment', async () => {
    const accepted = await givenIn(tf)
      .anInformationRequest()
      .from('KR')
      .sentTo('KH')
      .with({ subject: 'Compound in Bavet' })
      .accepted();
    expect((await told(tf['kh.liaison'], accepted.id)).map((n) => n.eventType)).toEqual(['request.inbound']);
    await withdrawWhenEnded(accepted);
    for (const who of [tf['kh.liaison'], tf['kh.officer']]) {
      const notices = await told(who, accepted.id);
      const withdrawn = notices.find((n) => n.eventType === 'request.withdrawn');
      expect(withdrawn?.payload).toMatchObject({ status: 'withdrawn', subject: 'Compound in Bavet' });
      expect(JSON.stringify(withdrawn)).not.toContain('Suspect arrested at home');
    }
    // KR, which withdrew it, is not told of its own step.
    expect((await told(tf['kr.liaison'], accepted.id)).map((n) => n.eventType)).not.toContain(
      'request.withdrawn',
    );
  });

  it('a sent RED request withdrawn: only KH’s liaisons are told, and not of its subject', async () => {
    const sent = await givenIn(tf)
      .anInformationRequest()
      .from('KR')
      .sentTo('KH')
      .handledAs('RED')
      .with({ subject: 'Informant inside' })
      .sent();
    await withdraw(tf['kr.officer'], sent);
    const notices = await told(tf['kh.liaison'], sent.id);
    expect(notices.map((n) => n.eventType).sort()).toEqual(['request.inbound', 'request.withdrawn']);
    expect(JSON.stringify(notices)).not.toContain('Informant inside');
    expect(await told(tf['kh.officer'], sent.id)).toEqual([]);
  });

  it('a draft and a submitted request withdrawn tell KH nothing', async () => {
    const before = await t.dataSource.query(
      `SELECT count(*)::int AS n FROM notification WHERE country_code = 'KH'`,
    );
    const draft = await givenIn(tf).anInformationRequest().from('KR').sentTo('KH').drafted();
    await withdraw(tf['kr.officer'], draft);
    const submitted = await givenIn(tf).anInformationRequest().from('KR').sentTo('KH').submitted();
    await withdraw(tf['kr.liaison'], submitted);
    const after = await t.dataSource.query(
      `SELECT count(*)::int AS n FROM notification WHERE country_code = 'KH'`,
    );
    expect(after[0].n).toBe(before[0].n);
  });

  /** An accepted request is withdrawn only once its framework has ended (then renewed). */
  async function withdrawWhenEnded(accepted: { id: string; version: number }): Promise<void> {
    const admin = await signIn(t.server, 'platform.admin');
    await admin.patch(`/frameworks/${tf.cambodiaKoreaFramework}`, { active: false }).expect(200);
    try {
      await withdraw(tf['kr.liaison'], accepted);
    } finally {
      await admin.patch(`/frameworks/${tf.cambodiaKoreaFramework}`, { active: true }).expect(200);
    }
  }
});
