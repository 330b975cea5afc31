/**
 * Send windows (SPEC "Sending policy"): the local hours in which campaign email may go out.
 *
 * The one rule: an email may go at an instant when the clock on the wall *there* (the
 * recipient's zone when known, else the window's own) shows a time in [from, to) on one of
 * the window's days. Everything else follows from reading the wall clock, DST included:
 * - a `from` that does not exist on a spring-forward day (02:30 in Berlin on 2026-03-29)
 *   opens at the first instant after it, when the clock jumps past it (03:00 CEST);
 * - a `from` that happens twice on a fall-back day opens at its first occurrence; the
 *   repeated hour is inside the window each time the clock shows it;
 * - 09:00–17:30 stays 09:00–17:30 on the clock on a 23- or 25-hour day.
 * `to` before `from` (22:00–06:00) spans midnight: the window opens on the named day and
 * closes the next morning. `to` may be 24:00 (to the end of the day); 00:00–24:00 is all day.
 *
 * Pure, only Intl: workflow code may import it. But the answers depend on the time-zone
 * data of the Node that runs it, which can change between releases, so a workflow should
 * receive the instants from an activity rather than compute them during replay.
 */

export const DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Day = (typeof DAYS)[number];

export interface SendWindow {
  /** IANA name, e.g. `Europe/Berlin` (see isTimeZone). */
  timeZone: string;
  /** The days on which the window opens (an overnight window closes the next morning). */
  days: Day[];
  /** `HH:MM`, 00:00–23:59. */
  from: string;
  /** `HH:MM`, 00:00–24:00, not equal to `from`; before `from` = overnight. */
  to: string;
}

/** Same shape as the API's field errors, so they pass straight through. */
export interface WindowProblem {
  /** Relative to the window object (`timeZone`, `days.2`, …); '' = the window itself. */
  field: string;
  message: string;
}

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

// --- time zones -------------------------------------------------------------------------

// One formatter per zone: building one costs far more than using it. Bounded because names
// come from user input (a CSV may carry thousands of spellings of garbage).
// With the formatter cached, nextOpening costs one formatToParts per edge crossed (more on a
// day the clocks change), so a batch of recipients stays cheap even zone by zone.
const formatters = new Map<string, Intl.DateTimeFormat | null>();
const MAX_CACHED_ZONES = 2000;

function formatterFor(timeZone: string): Intl.DateTimeFormat | null {
  let formatter = formatters.get(timeZone);
  if (formatter !== undefined) return formatter;
  formatter = null;
  // Offsets (+02:00) are not IANA zones and know no DST; newer Node versions accept them in
  // Intl, so they are refused here by shape to keep the rule the same on every runtime.
  if (timeZone !== '' && !/^[+\-\u2212\d]/.test(timeZone)) {
    try {
      formatter = new Intl.DateTimeFormat('en-US', {
        timeZone,
        hourCycle: 'h23',
        year: 'numeric',
        month: 'numeric',
        day: 'numeric',
        hour: 'numeric',
        minute: 'numeric',
        second: 'numeric',
      });
    } catch {
      formatter = null; // RangeError: not a zone this runtime knows
    }
  }
  if (formatters.size >= MAX_CACHED_ZONES) formatters.clear();
  formatters.set(timeZone, formatter);
  return formatter;
}

/** What is wrong with a name `isTimeZone` refuses, wherever a zone comes in (window, invite, CSV row). */
export const NOT_A_TIME_ZONE =
  'must be an IANA time zone such as Europe/Berlin (offsets like +02:00 are not zones)';

/**
 * Whether `name` is an IANA time zone this runtime knows: the canonical names of
 * `Intl.supportedValuesOf('timeZone')` and the aliases Intl accepts (`UTC`, `Etc/UTC`,
 * `US/Eastern`, `Asia/Kolkata`), matched without regard to case as Intl does. Offsets such as
 * `+02:00` are refused: they are not zones and would silently ignore DST.
 */
export function isTimeZone(name: unknown): name is string {
  return typeof name === 'string' && formatterFor(name) !== null;
}

/**
 * A zone as stored: the runtime's own spelling when the name differs from it only in case
 * (`europe/berlin` → `Europe/Berlin`, `utc` → `UTC`), else the name as given. Aliases keep
 * their name (`US/Eastern`, `Asia/Kolkata`): the runtime would swap them for another name of
 * the zone (Node 20 says `Asia/Calcutta`), which the user never wrote. Call with a zone that
 * `isTimeZone` accepted.
 */
export function canonicalTimeZone(name: string): string {
  const resolved = formatterFor(name)?.resolvedOptions().timeZone;
  return resolved !== undefined && resolved.toLowerCase() === name.toLowerCase() ? resolved : name;
}

function zoneFormatter(timeZone: string): Intl.DateTimeFormat {
  const formatter = formatterFor(timeZone);
  if (!formatter) throw new RangeError(`not an IANA time zone: '${timeZone}'`);
  return formatter;
}

/**
 * The wall clock in a zone at an instant, as milliseconds on a UTC scale ("local time as if
 * it were UTC"), so that day and time-of-day fall out of plain arithmetic.
 */
function wallClock(formatter: Intl.DateTimeFormat, instant: number): number {
  const part: Record<string, number> = {};
  for (const { type, value } of formatter.formatToParts(instant)) part[type] = Number(value);
  const wholeSeconds = Date.UTC(part.year, part.month - 1, part.day, part.hour, part.minute, part.second);
  return wholeSeconds + (((instant % 1000) + 1000) % 1000);
}

// --- validation -------------------------------------------------------------------------

const CLOCK = /^(\d\d):(\d\d)$/;

/** Minutes after midnight of an `HH:MM` from 00:00 to 24:00, else null. */
function clockMinutes(value: unknown): number | null {
  const match = typeof value === 'string' ? CLOCK.exec(value) : null;
  if (!match) return null;
  const hours = Number(match[1]);
  const minutes = Number(match[2]);
  if (minutes > 59 || hours > 24 || (hours === 24 && minutes > 0)) return null;
  return hours * 60 + minutes;
}

const isDay = (value: unknown): value is Day => (DAYS as readonly unknown[]).includes(value);

/** Everything wrong with a would-be window, one entry per field (empty = valid). Shape only
 * as far as reading it needs: unknown extra fields are the schema's business. */
export function sendWindowProblems(input: unknown): WindowProblem[] {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    return [{ field: '', message: 'must be an object with timeZone, days, from and to' }];
  }
  const { timeZone, days, from, to } = input as Record<string, unknown>;
  const problems: WindowProblem[] = [];

  if (timeZone === undefined) problems.push({ field: 'timeZone', message: 'required' });
  else if (!isTimeZone(timeZone)) problems.push({ field: 'timeZone', message: NOT_A_TIME_ZONE });

  if (days === undefined) problems.push({ field: 'days', message: 'required' });
  else if (!Array.isArray(days))
    problems.push({ field: 'days', message: `must be a list of ${DAYS.join(', ')}` });
  else if (days.length === 0) problems.push({ field: 'days', message: 'must name at least one day' });
  else {
    days.forEach((day, i) => {
      if (!isDay(day)) problems.push({ field: `days.${i}`, message: `must be one of ${DAYS.join(', ')}` });
      else if (days.indexOf(day) < i) problems.push({ field: `days.${i}`, message: `repeats ${day}` });
    });
  }

  const fromMinutes = clockMinutes(from);
  if (from === undefined) problems.push({ field: 'from', message: 'required' });
  else if (fromMinutes === null || fromMinutes === 24 * 60) {
    problems.push({ field: 'from', message: 'must be a time HH:MM from 00:00 to 23:59' });
  }
  const toMinutes = clockMinutes(to);
  if (to === undefined) problems.push({ field: 'to', message: 'required' });
  else if (toMinutes === null)
    problems.push({ field: 'to', message: 'must be a time HH:MM from 00:00 to 24:00' });
  else if (toMinutes === fromMinutes) {
    problems.push({ field: 'to', message: 'must differ from from (00:00 to 24:00 is the whole day)' });
  }
  return problems;
}

// --- the window as numbers --------------------------------------------------------------

interface Compiled {
  formatterOf(recipientZone: string | null | undefined): Intl.DateTimeFormat;
  /** Open days, indexed like Date.getUTCDay (0 = Sunday). */
  openDays: boolean[];
  fromMs: number;
  toMs: number;
  overnight: boolean;
  /** Every day, 00:00–24:00: never closes. */
  always: boolean;
}

// DAYS is Monday-first; Date.getUTCDay is Sunday-first.
const DAY_INDEX: Record<Day, number> = { sun: 0, mon: 1, tue: 2, wed: 3, thu: 4, fri: 5, sat: 6 };

function compile(window: SendWindow): Compiled {
  const problems = sendWindowProblems(window);
  if (problems.length > 0) {
    throw new RangeError(
      `invalid send window: ${problems.map((p) => `${p.field || '(window)'} ${p.message}`).join('; ')}`,
    );
  }
  const openDays = Array.from({ length: 7 }, () => false);
  for (const day of window.days) openDays[DAY_INDEX[day]] = true;
  const fromMs = clockMinutes(window.from)! * MINUTE;
  const toMs = clockMinutes(window.to)! * MINUTE;
  return {
    formatterOf: (recipientZone) => zoneFormatter(recipientZone ?? window.timeZone),
    openDays,
    fromMs,
    toMs,
    overnight: toMs < fromMs,
    always: window.days.length === 7 && fromMs === 0 && toMs === DAY,
  };
}

function isOpenOnWall(w: Compiled, wall: number): boolean {
  const dayNumber = Math.floor(wall / DAY);
  const sinceMidnight = wall - dayNumber * DAY;
  const weekday = (((dayNumber + 4) % 7) + 7) % 7; // 1970-01-01 was a Thursday
  if (!w.overnight) return w.openDays[weekday] && sinceMidnight >= w.fromMs && sinceMidnight < w.toMs;
  return (
    (w.openDays[weekday] && sinceMidnight >= w.fromMs) ||
    (w.openDays[(weekday + 6) % 7] && sinceMidnight < w.toMs)
  );
}

/** The next wall-clock time after `wall` at which the window may open or close. */
function nextEdgeOnWall(w: Compiled, wall: number): number {
  const midnight = Math.floor(wall / DAY) * DAY;
  const edges = [w.fromMs, w.toMs, DAY + w.fromMs, DAY + w.toMs].map((edge) => midnight + edge);
  return Math.min(...edges.filter((edge) => edge > wall));
}

/**
 * The first instant in (after, until] at which the zone's UTC offset is no longer `offset`,
 * else null. Sampled a day at a time (no zone changes its offset twice within a day and back),
 * then bisected to the millisecond.
 */
function nextOffsetChange(
  f: Intl.DateTimeFormat,
  after: number,
  until: number,
  offset: number,
): number | null {
  let same = after;
  while (same < until) {
    const probe = Math.min(same + DAY, until);
    if (wallClock(f, probe) - probe === offset) {
      same = probe;
      continue;
    }
    let changed = probe;
    while (changed - same > 1) {
      const mid = Math.floor((same + changed) / 2);
      if (wallClock(f, mid) - mid === offset) same = mid;
      else changed = mid;
    }
    return changed;
  }
  return null;
}

// Two weeks of instants is more than any gap between two openings of a valid window (one
// week, plus a day a zone may skip); each step crosses one edge or one offset change.
const MAX_STEPS = 14 * 4;

/** The first instant ≥ `instant` at which the window's openness is `wanted`. */
function firstInstant(w: Compiled, f: Intl.DateTimeFormat, instant: number, wanted: boolean): number {
  if (!Number.isFinite(instant)) throw new RangeError(`not an instant: ${instant}`);
  let at = instant;
  let wall = wallClock(f, at);
  for (let step = 0; step < MAX_STEPS; step++) {
    if (isOpenOnWall(w, wall) === wanted) return at;
    const offset = wall - at;
    // Walk the clock to its next edge; if the offset changes first, stop there instead: the
    // jump may land inside the window (spring forward past `from`, fall back into the hours).
    const edge = nextEdgeOnWall(w, wall) - offset;
    const change = nextOffsetChange(f, at, edge, offset);
    at = change ?? edge;
    wall = change === null ? edge + offset : wallClock(f, at);
  }
  throw new Error(
    `send window never ${wanted ? 'opens' : 'closes'} within two weeks of ${new Date(instant).toISOString()}`,
  );
}

// --- the questions ----------------------------------------------------------------------

/**
 * Whether an email may go at `instant` (epoch ms): the window's days and hours read on the
 * wall clock of `recipientZone` when given, else of the window's own zone.
 */
export function isOpenAt(window: SendWindow, instant: number, recipientZone?: string | null): boolean {
  const w = compile(window);
  return isOpenOnWall(w, wallClock(w.formatterOf(recipientZone), instant));
}

/** The earliest instant ≥ `instant` at which the window is open (`instant` itself if open). */
export function nextOpening(window: SendWindow, instant: number, recipientZone?: string | null): number {
  const w = compile(window);
  return firstInstant(w, w.formatterOf(recipientZone), instant, true);
}

/**
 * The earliest instant ≥ `instant` at which the window is closed (`instant` itself if closed):
 * the end of the current opening, to cap a batch. Null for a window that never closes
 * (every day, 00:00–24:00).
 */
export function nextClosing(
  window: SendWindow,
  instant: number,
  recipientZone?: string | null,
): number | null {
  const w = compile(window);
  if (w.always) return null;
  return firstInstant(w, w.formatterOf(recipientZone), instant, false);
}

export interface ZoneSchedule {
  /** Zones open at the instant (null = recipients without a zone, read in the window's). */
  open: (string | null)[];
  closed: (string | null)[];
  /** The earliest opening among the closed zones; null when none is closed. */
  nextOpening: number | null;
  /** The earliest closing among the open zones; null when none is open or none closes. */
  nextClosing: number | null;
}

/**
 * For the claim step: given the zones of the recipients waiting (duplicates and null
 * allowed), which may be sent to at `instant`, and when the next change comes. Each distinct
 * zone is worked out once.
 */
export function zoneSchedule(
  window: SendWindow,
  zones: Iterable<string | null>,
  instant: number,
): ZoneSchedule {
  const w = compile(window);
  const schedule: ZoneSchedule = { open: [], closed: [], nextOpening: null, nextClosing: null };
  const earliest = (a: number | null, b: number) => (a === null ? b : Math.min(a, b));
  for (const zone of new Set(zones)) {
    const f = w.formatterOf(zone);
    if (isOpenOnWall(w, wallClock(f, instant))) {
      schedule.open.push(zone);
      if (!w.always)
        schedule.nextClosing = earliest(schedule.nextClosing, firstInstant(w, f, instant, false));
    } else {
      schedule.closed.push(zone);
      schedule.nextOpening = earliest(schedule.nextOpening, firstInstant(w, f, instant, true));
    }
  }
  return schedule;
}
