import { Client } from 'pg';
import { signIn } from '../support/http';
import { createTestApp, TestApp } from '../support/test-app';

/**
 * Another instance on the same database, as the app's cache invalidations see it: a session that
 * listens under the app's listener name and acknowledges each invalidation after `delayMs`, or never.
 */
async function anotherInstance(url: string, delayMs: number | 'never') {
  const client = new Client({ connectionString: url, application_name: 'case-desk-user-cache' });
  await client.connect();
  const heard: Array<{ payload: string; ackedAt?: number }> = [];
  /** Acknowledgements sent: the app hears one at its COMMIT, before this client has read the answer. */
  const acking: Promise<unknown>[] = [];
  client.on('notification', (message) => {
    const payload = message.payload ?? '';
    const nonce = / ([0-9a-f-]{36})$/.exec(payload)?.[1];
    if (!nonce) return; // an acknowledgement, or a notification that waits for none
    const seen: { payload: string; ackedAt?: number } = { payload };
    heard.push(seen);
    if (delayMs === 'never') return;
    setTimeout(() => {
      seen.ackedAt = Date.now();
      acking.push(client.query(`SELECT pg_notify('case_desk_user_cache', $1)`, [`ack:${nonce}`]));
    }, delayMs);
  });
  await client.query(`LISTEN case_desk_user_cache`);
  // Ended only once its acknowledgements are answered: ending the client under one still being
  // answered rejected it ("Connection terminated") when the machine was busy.
  const close = async () => {
    await Promise.all(acking);
    await client.end();
  };
  return { heard, close };
}

describe('A disable answers once every instance on the database has dropped the user', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  const userId = async (username: string) =>
    (
      (await t.dataSource.query(`SELECT id FROM app_user WHERE username = $1`, [username])) as [
        { id: string },
      ]
    )[0].id;

  it('waits for a slow instance’s acknowledgement before answering, and the user is refused', async () => {
    const slow = await anotherInstance(t.databaseUrl, 400);
    try {
      const officer = await signIn(t.server, 'kr.officer2');
      await officer.get('/auth/me').expect(200);
      const admin = await signIn(t.server, 'kr.admin');
      const id = await userId('kr.officer2');

      await admin.post(`/users/${id}/disable`).expect(200);
      const answeredAt = Date.now();

      expect(slow.heard.map((h) => h.payload.split(' ')[0])).toEqual([`user:${id}`]);
      expect(slow.heard[0].ackedAt).toBeDefined();
      expect(slow.heard[0].ackedAt!).toBeLessThanOrEqual(answeredAt);
      await officer.get('/auth/me').expect(401);
    } finally {
      await slow.close();
    }
  });

  it('a sign-out waits the same way', async () => {
    const slow = await anotherInstance(t.databaseUrl, 300);
    try {
      const officer = await signIn(t.server, 'kr.officer');
      await officer.post('/auth/logout').expect(204);
      const answeredAt = Date.now();
      expect(slow.heard).toHaveLength(1);
      expect(slow.heard[0].payload).toMatch(/^session:/);
      expect(slow.heard[0].ackedAt!).toBeLessThanOrEqual(answeredAt);
      await officer.get('/auth/me').expect(401);
    } finally {
      await slow.close();
    }
  });

  it('an instance that never answers holds the disable back only as long as a cached copy may live', async () => {
    const silent = await anotherInstance(t.databaseUrl, 'never');
    try {
      const admin = await signIn(t.server, 'kr.admin');
      const id = await userId('kr.liaison');
      const sentAt = Date.now();
      await admin.post(`/users/${id}/disable`).expect(200);
      expect(silent.heard).toHaveLength(1);
      // The cache keeps a user at most two seconds: after that no copy from before the change is left.
      expect(Date.now() - sentAt).toBeGreaterThanOrEqual(1_900);
    } finally {
      await silent.close();
    }
  });
});
