import type { ComponentChildren } from 'preact';
import { useEffect, useRef } from 'preact/hooks';
import type { CampaignStatus } from '../api/client';
import { STATUS_LABEL } from '../format';

/** Status in words (the badge text), the colour only repeats it. */
export function StatusBadge({ status }: { status: CampaignStatus }) {
  return <span class={`badge badge-${status}`}>{STATUS_LABEL[status]}</span>;
}

export function UsedBadge({ used }: { used: boolean }) {
  return <span class={`badge ${used ? 'badge-used' : 'badge-unused'}`}>{used ? 'Used' : 'Unused'}</span>;
}

/** An API error in the API's words; role=alert so a screen reader hears it at once. */
export function ErrorMessage({ error }: { error: string | null | undefined }) {
  if (!error) return null;
  return (
    <p class="error" role="alert">
      {error}
    </p>
  );
}

export function Notice({ message }: { message: string | null }) {
  return (
    <p class="notice" role="status" aria-live="polite">
      {message ?? ''}
    </p>
  );
}

/**
 * Asks before what cannot be undone. A native modal <dialog>: focus moves into it, Escape
 * closes it, the page behind is inert.
 */
export function ConfirmDialog(props: {
  title: string;
  children: ComponentChildren;
  confirmLabel: string;
  onConfirm: () => void;
  onClose: () => void;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    // Focus goes back to the control that opened it, as with any dialog.
    const opener = document.activeElement as HTMLElement | null;
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal();
    return () => {
      if (opener?.isConnected) opener.focus();
    };
  }, []);
  return (
    <dialog ref={ref} aria-labelledby="confirm-title" onClose={props.onClose} class="confirm">
      <h2 id="confirm-title">{props.title}</h2>
      <div>{props.children}</div>
      <div class="actions">
        <button type="button" class="danger" onClick={() => props.onConfirm()}>
          {props.confirmLabel}
        </button>
        <button type="button" onClick={() => ref.current?.close()}>
          Go back
        </button>
      </div>
    </dialog>
  );
}

export function Field(props: { label: string; hint?: string; children: ComponentChildren }) {
  return (
    <label class="field">
      <span class="label">{props.label}</span>
      {props.children}
      {props.hint ? <span class="hint">{props.hint}</span> : null}
    </label>
  );
}

/** The rows a CSV upload refused, with the row number a spreadsheet shows and why. */
/** A CSV upload: the file field and its button; the rows the API refused, listed under them. */
export function CsvUpload(props: {
  hint: string;
  busy: boolean;
  rejected: { row: number; email: string; reason: string }[] | null;
  onFile: (file: File | null) => void;
}) {
  return (
    <>
      <Field label="CSV file" hint={props.hint}>
        <input
          type="file"
          accept=".csv,text/csv"
          required
          onChange={(e) => props.onFile(e.currentTarget.files?.[0] ?? null)}
        />
      </Field>
      <button type="submit" class="primary" disabled={props.busy}>
        Upload CSV
      </button>
      <RejectedRows rows={props.rejected} />
    </>
  );
}

export function RejectedRows({ rows }: { rows: { row: number; email: string; reason: string }[] | null }) {
  if (!rows || rows.length === 0) return null;
  return (
    <div class="table-wrap" tabIndex={0} role="region" aria-label="Rejected rows">
      <table>
        <caption>Rejected rows (not imported)</caption>
        <thead>
          <tr>
            <th scope="col">Row</th>
            <th scope="col">Email</th>
            <th scope="col">Reason</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.row}>
              <td>{r.row}</td>
              <td>{r.email}</td>
              <td>{r.reason}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
