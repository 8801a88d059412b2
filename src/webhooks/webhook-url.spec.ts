import { createServer, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { canonicalWebhookUrl, parseEgressAllowList, postWebhook, webhookUrlProblem } from './webhook-url';

const NOTHING_ALLOWED = parseEgressAllowList('');

describe('webhook URL rules', () => {
  it('accepts https and refuses plain http outside development', () => {
    expect(webhookUrlProblem('https://hooks.police.example/case-desk', false, NOTHING_ALLOWED)).toBeNull();
    expect(webhookUrlProblem('http://hooks.police.example/case-desk', false, NOTHING_ALLOWED)).toMatch(
      /https/,
    );
    expect(webhookUrlProblem('http://hooks.police.example:9000/hook', true, NOTHING_ALLOWED)).toBeNull();
  });

  it('refuses link-local and metadata addresses even over https', () => {
    for (const url of [
      'https://169.254.169.254/latest/meta-data',
      'https://metadata.google.internal/',
      'https://[fe80::1]/x',
      'https://169.254.10.1/',
    ]) {
      expect(webhookUrlProblem(url, true, NOTHING_ALLOWED)).toMatch(/not a public address|metadata/);
    }
  });

  it('refuses IPv4-mapped IPv6, loopback, private, unique-local, multicast and reserved addresses in every spelling', () => {
    for (const url of [
      'http://[::ffff:169.254.169.254]/latest/meta-data',
      'http://[::ffff:a9fe:a9fe]/',
      'http://[::ffff:127.0.0.1]:5432/',
      'http://127.0.0.1:5432/',
      'http://127.1/',
      'http://2130706433/',
      'http://0x7f000001/',
      'http://0.0.0.0/',
      'http://[::1]/',
      'http://[::]/',
      'http://10.0.0.5/',
      'http://172.16.3.4/',
      'http://192.168.1.1/',
      'http://100.64.0.1/',
      'http://[fd00::1]/',
      'http://[fc00::1]/',
      'http://224.0.0.1/',
      'http://[ff02::1]/',
      'http://240.0.0.1/',
      'http://255.255.255.255/',
      'http://[64:ff9b::a9fe:a9fe]/',
      'http://[2002:a9fe:a9fe::]/',
      // The IPv4-compatible form `::a.b.c.d`, which ipaddr.js calls unicast (probe r32).
      'http://[::127.0.0.1]/',
      'http://[::7f00:1]:6379/',
      'http://[::a9fe:a9fe]/latest/meta-data',
      'http://[::10.0.0.5]/',
      'http://localhost:5432/',
      'http://localhost.:3499/hook', // a fully qualified name (probe, third round)
      'http://LOCALHOST.:3499/hook',
      'http://db.localhost/',
    ]) {
      expect({ url, problem: webhookUrlProblem(url, true, NOTHING_ALLOWED) }).toEqual({
        url,
        problem: expect.stringMatching(/not a public address|metadata/),
      });
    }
  });

  it('accepts a private address or host an operator allow-listed (WEBHOOK_ALLOWED_HOSTS), and nothing beside it', () => {
    const allow = parseEgressAllowList('127.0.0.1, 10.20.0.0/16, hooks.internal');
    expect(webhookUrlProblem('http://127.0.0.1:9000/hook', true, allow)).toBeNull();
    expect(webhookUrlProblem('http://10.20.3.4/hook', true, allow)).toBeNull();
    expect(webhookUrlProblem('http://hooks.internal/hook', true, allow)).toBeNull();
    expect(webhookUrlProblem('http://127.0.0.2/hook', true, allow)).toMatch(/not a public address/);
    expect(webhookUrlProblem('http://10.21.0.1/hook', true, allow)).toMatch(/not a public address/);
    // The metadata endpoint stays refused whatever the allow-list says.
    expect(
      webhookUrlProblem('http://169.254.169.254/', true, parseEgressAllowList('169.254.0.0/16')),
    ).toMatch(/metadata/);
  });

  it('refuses an allow-list entry that is neither a host name, an address nor a CIDR', () => {
    expect(() => parseEgressAllowList('10.0.0.0/99')).toThrow(/WEBHOOK_ALLOWED_HOSTS/);
    expect(() => parseEgressAllowList('http://x/')).toThrow(/WEBHOOK_ALLOWED_HOSTS/);
  });

  it('refuses credentials and non-URLs', () => {
    expect(webhookUrlProblem('https://user:pw@example.org/', false, NOTHING_ALLOWED)).toMatch(/credentials/);
    expect(webhookUrlProblem('not a url', false, NOTHING_ALLOWED)).toMatch(/absolute URL/);
  });

  it('refuses an xn-- label that stands for no name, on every runtime, and takes one that does', () => {
    // Node 20's URL parser refuses these; Node 24's takes them as they are.
    for (const url of ['https://xn--/', 'https://xn--a/', 'https://hooks.xn--.example/'])
      expect({ url, problem: webhookUrlProblem(url, false, NOTHING_ALLOWED) }).toEqual({
        url,
        problem: expect.stringMatching(/absolute URL/),
      });
    expect(webhookUrlProblem('https://xn--bcher-kva.example/x', false, NOTHING_ALLOWED)).toBeNull();
    expect(webhookUrlProblem('https://bücher.example/x', false, NOTHING_ALLOWED)).toBeNull();
  });

  it('refuses port 0, and stores any other spelling as the one URL a delivery reads', () => {
    expect(webhookUrlProblem('https://example.org:0/hook', false, NOTHING_ALLOWED)).toMatch(/port 0/);
    expect(canonicalWebhookUrl('https://example.org\\@evil.org/hook')).toBe(
      'https://example.org/@evil.org/hook',
    );
    expect(canonicalWebhookUrl('https://ＥＸＡＭＰＬＥ．org:443/a')).toBe('https://example.org/a');
    expect(canonicalWebhookUrl('https://bücher.example/x')).toBe('https://xn--bcher-kva.example/x');
  });
});

describe('webhook delivery connects only to the address it checked', () => {
  let server: Server;
  let port: number;
  let received: number;
  beforeAll(async () => {
    received = 0;
    server = createServer((req, res) => {
      received++;
      req.resume();
      req.on('end', () => res.writeHead(204).end());
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise((r) => server.close(r)));

  const post = (
    url: string,
    allow = NOTHING_ALLOWED,
    resolve?: Parameters<typeof postWebhook>[1]['resolve'],
  ) =>
    postWebhook(url, {
      allow,
      headers: { 'content-type': 'application/json' },
      body: '{}',
      timeoutMs: 2000,
      resolve,
    });

  it('does not connect to a loopback receiver unless it is allow-listed', async () => {
    const before = received;
    await expect(post(`http://127.0.0.1:${port}/hook`)).rejects.toThrow(/not a public address/);
    await expect(post(`http://[::ffff:127.0.0.1]:${port}/hook`)).rejects.toThrow(/not a public address/);
    expect(received).toBe(before);
    await expect(post(`http://127.0.0.1:${port}/hook`, parseEgressAllowList('127.0.0.1'))).resolves.toBe(204);
    expect(received).toBe(before + 1);
  });

  it('checks every resolved address of a host name at connect time, resolving once (no DNS rebinding window)', async () => {
    const before = received;
    let lookups = 0;
    const rebinding = async () => {
      lookups++;
      return [{ address: lookups === 1 ? '127.0.0.1' : '93.184.216.34', family: 4 }];
    };
    await expect(post(`http://rebind.example:${port}/hook`, NOTHING_ALLOWED, rebinding)).rejects.toThrow(
      /not a public address/,
    );
    expect(lookups).toBe(1);
    expect(received).toBe(before);

    // A name that resolves to a public and a private address at once is refused too.
    const mixed = async () => [
      { address: '93.184.216.34', family: 4 },
      { address: '10.0.0.7', family: 4 },
    ];
    await expect(post(`http://mixed.example:${port}/hook`, NOTHING_ALLOWED, mixed)).rejects.toThrow(
      /not a public address/,
    );
    // The refusal, which the subscriber reads in its delivery log, does not say what the name resolved
    // to: an address of the operator's own network (probe r32).
    const refusal = await post(`http://db.example:${port}/hook`, NOTHING_ALLOWED, async () => [
      { address: '10.20.30.40', family: 4 },
    ]).catch((e: Error) => e.message);
    expect(refusal).toMatch(/not a public address/);
    expect(refusal).not.toContain('10.20.30.40');

    // The address that was checked is the address connected to.
    lookups = 0;
    const allowed = async () => {
      lookups++;
      return [{ address: '127.0.0.1', family: 4 }];
    };
    await expect(
      post(`http://hooks.test:${port}/hook`, parseEgressAllowList('127.0.0.1'), allowed),
    ).resolves.toBe(204);
    expect(lookups).toBe(1);
    expect(received).toBe(before + 1);
  });
});
