/**
 * `Content-Security-Policy` of every download (an evidence file's content, a case bundle, the audit
 * export): text and files a partner wrote. The answer is `attachment` with `nosniff`, and no browser
 * navigation carries the Bearer token; still, a client that ever shows one inline gets a sandbox with no
 * script, no plugin, no request out: defence in depth (probe r24).
 */
export const DOWNLOAD_CSP = "sandbox; default-src 'none'";
