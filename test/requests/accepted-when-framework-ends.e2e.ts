import { aBankAccount } from '../asset-freezes/asset-freeze-scenario';
import { signIn, SignedIn } from '../support/http';
import { givenIn, RequestView } from '../support/given';
import { taskForce, TaskForce } from '../support/scenario';
import { createTestApp, TestApp } from '../support/test-app';

/**
 * An accepted request is finished by fulfilling it, and fulfilling needs the framework it relies on.
 * When that framework ends, the request could neither be fulfilled nor ended: it stayed accepted for
 * good, overdue on both sides, holding the accounts and arrests it names against any new request. Now
 * the origin may withdraw it and the target reject it, as before acceptance — only then.
 */
describe('An accepted request whose framework has ended can be withdrawn or rejected', () => {
  let t: TestApp;
  let tf: TaskForce;
  let admin: SignedIn;
  beforeAll(async () => {
    t = await createTestApp({}, {}, 'demo');
    tf = await taskForce(t);
    admin = await signIn(t.server, 'platform.admin');
  });
  afterAll(() => t?.close());

  const setActive = (framework: string, active: boolean) =>
    admin.patch(`/frameworks/${framework}`, { active }).expect(200);
  const step = (who: SignedIn, path: string, r: RequestView, action: string) =>
    who.post(`${path}/${r.id}/${action}`, {
      version: r.version,
      ...(action === 'reject' ? { reason: 'Cooperation has ended' } : { comment: 'Cooperation has ended' }),
    });
  const actions = async (who: SignedIn, path: string, id: string) =>
    (await who.get(`${path}/${id}`).expect(200)).body.allowedActions as string[];
  const listedActions = async (who: SignedIn, path: string, id: string) =>
    (
      (await who.get(`${path}?limit=200`).expect(200)).body.items as Array<{
        id: string;
        allowedActions: string[];
      }>
    ).find((r) => r.id === id)?.allowedActions;

  it('while the framework is active, an accepted request is neither withdrawn nor rejected, and neither step is offered', async () => {
    const accepted = await givenIn(tf).anInformationRequest().from('KR').sentTo('KH').accepted();
    const path = '/information-requests';
    const withdraw = await step(tf['kr.liaison'], path, accepted, 'withdraw').expect(409);
    expect(withdraw.body.detail).toMatch(/only once the cooperation framework it relies on has ended/);
    await step(tf['kh.liaison'], path, accepted, 'reject').expect(409);
    expect(await actions(tf['kr.liaison'], path, accepted.id)).not.toContain('withdraw');
    expect(await actions(tf['kh.liaison'], path, accepted.id)).not.toContain('reject');
    const read = (await tf['kr.liaison'].get(`${path}/${accepted.id}`).expect(200)).body;
    expect(read).toMatchObject({ status: 'accepted', version: accepted.version });
  });

  it('a freeze KH accepted: once the framework ends, KR withdraws it and the account can be asked for again', async () => {
    const account = aBankAccount({ accountNumber: '8811-2026-0001' });
    const path = '/asset-freeze-requests';
    const freeze = () =>
      givenIn(tf)
        .aRequest('asset_freeze')
        .from('KR')
        .sentTo('KH')
        .with({ targets: [account] });
    const accepted = await freeze().accepted();
    // Held: a second request for the same account is refused while the first is open.
    await tf['kr.officer']
      .post(path, {
        frameworkId: tf.cambodiaKoreaFramework,
        targetCountry: 'KH',
        priority: 'urgent',
        handlingCode: 'AMBER',
        subject: 'The same account again',
        targets: [account],
      })
      .expect(409);
    await setActive(tf.cambodiaKoreaFramework, false);
    try {
      expect(await actions(tf['kr.liaison'], path, accepted.id)).toContain('withdraw');
      expect(await listedActions(tf['kr.liaison'], path, accepted.id)).toContain('withdraw');
      expect(await actions(tf['kh.liaison'], path, accepted.id)).toContain('reject');
      expect(await listedActions(tf['kh.liaison'], path, accepted.id)).toContain('reject');
      const withdrawn = await step(tf['kr.officer'], path, accepted, 'withdraw').expect(200);
      expect(withdrawn.body.status).toBe('withdrawn');
      expect((await tf['kh.liaison'].get(`${path}/${accepted.id}`).expect(200)).body.status).toBe(
        'withdrawn',
      );
      const events = await t.dataSource.query(
        `SELECT changes FROM audit_event WHERE record_id = $1 AND action = 'request.withdraw'`,
        [accepted.id],
      );
      expect(events).toEqual([
        { changes: expect.objectContaining({ after: expect.objectContaining({ status: 'withdrawn' }) }) },
      ]);
    } finally {
      await setActive(tf.cambodiaKoreaFramework, true);
    }
    // The account is no longer held: KR can ask for it again.
    expect((await freeze().sent()).status).toBe('sent');
  });

  it('a repatriation KR accepted: once the framework ends, KR rejects it and the person can be sent for again', async () => {
    const arrest = (
      await tf['kh.officer']
        .post('/arrests', {
          arrestedAt: '2026-03-03T02:30:00Z',
          place: 'Kampot compound',
          grounds: 'Online fraud',
          arrestingAgency: 'GDNP',
          nationality: 'KR',
          person: {
            names: [{ full: 'PARK Stranded', script: 'latin', kind: 'primary' }],
            nationalities: ['KR'],
          },
        })
        .expect(201)
    ).body;
    const path = '/repatriation-requests';
    const repatriation = () =>
      givenIn(tf)
        .aRequest('repatriation')
        .from('KH')
        .sentTo('KR')
        .with({ arrestIds: [arrest.id] });
    const accepted = await repatriation().accepted();
    // Held: a second request for the same person is refused while the first is open.
    const again = {
      frameworkId: tf.cambodiaKoreaFramework,
      targetCountry: 'KR',
      priority: 'urgent',
      handlingCode: 'AMBER',
      subject: 'PARK Stranded again',
      arrestIds: [arrest.id],
    };
    await tf['kh.officer'].post(path, again).expect(409);
    await setActive(tf.cambodiaKoreaFramework, false);
    try {
      // Nothing else is possible for either side: fulfilling, scheduling and handing over need the framework.
      expect(await actions(tf['kr.liaison'], path, accepted.id)).toEqual(['reject']);
      expect(await actions(tf['kh.liaison'], path, accepted.id)).toEqual(['withdraw']);
      const rejected = await step(tf['kr.liaison'], path, accepted, 'reject').expect(200);
      expect(rejected.body.status).toBe('rejected');
    } finally {
      await setActive(tf.cambodiaKoreaFramework, true);
    }
    // The person is no longer held: KH can send for them again.
    expect((await repatriation().sent()).status).toBe('sent');
  });
});
