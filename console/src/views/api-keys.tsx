import { useEffect, useState } from 'preact/hooks';
import { api, call, type components } from '../api/client';
import { when } from '../format';
import { who } from '../session';
import { ConfirmDialog, ErrorMessage, Field, Notice } from '../ui/components';

type ApiKey = components['schemas']['ApiKey'];

/** The account's API keys: give support a key of its own, revoke one that leaked. */
export function ApiKeys() {
  const [keys, setKeys] = useState<ApiKey[] | null>(null);
  const [role, setRole] = useState<'admin' | 'support'>('support');
  const [name, setName] = useState('');
  const [created, setCreated] = useState<{ key: string; role: string } | null>(null);
  const [revoking, setRevoking] = useState<ApiKey | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const load = async () => {
    try {
      setKeys((await call(api.GET('/v1/api-keys', { params: { query: { limit: 100 } } }))).data);
    } catch (err) {
      setError((err as Error).message);
    }
  };
  useEffect(() => {
    void load();
  }, []);

  const create = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    setNotice(null);
    try {
      const key = await call(api.POST('/v1/api-keys', { body: { role, ...(name ? { name } : {}) } }));
      setCreated({ key: key.key, role: key.role });
      setName('');
      await load();
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  };

  const revoke = async (key: ApiKey) => {
    setRevoking(null);
    setError(null);
    try {
      await call(api.DELETE('/v1/api-keys/{id}', { params: { path: { id: key.id } } }));
      setNotice(`Key ${key.prefix}… revoked: it stops working at once.`);
      await load();
    } catch (err) {
      setError((err as Error).message);
    }
  };

  const mine = who.get()?.keyId;
  return (
    <section class="card" aria-labelledby="keys-title">
      <h2 id="keys-title">API keys</h2>
      <form onSubmit={create} class="inline-form">
        <Field label="Role">
          <select value={role} onChange={(e) => setRole(e.currentTarget.value as 'admin' | 'support')}>
            <option value="support">Support (read, pause, resume, resend, reset, copy links)</option>
            <option value="admin">Admin (everything)</option>
          </select>
        </Field>
        <Field label="Key name">
          <input
            value={name}
            placeholder="e.g. Support desk"
            onInput={(e) => setName(e.currentTarget.value)}
          />
        </Field>
        <button type="submit" class="primary" disabled={busy}>
          Create key
        </button>
      </form>
      {created ? (
        <div class="notice" role="status">
          <p>
            New {created.role} key — copy it now, it is not shown again:{' '}
            <code class="secret">{created.key}</code>
          </p>
          <button
            type="button"
            onClick={() => navigator.clipboard.writeText(created.key).then(() => setNotice('Key copied.'))}
          >
            Copy key
          </button>
        </div>
      ) : null}
      <ErrorMessage error={error} />
      <Notice message={notice} />
      {keys && keys.length > 0 ? (
        <div class="table-wrap" tabIndex={0} role="region" aria-label="API key list">
          <table>
            <thead>
              <tr>
                <th scope="col">Key</th>
                <th scope="col">Name</th>
                <th scope="col">Role</th>
                <th scope="col">Last used</th>
                <th scope="col">State</th>
                <th scope="col">Actions</th>
              </tr>
            </thead>
            <tbody>
              {keys.map((k) => (
                <tr key={k.id}>
                  <th scope="row">
                    <code>{k.prefix}…</code>
                  </th>
                  <td>{k.name ?? '—'}</td>
                  <td>{k.role}</td>
                  <td>{when(k.lastUsedAt, 'Never')}</td>
                  <td>
                    {k.revokedAt
                      ? `Revoked ${when(k.revokedAt)}`
                      : k.id === mine
                        ? 'Active (this session)'
                        : 'Active'}
                  </td>
                  <td>
                    {k.revokedAt ? null : (
                      <button
                        type="button"
                        class="danger"
                        onClick={() => setRevoking(k)}
                        aria-label={`Revoke key ${k.prefix}`}
                      >
                        Revoke
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      {revoking ? (
        <ConfirmDialog
          title={`Revoke key ${revoking.prefix}…?`}
          confirmLabel="Revoke key"
          onConfirm={() => revoke(revoking)}
          onClose={() => setRevoking(null)}
        >
          <p>
            Every request with this key is refused from now on
            {revoking.id === mine ? ', including this session' : ''}. This cannot be undone.
          </p>
        </ConfirmDialog>
      ) : null}
    </section>
  );
}
