/**
 * For the few specs that move megabytes or start the server more than once (a 10 MB import, 1,000
 * entries in one call, the embedded database started twice): they take 5–30 s alone but pass 60 s (the
 * default in jest.config.js) when several suites share the machine's two cores.
 */
export const HEAVY_TEST_TIMEOUT_MS = 180_000;
