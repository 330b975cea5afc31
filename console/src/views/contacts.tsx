import { useEffect, useState } from 'preact/hooks';
import { api, call, type components } from '../api/client';
import { plural, when } from '../format';
import { isAdmin } from '../session';
import { ConfirmDialog, CsvUpload, ErrorMessage, Field, Notice } from '../ui/components';

type Contact = components['schemas']['Contact'];
type Rejected = components['schemas']['ImportReport']['rejected'];

/**
 * The account's saved contacts: people to invite to any campaign later (a campaign's Add
 * recipients → Import from contacts). Admins add, import and delete; support keys read.
 */
export function Contacts() {
  const admin = isAdmin();
  const [rows, setRows] = useState<Contact[] | null>(null);
  const [nextCursor, setNextCursor] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [deleting, setDeleting] = useState<Contact | null>(null);

  const load = async (cursor?: string) => {
    try {
      const page = await call(api.GET('/v1/contacts', { params: { query: cursor ? { cursor } : {} } }));
      setRows([...(cursor ? (rows ?? []) : []), ...page.data]);
      setNextCursor(page.nextCursor);
    } catch (err) {
      setError((err as Error).message);
    }
  };
  useEffect(() => {
    void load();
  }, []);

  const done = (message: string) => {
    setError(null);
    setNotice(message);
    void load();
  };

  // DELETE /v1/contacts/:id is an erasure: the person leaves the whole account, not only this list.
  const erase = async (c: Contact) => {
    setDeleting(null);
    setError(null);
    try {
      const report = await call(api.DELETE('/v1/contacts/{id}', { params: { path: { id: c.id } } }));
      done(
        `${c.email} deleted and erased from the account (${plural(report.erased.invites, 'invite')} voided).`,
      );
    } catch (err) {
      setError((err as Error).message);
    }
  };

  return (
    <section>
      <h1>Contacts</h1>
      <p class="hint">
        People saved on your account. Add them to any campaign from its participant list: Add recipients →
        Import from contacts.
        {admin ? null : ' Adding, importing and deleting contacts needs an admin API key.'}
      </p>
      <ErrorMessage error={error} />
      <Notice message={notice} />
      {admin ? <AddContact onDone={done} onError={setError} /> : null}
      {admin ? <ImportContacts onDone={done} onError={setError} /> : null}
      {rows === null ? (
        <p>Loading…</p>
      ) : rows.length === 0 ? (
        <p>No saved contacts on this account yet.</p>
      ) : (
        <div class="table-wrap" tabIndex={0} role="region" aria-label="Contact list">
          <table class="cards">
            <thead>
              <tr>
                <th scope="col">Email</th>
                <th scope="col">Name</th>
                <th scope="col">Saved</th>
                {admin ? <th scope="col">Actions</th> : null}
              </tr>
            </thead>
            <tbody>
              {rows.map((c) => (
                <tr key={c.id}>
                  <th scope="row">{c.email}</th>
                  <td data-label="Name">{c.name ?? '—'}</td>
                  <td data-label="Saved">{when(c.createdAt)}</td>
                  {admin ? (
                    <td>
                      <button type="button" onClick={() => setDeleting(c)} aria-label={`Delete ${c.email}`}>
                        Delete
                      </button>
                    </td>
                  ) : null}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {nextCursor ? (
        <button type="button" onClick={() => load(nextCursor)}>
          Show more contacts
        </button>
      ) : null}
      {deleting ? (
        <ConfirmDialog
          title={`Delete ${deleting.email}?`}
          confirmLabel="Delete and erase"
          onConfirm={() => erase(deleting)}
          onClose={() => setDeleting(null)}
        >
          <p>
            Deleting a contact erases the person from your whole account: their name and address leave your
            contacts and every campaign's participant list, their invite links stop working and nothing more
            is sent to them. This cannot be undone.
          </p>
        </ConfirmDialog>
      ) : null}
    </section>
  );
}

type Done = { onDone: (message: string) => void; onError: (message: string) => void };

function AddContact({ onDone, onError }: Done) {
  const [email, setEmail] = useState('');
  const [name, setName] = useState('');
  const [busy, setBusy] = useState(false);
  const save = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    try {
      const saved = await call(api.POST('/v1/contacts', { body: { email, ...(name ? { name } : {}) } }));
      setEmail('');
      setName('');
      onDone(`Contact ${saved.email} saved.`);
    } catch (err) {
      onError((err as Error).message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form onSubmit={save} class="card">
      <h2>Add a contact</h2>
      <div class="row">
        <Field label="Email">
          <input type="email" required value={email} onInput={(e) => setEmail(e.currentTarget.value)} />
        </Field>
        <Field label="Name">
          <input value={name} onInput={(e) => setName(e.currentTarget.value)} />
        </Field>
      </div>
      <button type="submit" class="primary" disabled={busy}>
        Save contact
      </button>
    </form>
  );
}

function ImportContacts({ onDone, onError }: Done) {
  const [file, setFile] = useState<File | null>(null);
  const [rejected, setRejected] = useState<Rejected | null>(null);
  const [busy, setBusy] = useState(false);
  const upload = async (e: Event) => {
    e.preventDefault();
    if (!file) return;
    setBusy(true);
    try {
      const report = await call(
        api.POST('/v1/contacts/import', {
          body: (await file.text()) as never,
          bodySerializer: (b: unknown) => b as string,
          headers: { 'Content-Type': 'text/csv' },
        }),
      );
      setRejected(report.rejected);
      onDone(
        `Imported ${plural(report.imported, 'contact')}; ${plural(report.rejected.length, 'row')} rejected.`,
      );
    } catch (err) {
      onError((err as Error).message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form onSubmit={upload} class="card">
      <h2>Import contacts</h2>
      <CsvUpload
        hint="Header row: email,name. Each bad row, and each address already saved, is listed below and not imported."
        busy={busy}
        rejected={rejected}
        onFile={(f) => {
          setFile(f);
          setRejected(null);
        }}
      />
    </form>
  );
}
