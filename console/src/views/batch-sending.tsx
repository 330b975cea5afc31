import type { ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { STARTED_STATUSES } from '../../../domain/campaign';
import { api, ApiError, call, type Campaign } from '../api/client';
import { fromLocalInput, money, plural, toLocalInput, when } from '../format';
import { href } from '../router';
import { isAdmin } from '../session';
import { Field } from '../ui/components';

/*
 * Seed 003's "Send Invite in Batches": from the campaign list, Send Invite on a draft, then
 * Invites per Batch, Time Gap Between Batches (in minutes) and Start Batch Sending; "the same
 * steps" for Update Calendar Invites on a live campaign with an event; and, on the campaign
 * page, Change batches (the token-renewal path's "restart the batch sending process") and
 * Extend expiry. Each is one PATCH or POST of the public API; what the API refuses is shown
 * in its words.
 */

type Batch = Campaign['batch'];

/** A campaign's batches in a sentence. */
export const batchesInWords = (b: Batch): string =>
  b.size === null
    ? 'All at once'
    : `${plural(b.size, 'invite')} per batch, ${plural(b.gapMinutes, 'minute')} between batches`;

/** Whether "Update Calendar Invites" applies: it has an event and people have been invited. */
export const updatesCalendars = (c: Campaign): boolean =>
  c.event !== null && c.actions.includes('change_event') && STARTED_STATUSES.has(c.status);

/** A modal form: focus moves in, Escape closes it, focus returns to its opener. */
function FormDialog(props: {
  title: string;
  submitLabel: string;
  busy: boolean;
  onSubmit: () => void;
  onClose: () => void;
  children: ComponentChildren;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const opener = document.activeElement as HTMLElement | null;
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal();
    return () => {
      if (opener?.isConnected) opener.focus();
    };
  }, []);
  return (
    <dialog ref={ref} aria-labelledby="form-dialog-title" onClose={props.onClose}>
      <h2 id="form-dialog-title">{props.title}</h2>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          props.onSubmit();
        }}
      >
        {props.children}
        <div class="actions">
          <button type="submit" class="primary" disabled={props.busy}>
            {props.submitLabel}
          </button>
          <button type="button" onClick={() => ref.current?.close()}>
            Go back
          </button>
        </div>
      </form>
    </dialog>
  );
}

/** What the API refused, in words, with where to fix it when that is another screen. */
function Refusal({ error }: { error: ApiError | Error | null }) {
  if (!error) return null;
  const p = error instanceof ApiError ? error.problem : {};
  if (p.code === 'insufficient_balance')
    return (
      <div class="error" role="alert">
        <strong>Your balance doesn't cover this campaign</strong>
        <p>
          {p.requiredCents !== undefined && p.availableCents !== undefined
            ? `It needs ${money(p.requiredCents)}; ${money(p.availableCents)} is available.`
            : p.detail}{' '}
          <a href={href('/billing')}>Go to Billing to add funds</a>, then try again.
        </p>
      </div>
    );
  return (
    <div class="error" role="alert">
      <p>
        {error.message}
        {p.code === 'sender_not_ready' && isAdmin() ? (
          <>
            {' '}
            <a href={href('/settings')}>Go to Settings to fix the sender</a>, then try again.
          </>
        ) : null}
      </p>
    </div>
  );
}

interface BatchForm {
  size: string;
  gap: string;
}
const batchForm = (b: Batch): BatchForm => ({
  size: b.size === null ? '' : String(b.size),
  gap: String(b.gapMinutes),
});
const fromBatchForm = (f: BatchForm): Batch => ({
  size: f.size === '' ? null : Number(f.size),
  gapMinutes: Number(f.gap || 0),
});
const sameBatch = (a: Batch, b: Batch) => a.size === b.size && a.gapMinutes === b.gapMinutes;

/** The seed's two fields. */
function BatchFields({ form, set }: { form: BatchForm; set: (f: BatchForm) => void }) {
  return (
    <div class="row">
      <Field label="Invites per Batch" hint="For example 10, 20, 50, 100. Empty: all at once">
        <input
          type="number"
          min="1"
          step="1"
          value={form.size}
          onInput={(e) => set({ ...form, size: e.currentTarget.value })}
        />
      </Field>
      <Field label="Time Gap Between Batches (in minutes)" hint="For example 60, 180, 360, 720">
        <input
          type="number"
          min="0"
          step="any"
          required
          value={form.gap}
          onInput={(e) => set({ ...form, gap: e.currentTarget.value })}
        />
      </Field>
    </div>
  );
}

/** Runs one change against the API, keeping the dialog's busy flag and refusal. */
function useSubmit() {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<Error | null>(null);
  const run = async (work: () => Promise<void>) => {
    setBusy(true);
    setError(null);
    try {
      await work();
    } catch (err) {
      setError(err as Error);
    } finally {
      setBusy(false);
    }
  };
  return { busy, error, run };
}

const idPath = (id: string) => ({ params: { path: { id } } });

/**
 * Send Invite, from the campaign list: choose batch sending, set the batches, start. The
 * batches are saved on the draft first, then it is launched: the first batch goes at once.
 */
export function SendInviteDialog(props: {
  campaign: Campaign;
  onDone: (launched: Campaign) => void;
  onClose: () => void;
}) {
  const c = props.campaign;
  const [inBatches, setInBatches] = useState(false);
  const [form, setForm] = useState(batchForm(c.batch.size === null ? { size: 50, gapMinutes: 60 } : c.batch));
  const { busy, error, run } = useSubmit();
  const start = (batch: Batch) =>
    run(async () => {
      if (!sameBatch(batch, c.batch))
        await call(api.PATCH('/v1/campaigns/{id}', { ...idPath(c.id), body: { batch } }));
      props.onDone(await call(api.POST('/v1/campaigns/{id}/launch', idPath(c.id))));
    });
  const cost = (
    <p>
      {plural(c.progress.total, 'invite')}: {money(c.costPerInviteCents * c.progress.total)} is reserved from
      your balance when sending starts
      {c.startAt && Date.parse(c.startAt) > Date.now() ? `, and the first batch goes ${when(c.startAt)}` : ''}
      .
    </p>
  );
  if (!inBatches)
    return (
      <FormDialog
        title={`Send Invite: ${c.name}`}
        submitLabel="Send Invite in Batches"
        busy={busy}
        onSubmit={() => setInBatches(true)}
        onClose={props.onClose}
      >
        {cost}
        <p>
          Sending in batches keeps you within your email service's hourly and daily limits. Or send every
          invite at once.
        </p>
        <p>
          <button type="button" disabled={busy} onClick={() => start({ size: null, gapMinutes: 0 })}>
            Send all at once
          </button>
        </p>
        <Refusal error={error} />
      </FormDialog>
    );
  return (
    <FormDialog
      title="Send Invite in Batches"
      submitLabel="Start Batch Sending"
      busy={busy}
      onSubmit={() => start(fromBatchForm(form))}
      onClose={props.onClose}
    >
      {cost}
      <BatchFields form={form} set={setForm} />
      <p class="hint">
        The first batch is sent at once. You get an email when all batches have been processed, and at once if
        your email service's token expires.
      </p>
      <Refusal error={error} />
    </FormDialog>
  );
}

/** Change batches, on the campaign page: a draft's, or a launched campaign's next batches. */
export function ChangeBatchesDialog(props: {
  campaign: Campaign;
  onSaved: (c: Campaign) => void;
  onClose: () => void;
}) {
  const c = props.campaign;
  const [form, setForm] = useState(batchForm(c.batch));
  const { busy, error, run } = useSubmit();
  const save = () =>
    run(async () => {
      const batch = fromBatchForm(form);
      props.onSaved(
        sameBatch(batch, c.batch)
          ? c
          : await call(api.PATCH('/v1/campaigns/{id}', { ...idPath(c.id), body: { batch } })),
      );
    });
  return (
    <FormDialog
      title="Change batches"
      submitLabel="Save batches"
      busy={busy}
      onSubmit={save}
      onClose={props.onClose}
    >
      <p>Now: {batchesInWords(c.batch)}.</p>
      <BatchFields form={form} set={setForm} />
      <p class="hint">
        {c.status === 'draft'
          ? 'Sending starts when you launch it.'
          : c.status === 'paused'
            ? 'Resume restarts batch sending: its first batch, in the new size, goes at once.'
            : 'The next batch uses them; a wait between batches is counted again with the new gap.'}
      </p>
      <Refusal error={error} />
    </FormDialog>
  );
}

/**
 * Update Calendar Invites: the event changes and everyone already invited gets the new
 * version, in the campaign's batches ("the same steps apply"), set here too.
 */
export function UpdateCalendarInvitesDialog(props: {
  campaign: Campaign;
  onDone: (c: Campaign) => void;
  onClose: () => void;
}) {
  const c = props.campaign;
  const e = c.event!;
  const [event, setEvent] = useState({
    title: e.title,
    startsAt: toLocalInput(e.startsAt),
    duration: String(e.durationMinutes),
    location: e.location ?? '',
  });
  const [form, setForm] = useState(batchForm(c.batch));
  const { busy, error, run } = useSubmit();
  const mayBatch = c.actions.includes('change_batch');
  const send = () =>
    run(async () => {
      const batch = fromBatchForm(form);
      const body = {
        event: {
          title: event.title,
          startsAt: fromLocalInput(event.startsAt) ?? '',
          durationMinutes: Number(event.duration),
          ...(event.location ? { location: event.location } : {}),
        },
        ...(mayBatch && !sameBatch(batch, c.batch) ? { batch } : {}),
      };
      props.onDone(await call(api.PATCH('/v1/campaigns/{id}', { ...idPath(c.id), body })));
    });
  return (
    <FormDialog
      title="Update Calendar Invites"
      submitLabel="Update Calendar Invites"
      busy={busy}
      onSubmit={send}
      onClose={props.onClose}
    >
      <p>Everyone already invited to {c.name} gets the changed event in their calendar.</p>
      <div class="row">
        <Field label="Event title">
          <input
            required
            value={event.title}
            onInput={(x) => setEvent({ ...event, title: x.currentTarget.value })}
          />
        </Field>
        <Field label="Event starts">
          <input
            type="datetime-local"
            required
            value={event.startsAt}
            onInput={(x) => setEvent({ ...event, startsAt: x.currentTarget.value })}
          />
        </Field>
        <Field label="Duration (minutes)">
          <input
            type="number"
            min="1"
            required
            value={event.duration}
            onInput={(x) => setEvent({ ...event, duration: x.currentTarget.value })}
          />
        </Field>
        <Field label="Location">
          <input
            value={event.location}
            onInput={(x) => setEvent({ ...event, location: x.currentTarget.value })}
          />
        </Field>
      </div>
      {mayBatch ? <BatchFields form={form} set={setForm} /> : null}
      <Refusal error={error} />
    </FormDialog>
  );
}

/** Extend expiry: also how an expired campaign comes back while its grace lasts. */
export function ExtendExpiryDialog(props: {
  campaign: Campaign;
  onSaved: (c: Campaign) => void;
  onClose: () => void;
}) {
  const c = props.campaign;
  const [at, setAt] = useState(toLocalInput(new Date(Date.now() + 7 * 86_400_000).toISOString()));
  const { busy, error, run } = useSubmit();
  const save = () =>
    run(async () => {
      const body = { expiresAt: fromLocalInput(at) ?? '' };
      props.onSaved(await call(api.PATCH('/v1/campaigns/{id}', { ...idPath(c.id), body })));
    });
  return (
    <FormDialog
      title="Extend expiry"
      submitLabel="Extend expiry"
      busy={busy}
      onSubmit={save}
      onClose={props.onClose}
    >
      {c.status === 'expired' ? (
        <p>
          It expired {when(c.expiresAt)}. Until {when(c.extendableUntil)} a new expiration brings it back as
          it was; its unsent invites are reserved from your balance again.
        </p>
      ) : null}
      <Field label="New expiration">
        <input type="datetime-local" required value={at} onInput={(x) => setAt(x.currentTarget.value)} />
      </Field>
      <Refusal error={error} />
    </FormDialog>
  );
}
