// The worker's own `process` (test/support/shared-app-runtime.js hands it over): jest gives each spec file
// a copy of process.env, and the app, loaded by Node, reads the real one.
module.exports = process;
