/** Fixed security limits of sign-in; changing one is a reviewed code change, not a setting. */
export const AUTH_LIMITS = {
  /** A session ends this long after sign-in, however often it is refreshed. */
  sessionMaxMs: 12 * 3600_000,
  lockoutThreshold: 5,
  lockoutWindowMs: 15 * 60_000,
  lockoutDurationMs: 30 * 60_000,
  /**
   * An address the account signed in from within this long is its own: wrong passwords from elsewhere
   * do not lock the right one out from there (SignInAddressesStore).
   */
  familiarAddressMs: 30 * 24 * 3600_000,
  /** How long the per-request user lookup may be served from memory. */
  userCacheMs: 2_000,
};
