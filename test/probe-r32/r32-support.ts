import { createServer, IncomingMessage, Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { signIn, SignedIn } from '../support/http';
import type { TestApp } from '../support/test-app';

export const SECRET = 'a probe r32 webhook secret, long enough 0123456789';

/** One POST a receiver was sent: which hook (`/hooks/<name>`), the body, and what it was answered. */
export interface Hit {
  hook: string;
  headers: IncomingMessage['headers'];
  body: string;
  answered: number;
}

/** What a receiver answers: a status, or a redirect (a 3xx status and where to). */
export type Answer = number | { status: number; location: string };

/**
 * A webhook receiver on `host` (127.0.0.1 unless said): every path `/hooks/<name>` answers what
 * `answer[name]` says (503 until set), and every POST is kept. `connections` counts TCP connections,
 * so a listener that must never be reached can be checked even for a connection that sent nothing.
 */
export async function receiver(host = '127.0.0.1') {
  const hits: Hit[] = [];
  const answer: Record<string, Answer> = {};
  let connections = 0;
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      const hook = (req.url ?? '').replace(/^\/hooks\//, '');
      const a = answer[hook] ?? 503;
      const status = typeof a === 'number' ? a : a.status;
      hits.push({ hook, headers: req.headers, body, answered: status });
      if (typeof a !== 'number') res.setHeader('location', a.location);
      res.statusCode = status;
      res.end();
    });
  });
  server.on('connection', (_s: Socket) => (connections += 1));
  await new Promise<void>((r) => server.listen(0, host, r));
  const { port } = server.address() as AddressInfo;
  return {
    port,
    url: (name: string) => `http://${host}:${port}/hooks/${name}`,
    hits,
    answer,
    connections: () => connections,
    /** The POSTs about `recordId` (the body names it). */
    about: (recordId: string) => hits.filter((h) => h.body.includes(recordId)),
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}
export type Receiver = Awaited<ReturnType<typeof receiver>>;

/**
 * An integration account: `country`'s admin who also holds `roles`, written as the demo accounts are
 * (same agency and password as `<country>.admin`), signed in.
 */
export async function integrationAccount(
  t: TestApp,
  username: string,
  roles: string[],
): Promise<{ id: string; as: SignedIn }> {
  const admin = `${username.split('.')[0]}.admin`;
  const [row] = await t.dataSource.query(
    `INSERT INTO app_user (username, display_name, agency_id, country_code, roles, password_hash)
     SELECT $1, $1, agency_id, country_code, $2, password_hash FROM app_user WHERE username = $3
     RETURNING id`,
    [username, ['admin', ...roles], admin],
  );
  return { id: row.id as string, as: await signIn(t.server, username) };
}

/** `who` subscribes `url` to `eventTypes`; answers the subscription's id. */
export async function subscribe(who: SignedIn, url: string, eventTypes: string[]): Promise<string> {
  const res = await who.post('/webhooks', { url, eventTypes, secret: SECRET });
  if (res.status !== 201) throw new Error(`subscribing ${url}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.id as string;
}

/** The delivery of subscription `sub` about `recordId`, as stored (undefined until queued). */
export async function deliveryAbout(
  t: TestApp,
  sub: string,
  recordId: string,
): Promise<{ id: string; status: string; attempts: number; last_error: string | null } | undefined> {
  const [row] = await t.dataSource.query(
    `SELECT d.id, d.status, d.attempts, d.last_error FROM webhook_delivery d JOIN notification n ON n.id = d.notification_id
      WHERE d.subscription_id = $1 AND n.record_id = $2 ORDER BY d.created_at LIMIT 1`,
    [sub, recordId],
  );
  return row;
}

/** Polls `check` until it answers something truthy (a condition, not a time: fails after `timeoutMs`). */
export async function waitFor<T>(
  what: string,
  check: () => Promise<T | undefined | null | false>,
  timeoutMs = 40_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`${what}: not reached in ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 150));
  }
}

/** A KR→KH information request, sent (AMBER unless `handlingCode` says otherwise). */
export async function sentToKh(
  kr: { officer: SignedIn; liaison: SignedIn },
  frameworkId: string,
  fields: Record<string, unknown> = {},
): Promise<{ id: string; reference: string; version: number }> {
  const d = (
    await kr.officer
      .post('/information-requests', {
        frameworkId,
        targetCountry: 'KH',
        priority: 'urgent',
        handlingCode: 'AMBER',
        subject: 'Probe r32 request',
        questions: ['Who runs it?'],
        ...fields,
      })
      .expect(201)
  ).body;
  const s = (
    await kr.officer.post(`/information-requests/${d.id}/submit`, { version: d.version }).expect(200)
  ).body;
  return (await kr.liaison.post(`/information-requests/${d.id}/approve`, { version: s.version }).expect(200))
    .body;
}
