/** The password of every demo account in the test template database. */
export const TEST_DEMO_PASSWORD = 'correct horse battery staple for tests';
