import ipaddr from 'ipaddr.js';
import { isIP } from 'node:net';

/**
 * What an operator allows webhooks to reach although it is not a public address (WEBHOOK_ALLOWED_HOSTS):
 * exact host names, single addresses and CIDR ranges. Parsed once at start-up; a bad entry stops it.
 */
export interface EgressAllowList {
  hosts: ReadonlySet<string>;
  ranges: ReadonlyArray<[ipaddr.IPv4 | ipaddr.IPv6, number]>;
}

const HOST_NAME = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)*[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;

type Entry = { host: string } | { range: [ipaddr.IPv4 | ipaddr.IPv6, number] } | { problem: string };

function parseEntry(entry: string): Entry {
  const [address, bits, ...rest] = entry.split('/');
  if (address && isIP(address) !== 0 && rest.length === 0) {
    if (bits === undefined) {
      const ip = ipaddr.parse(address);
      return { range: [ip, ip.kind() === 'ipv4' ? 32 : 128] };
    }
    try {
      if (/^\d{1,3}$/.test(bits)) return { range: ipaddr.parseCIDR(entry) };
    } catch {
      // falls through
    }
  } else if (bits === undefined && HOST_NAME.test(entry.toLowerCase())) {
    return { host: entry.toLowerCase() };
  }
  return {
    problem: `WEBHOOK_ALLOWED_HOSTS=${JSON.stringify(entry)}: each entry must be a host name, an IP address or a CIDR`,
  };
}

const entriesOf = (raw: string) =>
  raw
    .split(',')
    .map((e) => e.trim())
    .filter(Boolean)
    .map(parseEntry);

export function egressAllowListProblems(raw: string): string[] {
  return entriesOf(raw).flatMap((e) => ('problem' in e ? [e.problem] : []));
}

export function parseEgressAllowList(raw: string): EgressAllowList {
  const entries = entriesOf(raw);
  const problems = entries.flatMap((e) => ('problem' in e ? [e.problem] : []));
  if (problems.length > 0) throw new Error(`Invalid configuration:\n  ${problems.join('\n  ')}`);
  return {
    hosts: new Set(entries.flatMap((e) => ('host' in e ? [e.host] : []))),
    ranges: entries.flatMap((e) => ('range' in e ? [e.range] : [])),
  };
}

export function allowListed(ip: ipaddr.IPv4 | ipaddr.IPv6, allow: EgressAllowList): boolean {
  return allow.ranges.some(([range, bits]) => range.kind() === ip.kind() && ip.match(range, bits));
}
