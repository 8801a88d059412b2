import ipaddr from 'ipaddr.js';
import { lookup as dnsLookup } from 'node:dns/promises';
import * as http from 'node:http';
import * as https from 'node:https';
import { isIP, LookupFunction } from 'node:net';
import { domainToUnicode } from 'node:url';
import { allowListed, EgressAllowList } from '../config/egress-allow-list';

export { parseEgressAllowList } from '../config/egress-allow-list';
export type { EgressAllowList } from '../config/egress-allow-list';

/** Cloud metadata endpoints: refused whatever the allow-list says. */
const METADATA_HOSTS = new Set(['metadata.google.internal', 'metadata', 'metadata.azure.internal']);
const METADATA_ADDRESSES = new Set(['169.254.169.254', 'fd00:ec2::254', '100.100.100.200']);

const NOT_PUBLIC =
  'url must not point at a private, loopback, link-local or other address that is not a public address';

/**
 * `::a.b.c.d`, the deprecated IPv4-compatible form (RFC 4291 2.5.5.1), which ipaddr.js calls `unicast`:
 * another IPv6 spelling that embeds an IPv4 address (`[::127.0.0.1]` is stored as `[::7f00:1]`), so it
 * is refused as the others are (probe r32).
 */
const IPV4_COMPATIBLE: [ipaddr.IPv6, number] = [ipaddr.IPv6.parse('::'), 96];

/**
 * Why a webhook may not connect to this address, or null. ipaddr.js classifies it (its `range()`):
 * only `unicast` (public) passes, unless the operator allow-listed it. An IPv4-mapped IPv6 address
 * (`::ffff:169.254.169.254`) is judged as the IPv4 address it is; NAT64, 6to4 and Teredo forms, which
 * embed an IPv4 address, are not `unicast` and stay refused; so is the IPv4-compatible `::a.b.c.d`.
 */
export function addressProblem(
  address: string,
  allow: EgressAllowList,
  hostAllowListed = false,
): string | null {
  let ip: ipaddr.IPv4 | ipaddr.IPv6;
  try {
    ip = ipaddr.parse(address.replace(/^\[|\]$/g, ''));
  } catch {
    return NOT_PUBLIC;
  }
  if (ip.kind() === 'ipv6' && (ip as ipaddr.IPv6).isIPv4MappedAddress())
    ip = (ip as ipaddr.IPv6).toIPv4Address();
  if (METADATA_ADDRESSES.has(ip.toNormalizedString()) || METADATA_ADDRESSES.has(ip.toString()))
    return 'url must not point at a cloud metadata address';
  const compatible = ip.kind() === 'ipv6' && (ip as ipaddr.IPv6).match(IPV4_COMPATIBLE);
  const range = ip.range() === 'unicast' && compatible ? 'ipv4Compatible' : ip.range();
  if (range === 'unicast' || hostAllowListed || allowListed(ip, allow)) return null;
  return `${NOT_PUBLIC} (${range}); an operator may allow it in WEBHOOK_ALLOWED_HOSTS`;
}

// A fully qualified name's trailing dot (`localhost.`) names the same host.
const bare = (hostname: string) =>
  hostname
    .replace(/^\[|\]$/g, '')
    .replace(/\.+$/, '')
    .toLowerCase();

/**
 * Whether every `xn--` label of a host name decodes to a name of its own (an A-label always stands for
 * letters beyond ASCII). Node 20's URL parser refuses `http://xn--/` and `http://xn--a/`; Node 24's
 * takes them as they are: checked here, so that both runtimes answer alike (probe r32).
 */
const validPunycode = (host: string) =>
  host.split('.').every((label) => !label.startsWith('xn--') || /\P{ASCII}/u.test(domainToUnicode(label)));

/**
 * Why a webhook URL is refused, or null when it is acceptable: https only (plain http is allowed in
 * development and test), no credentials, never a metadata endpoint, and an IP address or `localhost`
 * only when public or allow-listed. A host name is judged again, address by address, when a delivery
 * connects (see `postWebhook`).
 */
export function webhookUrlProblem(raw: string, allowHttp: boolean, allow: EgressAllowList): string | null {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return 'url must be an absolute URL';
  }
  if (url.protocol !== 'https:' && !(allowHttp && url.protocol === 'http:')) return 'url must use https';
  if (url.username || url.password) return 'url must not carry credentials';
  if (url.port === '0') return 'url must not name port 0';
  const host = bare(url.hostname);
  if (METADATA_HOSTS.has(host)) return 'url must not point at a cloud metadata address';
  if (isIP(host) !== 0) return addressProblem(host, allow);
  if (!validPunycode(host)) return 'url must be an absolute URL';
  if (allow.hosts.has(host)) return null;
  if (host === 'localhost' || host.endsWith('.localhost')) return NOT_PUBLIC;
  return null;
}

export type Resolver = (hostname: string) => Promise<Array<{ address: string; family: number }>>;
const systemResolver: Resolver = (hostname) => dnsLookup(hostname, { all: true, verbatim: true });

export interface WebhookPost {
  allow: EgressAllowList;
  headers: Record<string, string>;
  body: string;
  timeoutMs: number;
  /** Tests substitute the DNS answer; production asks the system resolver. */
  resolve?: Resolver;
}

/**
 * POSTs a webhook and answers its status code. The host name is resolved exactly once, inside the
 * socket's own `lookup`, and every address of the answer is checked before the socket connects to
 * one of them: what was checked is what is connected to (no second resolution an attacker's DNS could
 * answer differently). Redirects are not followed.
 */
export function postWebhook(raw: string, post: WebhookPost): Promise<number> {
  const problem = webhookUrlProblem(raw, true, post.allow);
  if (problem) return Promise.reject(new Error(problem));
  const url = new URL(raw);
  const hostAllowListed = post.allow.hosts.has(bare(url.hostname));
  const resolve = post.resolve ?? systemResolver;
  const lookup: LookupFunction = (hostname, options, callback) => {
    resolve(hostname)
      .then((answers) => {
        const addresses = answers.filter((a) => !options.family || a.family === options.family);
        if (addresses.length === 0) throw new Error(`${hostname} does not resolve`);
        for (const a of addresses) {
          const refused = addressProblem(a.address, post.allow, hostAllowListed);
          // Not the address itself: the attempt log would tell a subscriber what a name of the
          // operator's own network resolves to (probe r32).
          if (refused)
            throw new Error(`${hostname} resolves to an address a webhook may not reach: ${refused}`);
        }
        if (options.all) callback(null, addresses);
        else callback(null, addresses[0]!.address, addresses[0]!.family);
      })
      .catch((error: NodeJS.ErrnoException) => callback(error, '', 0));
  };
  const client = url.protocol === 'https:' ? https : http;
  return new Promise((resolveStatus, reject) => {
    const request = client.request(
      url,
      {
        method: 'POST',
        headers: { ...post.headers, 'content-length': String(Buffer.byteLength(post.body)) },
        lookup,
        agent: false,
        signal: AbortSignal.timeout(post.timeoutMs),
      },
      (response) => {
        response.resume();
        response.on('end', () => resolveStatus(response.statusCode ?? 0));
        response.on('error', reject);
      },
    );
    request.on('error', reject);
    request.end(post.body);
  });
}

/**
 * The URL as deliveries read it (WHATWG): host in lower case and punycode, `\\` read as `/`, default
 * port dropped. Stored this way, so what an admin lists, what the audit trail shows and where a
 * delivery goes are one string, not a spelling another parser might read as another host.
 */
export const canonicalWebhookUrl = (raw: string): string => new URL(raw).href;
