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
  // Three files at a time on 2 cores: most of a file's time is spent waiting on timers and
  // servers, so a third overlaps more of the waits. The embedded SQLite file is written from
  // more processes at once then; its transactions take the write lock as they begin
  // (db/database.ts, BEGIN IMMEDIATE) and wait their turn instead of failing SQLITE_BUSY.
  maxWorkers: 3,
};
