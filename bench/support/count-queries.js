/**
 * Preloaded into the server by `BENCH_PROFILE_QUERIES=1 npm run bench:profile` (`node -r`): counts the
 * statements the server sends to PostgreSQL, by their first words, and writes the counts so far to
 * `$BENCH_QUERY_COUNT_FILE` every second (the bench reads them before and after the measured requests,
 * so the difference is per route; no signal: Nest's shutdown hooks take SIGUSR2). Diagnostic only:
 * never loaded by the app itself.
 */
'use strict';
const { writeFileSync } = require('node:fs');
const { Client } = require('pg');

const counts = new Map();
const original = Client.prototype.query;
Client.prototype.query = function countedQuery(config, ...rest) {
  const text = typeof config === 'string' ? config : (config && config.text) || '';
  const key = text.replace(/\s+/g, ' ').trim().slice(0, 90);
  counts.set(key, (counts.get(key) || 0) + 1);
  return original.call(this, config, ...rest);
};
setInterval(() => {
  writeFileSync(process.env.BENCH_QUERY_COUNT_FILE, JSON.stringify(Object.fromEntries(counts)));
}, 1000).unref();
