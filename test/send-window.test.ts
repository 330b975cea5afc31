import {
  isOpenAt,
  isTimeZone,
  nextClosing,
  nextOpening,
  sendWindowProblems,
  zoneSchedule,
  type SendWindow,
} from '../domain/send-window';

// Instants are written in UTC with the local time they stand for beside them. Offsets used:
// Berlin CET +01 / CEST +02 (2026: CEST from 03-29 01:00Z to 10-25 01:00Z);
// New York EST −05 / EDT −04 (2026: EDT from 03-08 07:00Z to 11-01 06:00Z);
// Los Angeles PDT −07 in June; Tokyo +09 all year. 2026-06-01 is a Monday.
const MINUTE = 60_000;
const at = (iso: string) => Date.parse(iso);
const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

const EVERY_DAY = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as SendWindow['days'];
const berlin = (window: Partial<SendWindow> = {}): SendWindow => ({
  timeZone: 'Europe/Berlin',
  days: ['mon', 'tue', 'wed', 'thu', 'fri'],
  from: '09:00',
  to: '17:30',
  ...window,
});

describe('Which names are time zones', () => {
  it.each([
    'Europe/Berlin',
    'America/New_York',
    'UTC',
    'Etc/UTC',
    'Asia/Kolkata',
    'US/Eastern',
    'europe/berlin',
  ])('accepts %s, as Intl does', (name) => expect(isTimeZone(name)).toBe(true));

  it.each(['', 'Mars/Olympus', '+02:00', '-05:00', '0200', 'Europe/Berlin ', 'Local'])(
    'refuses %p: unknown, or an offset that knows no DST',
    (name) => expect(isTimeZone(name)).toBe(false),
  );

  it('refuses what is not a string', () => {
    expect(isTimeZone(undefined)).toBe(false);
    expect(isTimeZone(1)).toBe(false);
  });
});

describe('Validating a send window', () => {
  it.each([
    ['an office-hours window', berlin()],
    ['a window to the end of the day', berlin({ from: '18:00', to: '24:00' })],
    ['an all-day window', berlin({ from: '00:00', to: '24:00' })],
    ['an overnight window', berlin({ days: ['fri'], from: '22:00', to: '06:00' })],
    ['a window in a zone alias', berlin({ timeZone: 'Etc/UTC' })],
  ])('finds nothing wrong with %s', (_, window) => expect(sendWindowProblems(window)).toEqual([]));

  it('reports every missing field as required', () => {
    expect(sendWindowProblems({})).toEqual(
      ['timeZone', 'days', 'from', 'to'].map((field) => ({ field, message: 'required' })),
    );
  });

  const NOT_AN_OBJECT = 'must be an object with timeZone, days, from and to';
  const NOT_A_ZONE = 'must be an IANA time zone such as Europe/Berlin (offsets like +02:00 are not zones)';
  const NOT_A_DAY = 'must be one of mon, tue, wed, thu, fri, sat, sun';
  const NOT_A_START = 'must be a time HH:MM from 00:00 to 23:59';
  const NOT_AN_END = 'must be a time HH:MM from 00:00 to 24:00';
  it.each([
    ['null', '', null, NOT_AN_OBJECT],
    ['a list', '', [], NOT_AN_OBJECT],
    ['an offset for a zone', 'timeZone', berlin({ timeZone: '+02:00' }), NOT_A_ZONE],
    ['a zone on no planet', 'timeZone', berlin({ timeZone: 'Mars/Olympus' }), NOT_A_ZONE],
    ['no days', 'days', berlin({ days: [] }), 'must name at least one day'],
    [
      'days as one string',
      'days',
      { ...berlin(), days: 'mon' },
      'must be a list of mon, tue, wed, thu, fri, sat, sun',
    ],
    ['a day spelled out', 'days.1', { ...berlin(), days: ['mon', 'Tuesday'] }, NOT_A_DAY],
    ['a day twice', 'days.2', berlin({ days: ['mon', 'tue', 'mon'] }), 'repeats mon'],
    ['an hour without its leading zero', 'from', berlin({ from: '9:00' }), NOT_A_START],
    ['a start at 24:00', 'from', berlin({ from: '24:00' }), NOT_A_START],
    ['minute 60', 'to', berlin({ to: '23:60' }), NOT_AN_END],
    ['an end past 24:00', 'to', berlin({ to: '24:01' }), NOT_AN_END],
    ['a time as a number', 'to', { ...berlin(), to: 1730 }, NOT_AN_END],
    [
      'an empty window',
      'to',
      berlin({ to: '09:00' }),
      'must differ from from (00:00 to 24:00 is the whole day)',
    ],
  ])('reports %s as the one problem, in field %p', (_, field, input, message) =>
    expect(sendWindowProblems(input)).toEqual([{ field, message }]),
  );

  it('refuses to compute with an invalid window instead of searching forever', () => {
    expect(() => nextOpening(berlin({ days: [] }), at('2026-06-01T00:00:00Z'))).toThrow(
      'invalid send window: days must name at least one day',
    );
    expect(() => isOpenAt(berlin({ timeZone: 'Mars/Olympus' }), 0)).toThrow(RangeError);
  });

  it('refuses a recipient zone it does not know', () => {
    expect(() => isOpenAt(berlin(), at('2026-06-01T08:00:00Z'), 'Mars/Olympus')).toThrow(
      "not an IANA time zone: 'Mars/Olympus'",
    );
  });
});

describe('Office hours on an ordinary week (Berlin, Mon–Fri 09:00–17:30)', () => {
  const window = berlin();

  it.each([
    ['2026-06-01T06:59:59.999Z', false, 'Mon 08:59:59.999 CEST'],
    ['2026-06-01T07:00:00.000Z', true, 'Mon 09:00 CEST: from is inside'],
    ['2026-06-01T15:29:59.999Z', true, 'Mon 17:29:59.999 CEST'],
    ['2026-06-01T15:30:00.000Z', false, 'Mon 17:30 CEST: to is outside'],
    ['2026-06-05T12:00:00.000Z', true, 'Fri 14:00 CEST'],
    ['2026-06-06T10:00:00.000Z', false, 'Sat 12:00 CEST'],
    ['2026-06-07T10:00:00.000Z', false, 'Sun 12:00 CEST'],
  ])('at %s it is open: %s (%s)', (instant, open) => expect(isOpenAt(window, at(instant))).toBe(open));

  it('when the instant is already inside, the next opening is that instant', () => {
    expect(nextOpening(window, at('2026-06-01T10:11:12.345Z'))).toBe(at('2026-06-01T10:11:12.345Z'));
  });

  it('when the instant is outside, the next closing is that instant', () => {
    expect(nextClosing(window, at('2026-06-06T10:00:00Z'))).toBe(at('2026-06-06T10:00:00Z'));
  });

  it('opens later the same morning', () => {
    expect(iso(nextOpening(window, at('2026-06-01T04:00:00Z')))).toBe('2026-06-01T07:00:00.000Z'); // Mon 09:00 CEST
  });

  it('after Friday closes, opens again on Monday morning', () => {
    // Fri 17:30 CEST → Mon 09:00 CEST
    expect(iso(nextOpening(window, at('2026-06-05T15:30:00Z')))).toBe('2026-06-08T07:00:00.000Z');
    // Sat 12:00 CEST → Mon 09:00 CEST
    expect(iso(nextOpening(window, at('2026-06-06T10:00:00Z')))).toBe('2026-06-08T07:00:00.000Z');
  });

  it('closes at to on the same day', () => {
    expect(iso(nextClosing(window, at('2026-06-03T07:00:00Z')))).toBe('2026-06-03T15:30:00.000Z'); // Wed 17:30 CEST
  });

  it('across a weekend that changes the clocks, Monday 09:00 is in summer time', () => {
    // Fri 2026-03-27 17:30 CET → Mon 2026-03-30 09:00 CEST
    expect(iso(nextOpening(window, at('2026-03-27T16:30:00Z')))).toBe('2026-03-30T07:00:00.000Z');
  });
});

describe('Berlin springs forward on Sunday 2026-03-29 (02:00 CET → 03:00 CEST at 01:00Z)', () => {
  const sunday = (from: string, to: string) => berlin({ days: ['sun'], from, to });
  const midnight = at('2026-03-28T23:00:00Z'); // Sun 00:00 CET

  it('a window from 02:30, a time that does not exist that day, opens when the clock jumps to 03:00', () => {
    const window = sunday('02:30', '17:30');
    expect(isOpenAt(window, at('2026-03-29T00:59:59.999Z'))).toBe(false); // 01:59:59.999 CET
    expect(iso(nextOpening(window, midnight))).toBe('2026-03-29T01:00:00.000Z'); // 03:00 CEST
  });

  it('09:00–17:30 still means 09:00–17:30 on the clock on the 23-hour day', () => {
    const window = berlin({ days: EVERY_DAY });
    expect(iso(nextOpening(window, at('2026-03-27T23:00:00Z')))).toBe('2026-03-28T08:00:00.000Z'); // Sat 09:00 CET
    expect(iso(nextOpening(window, midnight))).toBe('2026-03-29T07:00:00.000Z'); // Sun 09:00 CEST
    expect(iso(nextClosing(window, at('2026-03-29T07:00:00Z')))).toBe('2026-03-29T15:30:00.000Z'); // 17:30 CEST
  });

  it('a window ending at 02:30 closes when the clock jumps past it', () => {
    const window = sunday('01:00', '02:30');
    expect(isOpenAt(window, at('2026-03-29T00:00:00Z'))).toBe(true); // 01:00 CET
    expect(iso(nextClosing(window, at('2026-03-29T00:00:00Z')))).toBe('2026-03-29T01:00:00.000Z'); // 01:59:59.999 CET → 03:00 CEST
  });

  it('a window wholly inside the missing hour does not open that day, but the next Sunday', () => {
    const window = sunday('02:15', '02:45');
    expect(iso(nextOpening(window, midnight))).toBe('2026-04-05T00:15:00.000Z'); // Sun 2026-04-05 02:15 CEST
  });
});

describe('Berlin falls back on Sunday 2026-10-25 (03:00 CEST → 02:00 CET at 01:00Z)', () => {
  const sunday = (from: string, to: string) => berlin({ days: ['sun'], from, to });
  const midnight = at('2026-10-24T22:00:00Z'); // Sun 00:00 CEST

  it('a window from 02:30, a time that happens twice that day, opens at its first occurrence', () => {
    expect(iso(nextOpening(sunday('02:30', '17:30'), midnight))).toBe('2026-10-25T00:30:00.000Z'); // 02:30 CEST
  });

  it('09:00–17:30 still means 09:00–17:30 on the clock on the 25-hour day', () => {
    const window = berlin({ days: EVERY_DAY });
    expect(iso(nextOpening(window, midnight))).toBe('2026-10-25T08:00:00.000Z'); // Sun 09:00 CET
    expect(iso(nextClosing(window, at('2026-10-25T08:00:00Z')))).toBe('2026-10-25T16:30:00.000Z'); // 17:30 CET
  });

  it('a window inside the repeated hour is open each time the clock shows it', () => {
    const window = sunday('02:00', '02:30');
    expect(iso(nextOpening(window, midnight))).toBe('2026-10-25T00:00:00.000Z'); // 02:00 CEST
    expect(iso(nextClosing(window, at('2026-10-25T00:00:00Z')))).toBe('2026-10-25T00:30:00.000Z'); // 02:30 CEST
    expect(iso(nextOpening(window, at('2026-10-25T00:40:00Z')))).toBe('2026-10-25T01:00:00.000Z'); // 02:00 CET
    expect(iso(nextClosing(window, at('2026-10-25T01:00:00Z')))).toBe('2026-10-25T01:30:00.000Z'); // 02:30 CET
  });

  it('when the clock falls back into the window, it opens at that instant', () => {
    const window = sunday('01:30', '02:30');
    expect(isOpenAt(window, at('2026-10-25T00:40:00Z'))).toBe(false); // 02:40 CEST
    expect(iso(nextOpening(window, at('2026-10-25T00:40:00Z')))).toBe('2026-10-25T01:00:00.000Z'); // 02:00 CET
  });
});

describe('New York changes its clocks too (Sundays 2026-03-08 and 2026-11-01)', () => {
  const newYork = (window: Partial<SendWindow>): SendWindow => ({
    timeZone: 'America/New_York',
    days: EVERY_DAY,
    from: '09:00',
    to: '17:30',
    ...window,
  });

  it('in spring, 02:30 does not exist and the window opens at 03:00 EDT', () => {
    const window = newYork({ days: ['sun'], from: '02:30', to: '05:00' });
    expect(iso(nextOpening(window, at('2026-03-08T05:00:00Z')))).toBe('2026-03-08T07:00:00.000Z'); // 00:00 EST → 03:00 EDT
  });

  it('in spring, office hours move an hour earlier in UTC overnight', () => {
    const window = newYork({});
    expect(iso(nextOpening(window, at('2026-03-07T05:00:00Z')))).toBe('2026-03-07T14:00:00.000Z'); // Sat 09:00 EST
    expect(iso(nextOpening(window, at('2026-03-08T05:00:00Z')))).toBe('2026-03-08T13:00:00.000Z'); // Sun 09:00 EDT
  });

  it('in autumn, 01:30 happens twice and the window opens at the first', () => {
    const window = newYork({ days: ['sun'], from: '01:30', to: '09:00' });
    expect(iso(nextOpening(window, at('2026-11-01T04:00:00Z')))).toBe('2026-11-01T05:30:00.000Z'); // 00:00 EDT → 01:30 EDT
  });

  it('in autumn, office hours keep the clock hours of the 25-hour day', () => {
    const window = newYork({});
    expect(iso(nextOpening(window, at('2026-11-01T04:00:00Z')))).toBe('2026-11-01T14:00:00.000Z'); // 09:00 EST
    expect(iso(nextClosing(window, at('2026-11-01T14:00:00Z')))).toBe('2026-11-01T22:30:00.000Z'); // 17:30 EST
  });
});

describe('Recipients in their own time zone (account in Los Angeles, Mon–Fri 09:00–17:00)', () => {
  const window: SendWindow = {
    timeZone: 'America/Los_Angeles',
    days: ['mon', 'tue', 'wed', 'thu', 'fri'],
    from: '09:00',
    to: '17:00',
  };
  const mondayInTokyo = at('2026-06-01T00:00:00Z'); // Mon 09:00 JST = Sun 17:00 PDT

  it('a recipient in Tokyo is inside the window while Los Angeles is still in its Sunday', () => {
    expect(isOpenAt(window, mondayInTokyo, 'Asia/Tokyo')).toBe(true);
    expect(isOpenAt(window, mondayInTokyo)).toBe(false);
    expect(isOpenAt(window, mondayInTokyo, null)).toBe(false);
  });

  it('each opens at 09:00 on their own clock', () => {
    const sundayNoon = at('2026-05-31T12:00:00Z'); // Sun 21:00 JST, Sun 05:00 PDT
    expect(iso(nextOpening(window, sundayNoon, 'Asia/Tokyo'))).toBe('2026-06-01T00:00:00.000Z'); // Mon 09:00 JST
    expect(iso(nextOpening(window, sundayNoon, 'America/Los_Angeles'))).toBe('2026-06-01T16:00:00.000Z'); // Mon 09:00 PDT
    expect(iso(nextOpening(window, sundayNoon))).toBe('2026-06-01T16:00:00.000Z');
  });

  it('the claim step learns which zones may be sent to now, and when the next change comes', () => {
    const schedule = zoneSchedule(
      window,
      ['Asia/Tokyo', null, 'America/Los_Angeles', 'Asia/Tokyo'],
      mondayInTokyo,
    );
    expect(schedule.open).toEqual(['Asia/Tokyo']);
    expect(schedule.closed).toEqual([null, 'America/Los_Angeles']);
    expect(iso(schedule.nextOpening)).toBe('2026-06-01T16:00:00.000Z'); // Mon 09:00 PDT
    expect(iso(schedule.nextClosing)).toBe('2026-06-01T08:00:00.000Z'); // Mon 17:00 JST
  });

  it('with every zone open, nothing is waiting to open', () => {
    const schedule = zoneSchedule(window, ['Asia/Tokyo'], mondayInTokyo);
    expect(schedule).toEqual({
      open: ['Asia/Tokyo'],
      closed: [],
      nextOpening: null,
      nextClosing: at('2026-06-01T08:00:00Z'),
    });
  });
});

describe('Windows that span midnight or whole days', () => {
  it('an overnight window opens on its named day and closes the next morning', () => {
    const window = berlin({ days: ['fri'], from: '22:00', to: '06:00' });
    expect(isOpenAt(window, at('2026-06-05T20:00:00Z'))).toBe(true); // Fri 22:00 CEST
    expect(isOpenAt(window, at('2026-06-06T03:59:59.999Z'))).toBe(true); // Sat 05:59:59.999 CEST
    expect(isOpenAt(window, at('2026-06-06T04:00:00Z'))).toBe(false); // Sat 06:00 CEST
    expect(isOpenAt(window, at('2026-06-05T01:00:00Z'))).toBe(false); // Fri 03:00 CEST: Thursday's night is not open
    expect(isOpenAt(window, at('2026-06-06T20:00:00Z'))).toBe(false); // Sat 22:00 CEST
    expect(iso(nextClosing(window, at('2026-06-05T21:00:00Z')))).toBe('2026-06-06T04:00:00.000Z'); // Sat 06:00 CEST
    expect(iso(nextOpening(window, at('2026-06-06T05:00:00Z')))).toBe('2026-06-12T20:00:00.000Z'); // next Fri 22:00 CEST
  });

  it('nights on consecutive days still close in the daytime between them', () => {
    const window = berlin({ from: '22:00', to: '06:00' });
    expect(isOpenAt(window, at('2026-06-02T01:00:00Z'))).toBe(true); // Tue 03:00 CEST, Monday's night
    expect(iso(nextClosing(window, at('2026-06-01T20:00:00Z')))).toBe('2026-06-02T04:00:00.000Z'); // Tue 06:00 CEST
  });

  it('whole days in a row stay open across their midnights', () => {
    const window = berlin({ days: ['sat', 'sun'], from: '00:00', to: '24:00' });
    expect(iso(nextOpening(window, at('2026-06-03T10:00:00Z')))).toBe('2026-06-05T22:00:00.000Z'); // Sat 00:00 CEST
    expect(iso(nextClosing(window, at('2026-06-06T08:00:00Z')))).toBe('2026-06-07T22:00:00.000Z'); // Mon 00:00 CEST
  });

  it('a window open all day every day never closes', () => {
    const window = berlin({ days: EVERY_DAY, from: '00:00', to: '24:00' });
    expect(isOpenAt(window, at('2026-03-29T01:30:00Z'))).toBe(true);
    expect(nextClosing(window, at('2026-03-29T01:30:00Z'))).toBeNull();
    expect(zoneSchedule(window, ['Asia/Tokyo', null], at('2026-03-29T01:30:00Z')).nextClosing).toBeNull();
  });
});

describe('Zones with unusual clock changes', () => {
  it('in Santiago, where summer time starts at midnight, a Sunday window opens at 01:00, the day’s first minute', () => {
    // Sat 2026-09-05 23:59:59 −04 is followed by Sun 2026-09-06 01:00 −03 (04:00Z)
    const window: SendWindow = { timeZone: 'America/Santiago', days: ['sun'], from: '00:00', to: '09:00' };
    expect(iso(nextOpening(window, at('2026-09-05T12:00:00Z')))).toBe('2026-09-06T04:00:00.000Z');
    expect(iso(nextClosing(window, at('2026-09-06T04:00:00Z')))).toBe('2026-09-06T12:00:00.000Z'); // 09:00 −03
  });

  it('on Lord Howe Island, where the clock moves by half an hour, a window in the skipped half hour waits a day', () => {
    // Sun 2026-10-04 01:59:59 +10:30 is followed by 02:30 +11 (15:30Z on the 3rd)
    const window: SendWindow = {
      timeZone: 'Australia/Lord_Howe',
      days: EVERY_DAY,
      from: '02:00',
      to: '02:20',
    };
    expect(iso(nextOpening(window, at('2026-10-03T15:00:00Z')))).toBe('2026-10-04T15:00:00.000Z'); // Mon 02:00 +11
    const straddling = { ...window, from: '01:45', to: '02:15' };
    expect(iso(nextOpening(straddling, at('2026-10-03T15:00:00Z')))).toBe('2026-10-03T15:15:00.000Z'); // 01:45 +10:30
    expect(iso(nextClosing(straddling, at('2026-10-03T15:15:00Z')))).toBe('2026-10-03T15:30:00.000Z'); // jump to 02:30
  });
});

describe('Agreement with reading the wall clock minute by minute', () => {
  // An independent reading of the rule: weekday and HH:MM as Intl prints them.
  const readers = new Map<string, Intl.DateTimeFormat>();
  const reader = (timeZone: string) => {
    if (!readers.has(timeZone)) {
      readers.set(
        timeZone,
        new Intl.DateTimeFormat('en-GB', {
          timeZone,
          weekday: 'short',
          hour: '2-digit',
          minute: '2-digit',
          hourCycle: 'h23',
        }),
      );
    }
    return readers.get(timeZone)!;
  };
  const minutes = (clock: string) => Number(clock.slice(0, 2)) * 60 + Number(clock.slice(3));
  const openByClock = (window: SendWindow, instant: number) => {
    const parts = Object.fromEntries(
      reader(window.timeZone)
        .formatToParts(instant)
        .map((p) => [p.type, p.value]),
    );
    const weekday = EVERY_DAY.indexOf(parts.weekday.toLowerCase() as SendWindow['days'][number]);
    const yesterday = EVERY_DAY[(weekday + 6) % 7];
    const now = Number(parts.hour) * 60 + Number(parts.minute);
    const [from, to] = [minutes(window.from), minutes(window.to)];
    if (from < to) return window.days.includes(EVERY_DAY[weekday]) && now >= from && now < to;
    return (
      (window.days.includes(EVERY_DAY[weekday]) && now >= from) ||
      (window.days.includes(yesterday) && now < to)
    );
  };

  it.each([
    ['Europe/Berlin', '2026-03-28T12:00:00Z'],
    ['Europe/Berlin', '2026-10-24T12:00:00Z'],
    ['America/Santiago', '2026-04-04T12:00:00Z'],
    ['Australia/Lord_Howe', '2026-10-03T00:00:00Z'],
  ])('in %s around %s, every window opens and closes where the clock says', (timeZone, start) => {
    for (const [from, to] of [
      ['02:00', '02:30'],
      ['01:45', '02:15'],
      ['23:30', '00:30'],
      ['00:00', '01:00'],
    ]) {
      const window: SendWindow = { timeZone, days: ['sat', 'sun', 'mon'], from, to };
      const minute = (i: number) => at(start) + i * MINUTE;
      const open: boolean[] = [];
      const openAt = (i: number) => (open[i] ??= openByClock(window, minute(i)));
      const firstFrom = (i: number, wanted: boolean) => {
        while (openAt(i) !== wanted) i++;
        return minute(i);
      };
      for (let i = 0; i < 36 * 60; i += 17) {
        expect([from, to, iso(minute(i)), isOpenAt(window, minute(i))]).toEqual([
          from,
          to,
          iso(minute(i)),
          openAt(i),
        ]);
        expect([from, to, iso(minute(i)), iso(nextOpening(window, minute(i)))]).toEqual([
          from,
          to,
          iso(minute(i)),
          iso(firstFrom(i, true)),
        ]);
        expect([from, to, iso(minute(i)), iso(nextClosing(window, minute(i)))]).toEqual([
          from,
          to,
          iso(minute(i)),
          iso(firstFrom(i, false)),
        ]);
      }
    }
  });
});
