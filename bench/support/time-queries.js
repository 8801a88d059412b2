/**
 * Preloaded into the server by `npm run bench:screening` (`node -r`): times every statement the server
 * sends to PostgreSQL, from node-postgres's `query` call to its answer, by the statement's first words,
 * and writes the times so far to `$BENCH_QUERY_TIMES_FILE` every half second (the bench reads them after
 * each pass: the retrieval's time inside the server, the write's, and statements per request).
 * Diagnostic only: never loaded by the app itself.
 */
'use strict';
const { writeFileSync } = require('node:fs');
const { Client } = require('pg');

const times = new Map();
const record = (key, started) => {
  let list = times.get(key);
  if (!list) times.set(key, (list = []));
  list.push(Number(process.hrtime.bigint() - started) / 1e6);
};
const original = Client.prototype.query;
Client.prototype.query = function timedQuery(config, ...rest) {
  const text = typeof config === 'string' ? config : (config && config.text) || '';
  const key = text.replace(/\s+/g, ' ').trim().slice(0, 60);
  const started = process.hrtime.bigint();
  const callback = typeof rest[rest.length - 1] === 'function' ? rest.pop() : null;
  if (callback) {
    return original.call(this, config, ...rest, (error, result) => {
      record(key, started);
      callback(error, result);
    });
  }
  const result = original.call(this, config, ...rest);
  if (result && typeof result.then === 'function')
    result.then(
      () => record(key, started),
      () => record(key, started),
    );
  return result;
};
setInterval(() => {
  writeFileSync(process.env.BENCH_QUERY_TIMES_FILE, JSON.stringify(Object.fromEntries(times)));
}, 500).unref();
