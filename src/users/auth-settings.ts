/** Fixed security limits of sign-in; changing one is a reviewed code change, not a setting. */
export const AUTH_LIMITS = {
  /** A session ends this long after sign-in, however often it is refreshed. */
  sessionMaxMs: 12 * 3600_000,
  lockoutThreshold: 5,
  lockoutWindowMs: 15 * 60_000,
  lockoutDurationMs: 30 * 60_000,
  /** How long the per-request user lookup may be served from memory. */
  userCacheMs: 2_000,
};
