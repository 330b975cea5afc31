import { ApplicationFailure } from '@temporalio/activity';
import { BAD_DATA } from '../domain/failures';

/*
 * How an activity failure is retried. Bad data never gets better by waiting: the same
 * arguments meet the same refusal on every attempt, so such failures end the activity at
 * once (non-retryable) and the workflow refuses the command instead of waiting forever.
 * Everything else (the database or the provider unreachable, a deadlock, a lost race on a
 * unique key that the retry will find already written) is retried with backoff.
 */

/** MySQL/MariaDB errors that say the value, not the moment, is wrong. */
const BAD_DATA_MYSQL_ERRNOS = new Set([
  1048, // ER_BAD_NULL_ERROR
  1264, // ER_WARN_DATA_OUT_OF_RANGE
  1265, // WARN_DATA_TRUNCATED
  1292, // ER_TRUNCATED_WRONG_VALUE ("Incorrect datetime value")
  1364, // ER_NO_DEFAULT_FOR_FIELD
  1366, // ER_TRUNCATED_WRONG_VALUE_FOR_FIELD
  1406, // ER_DATA_TOO_LONG
  1451, // ER_ROW_IS_REFERENCED_2
  1452, // ER_NO_REFERENCED_ROW_2
  3819, // ER_CHECK_CONSTRAINT_VIOLATED (MySQL)
  4025, // ER_CONSTRAINT_FAILED (MariaDB)
]);
/** SQLite's equivalents; UNIQUE and PRIMARY KEY stay retryable (a race the retry resolves). */
const BAD_DATA_SQLITE = /^SQLITE_(CONSTRAINT_(NOTNULL|CHECK|FOREIGNKEY)|MISMATCH|TOOBIG|RANGE)$/;

/** A failure caused by the data itself: retrying the same arguments cannot succeed. */
export function isBadData(err: unknown): boolean {
  if (err instanceof RangeError) return true; // e.g. an invalid Date reaching a column
  if (typeof err !== 'object' || err === null) return false;
  const { errno, code } = err as { errno?: unknown; code?: unknown };
  if (typeof errno === 'number' && BAD_DATA_MYSQL_ERRNOS.has(errno) && /^(ER_|WARN_)/.test(String(code)))
    return true;
  return typeof code === 'string' && BAD_DATA_SQLITE.test(code);
}

/** The driver's message only: never the SQL or its parameters (they may carry tokens). */
function describe(err: unknown): string {
  const { code, sqlMessage, message } = err as { code?: string; sqlMessage?: string; message?: string };
  const text = (sqlMessage ?? message ?? String(err)).split('\n')[0].slice(0, 300);
  return code ? `${code}: ${text}` : text;
}

type AnyActivity = (...args: never[]) => Promise<unknown>;

/** Wraps every activity so that bad data fails it as a non-retryable `bad_data` ApplicationFailure. */
export function classifyErrors<T extends Record<string, AnyActivity>>(activities: T): T {
  const wrapped: Record<string, AnyActivity> = {};
  for (const [name, fn] of Object.entries(activities)) {
    wrapped[name] = async (...args: never[]) => {
      try {
        return await fn(...args);
      } catch (err) {
        if (err instanceof ApplicationFailure || !isBadData(err)) throw err;
        throw ApplicationFailure.nonRetryable(`${name}: ${describe(err)}`, BAD_DATA);
      }
    };
  }
  return wrapped as T;
}
