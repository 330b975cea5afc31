import { AppError } from '../api/errors';
import { ConfigError } from '../config/config';
import { DatabaseUnavailableError } from '../db/database';
import { TemporalUnavailableError } from '../temporal/connect';

/** Runs an entry point; a problem a person can fix is one line on stderr, not a stack trace. */
export function runMain(main: () => Promise<void>): void {
  main().catch((err: unknown) => {
    if (
      err instanceof ConfigError ||
      err instanceof DatabaseUnavailableError ||
      err instanceof TemporalUnavailableError ||
      err instanceof AppError
    ) {
      process.stderr.write(`${err.message}\n`);
      process.exit(78);
    }
    console.error(err);
    process.exit(1);
  });
}
