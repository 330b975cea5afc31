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
  // Two files at a time on 2 cores. Three overlap more of the files' waits (428 s -> 373 s here,
  // with other work on the machine) but write the embedded SQLite file from more processes at
  // once: a 10,000-row insert then ran out of SQLITE_BUSY retries (db/database.ts) in one run.
  maxWorkers: 2,
};
