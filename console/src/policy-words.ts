import type { components } from './api/client';

type Policy = components['schemas']['SendingPolicy'];
type Limit = Policy['limits'][number];
type Window = NonNullable<Policy['window']>;
type Guards = Policy['guards'];

export const DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Day = (typeof DAYS)[number];
export const DAY_LABEL: Record<Day, string> = {
  mon: 'Mon',
  tue: 'Tue',
  wed: 'Wed',
  thu: 'Thu',
  fri: 'Fri',
  sat: 'Sat',
  sun: 'Sun',
};

/** The units a limit's window is typed in, largest first. */
export const UNITS = [
  { seconds: 86400, one: 'day', many: 'days' },
  { seconds: 3600, one: 'hour', many: 'hours' },
  { seconds: 60, one: 'minute', many: 'minutes' },
  { seconds: 1, one: 'second', many: 'seconds' },
] as const;

const count = (n: number) => n.toLocaleString('en-US');

/** A number of seconds in the largest unit that divides it: 3600 → {1, hour}, 90 → {90, second}. */
export function inUnit(seconds: number): { amount: number; unit: (typeof UNITS)[number] } {
  const unit = UNITS.find((u) => seconds % u.seconds === 0) ?? UNITS[UNITS.length - 1];
  return { amount: seconds / unit.seconds, unit };
}

/** "per hour", "per 5 seconds". */
export function perWindow(seconds: number): string {
  const { amount, unit } = inUnit(seconds);
  return amount === 1 ? `per ${unit.one}` : `per ${count(amount)} ${unit.many}`;
}

/** "At most 10 emails per 5 seconds". */
export const limitInWords = (l: Limit) =>
  `At most ${count(l.max)} email${l.max === 1 ? '' : 's'} ${perWindow(l.windowSeconds)}`;

/** "Mon–Fri", "Mon, Wed, Fri", "Every day": runs of three or more days joined by a dash. */
export function daysInWords(days: readonly string[]): string {
  const on = DAYS.map((d) => days.includes(d));
  if (on.every(Boolean)) return 'Every day';
  const parts: string[] = [];
  for (let i = 0; i < DAYS.length; i++) {
    if (!on[i]) continue;
    let j = i;
    while (j + 1 < DAYS.length && on[j + 1]) j++;
    if (j - i >= 2) parts.push(`${DAY_LABEL[DAYS[i]]}–${DAY_LABEL[DAYS[j]]}`);
    else for (let k = i; k <= j; k++) parts.push(DAY_LABEL[DAYS[k]]);
    i = j;
  }
  return parts.join(', ');
}

/** "Mon–Fri 09:00–17:00 in the recipient's time zone (Europe/Berlin when they have none)". */
export function windowInWords(w: Window): string {
  const overnight = w.to !== '24:00' && w.to < w.from ? ' (through midnight)' : '';
  return `${daysInWords(w.days)} ${w.from}–${w.to}${overnight} in the recipient's time zone (${w.timeZone} for recipients without one)`;
}

const percent = (share: number) => `${Number((share * 100).toPrecision(12))}%`;

/** The two guards in sentences; a rate of 1 turns its guard off. */
export function guardsInWords(g: Guards): string[] {
  return [
    g.complaintRate >= 1
      ? 'Spam complaints never pause a campaign (that guard is off).'
      : `A campaign pauses itself when more than ${percent(g.complaintRate)} of its delivered emails are marked as spam, once at least ${count(g.complaintMinDelivered)} were delivered.`,
    g.bounceRate >= 1
      ? 'Hard bounces never pause a campaign (that guard is off).'
      : `A campaign pauses itself when more than ${percent(g.bounceRate)} of its emails hard-bounce, once at least ${count(g.bounceMinSent)} were sent.`,
  ];
}

/** The whole policy as the rules a person reads. */
export function policyInWords(p: Policy): string[] {
  return [
    ...(p.limits.length
      ? [...p.limits].sort((a, b) => a.windowSeconds - b.windowSeconds).map((l) => `${limitInWords(l)}.`)
      : ['No sending limit: emails go out as fast as your email service takes them.']),
    p.window
      ? `Campaign email goes out only ${windowInWords(p.window)}; a campaign with hours of its own keeps them.`
      : 'Campaign email may go out at any hour, any day (unless a campaign has hours of its own).',
    ...guardsInWords(p.guards),
  ];
}
