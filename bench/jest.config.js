// Benchmarks run through jest for its TypeScript transform and the tests' database set-up, but never as
// part of `npm test` (whose testMatch does not include bench/).
const base = require('../jest.config.js');

/** @type {import('jest').Config} */
module.exports = {
  ...base,
  rootDir: '..',
  testMatch: ['<rootDir>/bench/**/*.bench.ts'],
  maxWorkers: 1,
  testTimeout: 600_000,
};
