import { createHmac } from 'node:crypto';
import { createServer, IncomingMessage, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { DomainEventBus } from '../../src/common/events/domain-event-bus';
import { Clock } from '../../src/common/time/clock';
import { JobsService } from '../../src/jobs/jobs.service';
import { DeadlineService } from '../../src/notifications/deadline.service';
import { WebhookDeliveryService } from '../../src/webhooks/webhook-delivery.service';
import { WebhookOutbox } from '../../src/webhooks/webhook-outbox.service';
import { RequestStepTaken } from '../../src/workflow/request-events';
import { givenIn } from '../support/given';
import { createTestApp, TestApp } from '../support/test-app';
import { signIn, SignedIn } from '../support/http';
import { aDraft, taskForce, TaskForce } from '../support/scenario';
import { webhookDeliverySettings } from '../support/webhook-settings';

const SECRET = 'a-webhook-secret-of-at-least-32-characters';

interface Received {
  headers: IncomingMessage['headers'];
  body: string;
}

/** A webhook receiver on 127.0.0.1 that fails the first `failures` calls. */
async function receiver(
  failures: number,
  host = '127.0.0.1',
): Promise<{ url: string; port: number; received: Received[]; close: () => Promise<void> }> {
  const received: Received[] = [];
  let calls = 0;
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      calls += 1;
      received.push({ headers: req.headers, body });
      res.statusCode = calls <= failures ? 503 : 200;
      res.end();
    });
  });
  await new Promise<void>((r) => server.listen(0, host, r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host}:${port}/hooks/case-desk`,
    port,
    received,
    close: () => new Promise((r) => server.close(() => r())),
  };
}

async function waitFor<T>(check: () => Promise<T | undefined | false>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe('Notifications, deadlines and webhooks', () => {
  let t: TestApp;
  let tf: TaskForce;
  let khAdmin: SignedIn;
  let khHooks: SignedIn;
  beforeAll(async () => {
    t = await createTestApp({}, webhookDeliverySettings());
    tf = await taskForce(t);
    khAdmin = await signIn(t.server, 'kh.admin');
    // A webhook delivers only what its owner may read: these subscriptions belong to an admin who is
    // also a liaison (kh.admin alone has no requests.read).
    await t.dataSource.query(
      `INSERT INTO app_user (username, display_name, agency_id, country_code, roles, password_hash)
       SELECT 'kh.hooks', 'KH integrations', agency_id, country_code, '{admin,liaison}', password_hash
         FROM app_user WHERE username = 'kh.admin'`,
    );
    khHooks = await signIn(t.server, 'kh.hooks');
  });
  afterAll(() => t?.close());
  afterEach(() => jest.restoreAllMocks());

  async function sentRequest(overrides: object = {}) {
    const d = (
      await tf['kr.officer']
        .post('/information-requests', aDraft(tf.cambodiaKoreaFramework, overrides))
        .expect(201)
    ).body;
    const s = (
      await tf['kr.officer'].post(`/information-requests/${d.id}/submit`, { version: d.version }).expect(200)
    ).body;
    return (
      await tf['kr.liaison'].post(`/information-requests/${d.id}/approve`, { version: s.version }).expect(200)
    ).body;
  }

  it('tells the target liaisons of a new inbound request, and RED requests carry no subject', async () => {
    const amber = await sentRequest({ subject: 'Amber subject' });
    const red = await sentRequest({ handlingCode: 'RED', subject: 'Secret subject' });
    const inbox = (await tf['kh.liaison'].get('/notifications?limit=200').expect(200)).body.items;
    const forAmber = inbox.find((n: { recordId: string }) => n.recordId === amber.id);
    const forRed = inbox.find((n: { recordId: string }) => n.recordId === red.id);
    expect(forAmber).toMatchObject({
      eventType: 'request.inbound',
      reference: amber.reference,
      readAt: null,
      payload: { subject: 'Amber subject' },
    });
    expect(forRed.payload.subject).toBeUndefined();
    expect(JSON.stringify(forRed)).not.toContain('Secret subject');
    const officerInbox = (await tf['kh.officer'].get('/notifications?limit=200').expect(200)).body.items;
    expect(officerInbox.map((n: { recordId: string }) => n.recordId)).not.toContain(red.id);
    const myInbox = (await tf['my.liaison'].get('/notifications?limit=200').expect(200)).body.items;
    expect(myInbox).toEqual([]);
  });

  it('a refused change notifies nobody', async () => {
    const s = await givenIn(tf).anInformationRequest().with(aDraft(tf.cambodiaKoreaFramework)).submitted();
    const before = await t.dataSource.query(`SELECT count(*)::int AS n FROM notification`);
    await tf['kr.liaison']
      .post(`/information-requests/${s.id}/approve`, { version: s.version + 1 })
      .expect(409);
    const after = await t.dataSource.query(`SELECT count(*)::int AS n FROM notification`);
    expect(after[0].n).toBe(before[0].n);
  });

  it('runs the subscribers of a step inside its transaction: one that fails undoes the step and its notice', async () => {
    // A subscriber that fails while `failing` is set, beside the real one (notifications). The step's
    // event is published and awaited before COMMIT, so its failure must roll back everything the step
    // wrote: the status, the history, the audit event and the notification written before it.
    let failing = false;
    t.app.get(DomainEventBus).subscribe(RequestStepTaken, async () => {
      if (failing) throw new Error('subscriber failed');
    });
    const s = await givenIn(tf).anInformationRequest().with(aDraft(tf.cambodiaKoreaFramework)).submitted();
    const count = async (sql: string) => (await t.dataSource.query(sql, [s.id]))[0].n as number;
    // The submission told KR's liaisons (a hand-off); the approval's notice is the one at stake.
    const notices = `SELECT count(*)::int AS n FROM notification WHERE record_id = $1 AND event_type = 'request.inbound'`;
    const approvals = `SELECT count(*)::int AS n FROM audit_event WHERE record_id = $1::text AND action = 'request.approve'`;
    failing = true;
    try {
      await tf['kr.liaison']
        .post(`/information-requests/${s.id}/approve`, { version: s.version })
        .expect(500);
    } finally {
      failing = false;
    }
    expect((await tf['kr.officer'].get(`/information-requests/${s.id}`).expect(200)).body.status).toBe(
      'submitted',
    );
    expect(await count(notices)).toBe(0);
    expect(await count(approvals)).toBe(0);

    await tf['kr.liaison'].post(`/information-requests/${s.id}/approve`, { version: s.version }).expect(200);
    expect(await count(notices)).toBe(1);
    expect(await count(approvals)).toBe(1);
  });

  it('marks one or all notifications read; unread come first', async () => {
    const first = await sentRequest();
    await sentRequest();
    const inbox = (await tf['kh.liaison2'].get('/notifications?limit=200').expect(200)).body.items;
    const target = inbox.find((n: { recordId: string }) => n.recordId === first.id);
    await tf['kh.liaison2'].post(`/notifications/${target.id}/read`).expect(204);
    const again = (await tf['kh.liaison2'].get('/notifications?limit=200').expect(200)).body.items;
    expect(again[again.length - 1].id).toBe(target.id);
    expect(again.slice(0, -1).every((n: { readAt: string | null }) => n.readAt === null)).toBe(true);
    await tf['kr.officer'].post(`/notifications/${target.id}/read`).expect(404);
    const all = await tf['kh.liaison2'].post('/notifications/read-all').expect(200);
    expect(all.body.marked).toBe(again.length - 1);
    expect((await tf['kh.liaison2'].get('/notifications?unreadOnly=true').expect(200)).body.items).toEqual(
      [],
    );
  });

  it('a notification about a case no longer shared is gone from every path: inbox, mark read, read-all count', async () => {
    const khCase = (await tf['kh.officer'].post('/cases', { title: 'Callers of block C' }).expect(201)).body;
    await tf['kh.liaison'].post(`/cases/${khCase.id}/shares`, { countryCode: 'KR' }).expect(201);
    // A correlation alert addressed to KR's officers about KH's shared case, as the correlation job writes it.
    const [{ id: noticeId }] = await t.dataSource.query(
      `INSERT INTO notification (event_type, country_code, roles, record_type, record_id, reference, payload)
       VALUES ('identifier.correlation', 'KR', '{officer}', 'case', $1, $2, '{}') RETURNING id`,
      [khCase.id, khCase.reference],
    );
    const unreadIds = async (): Promise<string[]> =>
      (await tf['kr.officer'].get('/notifications?unreadOnly=true&limit=200').expect(200)).body.items.map(
        (n: { id: string }) => n.id,
      );
    expect(await unreadIds()).toContain(noticeId);

    await tf['kh.liaison'].delete(`/cases/${khCase.id}/shares/KR`).expect(200);
    const stillVisible = await unreadIds();
    expect(stillVisible).not.toContain(noticeId);
    await tf['kr.officer'].post(`/notifications/${noticeId}/read`).expect(404);
    const all = await tf['kr.officer'].post('/notifications/read-all').expect(200);
    expect(all.body.marked).toBe(stillVisible.length);
    const [{ n }] = await t.dataSource.query(
      `SELECT count(*)::int AS n FROM notification_read WHERE notification_id = $1`,
      [noticeId],
    );
    expect(n).toBe(0);
  });

  it('an urgent request not accepted within 48 h becomes overdue, notified exactly once with two instances scanning', async () => {
    const r = await sentRequest({ priority: 'urgent', subject: 'Deadline test' });
    // Instances differ only in their connections: concurrent scans on separate pooled connections race
    // exactly as two processes would. (Two Nest apps cannot share one jest process: nestjs-cls keeps
    // static state.)
    const scanner = t.app.get(DeadlineService);
    const clock = jest.spyOn(t.app.get(Clock), 'now');
    const sentAt = new Date(r.sentAt).getTime();
    clock.mockReturnValue(new Date(sentAt + 37 * 3600_000));
    await Promise.all([scanner.scan(), scanner.scan(), scanner.scan()]);
    clock.mockReturnValue(new Date(sentAt + 48 * 3600_000 + 1000));
    await Promise.all([scanner.scan(), scanner.scan(), scanner.scan()]);
    await scanner.scan();
    // Earlier requests of this file fall due too; none of them may be told twice either.
    const duplicates = await t.dataSource.query(
      `SELECT record_id, event_type, country_code, count(*)::int AS n FROM notification
        WHERE event_type IN ('request.due_soon', 'request.overdue') GROUP BY 1, 2, 3 HAVING count(*) > 1`,
    );
    expect(duplicates).toEqual([]);
    const [row] = await t.dataSource.query(
      `SELECT overdue_notified_at FROM cross_border_request WHERE id = $1`,
      [r.id],
    );
    expect(row.overdue_notified_at).not.toBeNull();
    const events = await t.dataSource.query(
      `SELECT event_type, country_code FROM notification WHERE record_id = $1 ORDER BY created_at, country_code`,
      [r.id],
    );
    expect(events.filter((e: { event_type: string }) => e.event_type === 'request.due_soon')).toEqual([
      { event_type: 'request.due_soon', country_code: 'KH' },
    ]);
    expect(
      events
        .filter((e: { event_type: string }) => e.event_type === 'request.overdue')
        .map((e: { country_code: string }) => e.country_code)
        .sort(),
    ).toEqual(['KH', 'KR']);
  });

  it('refuses a webhook secret of one character repeated or of invisible characters alone (400 naming it)', async () => {
    for (const secret of ['a'.repeat(32), '\u200b'.repeat(40), '\u200b\u200c\u2060\u00ad'.repeat(10)]) {
      const res = await khHooks.post('/webhooks', {
        url: 'https://hooks.example.org/case-desk',
        eventTypes: ['request.inbound'],
        secret,
      });
      expect({ status: res.status, fields: res.body.errors?.map((e: { field: string }) => e.field) }).toEqual(
        {
          status: 400,
          fields: ['secret'],
        },
      );
    }
  });

  it('delivers a signed webhook, retrying a failing receiver until one delivery is accepted, with every attempt logged', async () => {
    const hook = await receiver(3);
    try {
      const sub = (
        await khHooks
          .post('/webhooks', { url: hook.url, eventTypes: ['request.inbound'], secret: SECRET })
          .expect(201)
      ).body;
      expect(JSON.stringify(sub)).not.toContain(SECRET);
      const r = await sentRequest({ subject: 'Webhook subject' });
      const delivered = await waitFor(async () => {
        const log = (await khHooks.get(`/webhooks/${sub.id}/deliveries`).expect(200)).body;
        return log.find((d: { status: string }) => d.status === 'delivered');
      }, 45_000);
      expect(delivered.attempts.map((a: { statusCode: number }) => a.statusCode)).toEqual([
        503, 503, 503, 200,
      ]);
      expect(hook.received).toHaveLength(4);
      const accepted = hook.received[3]!;
      const signed = createHmac('sha256', SECRET)
        .update(`${accepted.headers['x-casedesk-timestamp']}.${accepted.body}`)
        .digest('hex');
      expect(accepted.headers['x-casedesk-signature']).toBe(`sha256=${signed}`);
      expect(JSON.parse(accepted.body)).toMatchObject({
        type: 'request.inbound',
        recordType: 'request',
        recordId: r.id,
        reference: r.reference,
      });
      // The event, its record and reference; the content is read through the API.
      expect(accepted.body).not.toContain('Webhook subject');
      await khHooks.post(`/webhooks/${sub.id}/disable`).expect(200);
    } finally {
      await hook.close();
    }
  });

  it('a delivery whose job was lost after commit is picked up by the sweeper and delivered once', async () => {
    const hook = await receiver(0);
    try {
      const sub = (
        await khHooks
          .post('/webhooks', { url: hook.url, eventTypes: ['request.message'], secret: SECRET })
          .expect(201)
      ).body;
      const r = await sentRequest();
      // The crash: the message and its delivery row commit, but the job is never queued.
      const send = jest.spyOn(t.app.get(JobsService), 'send').mockResolvedValue(undefined);
      await tf['kr.officer']
        .post(`/information-requests/${r.id}/messages`, { body: 'Any news?' })
        .expect(201);
      send.mockRestore();
      await new Promise((res) => setTimeout(res, 1500));
      expect(hook.received).toHaveLength(0);
      await t.dataSource.query(
        `UPDATE webhook_delivery SET created_at = now() - interval '2 minutes' WHERE subscription_id = $1 AND attempts = 0`,
        [sub.id],
      );
      await t.app.get(WebhookOutbox).sweep();
      await t.app.get(WebhookOutbox).sweep();
      await waitFor(async () => hook.received.length >= 1);
      await new Promise((res) => setTimeout(res, 1500));
      expect(hook.received).toHaveLength(1);
      await khHooks.post(`/webhooks/${sub.id}/disable`).expect(200);
    } finally {
      await hook.close();
    }
  });

  it('delivers a webhook about a shared case while its owner may read the case, and never after the share is revoked', async () => {
    // A correlation alert may name another country's case: the check at delivery must know cases as the
    // check at enqueue does (it once knew requests and screening alerts only, so these were never sent).
    const hook = await receiver(0);
    try {
      await t.dataSource.query(
        `INSERT INTO app_user (username, display_name, agency_id, country_code, roles, password_hash)
         SELECT 'kr.hooks', 'KR integrations', agency_id, country_code, '{admin,officer}', password_hash
           FROM app_user WHERE username = 'kr.admin'`,
      );
      const [{ id: ownerId }] = await t.dataSource.query(
        `SELECT id FROM app_user WHERE username = 'kr.hooks'`,
      );
      const [{ id: subscriptionId }] = await t.dataSource.query(
        `INSERT INTO webhook_subscription (country_code, url, event_types, secret, created_by)
         VALUES ('KR', $1, '{identifier.correlation}', $2, $3) RETURNING id`,
        [hook.url, SECRET, ownerId],
      );
      const khCase = (await tf['kh.officer'].post('/cases', { title: 'Compound callers' }).expect(201)).body;
      await tf['kh.liaison'].post(`/cases/${khCase.id}/shares`, { countryCode: 'KR' }).expect(201);
      const deliver = async (): Promise<string> => {
        const [{ id: deliveryId }] = await t.dataSource.query(
          `WITH n AS (INSERT INTO notification (event_type, country_code, roles, user_id, record_type, record_id, reference, payload)
                      VALUES ('identifier.correlation', 'KR', '{officer}', $1, 'case', $2, $3, '{}') RETURNING id)
           INSERT INTO webhook_delivery (subscription_id, notification_id) SELECT $4, id FROM n RETURNING id`,
          [ownerId, khCase.id, khCase.reference, subscriptionId],
        );
        await t.app.get(WebhookDeliveryService).attempt(deliveryId);
        const [row] = await t.dataSource.query(`SELECT status FROM webhook_delivery WHERE id = $1`, [
          deliveryId,
        ]);
        return row.status;
      };

      expect(await deliver()).toBe('delivered');
      expect(hook.received).toHaveLength(1);
      expect(JSON.parse(hook.received[0].body)).toMatchObject({ recordType: 'case', recordId: khCase.id });

      await tf['kh.liaison'].delete(`/cases/${khCase.id}/shares/KR`).expect(200);
      expect(await deliver()).toBe('failed');
      expect(hook.received).toHaveLength(1);
    } finally {
      await hook.close();
    }
  });

  it('never connects to an address outside the allow-list, even from a subscription stored before the filter (IPv4-mapped or plain)', async () => {
    // 127.0.0.2 is loopback but not allow-listed (only 127.0.0.1 is): a service port the delivery log
    // must not reveal. The rows are written directly, as a subscription saved before the filter existed.
    const hook = await receiver(0, '127.0.0.2');
    try {
      // Owned by kh.hooks (admin and liaison): a subscriber who may read the request, so a delivery is
      // made and it is the address filter that stops it.
      const khAdminId = (await t.dataSource.query(`SELECT id FROM app_user WHERE username = 'kh.hooks'`))[0]
        .id;
      const ids: string[] = [];
      for (const url of [
        `http://[::ffff:127.0.0.2]:${hook.port}/hook`,
        `http://127.0.0.2:${hook.port}/hook`,
      ]) {
        const [row] = await t.dataSource.query(
          `INSERT INTO webhook_subscription (country_code, url, event_types, secret, created_by) VALUES ('KH', $1, $2, $3, $4) RETURNING id`,
          [url, ['request.inbound'], SECRET, khAdminId],
        );
        ids.push(row.id);
      }
      await sentRequest({ subject: 'Nobody inside may hear this' });
      for (const id of ids) {
        const attempt = await waitFor(async () => {
          const log = (await khHooks.get(`/webhooks/${id}/deliveries`).expect(200)).body;
          return log[0]?.attempts?.[0];
        });
        expect(attempt).toMatchObject({
          statusCode: null,
          error: expect.stringMatching(/not a public address/),
        });
        await khAdmin.post(`/webhooks/${id}/disable`).expect(200);
      }
      expect(hook.received).toHaveLength(0);
      // Another admin of the country may switch a subscription off, but not read its delivery log.
      await khAdmin.get(`/webhooks/${ids[0]}/deliveries`).expect(404);
    } finally {
      await hook.close();
    }
  });

  it('refuses webhook URLs that point at link-local, metadata, mapped, loopback or private addresses, and non-admins', async () => {
    for (const url of [
      'http://169.254.169.254/latest/meta-data',
      'http://[::ffff:169.254.169.254]/latest/meta-data',
      'https://metadata.google.internal/x',
      'http://127.0.0.2:5432/',
      'http://[::1]:5432/',
      'http://10.1.2.3/hook',
      'http://localhost:5432/',
      'ftp://example.org/',
    ]) {
      const res = await khAdmin
        .post('/webhooks', { url, eventTypes: ['request.inbound'], secret: SECRET })
        .expect(400);
      expect(res.body.errors[0].field).toBe('url');
    }
    await tf['kh.liaison']
      .post('/webhooks', { url: 'https://example.org/', eventTypes: ['request.inbound'], secret: SECRET })
      .expect(403);
    await khAdmin
      .post('/webhooks', { url: 'https://example.org/', eventTypes: ['request.everything'], secret: SECRET })
      .expect(400);
  });

  it('stats equal counts computed independently from the rows', async () => {
    const stats = (await tf['kr.liaison'].get('/stats').expect(200)).body;
    const rows = await t.dataSource.query(
      `SELECT kind, CASE WHEN origin_country = 'KR' THEN 'outbound' ELSE 'inbound' END AS direction, status, count(*)::int AS n
         FROM cross_border_request WHERE origin_country = 'KR' OR (target_country = 'KR' AND sent_at IS NOT NULL) GROUP BY 1, 2, 3`,
    );
    const fromApi = new Map<string, number>();
    for (const r of stats.requests)
      fromApi.set(
        `${r.kind}/${r.direction}/${r.status}`,
        (fromApi.get(`${r.kind}/${r.direction}/${r.status}`) ?? 0) + r.count,
      );
    expect(Object.fromEntries(fromApi)).toEqual(
      Object.fromEntries(
        rows.map((r: { kind: string; direction: string; status: string; n: number }) => [
          `${r.kind}/${r.direction}/${r.status}`,
          r.n,
        ]),
      ),
    );
    expect(stats.requests.length).toBeGreaterThan(0);
    await tf['kr.screener'].get('/stats').expect(403);
    await tf['kr.liaison'].get('/stats?from=2026-12-01&to=2026-01-01').expect(400);
  });
});
