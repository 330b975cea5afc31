import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { api, call, type Campaign, type CampaignAction, type components } from '../api/client';
import { fromLocalInput, STATUS_LABEL, toLocalInput, when } from '../format';
import { href, navigate } from '../router';
import { ErrorMessage, Field } from '../ui/components';
import { officeHours, type SendWindow, SendWindowFields } from './send-window-fields';

type Expiry = 'never' | '1d' | '7d' | '30d' | 'custom';
const PRESETS: readonly string[] = ['never', '1d', '7d', '30d'];

interface Form {
  name: string;
  description: string;
  startAt: string;
  expiresAt: string;
  batchSize: string;
  gapMinutes: string;
  costPerInviteCents: string;
  fromName: string;
  subject: string;
  landingUrl: string;
  requireEmailMatch: boolean;
  trackOpens: boolean;
  trackLinks: boolean;
  ownWindow: boolean;
  window: SendWindow;
  withEvent: boolean;
  eventTitle: string;
  eventStartsAt: string;
  eventDuration: string;
  eventLocation: string;
  maxFailurePercent: string;
  inviteExpiry: Expiry;
  inviteExpiryAt: string;
  inviteReminder: string;
}

const empty = (): Form => ({
  name: '',
  description: '',
  startAt: '',
  expiresAt: '',
  batchSize: '',
  gapMinutes: '0',
  costPerInviteCents: '10',
  fromName: '',
  subject: '',
  landingUrl: '',
  requireEmailMatch: false,
  trackOpens: false,
  trackLinks: false,
  ownWindow: false,
  window: officeHours(),
  withEvent: false,
  eventTitle: '',
  eventStartsAt: '',
  eventDuration: '60',
  eventLocation: '',
  maxFailurePercent: '20',
  inviteExpiry: 'never',
  inviteExpiryAt: '',
  inviteReminder: '',
});

const fromCampaign = (c: Campaign): Form => {
  const defaultExpiry = c.inviteDefaults.expiresIn;
  return {
    name: c.name,
    description: c.description ?? '',
    startAt: toLocalInput(c.startAt),
    expiresAt: toLocalInput(c.expiresAt),
    batchSize: c.batch.size === null ? '' : String(c.batch.size),
    gapMinutes: String(c.batch.gapMinutes),
    costPerInviteCents: String(c.costPerInviteCents),
    fromName: c.email.fromName ?? '',
    subject: c.email.subject ?? '',
    landingUrl: c.landingUrl ?? '',
    requireEmailMatch: c.requireEmailMatch,
    trackOpens: c.tracking.opens,
    trackLinks: c.tracking.links,
    ownWindow: c.sendWindow !== null,
    window: c.sendWindow ?? officeHours(),
    withEvent: c.event !== null,
    eventTitle: c.event?.title ?? '',
    eventStartsAt: toLocalInput(c.event?.startsAt),
    eventDuration: String(c.event?.durationMinutes ?? 60),
    eventLocation: c.event?.location ?? '',
    maxFailurePercent: String(c.maxFailurePercent),
    inviteExpiry: !defaultExpiry
      ? 'never'
      : PRESETS.includes(defaultExpiry)
        ? (defaultExpiry as Expiry)
        : 'custom',
    inviteExpiryAt: defaultExpiry && !PRESETS.includes(defaultExpiry) ? toLocalInput(defaultExpiry) : '',
    inviteReminder:
      c.inviteDefaults.reminderDaysBefore === null ? '' : String(c.inviteDefaults.reminderDaysBefore),
  };
};

/** The event's fields: a change to any of them sends the whole event again. */
const EVENT_FIELDS: (keyof Form)[] = [
  'withEvent',
  'eventTitle',
  'eventStartsAt',
  'eventDuration',
  'eventLocation',
];

/** Why a field is disabled on this campaign, in words (the API would refuse it for this reason). */
function whyNot(action: CampaignAction, c: Campaign): string {
  const status = STATUS_LABEL[c.status];
  if (c.status === 'cancelled' || (c.status === 'expired' && !c.extendableUntil))
    return `The campaign is over (${status}): this no longer changes.`;
  switch (action) {
    case 'edit':
      return `Only a draft's name, description, cost and email change; this campaign is ${status}.`;
    case 'reschedule':
      return `The start date changes only before sending starts, or while paused; this campaign is ${status}.`;
    default:
      return `Not while the campaign is ${status}.`;
  }
}

/** A group of fields that one action governs: disabled, with the reason, when it is not allowed. */
function Section(props: { legend: string; why: string | null; children: ComponentChildren }) {
  return (
    <fieldset disabled={props.why !== null}>
      <legend>{props.legend}</legend>
      {props.why ? <p class="hint">{props.why}</p> : null}
      {props.children}
    </fieldset>
  );
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/**
 * Create a draft with every field the API takes, or edit one. A launched campaign's form
 * enables exactly what its `actions` allow; each disabled part says why.
 */
export function CampaignForm({ id }: { id?: string }) {
  const [form, setForm] = useState<Form>(empty);
  const [original, setOriginal] = useState<Campaign | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (!id) return;
    call(api.GET('/v1/campaigns/{id}', { params: { path: { id } } }))
      .then((c) => {
        setOriginal(c);
        setForm(fromCampaign(c));
      })
      .catch((err: Error) => setError(err.message));
  }, [id]);

  const set = (patch: Partial<Form>) => setForm({ ...form, ...patch });
  /** null when the action is allowed (a new campaign allows all), else why not. */
  const why = (action: CampaignAction) =>
    !original || original.actions.includes(action) ? null : whyNot(action, original);

  const event = () =>
    form.withEvent
      ? {
          title: form.eventTitle,
          startsAt: fromLocalInput(form.eventStartsAt) ?? '',
          durationMinutes: Number(form.eventDuration),
          ...(form.eventLocation ? { location: form.eventLocation } : {}),
        }
      : null;
  const batch = () => ({
    size: form.batchSize === '' ? null : Number(form.batchSize),
    gapMinutes: Number(form.gapMinutes || 0),
  });
  const sendWindow = () =>
    form.ownWindow ? { ...form.window, timeZone: form.window.timeZone.trim() } : null;
  /** The invite defaults as the API takes them; null when there are none. */
  const inviteDefaults = (): components['schemas']['CreateCampaign']['inviteDefaults'] | null => {
    const expiresIn =
      form.inviteExpiry === 'custom'
        ? fromLocalInput(form.inviteExpiryAt)
        : form.inviteExpiry === 'never'
          ? undefined
          : form.inviteExpiry;
    const reminder = form.inviteReminder.trim();
    if (!expiresIn && !reminder) return null;
    return {
      ...(expiresIn ? { expiresIn } : {}),
      ...(reminder ? { reminderDaysBefore: Number(reminder) } : {}),
    };
  };

  const create = () => {
    const ev = event();
    const defaults = inviteDefaults();
    const win = sendWindow();
    return call(
      api.POST('/v1/campaigns', {
        body: {
          name: form.name,
          ...(form.description ? { description: form.description } : {}),
          ...(form.startAt ? { startAt: fromLocalInput(form.startAt) } : {}),
          ...(form.expiresAt ? { expiresAt: fromLocalInput(form.expiresAt) } : {}),
          batch: batch(),
          costPerInviteCents: Number(form.costPerInviteCents),
          maxFailurePercent: Number(form.maxFailurePercent),
          ...(form.fromName || form.subject
            ? {
                email: {
                  ...(form.fromName ? { fromName: form.fromName } : {}),
                  ...(form.subject ? { subject: form.subject } : {}),
                },
              }
            : {}),
          ...(form.landingUrl ? { landingUrl: form.landingUrl } : {}),
          requireEmailMatch: form.requireEmailMatch,
          ...(form.trackOpens || form.trackLinks
            ? { tracking: { opens: form.trackOpens, links: form.trackLinks } }
            : {}),
          ...(win ? { sendWindow: win } : {}),
          ...(ev ? { event: ev } : {}),
          ...(defaults ? { inviteDefaults: defaults } : {}),
        },
      }),
    );
  };

  /** Only what changed, and only what this campaign allows: the API refuses the rest even unchanged. */
  const update = (c: Campaign) => {
    const before = fromCampaign(c);
    const changed = (...keys: (keyof Form)[]) => keys.some((k) => !same(form[k], before[k]));
    const body: Record<string, unknown> = {};
    if (changed('name')) body.name = form.name;
    if (changed('description')) body.description = form.description || null;
    if (changed('batchSize', 'gapMinutes')) body.batch = batch();
    if (changed('costPerInviteCents')) body.costPerInviteCents = Number(form.costPerInviteCents);
    if (changed('fromName', 'subject'))
      body.email = {
        ...(changed('fromName') ? { fromName: form.fromName || null } : {}),
        ...(changed('subject') ? { subject: form.subject || null } : {}),
      };
    if (changed('startAt') && form.startAt) body.startAt = fromLocalInput(form.startAt);
    if (changed('expiresAt') && form.expiresAt) body.expiresAt = fromLocalInput(form.expiresAt);
    if (changed('landingUrl')) body.landingUrl = form.landingUrl || null;
    if (changed('requireEmailMatch')) body.requireEmailMatch = form.requireEmailMatch;
    if (changed('trackOpens', 'trackLinks'))
      body.tracking = {
        ...(changed('trackOpens') ? { opens: form.trackOpens } : {}),
        ...(changed('trackLinks') ? { links: form.trackLinks } : {}),
      };
    if (changed('inviteExpiry', 'inviteExpiryAt', 'inviteReminder')) body.inviteDefaults = inviteDefaults();
    if (changed('ownWindow', 'window') && !same(sendWindow(), c.sendWindow)) body.sendWindow = sendWindow();
    if (changed('maxFailurePercent')) body.maxFailurePercent = Number(form.maxFailurePercent);
    if (changed(...EVENT_FIELDS)) body.event = event();
    if (Object.keys(body).length === 0) return Promise.resolve(c);
    return call(api.PATCH('/v1/campaigns/{id}', { params: { path: { id: c.id } }, body }));
  };

  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const saved = original ? await update(original) : await create();
      navigate(`/campaigns/${saved.id}`);
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  };

  if (id && !original) return <section>{error ? <ErrorMessage error={error} /> : <p>Loading…</p>}</section>;

  const launched = original !== null && !original.actions.includes('edit');
  const eventStarts = form.eventStartsAt ? Date.parse(form.eventStartsAt) : NaN;
  const eventEnds =
    Number.isFinite(eventStarts) && Number(form.eventDuration) > 0
      ? new Date(eventStarts + Number(form.eventDuration) * 60_000)
      : null;

  return (
    <section>
      <p>
        <a href={href(original ? `/campaigns/${original.id}` : '/')}>← Back</a>
      </p>
      <h1>{original ? `Edit ${original.name}` : 'New campaign'}</h1>
      {launched ? (
        <p class="hint">
          This campaign is {STATUS_LABEL[original.status]}: only what it still allows can change; the rest
          says why not.
        </p>
      ) : null}
      <form onSubmit={submit} class="card">
        <Section legend="Campaign" why={why('edit')}>
          <Field label="Name">
            <input required value={form.name} onInput={(e) => set({ name: e.currentTarget.value })} />
          </Field>
          <Field label="Description" hint="Shown in the invitation email">
            <textarea
              rows={3}
              value={form.description}
              onInput={(e) => set({ description: e.currentTarget.value })}
            />
          </Field>
        </Section>

        <fieldset>
          <legend>Schedule</legend>
          <div class="row">
            <Field label="Start date" hint={why('reschedule') ?? 'Empty: sends when launched'}>
              <input
                type="datetime-local"
                disabled={why('reschedule') !== null}
                value={form.startAt}
                onInput={(e) => set({ startAt: e.currentTarget.value })}
              />
            </Field>
            <Field label="Expiration" hint={why('extend') ?? 'Empty: never expires'}>
              <input
                type="datetime-local"
                disabled={why('extend') !== null}
                value={form.expiresAt}
                onInput={(e) => set({ expiresAt: e.currentTarget.value })}
              />
            </Field>
          </div>
        </fieldset>

        <Section legend="Batches" why={why('change_batch')}>
          <div class="row">
            <Field label="Invites per Batch" hint="Empty: all at once">
              <input
                type="number"
                min="1"
                value={form.batchSize}
                onInput={(e) => set({ batchSize: e.currentTarget.value })}
              />
            </Field>
            <Field label="Time Gap Between Batches (in minutes)">
              <input
                type="number"
                min="0"
                step="any"
                value={form.gapMinutes}
                onInput={(e) => set({ gapMinutes: e.currentTarget.value })}
              />
            </Field>
          </div>
        </Section>
        <Section legend="Price" why={why('edit')}>
          <div class="row">
            <Field label="Cost per invite (cents)">
              <input
                type="number"
                min="0"
                required
                value={form.costPerInviteCents}
                onInput={(e) => set({ costPerInviteCents: e.currentTarget.value })}
              />
            </Field>
          </div>
        </Section>

        <Section legend="Invitation email" why={why('edit')}>
          <div class="row">
            <Field label="Sender" hint="Who it says it comes from; empty: the account's sender">
              <input
                maxLength={200}
                value={form.fromName}
                onInput={(e) => set({ fromName: e.currentTarget.value })}
              />
            </Field>
            <Field label="Subject" hint="Empty: the standard subject">
              <input
                maxLength={300}
                value={form.subject}
                onInput={(e) => set({ subject: e.currentTarget.value })}
              />
            </Field>
          </div>
        </Section>

        <Section legend="Recipient link" why={why('change_link_settings')}>
          <Field
            label="Landing page"
            hint="Your branded page (https://…) the link opens; empty: Herald's own page"
          >
            <input
              type="url"
              value={form.landingUrl}
              onInput={(e) => set({ landingUrl: e.currentTarget.value })}
            />
          </Field>
          <label class="check">
            <input
              type="checkbox"
              checked={form.requireEmailMatch}
              onChange={(e) => set({ requireEmailMatch: e.currentTarget.checked })}
            />
            The link only works for them (it asks for their email address first)
          </label>
          <label class="check">
            <input
              type="checkbox"
              checked={form.trackOpens}
              onChange={(e) => set({ trackOpens: e.currentTarget.checked })}
            />
            Track opens (a tiny image in the email tells us when it is opened; off by default)
          </label>
          <label class="check">
            <input
              type="checkbox"
              checked={form.trackLinks}
              onChange={(e) => set({ trackLinks: e.currentTarget.checked })}
            />
            Track link clicks (links go through the email provider first; off by default)
          </label>
          <div class="row">
            <Field label="Each invite expires" hint="Unless the invite says otherwise">
              <select
                value={form.inviteExpiry}
                onChange={(e) => set({ inviteExpiry: e.currentTarget.value as Expiry })}
              >
                <option value="never">Never</option>
                <option value="1d">1 Day</option>
                <option value="7d">7 Days</option>
                <option value="30d">30 Days</option>
                <option value="custom">Custom date</option>
              </select>
            </Field>
            {form.inviteExpiry === 'custom' ? (
              <Field label="Invites expire on">
                <input
                  type="datetime-local"
                  required
                  value={form.inviteExpiryAt}
                  onInput={(e) => set({ inviteExpiryAt: e.currentTarget.value })}
                />
              </Field>
            ) : null}
            <Field label="Reminder (days before it ends)" hint="Empty: no reminder">
              <input
                type="number"
                min="0"
                step="any"
                value={form.inviteReminder}
                onInput={(e) => set({ inviteReminder: e.currentTarget.value })}
              />
            </Field>
          </div>
        </Section>

        <Section legend="Send window" why={why('change_send_window')}>
          <label class="check">
            <input
              type="radio"
              name="send-window"
              checked={!form.ownWindow}
              onChange={() => set({ ownWindow: false })}
            />
            Use the account's sending hours
          </label>
          <label class="check">
            <input
              type="radio"
              name="send-window"
              checked={form.ownWindow}
              onChange={() => set({ ownWindow: true })}
            />
            Only in these hours
          </label>
          {form.ownWindow ? (
            <SendWindowFields idPrefix="campaign" value={form.window} onChange={(w) => set({ window: w })} />
          ) : null}
        </Section>

        <Section legend="Calendar invite" why={why('change_event')}>
          <label class="check">
            <input
              type="checkbox"
              checked={form.withEvent}
              onChange={(e) => set({ withEvent: e.currentTarget.checked })}
            />
            Send calendar invites for an event
          </label>
          {form.withEvent ? (
            <div class="row">
              <Field label="Event title">
                <input
                  required
                  value={form.eventTitle}
                  onInput={(e) => set({ eventTitle: e.currentTarget.value })}
                />
              </Field>
              <Field label="Event starts">
                <input
                  type="datetime-local"
                  required
                  value={form.eventStartsAt}
                  onInput={(e) => set({ eventStartsAt: e.currentTarget.value })}
                />
              </Field>
              <Field
                label="Duration (minutes)"
                hint={eventEnds ? `Ends ${when(eventEnds.toISOString())}` : undefined}
              >
                <input
                  type="number"
                  min="1"
                  required
                  value={form.eventDuration}
                  onInput={(e) => set({ eventDuration: e.currentTarget.value })}
                />
              </Field>
              <Field label="Location">
                <input
                  value={form.eventLocation}
                  onInput={(e) => set({ eventLocation: e.currentTarget.value })}
                />
              </Field>
            </div>
          ) : null}
        </Section>

        <Section legend="Failures" why={why('set_max_failure_percent')}>
          <Field
            label="Pause when more of a batch fails than (%)"
            hint="Bad addresses do not count; a launched campaign applies it from its next batch"
          >
            <input
              type="number"
              min="1"
              max="100"
              required
              value={form.maxFailurePercent}
              onInput={(e) => set({ maxFailurePercent: e.currentTarget.value })}
            />
          </Field>
        </Section>

        <ErrorMessage error={error} />
        <button type="submit" class="primary" disabled={busy}>
          {original ? 'Save changes' : 'Create campaign'}
        </button>
      </form>
    </section>
  );
}
