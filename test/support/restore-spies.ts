// The app's classes are shared by every spec file a worker runs (test/support/shared-app-runtime.js): a spy a
// spec file left on one of their prototypes would still answer in the next file.
afterAll(() => jest.restoreAllMocks());
