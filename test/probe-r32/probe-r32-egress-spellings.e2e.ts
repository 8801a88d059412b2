import request from 'supertest';
import { signIn, SignedIn } from '../support/http';
import { createTestApp, TestApp } from '../support/test-app';
import { SECRET } from './r32-support';

/**
 * Probe r32: a hostile subscriber (KH's admin) on a desk that allows no private address at all
 * (`WEBHOOK_ALLOWED_HOSTS` empty, as in production by default). Every spelling of a loopback, private,
 * unspecified or metadata address, every other scheme, credentials, control characters, over-long URLs
 * and wrong JSON types must answer a 4xx problem (never a 500) and store nothing.
 */
describe('Probe r32: webhook URLs a hostile subscriber may try', () => {
  let t: TestApp;
  let khAdmin: SignedIn;
  beforeAll(async () => {
    t = await createTestApp({}, { WEBHOOK_ALLOWED_HOSTS: '' });
    khAdmin = await signIn(t.server, 'kh.admin');
  }, 60_000);
  afterAll(() => t?.close());

  const stored = async (): Promise<number> =>
    (await t.dataSource.query(`SELECT count(*)::int AS n FROM webhook_subscription`))[0].n;
  const subscribeTo = (url: unknown) =>
    khAdmin.post('/webhooks', { url, eventTypes: ['request.inbound'], secret: SECRET });
  /** Status, media type and the fields named, for a readable failure message. */
  const outcome = (res: request.Response) => ({
    status: res.status,
    problem: /application\/problem\+json/.test(String(res.headers['content-type'])),
    fields: ((res.body?.errors ?? []) as Array<{ field: string }>).map((e) => e.field),
  });

  // Each one points at this machine, a private network or a metadata service, however it is written.
  const NOT_PUBLIC = [
    // 127.0.0.1 in other spellings (WHATWG reads them all as 127.0.0.1)
    'http://127.0.0.1:6379/',
    'http://2130706433/',
    'http://0177.0.0.1/',
    'http://017700000001/',
    'http://0x7f000001/',
    'http://0x7f.1/',
    'http://127.1/',
    'http://127.0.1/',
    'http://127.0.0.1./',
    'http://0x7f000001./',
    'http://１２７.０.０.１/',
    'http://127。0。0。1/',
    'http://%31%32%37.0.0.1/',
    'HtTp://127.0.0.1/',
    'http://127.0.0.2:5432/',
    // this host
    'http://0.0.0.0:6379/',
    'http://0/',
    'http://[::]/',
    'http://[::1]:6379/',
    'http://[0:0:0:0:0:0:0:1]/',
    'http://localhost./',
    'http://localhost../',
    'http://LOCALHOST:6379/',
    'http://ⓛocalhost/',
    'http://redis.localhost/',
    // IPv6 forms that carry an IPv4 address
    'http://[::ffff:127.0.0.1]/',
    'http://[0:0:0:0:0:ffff:7f00:1]/',
    'http://[::ffff:0:127.0.0.1]/',
    'http://[64:ff9b::127.0.0.1]/',
    'http://[2002:7f00:1::]/',
    // the deprecated IPv4-compatible form `::a.b.c.d` (RFC 4291 2.5.5.1)
    'http://[::127.0.0.1]/',
    'http://[0:0:0:0:0:0:127.0.0.1]:6379/',
    'http://[::7f00:1]/',
    'http://[::a9fe:a9fe]/latest/meta-data',
    'http://[::10.0.0.1]/',
    // private, shared and metadata addresses
    'http://10.0.0.1/',
    'http://172.16.0.1/',
    'http://192.168.1.1/',
    'http://100.64.0.1/',
    'http://169.254.169.254/latest/meta-data',
    'http://[::ffff:a9fe:a9fe]/',
    'http://100.100.100.200/',
    'http://metadata.google.internal./computeMetadata/v1/',
    'http://METADATA/',
    'http://[fd00::1]/',
    'http://[fe80::1]/',
  ];

  it('refuses every spelling of a loopback, private, unspecified or metadata address: 400 naming url, nothing stored', async () => {
    const before = await stored();
    const answers: Array<Record<string, unknown>> = [];
    for (const url of NOT_PUBLIC) answers.push({ url, ...outcome(await subscribeTo(url)) });
    expect(answers).toEqual(NOT_PUBLIC.map((url) => ({ url, status: 400, problem: true, fields: ['url'] })));
    expect(await stored()).toBe(before);
  });

  it('refuses credentials, other schemes and what is not an absolute URL: 400 naming url', async () => {
    const urls = [
      'http://hooks.example.org@127.0.0.1/',
      'http://127.0.0.1:80@hooks.example.org/',
      'https://user:pw@hooks.example.org/',
      'https://:pw@hooks.example.org/',
      'file:///etc/passwd',
      'gopher://127.0.0.1:6379/_INFO',
      'dict://127.0.0.1:6379/INFO',
      'ftp://hooks.example.org/',
      'ws://hooks.example.org/',
      'wss://hooks.example.org/',
      'javascript:alert(1)',
      'data:text/plain,hello',
      '//hooks.example.org/',
      'hooks.example.org',
      '',
      'http://',
      'http://hooks.example.org:65536/',
      'http://hooks.example.org:0/',
      'http://[fe80::1%25eth0]/',
      'http://[::1]./',
      'http://xn--/',
      'http://127.0.0.1 .example.org/',
      'http://127.0.0.1%00.example.org/',
    ];
    const before = await stored();
    const answers: Array<Record<string, unknown>> = [];
    for (const url of urls) answers.push({ url, ...outcome(await subscribeTo(url)) });
    expect(answers).toEqual(urls.map((url) => ({ url, status: 400, problem: true, fields: ['url'] })));
    expect(await stored()).toBe(before);
  });

  it('refuses control characters in any field with a 400 naming it', async () => {
    const before = await stored();
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ url: 'https://hooks.example.org/\u0000' }, 'url'],
      [{ url: 'https://hooks.exa\u0000mple.org/' }, 'url'],
      [{ url: 'https://hooks.example.org/\u001b[31m' }, 'url'],
      [{ url: 'https://hooks.example.org/\u007f' }, 'url'],
      [{ url: 'https://hooks.example.org/\u0085' }, 'url'],
      [{ url: 'https://hooks.example.org/\ud800' }, 'url'],
      [{ secret: `${SECRET}\u0000` }, 'secret'],
      [{ eventTypes: ['request.inbound\u0000'] }, 'eventTypes[0]'],
    ];
    for (const [override, field] of cases) {
      const res = await khAdmin.post('/webhooks', {
        url: 'https://hooks.example.org/r32',
        eventTypes: ['request.inbound'],
        secret: SECRET,
        ...override,
      });
      expect({ override, ...outcome(res) }).toEqual({
        override,
        status: 400,
        problem: true,
        fields: [field],
      });
    }
    expect(await stored()).toBe(before);
  });

  it('over-long URLs: 400 past 2,000 characters; a URL of 2,000 that grows when made canonical is stored and listed', async () => {
    const base = 'https://hooks.example.org/';
    const tooLong = await subscribeTo(base + 'a'.repeat(2001 - base.length));
    expect(outcome(tooLong)).toEqual({ status: 400, problem: true, fields: ['url'] });
    // 'é' is written %C3%A9 in the canonical URL: six times as long.
    const growing = base + 'é'.repeat(2000 - base.length);
    const res = await subscribeTo(growing);
    expect(res.status).toBe(201);
    expect(res.body.url).toBe(new URL(growing).href);
    const listed = (await khAdmin.get('/webhooks').expect(200)).body as Array<{ id: string; url: string }>;
    expect(listed.find((w) => w.id === res.body.id)?.url).toBe(new URL(growing).href);
    // A host of 300 letters (labels past 63): refused or stored, never a 500.
    const longHost = await subscribeTo(`https://${'a'.repeat(300)}.example.org/`);
    expect([201, 400]).toContain(longHost.status);
    await khAdmin.post(`/webhooks/${res.body.id}/disable`).expect(200);
    if (longHost.status === 201) await khAdmin.post(`/webhooks/${longHost.body.id}/disable`).expect(200);
  });

  it('wrong JSON types and shapes: 4xx problem, never a 500, nothing stored', async () => {
    const good = { url: 'https://hooks.example.org/r32', eventTypes: ['request.inbound'], secret: SECRET };
    const bodies: Array<Record<string, unknown>> = [
      { url: 123 },
      { url: ['https://hooks.example.org/'] },
      { url: null },
      { url: { href: 'https://hooks.example.org/' } },
      { url: true },
      { eventTypes: 'request.inbound' },
      { eventTypes: [['request.inbound']] },
      { eventTypes: [1] },
      { eventTypes: [null] },
      { eventTypes: { 0: 'request.inbound' } },
      { eventTypes: [] },
      { eventTypes: ['request.inbound', 'request.inbound'] },
      { eventTypes: ['REQUEST.INBOUND'] },
      { eventTypes: Array.from({ length: 21 }, () => 'request.inbound') },
      { secret: 1234567890123456 },
      { secret: [SECRET] },
      { secret: null },
      { secret: 'x'.repeat(201) },
      { secret: 'a'.repeat(40) },
      { active: false },
      { countryCode: 'KR' },
      { createdBy: '00000000-0000-4000-8000-000000000000' },
    ];
    const before = await stored();
    for (const changed of bodies) {
      const res = await khAdmin.post('/webhooks', { ...good, ...changed });
      expect({ changed, ...outcome(res) }).toMatchObject({ changed, status: 400, problem: true });
    }
    for (const missing of ['url', 'eventTypes', 'secret'] as const) {
      const { [missing]: _gone, ...rest } = good;
      expect({ missing, ...outcome(await khAdmin.post('/webhooks', rest)) }).toMatchObject({
        missing,
        status: 400,
        problem: true,
      });
    }
    // Bodies that are not an object of this shape, sent as they are.
    const token = khAdmin.tokens.accessToken;
    for (const raw of [
      '[]',
      'null',
      '"https://hooks.example.org/"',
      '123',
      '{',
      '{"url":',
      '{"__proto__":{"url":1}}',
    ]) {
      const res = await request(t.server)
        .post('/api/v1/webhooks')
        .set('Authorization', `Bearer ${token}`)
        .set('Content-Type', 'application/json')
        .send(raw);
      expect({ raw, status: res.status, problem: outcome(res).problem }).toEqual({
        raw,
        status: 400,
        problem: true,
      });
    }
    expect(await stored()).toBe(before);
  });
});
