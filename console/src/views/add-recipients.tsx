import { useEffect, useState } from 'preact/hooks';
import { api, call } from '../api/client';
import { fromLocalInput } from '../format';
import { CsvUpload, ErrorMessage, Field, Notice } from '../ui/components';

/** `default`: none named, so the campaign's invite defaults apply. */
type Expiry = 'default' | 'never' | '1d' | '7d' | '30d' | 'custom';
type Mode = 'one' | 'bulk' | 'csv' | 'contacts';
type Rejected = { row: number; email: string; reason: string };

/** Expiration and reminder, shared by every way of adding recipients. */
function ExpiryFields(props: {
  expiry: Expiry;
  custom: string;
  reminder: string;
  onChange: (v: { expiry?: Expiry; custom?: string; reminder?: string }) => void;
}) {
  return (
    <div class="row">
      <Field label="Expiration">
        <select
          value={props.expiry}
          onChange={(e) => props.onChange({ expiry: e.currentTarget.value as Expiry })}
        >
          <option value="default">The campaign's default</option>
          <option value="never">Never</option>
          <option value="1d">1 Day</option>
          <option value="7d">7 Days</option>
          <option value="30d">30 Days</option>
          <option value="custom">Custom</option>
        </select>
      </Field>
      {props.expiry === 'custom' ? (
        <Field label="Custom expiration date">
          <input
            type="datetime-local"
            required
            value={props.custom}
            onInput={(e) => props.onChange({ custom: e.currentTarget.value })}
          />
        </Field>
      ) : null}
      <Field label="Reminder (days before expiration)" hint="Empty: no reminder">
        <input
          type="number"
          min="0"
          step="any"
          value={props.reminder}
          onInput={(e) => props.onChange({ reminder: e.currentTarget.value })}
        />
      </Field>
    </div>
  );
}

export function AddRecipients({ campaignId, onAdded }: { campaignId: string; onAdded: () => void }) {
  const [mode, setMode] = useState<Mode>('one');
  const [expiry, setExpiry] = useState({ expiry: 'default' as Expiry, custom: '', reminder: '' });
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [bulkText, setBulkText] = useState('');
  const [count, setCount] = useState('');
  const [file, setFile] = useState<File | null>(null);
  const [rejected, setRejected] = useState<Rejected[] | null>(null);
  const [contacts, setContacts] = useState<{ id: string; email: string; name: string | null }[] | null>(null);
  const [picked, setPicked] = useState<Set<string>>(new Set());
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (mode !== 'contacts' || contacts) return;
    call(api.GET('/v1/contacts', { params: { query: { limit: 100 } } }))
      .then((page) => setContacts(page.data))
      .catch((err: Error) => setError(err.message));
  }, [mode, contacts]);

  const expiryBody = () => {
    const expiresIn =
      expiry.expiry === 'custom'
        ? fromLocalInput(expiry.custom)
        : expiry.expiry === 'default'
          ? undefined
          : expiry.expiry;
    return {
      ...(expiresIn ? { expiresIn } : {}),
      ...(expiry.reminder !== '' ? { reminderDaysBefore: Number(expiry.reminder) } : {}),
    };
  };

  const submit = (work: () => Promise<string>) => async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    setNotice(null);
    try {
      setNotice(await work());
      onAdded();
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  };
  const path = { id: campaignId };

  const addOne = submit(async () => {
    await call(
      api.POST('/v1/campaigns/{id}/invites', {
        params: { path },
        body: { ...(email ? { email } : {}), ...(name ? { name } : {}), ...expiryBody() },
      }),
    );
    setName('');
    setEmail('');
    return `Invite created for ${name || email || 'a link-only recipient'}.`;
  });

  const addBulk = submit(async () => {
    const lines = bulkText
      .split('\n')
      .map((l) => l.trim())
      .filter(Boolean);
    const body = lines.length
      ? {
          recipients: lines.map((line) => {
            const [address, ...rest] = line.split(',');
            const who = rest.join(',').trim();
            return { email: address.trim(), ...(who ? { name: who } : {}) };
          }),
          ...expiryBody(),
        }
      : { count: Number(count), ...expiryBody() };
    await call(api.POST('/v1/campaigns/{id}/invites/bulk', { params: { path }, body }));
    setBulkText('');
    setCount('');
    return lines.length ? `${lines.length} invites created.` : `${count} link-only invites created.`;
  });

  const upload = submit(async () => {
    if (!file) throw new Error('Choose a CSV file first');
    const text = await file.text();
    const report = await call(
      api.POST('/v1/campaigns/{id}/invites/import', {
        params: { path },
        body: text as never,
        bodySerializer: (b: unknown) => b as string,
        headers: { 'Content-Type': 'text/csv' },
      }),
    );
    setRejected(report.rejected);
    return `Imported ${report.imported} invites; ${report.rejected.length} rows rejected.`;
  });

  const fromContacts = submit(async () => {
    await call(
      api.POST('/v1/campaigns/{id}/invites/from-contacts', {
        params: { path },
        body: { contactIds: [...picked], ...expiryBody() },
      }),
    );
    const n = picked.size;
    setPicked(new Set());
    return `${n} contacts added.`;
  });

  const [contactEmail, setContactEmail] = useState('');
  const [contactName, setContactName] = useState('');
  const saveContact = submit(async () => {
    const saved = await call(
      api.POST('/v1/contacts', {
        body: { email: contactEmail, ...(contactName ? { name: contactName } : {}) },
      }),
    );
    setContactEmail('');
    setContactName('');
    setContacts(null); // reload the list, the new contact in it
    setPicked(new Set([...picked, saved.id]));
    return `Contact ${saved.email} saved and selected.`;
  });

  const tabs: [Mode, string][] = [
    ['one', 'Create Invite'],
    ['bulk', 'Create Bulk Invites'],
    ['csv', 'Upload CSV'],
    ['contacts', 'Import from contacts'],
  ];

  return (
    <section aria-labelledby="add-title" class="panel">
      <h2 id="add-title">Add recipients</h2>
      <div class="tabs" role="group" aria-label="How to add recipients">
        {tabs.map(([m, label]) => (
          <button
            type="button"
            key={m}
            aria-pressed={mode === m}
            onClick={() => {
              setMode(m);
              setError(null);
              setNotice(null);
            }}
          >
            {label}
          </button>
        ))}
      </div>
      <ErrorMessage error={error} />
      <Notice message={notice} />

      {mode === 'one' ? (
        <form onSubmit={addOne}>
          <div class="row">
            <Field label="Name">
              <input value={name} onInput={(e) => setName(e.currentTarget.value)} />
            </Field>
            <Field label="Email" hint="Empty: a link-only invite">
              <input type="email" value={email} onInput={(e) => setEmail(e.currentTarget.value)} />
            </Field>
          </div>
          <ExpiryFields {...expiry} onChange={(v) => setExpiry({ ...expiry, ...v })} />
          <button type="submit" class="primary" disabled={busy}>
            Create invite
          </button>
        </form>
      ) : null}

      {mode === 'bulk' ? (
        <form onSubmit={addBulk}>
          <Field
            label="Recipients"
            hint="One per line: email, name (optional). Leave empty for link-only invites."
          >
            <textarea rows={5} value={bulkText} onInput={(e) => setBulkText(e.currentTarget.value)} />
          </Field>
          {bulkText.trim() === '' ? (
            <Field label="Number of link-only invites">
              <input
                type="number"
                min="1"
                required
                value={count}
                onInput={(e) => setCount(e.currentTarget.value)}
              />
            </Field>
          ) : null}
          <ExpiryFields {...expiry} onChange={(v) => setExpiry({ ...expiry, ...v })} />
          <button type="submit" class="primary" disabled={busy}>
            Create bulk invites
          </button>
        </form>
      ) : null}

      {mode === 'csv' ? (
        <form onSubmit={upload}>
          <CsvUpload
            hint="Header row: email,name. Each bad row is listed below and not imported."
            busy={busy}
            rejected={rejected}
            onFile={(f) => {
              setFile(f);
              setRejected(null);
            }}
          />
        </form>
      ) : null}

      {mode === 'contacts' ? (
        <form onSubmit={fromContacts}>
          {contacts === null ? (
            <p>Loading contacts…</p>
          ) : contacts.length === 0 ? (
            <p>No saved contacts on this account yet.</p>
          ) : (
            <fieldset>
              <legend>Saved contacts</legend>
              {contacts.map((c) => (
                <label class="check" key={c.id}>
                  <input
                    type="checkbox"
                    checked={picked.has(c.id)}
                    onChange={() => {
                      const next = new Set(picked);
                      if (next.has(c.id)) next.delete(c.id);
                      else next.add(c.id);
                      setPicked(next);
                    }}
                  />
                  {c.name ? `${c.name} <${c.email}>` : c.email}
                </label>
              ))}
            </fieldset>
          )}
          <ExpiryFields {...expiry} onChange={(v) => setExpiry({ ...expiry, ...v })} />
          <button type="submit" class="primary" disabled={busy || picked.size === 0}>
            Add selected contacts
          </button>
        </form>
      ) : null}
      {mode === 'contacts' ? (
        <form onSubmit={saveContact} class="subform">
          <h3>Save a new contact</h3>
          <div class="row">
            <Field label="Contact email">
              <input
                type="email"
                required
                value={contactEmail}
                onInput={(e) => setContactEmail(e.currentTarget.value)}
              />
            </Field>
            <Field label="Contact name">
              <input value={contactName} onInput={(e) => setContactName(e.currentTarget.value)} />
            </Field>
          </div>
          <button type="submit" disabled={busy}>
            Save contact
          </button>
        </form>
      ) : null}
    </section>
  );
}
