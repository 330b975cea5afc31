import { useEffect, useState } from 'preact/hooks';
import { api, call, type components } from '../api/client';
import { SUPPRESSION_REASON as REASON, when } from '../format';
import { ConfirmDialog, ErrorMessage, Field, Notice } from '../ui/components';

type Suppression = components['schemas']['Suppression'];

const SOURCE: Record<string, string> = {
  'one-click': "their mail app's Unsubscribe button",
  page: 'the unsubscribe page',
  provider: 'Postmark',
};

/**
 * Addresses the account no longer emails: hard bounces, spam complaints, unsubscribes. An
 * unsubscribe may be lifted (the person asked to be mailed again); the others stay.
 */
export function Suppressions() {
  const [rows, setRows] = useState<Suppression[] | null>(null);
  const [email, setEmail] = useState('');
  const [lifting, setLifting] = useState<Suppression | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  const load = async (address = email) => {
    try {
      const query = { limit: 50, ...(address.trim() ? { email: address.trim() } : {}) };
      setRows((await call(api.GET('/v1/suppressions', { params: { query } }))).data);
    } catch (err) {
      setError((err as Error).message);
    }
  };
  useEffect(() => {
    void load('');
  }, []);

  const search = (e: Event) => {
    e.preventDefault();
    setError(null);
    void load();
  };

  const lift = async (row: Suppression) => {
    setLifting(null);
    setError(null);
    try {
      await call(api.DELETE('/v1/suppressions/{id}', { params: { path: { id: row.id } } }));
      setNotice(`${row.email} may be emailed again.`);
      await load();
    } catch (err) {
      setError((err as Error).message);
    }
  };

  return (
    <section class="card" aria-labelledby="suppressions-title">
      <h2 id="suppressions-title">Suppressed addresses</h2>
      <p class="hint">
        Herald sends nothing to these addresses. Lift an unsubscribe only when the person asked to be emailed
        again; a hard bounce or a spam complaint stays.
      </p>
      <form onSubmit={search} class="inline-form">
        <Field label="Address">
          <input type="email" value={email} onInput={(e) => setEmail(e.currentTarget.value)} />
        </Field>
        <button type="submit">Find</button>
      </form>
      <ErrorMessage error={error} />
      <Notice message={notice} />
      {rows && rows.length === 0 ? <p>No suppressed addresses.</p> : null}
      {rows && rows.length > 0 ? (
        <div class="table-wrap" tabIndex={0} role="region" aria-label="Suppressed address list">
          <table>
            <thead>
              <tr>
                <th scope="col">Address</th>
                <th scope="col">Why</th>
                <th scope="col">Since</th>
                <th scope="col">Actions</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((s) => (
                <tr key={s.id}>
                  <th scope="row">{s.email}</th>
                  <td>
                    {REASON[s.reason]}
                    {s.source ? ` (${SOURCE[s.source] ?? s.source})` : ''}
                  </td>
                  <td>{when(s.createdAt)}</td>
                  <td>
                    {s.reason === 'unsubscribed' ? (
                      <button
                        type="button"
                        onClick={() => setLifting(s)}
                        aria-label={`Lift the unsubscribe of ${s.email}`}
                      >
                        Lift
                      </button>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      {lifting ? (
        <ConfirmDialog
          title={`Email ${lifting.email} again?`}
          confirmLabel="Lift unsubscribe"
          onConfirm={() => lift(lifting)}
          onClose={() => setLifting(null)}
        >
          <p>They unsubscribed. Lift it only if they asked to receive your emails again.</p>
        </ConfirmDialog>
      ) : null}
    </section>
  );
}
