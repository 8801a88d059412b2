'use strict';
/**
 * Jest's runtime, except that the application (src/, as built in dist/) and the packages whose classes
 * it shares with specs are loaded once per worker by Node itself instead of once per spec file in
 * jest's module registry.
 *
 * Jest gives every spec file a registry of its own, so each suite loaded the app and its packages again
 * (1.8 s of CPU before its first test, 134 times a run) and ran its requests on code V8 had not yet
 * optimised. A module Node loaded stays loaded and warm for the worker's next suites.
 *
 * What this asks of specs: the app is `dist/`, so jest's global set-up builds first (test/support/global-setup.ts,
 * a second when nothing changed), a spec run by hand included; the app reads the worker's real
 * environment (`test/support/real-process`), which createTestApp sets and puts back; a spy on a class
 * of the app outlives the spec file unless restored (test/support/restore-spies.ts). Unit specs
 * beside the code (src/**\/*.spec.ts) still load src/ through jest, mocks included.
 */
const path = require('node:path');
const Runtime = require('jest-runtime').default;
const esmPackages = require('./esm-packages');

const root = path.resolve(__dirname, '../..');
const src = path.join(root, 'src') + path.sep;
const dist = path.join(root, 'dist', 'src') + path.sep;
const realProcess = path.join(__dirname, 'real-process');
/** Packages a spec shares objects with the app through: classes as injection tokens, decorators, metadata. */
const SHARED_PACKAGES =
  /^(reflect-metadata|typeorm|class-validator|class-transformer|@nestjs\/[^/]+)(\/.*)?$/;

// Run in band (one spec file), this process ran the global set-up, which loaded src/ and the ES-module
// packages through jest's transform into Node's cache: a second copy of @nestjs/common beside the one
// NestJS's own ES modules import (VERSION_NEUTRAL would no longer be itself). Forget them.
const transformed = new RegExp(`(\\.ts$|/node_modules/(${esmPackages.join('|')})/)`);
for (const id of Object.keys(require.cache)) if (transformed.test(id)) delete require.cache[id];

require('reflect-metadata');
const METADATA_FUNCTIONS = [
  'decorate',
  'metadata',
  'defineMetadata',
  'hasMetadata',
  'hasOwnMetadata',
  'getMetadata',
  'getOwnMetadata',
  'getMetadataKeys',
  'getOwnMetadataKeys',
  'deleteMetadata',
];

class SharedAppRuntime extends Runtime {
  constructor(config, environment, ...rest) {
    super(config, environment, ...rest);
    // A spec's own decorated classes (a test module, a provider) record their metadata where Nest reads it.
    const reflect = environment.global.Reflect;
    for (const name of METADATA_FUNCTIONS) reflect[name] = Reflect[name];
  }

  requireModuleOrMock(from, moduleName) {
    const native = this.nativeModuleFor(from, moduleName);
    return native ? native() : super.requireModuleOrMock(from, moduleName);
  }

  nativeModuleFor(from, moduleName) {
    if (from.startsWith(src)) return undefined; // unit specs and what they load stay jest's
    if (moduleName.startsWith('.') || moduleName.startsWith('/')) {
      const resolved = path.resolve(path.dirname(from), moduleName).replace(/\.(ts|js)$/, '');
      if (resolved === realProcess) return () => process;
      if (resolved.startsWith(src)) return () => require(dist + resolved.slice(src.length));
      return undefined;
    }
    if (SHARED_PACKAGES.test(moduleName))
      return () => require(require.resolve(moduleName, { paths: [root] }));
    return undefined;
  }
}

module.exports = SharedAppRuntime;
