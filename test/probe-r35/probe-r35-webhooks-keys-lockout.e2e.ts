import { Client } from 'pg';
import request from 'supertest';
import { deliveryAbout, integrationAccount, receiver, Receiver, SECRET, waitFor } from '../probe-r32/r32-support';
import { TEST_DEMO_PASSWORD } from '../support/demo-password';
import { signIn, SignedIn } from '../support/http';
import type { TaskForce } from '../support/scenario';
import { HEAVY_TEST_TIMEOUT_MS } from '../support/timeouts';
import type { TestApp } from '../support/test-app';
import { aCopyOf, Replicas, sharedDesk, through } from './r35-support';

/** The advisory lock key the test holds to keep a delivery's claim waiting (see `holdClaims`). */
const HOLD = 35_035;

/**
 * Probe r35, the background side: B works the job queue (deliveries, sweeps), A only answers requests
 * (`JOBS_ENABLED=false`, as README suggests for such instances). A webhook subscription is switched
 * off, or its owner loses the right to read what it is about, through A, while B's delivery job is on
 * its way: started, its claim of the attempt not yet made.
 *
 * Finding (fixed): B checked whether it may send (the subscription on, its owner allowed to read the
 * record) before it claimed the attempt, and sent on that answer. The claim (an UPDATE on a pooled
 * connection: it waits for a free connection, and for any lock on the delivery row) could end after
 * A's switch-off or role change had committed and answered; B then POSTed anyway. Now B checks once the
 * attempt is claimed. The test holds the claim in a trigger that waits on an advisory lock the test
 * holds, makes the change through A, lets the claim go on, and counts the POSTs the receiver got. The
 * control lets a held delivery through with no change: it is delivered, so the hold itself stops nothing.
 *
 * Then the idempotency keys and the sign-in lockout, across both: a key's stored answer is not
 * replayed by B to a caller A took the right from, and a lockout built on both is lifted on both.
 */
describe('Probe r35: webhook deliveries, idempotency keys and the sign-in lockout across two replicas', () => {
  let t: TestApp;
  let tf: TaskForce;
  let r: Replicas;
  let hooks: Receiver;
  let holder: Client;

  beforeAll(async () => {
    ({ t, tf, r } = await sharedDesk());
    hooks = await receiver();
    // The claim is `UPDATE webhook_delivery SET attempt_started_at = now() … WHERE attempt_started_at IS
    // NULL …`; nothing else sets it. While the test holds HOLD, the claim of a delivery to a subscription
    // listed in r35_held waits in this trigger (other subscriptions' deliveries go on as usual).
    await t.dataSource.query(`CREATE TABLE r35_held (subscription_id uuid PRIMARY KEY)`);
    await t.dataSource.query(`
      CREATE FUNCTION r35_hold_claim() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF OLD.attempt_started_at IS NULL AND NEW.attempt_started_at IS NOT NULL
           AND EXISTS (SELECT 1 FROM r35_held WHERE subscription_id = NEW.subscription_id) THEN
          PERFORM pg_advisory_xact_lock_shared(${HOLD});
        END IF;
        RETURN NEW;
      END $$`);
    await t.dataSource.query(
      `CREATE TRIGGER r35_hold_claim BEFORE UPDATE ON webhook_delivery FOR EACH ROW EXECUTE FUNCTION r35_hold_claim()`,
    );
    holder = new Client({ connectionString: t.databaseUrl });
    await holder.connect();
  }, HEAVY_TEST_TIMEOUT_MS);
  afterAll(async () => {
    await holder?.end();
    await hooks?.close();
    await t.dataSource.query(`DROP TRIGGER r35_hold_claim ON webhook_delivery`);
  });

  /** `owner` subscribes the receiver's hook `name` to inbound requests, through B (which allows loopback). */
  const subscribe = async (owner: SignedIn, name: string): Promise<string> => {
    hooks.answer[name] = 200;
    const res = await through(r.b, owner)
      .post('/webhooks', { url: hooks.url(name), eventTypes: ['request.inbound'], secret: SECRET })
      .expect(201);
    return res.body.id as string;
  };

  /** A KR→KH request sent through B (whose jobs queue the delivery at once). */
  const sentThroughB = async (handlingCode: string, subject: string) => {
    const officer = through(r.b, tf['kr.officer']);
    const liaison = through(r.b, tf['kr.liaison']);
    const d = (
      await officer
        .post('/information-requests', {
          frameworkId: tf.cambodiaKoreaFramework,
          targetCountry: 'KH',
          priority: 'urgent',
          handlingCode,
          subject,
          questions: ['Who runs it?'],
        })
        .expect(201)
    ).body;
    const s = (await officer.post(`/information-requests/${d.id}/submit`, { version: d.version }).expect(200)).body;
    await liaison.post(`/information-requests/${d.id}/approve`, { version: s.version }).expect(200);
    return d.id as string;
  };

  /**
   * Sends a request to KH with the claims of `sub`'s deliveries held: once B's delivery job waits to
   * claim the attempt, `meanwhile` runs (through A), then the claim goes on. Answers the delivery as B
   * left it and the POSTs the receiver's `hook` got about the request.
   */
  async function deliveredWhileHeld(
    hook: string,
    sub: string,
    handlingCode: string,
    meanwhile: () => Promise<void>,
  ) {
    await t.dataSource.query(`INSERT INTO r35_held (subscription_id) VALUES ($1)`, [sub]);
    await holder.query(`SELECT pg_advisory_lock(${HOLD})`);
    let requestId = '';
    try {
      requestId = await sentThroughB(handlingCode, `Held delivery ${sub}`);
      await waitFor('B’s claim to wait on the hold', async () => {
        const rows = await t.dataSource.query(
          `SELECT 1 FROM pg_stat_activity WHERE datname = current_database()
              AND wait_event_type = 'Lock' AND wait_event = 'advisory' AND query LIKE '%attempt_started_at = now()%'`,
        );
        return rows.length > 0;
      });
      await meanwhile();
    } finally {
      await t.dataSource.query(`DELETE FROM r35_held`);
      await holder.query(`SELECT pg_advisory_unlock(${HOLD})`);
    }
    const delivery = await waitFor('B to be done with the delivery', async () => {
      const d = await deliveryAbout(t, sub, requestId);
      return d && d.status !== 'pending' ? d : null;
    });
    const posts = hooks.about(requestId).filter((h) => h.hook === hook).length;
    return { delivery: { status: delivery.status, lastError: delivery.last_error }, posts };
  }

  it('control: a delivery held at its claim, with nothing changed, is delivered once', async () => {
    const owner = await integrationAccount(t, 'kh.r35.hooks.control', ['liaison']);
    const sub = await subscribe(owner.as, 'control');
    expect(await deliveredWhileHeld('control', sub, 'AMBER', async () => undefined)).toEqual({
      delivery: { status: 'delivered', lastError: null },
      posts: 1,
    });
  });

  it('a subscription switched off through A while B’s delivery is on its way: B does not send it', async () => {
    const owner = await integrationAccount(t, 'kh.r35.hooks.off', ['liaison']);
    const sub = await subscribe(owner.as, 'off');
    const seen = await deliveredWhileHeld('off', sub, 'AMBER', async () => {
      await through(r.a, owner.as).post(`/webhooks/${sub}/disable`).expect(200);
    });
    expect(seen).toEqual({
      delivery: { status: 'failed', lastError: 'the subscription is switched off' },
      posts: 0,
    });
  });

  it('a RED request’s delivery whose owner loses the liaison role through A while it is on its way: B does not send it', async () => {
    const owner = await integrationAccount(t, 'kh.r35.hooks.red', ['liaison']);
    const sub = await subscribe(owner.as, 'red');
    const admin = through(r.a, await signIn(t.server, 'kh.admin'));
    const seen = await deliveredWhileHeld('red', sub, 'RED', async () => {
      const current = (await admin.get(`/users/${owner.id}`).expect(200)).body as { version: number };
      await admin.patch(`/users/${owner.id}`, { roles: ['admin'], version: current.version }).expect(200);
    });
    expect(seen).toEqual({
      delivery: { status: 'failed', lastError: 'the subscription owner may no longer read this record' },
      posts: 0,
    });
  });

  it('an idempotency key replayed through B after A took the right away: refused, not the stored answer', async () => {
    const id = await aCopyOf(t, 'kh.officer', 'kh.r35.multi', ['officer', 'screener']);
    const user = await signIn(t.server, 'kh.r35.multi');
    const body = { title: 'Idempotent across replicas', openedOn: '2026-03-01' };
    const create = (replica: 'a' | 'b') =>
      through(r[replica], user).post('/cases', body).set('Idempotency-Key', 'r35-key-0001');
    const first = await create('a').expect(201);
    const replay = await create('b').expect(201);
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(replay.body.id).toBe(first.body.id);

    const admin = through(r.a, await signIn(t.server, 'kh.admin'));
    const current = (await admin.get(`/users/${id}`).expect(200)).body as { version: number };
    await admin.patch(`/users/${id}`, { roles: ['screener'], version: current.version }).expect(200);
    const afterRole = await create('b');
    await admin.post(`/users/${id}/disable`).expect(200);
    const afterDisable = await create('b');
    expect([afterRole.status, afterDisable.status]).toEqual([403, 401]);
    expect(JSON.stringify([afterRole.body, afterDisable.body])).not.toContain(first.body.id);
  });

  it('a lockout built from wrong passwords sent to both is in force on both, and an unlock through A lifts it on B at once', async () => {
    // Never signed in: no address is its own, so five wrong passwords lock it from anywhere.
    const id = await aCopyOf(t, 'kh.officer', 'kh.r35.lockout');
    const attempt = (replica: 'a' | 'b', password: string) =>
      request(r[replica].url)
        .post('/api/v1/auth/login')
        .send({ username: 'kh.r35.lockout', password })
        .then((res) => res.status);
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push(await attempt(i % 2 ? 'b' : 'a', 'not the password at all'));
    statuses.push(await attempt('b', TEST_DEMO_PASSWORD), await attempt('a', TEST_DEMO_PASSWORD));
    const admin: SignedIn = await signIn(t.server, 'kh.admin');
    await through(r.a, admin).post(`/users/${id}/unlock`).expect(200);
    statuses.push(await attempt('b', TEST_DEMO_PASSWORD));
    expect(statuses).toEqual([401, 401, 401, 401, 401, 401, 401, 200]);
  });
});
