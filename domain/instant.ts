/**
 * The instants Herald accepts anywhere (API bodies, signals, activity arguments): from
 * 2000-01-01T00:00:00.000Z to 9999-12-31T23:59:59.999Z, judged after conversion to UTC.
 * The top is what a DATETIME column holds (MySQL/MariaDB stop at year 9999, so
 * `9999-12-31T23:59:59-14:00` is already out); the bottom keeps year-0 typos from being
 * read as 2000 by the database. No I/O: workflow code imports this module.
 */
export const EARLIEST_INSTANT_MS = Date.UTC(2000, 0, 1);
export const LATEST_INSTANT_MS = Date.UTC(10000, 0, 1) - 1;

export const INSTANT_RANGE_MESSAGE =
  'must be between 2000-01-01T00:00:00Z and 9999-12-31T23:59:59.999Z (UTC)';

/** Whether an epoch-milliseconds value is inside the accepted range. */
export const instantInRange = (ms: number): boolean =>
  Number.isFinite(ms) && ms >= EARLIEST_INSTANT_MS && ms <= LATEST_INSTANT_MS;

export const DAY_MS = 86_400_000;
