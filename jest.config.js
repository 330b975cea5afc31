/** Real servers: a Temporal dev server started once in globalSetup, the database named by
 * DATABASE_URL (else the embedded SQLite default in a temp dir). */
module.exports = {
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': 'ts-jest' },
  testMatch: ['<rootDir>/test/**/*.test.ts'],
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
  setupFiles: ['<rootDir>/test/support/setup-file.ts'],
  testTimeout: 60_000,
  maxWorkers: 2,
};
