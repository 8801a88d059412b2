import { isIP } from 'node:net';

const METADATA_HOSTS = new Set([
  'metadata.google.internal',
  'metadata',
  'metadata.azure.internal',
  '169.254.169.254',
  'fd00:ec2::254',
  '100.100.100.200',
]);

/** Link-local (169.254/16, fe80::/10) addresses and cloud metadata endpoints. */
export function isForbiddenAddress(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  if (METADATA_HOSTS.has(h)) return true;
  if (isIP(h) === 4) return h.startsWith('169.254.') || h === '0.0.0.0';
  if (isIP(h) === 6) return /^fe[89ab]/.test(h) || h === '::';
  return false;
}

/**
 * Why a webhook URL is refused, or null when it is acceptable: https only (plain http is allowed in
 * development and test), never link-local or metadata addresses, no credentials in the URL.
 */
export function webhookUrlProblem(raw: string, allowHttp: boolean): string | null {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return 'url must be an absolute URL';
  }
  if (url.protocol !== 'https:' && !(allowHttp && url.protocol === 'http:')) return 'url must use https';
  if (url.username || url.password) return 'url must not carry credentials';
  if (isForbiddenAddress(url.hostname)) return 'url must not point at link-local or metadata addresses';
  return null;
}
