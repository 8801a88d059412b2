// Unit specs live beside the code (src/**/*.spec.ts); end-to-end specs in test/ (test/**/*.e2e-spec.ts);
// test/architecture/*.spec.ts check the shape of src/ itself (no folder imports one that imports it back).
// NestJS 12 (and any-ascii) ship ES modules only, so @swc/jest also transforms those packages inside node_modules.
const esmPackages = require('./test/support/esm-packages');

/** @type {import('jest').Config} */
module.exports = {
  rootDir: '.',
  testEnvironment: 'node',
  testMatch: ['<rootDir>/src/**/*.spec.ts', '<rootDir>/test/**/*.e2e-spec.ts', '<rootDir>/test/architecture/*.spec.ts'],
  transform: {
    '^.+\\.(t|j|mj)s$': [
      '@swc/jest',
      {
        jsc: {
          parser: { syntax: 'typescript', decorators: true },
          transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: false },
          target: 'es2022',
        },
        module: { type: 'commonjs' },
      },
    ],
  },
  transformIgnorePatterns: [`/node_modules/(?!(${esmPackages.join('|')})/)`],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  moduleFileExtensions: ['ts', 'js', 'mjs', 'json'],
  setupFilesAfterEnv: ['<rootDir>/test/support/restore-spies.ts', '<rootDir>/test/support/keep-alive.ts'],
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
  maxWorkers: 3,
  runtime: '<rootDir>/test/support/shared-app-runtime.js',
  testSequencer: '<rootDir>/test/support/slow-first-sequencer.js',
  testTimeout: 60_000,
};
