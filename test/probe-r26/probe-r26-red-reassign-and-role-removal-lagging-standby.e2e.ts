import { givenIn } from '../support/given';
import { signIn, SignedIn } from '../support/http';
import { taskForce, TaskForce } from '../support/scenario';
import type { StreamingPair } from '../support/streaming-standby';
import type { TestApp } from '../support/test-app';
import { appOnPrimaryAndStandby, waitUntil, whileStandbyPaused } from '../probe-r13/lagging-standby';

/**
 * Probe r26, on a real primary and a standby whose replay is paused: the two ways a user of the SAME
 * country loses a RED request, beside the cross-country ones probes r13 and the read-replicas spec
 * try.
 *
 * 1. Reassigned (`POST …/assign`, `@ReducesVisibility()`): KH sends KR a RED information request
 *    about a KH person; KR's liaison assigns it to kr.officer, then, with the standby paused, to
 *    kr.officer2. kr.officer's request and person lists must not show either from the standby.
 * 2. A role taken away (`PATCH /users/:id`, not marked, and need not be): a KR user who is officer and
 *    liaison reads the RED request as a liaison; KR's admin leaves them officer only. The standby still
 *    serves their list (a request KH sent meanwhile is not in it yet), and the RED request is not in it:
 *    the scopes take the reader's roles from the per-request look-up on the primary.
 */
describe('Probe r26: a RED request reassigned, or a liaison role removed, on a lagging standby', () => {
  let pair: StreamingPair;
  let t: TestApp;
  let tf: TaskForce;
  let redId: string;
  let personId: string;
  let dual: SignedIn;
  const seen: Record<string, { requests: string[]; persons: string[] }> = {};
  let controlId: string;

  const lists = async (who: SignedIn) => ({
    requests: (
      (await who.get('/information-requests?limit=200').expect(200)).body.items as Array<{ id: string }>
    ).map((r) => r.id),
    persons: ((await who.get('/persons?limit=200').expect(200)).body.items as Array<{ id: string }>).map(
      (p) => p.id,
    ),
  });

  beforeAll(async () => {
    ({ pair, t } = await appOnPrimaryAndStandby());
    tf = await taskForce(t);
    const given = givenIn(tf);
    personId = (
      await tf['kh.officer']
        .post('/persons', {
          names: [{ full: 'SOK Redassigned', script: 'latin', kind: 'primary' }],
          birthDate: '1988',
          nationalities: ['KH'],
        })
        .expect(201)
    ).body.id;
    redId = (
      await given
        .anInformationRequest()
        .from('KH')
        .sentTo('KR')
        .handledAs('RED')
        .about(personId)
        .assignedTo('kr.officer')
    ).id;

    // A KR user who is both officer and liaison: made by KR's admin, enabled by a second one (four eyes).
    const admin = await signIn(t.server, 'kr.admin');
    const [{ agency_id: agencyId }] = await t.dataSource.query(
      `SELECT agency_id FROM app_user WHERE username = 'kr.officer'`,
    );
    const password = 'a perfectly long password for r26';
    await (
      await signIn(t.server, 'platform.admin')
    )
      .post('/users', {
        username: 'kr.admin.r26',
        displayName: 'Second admin',
        agencyId,
        roles: ['admin'],
        password,
      })
      .expect(201);
    const made = (
      await admin
        .post('/users', {
          username: 'kr.dual.r26',
          displayName: 'Officer and liaison',
          agencyId,
          roles: ['officer', 'liaison'],
          password,
        })
        .expect(201)
    ).body;
    const created = (
      await (await signIn(t.server, 'kr.admin.r26', password)).post(`/users/${made.id}/enable`).expect(200)
    ).body;
    dual = await signIn(t.server, 'kr.dual.r26', password);

    // 2. The role removed while the standby replays nothing.
    await waitUntil(() => pair.caughtUp(), 30_000);
    seen.dualBefore = await lists(dual);
    await whileStandbyPaused(pair, async () => {
      controlId = (await given.anInformationRequest().from('KH').sentTo('KR').handledAs('AMBER').sent()).id;
      await admin.patch(`/users/${created.id}`, { roles: ['officer'], version: created.version }).expect(200);
      seen.dualAfter = await lists(dual);
    });

    // 1. Reassigned while the standby replays nothing.
    await waitUntil(() => pair.caughtUp(), 30_000);
    seen.officerBefore = await lists(tf['kr.officer']);
    await whileStandbyPaused(pair, async () => {
      const current = (await tf['kr.liaison'].get(`/information-requests/${redId}`).expect(200)).body;
      await tf['kr.liaison']
        .post(`/information-requests/${redId}/assign`, {
          version: current.version,
          assigneeId: await tf.userId('kr.officer2'),
        })
        .expect(200);
      seen.officerAfter = await lists(tf['kr.officer']);
      seen.officer2After = await lists(tf['kr.officer2']);
    });
  }, 180_000);
  afterAll(async () => {
    await t?.close();
    await pair?.stop();
  });

  it('the officer and liaison listed the RED request before the role was taken away', () => {
    expect(seen.dualBefore!.requests).toContain(redId);
  });

  it('left officer only, they list it no more, from a standby that still serves them', () => {
    // Served by the standby: a request KH sent after the pause is not in it yet.
    expect(seen.dualAfter!.requests).not.toContain(controlId);
    expect(seen.dualAfter!.requests).not.toContain(redId);
  });

  it('the officer it was assigned to listed the request and its person', () => {
    expect(seen.officerBefore!.requests).toContain(redId);
    expect(seen.officerBefore!.persons).toContain(personId);
  });

  it('reassigned, neither is listed to them any more, whatever the standby has replayed', () => {
    expect(seen.officerAfter!.requests).not.toContain(redId);
    expect(seen.officerAfter!.persons).not.toContain(personId);
  });

  it('the new assignee lists both at once', () => {
    expect(seen.officer2After!.requests).toContain(redId);
    expect(seen.officer2After!.persons).toContain(personId);
  });
});
