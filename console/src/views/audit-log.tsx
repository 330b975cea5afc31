import { useEffect, useState } from 'preact/hooks';
import { api, call, type components } from '../api/client';
import { when } from '../format';
import { href } from '../router';
import { ErrorMessage } from '../ui/components';

type Entry = components['schemas']['AuditEntry'];

export function AuditLog({ id }: { id: string }) {
  const [entries, setEntries] = useState<Entry[] | null>(null);
  const [nextCursor, setNextCursor] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  const load = async (cursor?: string) => {
    try {
      const page = await call(
        api.GET('/v1/campaigns/{id}/audit', { params: { path: { id }, query: cursor ? { cursor } : {} } }),
      );
      setEntries([...(cursor ? (entries ?? []) : []), ...page.data]);
      setNextCursor(page.nextCursor);
    } catch (err) {
      setError((err as Error).message);
    }
  };
  useEffect(() => {
    void load();
  }, [id]);

  return (
    <section>
      <p>
        <a href={href(`/campaigns/${id}`)}>← Campaign</a>
      </p>
      <h1>Audit log</h1>
      <ErrorMessage error={error} />
      {entries === null ? (
        <p>Loading…</p>
      ) : (
        <div class="table-wrap" tabIndex={0} role="region" aria-label="Audit log">
          <table>
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Action</th>
                <th scope="col">Change</th>
                <th scope="col">Actor</th>
                <th scope="col">Reason</th>
              </tr>
            </thead>
            <tbody>
              {entries.map((e) => (
                <tr key={e.id}>
                  <td>{when(e.at)}</td>
                  <td>{e.action}</td>
                  <td>
                    {e.fromStatus || e.toStatus ? `${e.fromStatus ?? '—'} → ${e.toStatus ?? '—'}` : '—'}
                  </td>
                  <td>{e.actor}</td>
                  <td>{e.reason ?? '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {nextCursor ? (
        <button type="button" onClick={() => load(nextCursor)}>
          Show older entries
        </button>
      ) : null}
    </section>
  );
}
