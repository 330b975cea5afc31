import { useState } from 'preact/hooks';
import type { Invite } from '../api/client';
import { fromLocalInput, toLocalInput } from '../format';
import { ConfirmDialog, Field } from '../ui/components';

export interface ExpiryChange {
  expiresAt?: string;
  expiresIn?: 'never';
  reminderDaysBefore?: number | null;
}

/**
 * Change one invite's expiry (PATCH /v1/invites/{id}): a new date and time, or never, and
 * its reminder in days before. The API judges it (not in the past, a reminder needs an expiry).
 */
export function ExpiryDialog(props: {
  invite: Invite;
  who: string;
  onSave: (change: ExpiryChange) => void;
  onClose: () => void;
}) {
  const { invite } = props;
  const [never, setNever] = useState(invite.expiresAt === null);
  const [at, setAt] = useState(toLocalInput(invite.expiresAt));
  const lead =
    invite.expiresAt && invite.reminderAt
      ? String((Date.parse(invite.expiresAt) - Date.parse(invite.reminderAt)) / 86_400_000)
      : '';
  const [reminder, setReminder] = useState(lead);

  const save = () => {
    if (never) return props.onSave({ expiresIn: 'never' });
    const expiresAt = fromLocalInput(at);
    props.onSave({
      ...(expiresAt ? { expiresAt } : {}),
      reminderDaysBefore: reminder.trim() === '' ? null : Number(reminder),
    });
  };

  return (
    <ConfirmDialog
      title={`Change the expiry of ${props.who}'s invite`}
      confirmLabel="Save expiry"
      onConfirm={save}
      onClose={props.onClose}
    >
      <label>
        <input type="checkbox" checked={never} onChange={(e) => setNever(e.currentTarget.checked)} /> Never
        expires
      </label>
      {never ? null : (
        <>
          <Field label="Expires at" hint="The campaign's own expiry still wins if it comes first">
            <input type="datetime-local" value={at} required onInput={(e) => setAt(e.currentTarget.value)} />
          </Field>
          <Field label="Reminder (days before)" hint="Empty: no reminder">
            <input
              type="number"
              min="0"
              step="any"
              value={reminder}
              onInput={(e) => setReminder(e.currentTarget.value)}
            />
          </Field>
        </>
      )}
      <p class="hint">An email already sent keeps the date it stated.</p>
    </ConfirmDialog>
  );
}
