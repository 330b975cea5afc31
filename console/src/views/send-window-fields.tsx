import type { Campaign } from '../api/client';
import { Field } from '../ui/components';

export type SendWindow = NonNullable<Campaign['sendWindow']>;
export type Day = SendWindow['days'][number];

export const DAY_LABEL: Record<Day, string> = {
  mon: 'Mon',
  tue: 'Tue',
  wed: 'Wed',
  thu: 'Thu',
  fri: 'Fri',
  sat: 'Sat',
  sun: 'Sun',
};
const DAYS = Object.keys(DAY_LABEL) as Day[];

/** A window to start from: office hours on weekdays, in the browser's own zone. */
export const officeHours = (): SendWindow => ({
  timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone,
  days: ['mon', 'tue', 'wed', 'thu', 'fri'],
  from: '09:00',
  to: '17:00',
});

/** The zones the browser knows, offered as suggestions; the API judges what is typed. */
let zones: string[] | undefined;
const knownZones = () => (zones ??= Intl.supportedValuesOf?.('timeZone') ?? []);

/**
 * The hours of a send window: its zone, days and from/to. The rules (to before from spans
 * midnight, 24:00…) are the API's: it answers a window it refuses with the field and why.
 */
export function SendWindowFields(props: {
  value: SendWindow;
  onChange: (w: SendWindow) => void;
  idPrefix: string;
}) {
  const w = props.value;
  const set = (patch: Partial<SendWindow>) => props.onChange({ ...w, ...patch });
  const listId = `${props.idPrefix}-zones`;
  return (
    <>
      <div class="row">
        <Field label="Time zone" hint="A recipient's own zone wins when the invite has one">
          <input
            list={listId}
            required
            autoComplete="off"
            value={w.timeZone}
            onInput={(e) => set({ timeZone: e.currentTarget.value })}
          />
        </Field>
        <datalist id={listId}>
          {knownZones().map((z) => (
            <option key={z} value={z} />
          ))}
        </datalist>
        <Field label="From" hint="HH:MM, e.g. 09:00">
          <input
            required
            inputMode="numeric"
            pattern="[0-9]{2}:[0-9]{2}"
            value={w.from}
            onInput={(e) => set({ from: e.currentTarget.value })}
          />
        </Field>
        <Field label="To" hint="HH:MM, up to 24:00; before From: overnight">
          <input
            required
            inputMode="numeric"
            pattern="[0-9]{2}:[0-9]{2}"
            value={w.to}
            onInput={(e) => set({ to: e.currentTarget.value })}
          />
        </Field>
      </div>
      <div class="days" role="group" aria-label="Days">
        {DAYS.map((d) => (
          <label class="check" key={d}>
            <input
              type="checkbox"
              checked={w.days.includes(d)}
              onChange={(e) =>
                set({
                  days: e.currentTarget.checked
                    ? DAYS.filter((x) => x === d || w.days.includes(x))
                    : w.days.filter((x) => x !== d),
                })
              }
            />
            {DAY_LABEL[d]}
          </label>
        ))}
      </div>
    </>
  );
}
