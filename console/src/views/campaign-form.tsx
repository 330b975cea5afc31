import { useEffect, useState } from 'preact/hooks';
import { api, call, type Campaign } from '../api/client';
import { fromLocalInput, toLocalInput } from '../format';
import { href, navigate } from '../router';
import { ErrorMessage, Field } from '../ui/components';

interface Form {
  name: string;
  description: string;
  startAt: string;
  expiresAt: string;
  batchSize: string;
  gapMinutes: string;
  costPerInviteCents: string;
  withEvent: boolean;
  eventTitle: string;
  eventStartsAt: string;
  eventDuration: string;
  eventLocation: string;
}

const empty: Form = {
  name: '',
  description: '',
  startAt: '',
  expiresAt: '',
  batchSize: '',
  gapMinutes: '0',
  costPerInviteCents: '10',
  withEvent: false,
  eventTitle: '',
  eventStartsAt: '',
  eventDuration: '60',
  eventLocation: '',
};

const fromCampaign = (c: Campaign): Form => ({
  name: c.name,
  description: c.description ?? '',
  startAt: toLocalInput(c.startAt),
  expiresAt: toLocalInput(c.expiresAt),
  batchSize: c.batch.size === null ? '' : String(c.batch.size),
  gapMinutes: String(c.batch.gapMinutes),
  costPerInviteCents: String(c.costPerInviteCents),
  withEvent: c.event !== null,
  eventTitle: c.event?.title ?? '',
  eventStartsAt: toLocalInput(c.event?.startsAt),
  eventDuration: String(c.event?.durationMinutes ?? 60),
  eventLocation: c.event?.location ?? '',
});

/** Create a draft, or edit one (a launched campaign: start date, expiration and event only). */
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
  const draft = !original || original.actions.includes('edit');
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

  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      let saved: Campaign;
      if (!original) {
        const ev = event();
        saved = await call(
          api.POST('/v1/campaigns', {
            body: {
              name: form.name,
              ...(form.description ? { description: form.description } : {}),
              ...(form.startAt ? { startAt: fromLocalInput(form.startAt) } : {}),
              ...(form.expiresAt ? { expiresAt: fromLocalInput(form.expiresAt) } : {}),
              batch: batch(),
              costPerInviteCents: Number(form.costPerInviteCents),
              ...(ev ? { event: ev } : {}),
            },
          }),
        );
      } else {
        // Only what changed: a launched campaign refuses draft-only fields even unchanged.
        const before = fromCampaign(original);
        const body: Record<string, unknown> = {};
        if (draft) {
          if (form.name !== before.name) body.name = form.name;
          if (form.description !== before.description) body.description = form.description || null;
          if (form.batchSize !== before.batchSize || form.gapMinutes !== before.gapMinutes)
            body.batch = batch();
          if (form.costPerInviteCents !== before.costPerInviteCents)
            body.costPerInviteCents = Number(form.costPerInviteCents);
        }
        if (form.startAt !== before.startAt && form.startAt) body.startAt = fromLocalInput(form.startAt);
        if (form.expiresAt !== before.expiresAt && form.expiresAt)
          body.expiresAt = fromLocalInput(form.expiresAt);
        const eventFields: (keyof Form)[] = [
          'withEvent',
          'eventTitle',
          'eventStartsAt',
          'eventDuration',
          'eventLocation',
        ];
        if (eventFields.some((k) => form[k] !== before[k])) body.event = event();
        saved = await call(api.PATCH('/v1/campaigns/{id}', { params: { path: { id: original.id } }, body }));
      }
      navigate(`/campaigns/${saved.id}`);
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  };

  if (id && !original) return <section>{error ? <ErrorMessage error={error} /> : <p>Loading…</p>}</section>;

  return (
    <section>
      <p>
        <a href={href(original ? `/campaigns/${original.id}` : '/')}>← Back</a>
      </p>
      <h1>{original ? `Edit ${original.name}` : 'New campaign'}</h1>
      {!draft ? (
        <p class="hint">This campaign is launched: only its schedule, expiration and event can change.</p>
      ) : null}
      <form onSubmit={submit} class="card">
        <Field label="Name">
          <input
            required
            disabled={!draft}
            value={form.name}
            onInput={(e) => set({ name: e.currentTarget.value })}
          />
        </Field>
        <Field label="Description" hint="Shown in the invitation email">
          <textarea
            rows={3}
            disabled={!draft}
            value={form.description}
            onInput={(e) => set({ description: e.currentTarget.value })}
          />
        </Field>
        <div class="row">
          <Field label="Start date" hint="Empty: sends when launched">
            <input
              type="datetime-local"
              value={form.startAt}
              onInput={(e) => set({ startAt: e.currentTarget.value })}
            />
          </Field>
          <Field label="Expiration" hint="Empty: never expires">
            <input
              type="datetime-local"
              value={form.expiresAt}
              onInput={(e) => set({ expiresAt: e.currentTarget.value })}
            />
          </Field>
        </div>
        <fieldset disabled={!draft}>
          <legend>Batches</legend>
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
        </fieldset>
        <fieldset>
          <legend>Calendar invite</legend>
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
              <Field label="Duration (minutes)">
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
        </fieldset>
        <ErrorMessage error={error} />
        <button type="submit" class="primary" disabled={busy}>
          {original ? 'Save changes' : 'Create campaign'}
        </button>
      </form>
    </section>
  );
}
