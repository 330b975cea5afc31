import { useCallback, useEffect, useState } from 'preact/hooks';
import { api, call, type Campaign, type components } from '../api/client';
import { clock, when } from '../format';
import { usePoll } from '../poll';
import { DAY_LABEL, DAYS, inUnit, policyInWords, UNITS, windowInWords } from '../policy-words';
import { href } from '../router';
import { isAdmin } from '../session';
import { ErrorMessage, Field, Notice, StatusBadge } from '../ui/components';
import { DeliverabilityGuards } from './deliverability-guards';
import { SettingsNav } from './settings-nav';

type Policy = components['schemas']['SendingPolicy'];

/**
 * Sending limits and hours: the account's sending policy (limits, send window, the complaint
 * and bounce guards) said in words, the forms that change it (admin), and what each live
 * campaign waits for now. A support key reads all of it and changes nothing.
 */
export function SendingSettings() {
  const [policy, setPolicy] = useState<Policy | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    call(api.GET('/v1/account/sending-policy')).then(setPolicy, (err: Error) => setError(err.message));
  }, []);
  const admin = isAdmin();
  return (
    <section>
      <h1>Sending limits and hours</h1>
      <SettingsNav />
      <ErrorMessage error={error} />
      {policy ? (
        <>
          <section class="card" aria-labelledby="rules-title">
            <h2 id="rules-title">The rules now</h2>
            <p class="hint">
              Every email of the account counts — invitations, reminders, resends, calendar updates — across
              all its campaigns.
            </p>
            <ul class="rules">
              {policyInWords(policy).map((rule) => (
                <li key={rule}>{rule}</li>
              ))}
            </ul>
          </section>
          {admin ? <LimitsAndHours policy={policy} onSaved={setPolicy} /> : null}
          {admin ? <DeliverabilityGuards guards={policy.guards} onSaved={setPolicy} /> : null}
        </>
      ) : error ? null : (
        <p class="loading">Loading…</p>
      )}
      <WaitingNow />
    </section>
  );
}

interface LimitRow {
  max: string;
  amount: string;
  unit: number;
}
interface HoursForm {
  on: boolean;
  timeZone: string;
  days: string[];
  from: string;
  to: string;
}

const browserZone = () => Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
/** The browser's IANA zones for the field's suggestions, listed once (some 400). */
let zoneList: string[] | undefined;
const zones = (): string[] => {
  const intl = Intl as unknown as { supportedValuesOf?: (key: string) => string[] };
  return (zoneList ??= intl.supportedValuesOf?.('timeZone') ?? []);
};

const rowsOf = (p: Policy): LimitRow[] =>
  p.limits.map((l) => {
    const { amount, unit } = inUnit(l.windowSeconds);
    return { max: String(l.max), amount: String(amount), unit: unit.seconds };
  });
const hoursOf = (p: Policy): HoursForm =>
  p.window
    ? { on: true, ...p.window, days: [...p.window.days] }
    : {
        on: false,
        timeZone: browserZone(),
        days: ['mon', 'tue', 'wed', 'thu', 'fri'],
        from: '09:00',
        to: '17:00',
      };

/** The limits and the send window; saving keeps the guards as they are. */
function LimitsAndHours({ policy, onSaved }: { policy: Policy; onSaved: (p: Policy) => void }) {
  const [rows, setRows] = useState<LimitRow[]>(() => rowsOf(policy));
  const [hours, setHours] = useState<HoursForm>(() => hoursOf(policy));
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const setRow = (i: number, change: Partial<LimitRow>) =>
    setRows(rows.map((r, j) => (j === i ? { ...r, ...change } : r)));

  const save = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    setNotice(null);
    try {
      const saved = await call(
        api.PUT('/v1/account/sending-policy', {
          body: {
            limits: rows.map((r) => ({
              max: Number(r.max),
              windowSeconds: Math.round(Number(r.amount) * r.unit),
            })),
            window: hours.on
              ? {
                  timeZone: hours.timeZone.trim(),
                  days: DAYS.filter((d) => hours.days.includes(d)),
                  from: hours.from.trim(),
                  to: hours.to.trim(),
                }
              : null,
          },
        }),
      );
      onSaved(saved);
      setRows(rowsOf(saved));
      setHours(hoursOf(saved));
      setNotice('Saved: every campaign follows these from its next email; waiting ones look again now.');
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form class="card" aria-labelledby="limits-title" onSubmit={save}>
      <h2 id="limits-title">Limits and hours</h2>
      <fieldset>
        <legend>Sending limits</legend>
        <p class="hint">
          Stay within your email service's hourly and daily limits: no limit is ever passed, across all
          campaigns. Campaigns share them fairly.
        </p>
        {rows.length === 0 ? <p>No limit.</p> : null}
        {rows.map((r, i) => (
          <div class="inline-form" role="group" aria-label={`Limit ${i + 1}`} key={i}>
            <Field label="At most (emails)">
              <input
                type="number"
                min="1"
                step="1"
                required
                value={r.max}
                onInput={(e) => setRow(i, { max: e.currentTarget.value })}
              />
            </Field>
            <Field label="per">
              <input
                type="number"
                min="1"
                step="1"
                required
                value={r.amount}
                onInput={(e) => setRow(i, { amount: e.currentTarget.value })}
              />
            </Field>
            <Field label="Unit">
              <select
                value={String(r.unit)}
                onChange={(e) => setRow(i, { unit: Number(e.currentTarget.value) })}
              >
                {[...UNITS].reverse().map((u) => (
                  <option key={u.seconds} value={String(u.seconds)}>
                    {u.many}
                  </option>
                ))}
              </select>
            </Field>
            <button type="button" onClick={() => setRows(rows.filter((_, j) => j !== i))}>
              Remove limit {i + 1}
            </button>
          </div>
        ))}
        <button type="button" onClick={() => setRows([...rows, { max: '1000', amount: '1', unit: 3600 }])}>
          Add a limit
        </button>
      </fieldset>
      <fieldset>
        <legend>Sending hours</legend>
        <label class="check">
          <input
            type="checkbox"
            checked={hours.on}
            onChange={(e) => setHours({ ...hours, on: e.currentTarget.checked })}
          />
          Send campaign email only in these hours
        </label>
        {hours.on ? (
          <>
            <fieldset>
              <legend>Days</legend>
              <div class="days">
                {DAYS.map((d) => (
                  <label class="check" key={d}>
                    <input
                      type="checkbox"
                      checked={hours.days.includes(d)}
                      onChange={(e) =>
                        setHours({
                          ...hours,
                          days: e.currentTarget.checked
                            ? [...hours.days, d]
                            : hours.days.filter((x) => x !== d),
                        })
                      }
                    />
                    {DAY_LABEL[d]}
                  </label>
                ))}
              </div>
            </fieldset>
            <div class="inline-form">
              <Field label="From" hint="HH:MM">
                <input
                  required
                  inputMode="numeric"
                  placeholder="09:00"
                  value={hours.from}
                  onInput={(e) => setHours({ ...hours, from: e.currentTarget.value })}
                />
              </Field>
              <Field
                label="To"
                hint="HH:MM; 24:00 is midnight; a time before the start runs through midnight"
              >
                <input
                  required
                  inputMode="numeric"
                  placeholder="17:00"
                  value={hours.to}
                  onInput={(e) => setHours({ ...hours, to: e.currentTarget.value })}
                />
              </Field>
            </div>
            <Field
              label="Time zone"
              hint="For recipients without a time zone of their own; the others get email in these hours on their own clock."
            >
              <input
                required
                list="time-zones"
                value={hours.timeZone}
                onInput={(e) => setHours({ ...hours, timeZone: e.currentTarget.value })}
              />
            </Field>
            <datalist id="time-zones">
              {zones().map((z) => (
                <option key={z} value={z} />
              ))}
            </datalist>
          </>
        ) : null}
      </fieldset>
      <ErrorMessage error={error} />
      <Notice message={notice} />
      <button type="submit" class="primary" disabled={busy}>
        Save limits and hours
      </button>
    </form>
  );
}

const LIVE = ['launching', 'active'] as const;

/** What a campaign is held back by now, in words. */
function waitsFor(c: Campaign): string {
  if (c.waiting)
    return c.waiting.reason === 'sending_limit'
      ? `The sending limit, until ${clock(c.waiting.until)}`
      : `The sending hours, until ${when(c.waiting.until)}`;
  return c.status === 'launching' ? 'Nothing: sending' : 'Nothing';
}

/** Live campaigns (Launching, Active) and what each waits for now; it follows them every 2 s. */
function WaitingNow() {
  const [campaigns, setCampaigns] = useState<Campaign[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const load = useCallback(async () => {
    try {
      const pages = await Promise.all(
        LIVE.map((status) => call(api.GET('/v1/campaigns', { params: { query: { status, limit: 100 } } }))),
      );
      setCampaigns(pages.flatMap((p) => p.data));
      setError(null);
    } catch (err) {
      setError((err as Error).message);
    }
  }, []);
  useEffect(() => {
    void load();
  }, [load]);
  usePoll(load, true);

  return (
    <section class="card" aria-labelledby="waiting-title">
      <h2 id="waiting-title">What campaigns wait for now</h2>
      <ErrorMessage error={error} />
      {campaigns === null ? null : campaigns.length === 0 ? (
        <p>No campaign is sending now.</p>
      ) : (
        <div class="table-wrap" tabIndex={0} role="region" aria-label="Live campaigns">
          <table>
            <thead>
              <tr>
                <th scope="col">Campaign</th>
                <th scope="col">Status</th>
                <th scope="col">Waiting for</th>
                <th scope="col">Its hours</th>
              </tr>
            </thead>
            <tbody>
              {campaigns.map((c) => (
                <tr key={c.id}>
                  <th scope="row">
                    <a href={href(`/campaigns/${c.id}`)}>{c.name}</a>
                  </th>
                  <td>
                    <StatusBadge status={c.status} />
                  </td>
                  <td>{waitsFor(c)}</td>
                  <td>{c.sendWindow ? windowInWords(c.sendWindow) : "The account's"}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
