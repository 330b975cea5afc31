import { useCallback, useEffect, useState } from 'preact/hooks';
import { api, call, type Campaign, type CampaignAction, type Invite } from '../api/client';
import { SUPPRESSION_REASON, when } from '../format';
import { ConfirmDialog, ErrorMessage, Notice, UsedBadge } from '../ui/components';
import { type ExpiryChange, ExpiryDialog } from './invite-expiry';

type Filter = {
  status: '' | 'used' | 'unused';
  assigned: '' | 'true' | 'false';
  delivery: '' | 'failed';
  q: string;
};

/** The owner's failure emails link here with `?delivery=failed`: the list opens filtered to them. */
const deliveryFromAddress = (): Filter['delivery'] =>
  new URLSearchParams(window.location.search).get('delivery') === 'failed' ? 'failed' : '';

const who = (i: Invite) => i.name || i.email || 'link-only invite';

/** The participant list (the invite table): filters, cursor pages, per-row actions, export. */
export function Participants({ campaign, version }: { campaign: Campaign; version: number }) {
  const [filter, setFilter] = useState<Filter>(() => ({
    status: '',
    assigned: '',
    delivery: deliveryFromAddress(),
    q: '',
  }));
  // What is typed in the search box; searched on Enter or Search.
  const [typed, setTyped] = useState('');
  // Cursors of the pages before this one, to go back; `cursor` is this page's own.
  const [cursor, setCursor] = useState<string | undefined>(undefined);
  const [previous, setPrevious] = useState<(string | undefined)[]>([]);
  const [page, setPage] = useState<{ data: Invite[]; nextCursor: string | null } | null>(null);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [resetting, setResetting] = useState<Invite | null>(null);
  const [editing, setEditing] = useState<Invite | null>(null);
  const [busy, setBusy] = useState<string | null>(null);

  const load = useCallback(async () => {
    try {
      const query = {
        ...(cursor ? { cursor } : {}),
        ...(filter.status ? { status: filter.status } : {}),
        ...(filter.assigned ? { assigned: filter.assigned } : {}),
        ...(filter.delivery ? { delivery: filter.delivery } : {}),
        ...(filter.q ? { q: filter.q } : {}),
      };
      setPage(
        await call(api.GET('/v1/campaigns/{id}/invites', { params: { path: { id: campaign.id }, query } })),
      );
    } catch (err) {
      setError((err as Error).message);
    }
  }, [campaign.id, cursor, filter.status, filter.assigned, filter.delivery, filter.q]);

  useEffect(() => {
    void load();
  }, [load, version]);

  // Opened from an email about failures: the list is what it is about, so bring it into view.
  useEffect(() => {
    if (deliveryFromAddress()) document.getElementById('participants-title')?.scrollIntoView();
  }, []);

  const changeFilter = (next: Partial<Filter>) => {
    setFilter({ ...filter, ...next });
    setCursor(undefined);
    setPrevious([]);
  };

  const run = async (invite: Invite, label: string, work: () => Promise<string>) => {
    setBusy(invite.id);
    setError(null);
    setNotice(null);
    try {
      setNotice(await work());
      await load();
    } catch (err) {
      setError(`${label} (${who(invite)}): ${(err as Error).message}`);
    } finally {
      setBusy(null);
    }
  };

  const copyLink = (invite: Invite) =>
    run(invite, 'Copy link', async () => {
      const { url } = await call(api.GET('/v1/invites/{id}/link', { params: { path: { id: invite.id } } }));
      await navigator.clipboard.writeText(url);
      return `Link for ${who(invite)} copied.`;
    });

  const send = (invite: Invite) =>
    run(invite, invite.sentAt ? 'Resend notification' : 'Send notification', async () => {
      await call(api.POST('/v1/invites/{id}/send', { params: { path: { id: invite.id } } }));
      return `Notification sent to ${invite.email}.`;
    });

  const reset = (invite: Invite) => {
    setResetting(null);
    return run(invite, 'Reset & resend', async () => {
      await call(api.POST('/v1/invites/{id}/reset', { params: { path: { id: invite.id } } }));
      return `${who(invite)} was reset: the old link no longer works and a new one was sent.`;
    });
  };

  const changeExpiry = (invite: Invite, change: ExpiryChange) => {
    setEditing(null);
    return run(invite, 'Change expiry', async () => {
      const updated = await call(
        api.PATCH('/v1/invites/{id}', { params: { path: { id: invite.id } }, body: change }),
      );
      return `${who(invite)}'s invite now ${updated.expiresAt ? `expires ${when(updated.expiresAt)}` : 'never expires'}.`;
    });
  };

  const exportCsv = async () => {
    setError(null);
    try {
      const result = await call(
        api.POST('/v1/campaigns/{id}/invites/export', {
          params: { path: { id: campaign.id } },
          body: { ids: [...selected] },
          parseAs: 'text',
        }),
      );
      const blob = new Blob([result], { type: 'text/csv' });
      const a = document.createElement('a');
      a.href = URL.createObjectURL(blob);
      a.download = `${campaign.name.replace(/[^\w.-]+/g, '-')}-invites.csv`;
      document.body.append(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
      setNotice(`Exported ${selected.size} invites.`);
    } catch (err) {
      setError(`Export CSV: ${(err as Error).message}`);
    }
  };

  const rows = page?.data ?? [];
  const allSelected = rows.length > 0 && rows.every((i) => selected.has(i.id));
  const toggle = (id: string) => {
    const next = new Set(selected);
    if (next.has(id)) next.delete(id);
    else next.add(id);
    setSelected(next);
  };
  const toggleAll = () => {
    const next = new Set(selected);
    for (const i of rows) {
      if (allSelected) next.delete(i.id);
      else next.add(i.id);
    }
    setSelected(next);
  };
  // The API says whether this key may (re)send now: the campaign sends, and it is not over.
  const may = (action: CampaignAction) => campaign.actions.includes(action);

  return (
    <section aria-labelledby="participants-title" class="panel">
      <h2 id="participants-title">Participants</h2>
      <form
        class="filters"
        role="search"
        aria-label="Search participants"
        onSubmit={(e) => {
          e.preventDefault();
          changeFilter({ q: typed.trim() });
        }}
      >
        <label class="field inline">
          <span class="label">Name or email</span>
          <input
            type="search"
            maxLength={200}
            value={typed}
            onInput={(e) => setTyped(e.currentTarget.value)}
          />
        </label>
        <button type="submit">Search</button>
      </form>
      <div class="filters">
        <label class="field inline">
          <span class="label">Status</span>
          <select
            value={filter.status}
            onChange={(e) => changeFilter({ status: e.currentTarget.value as Filter['status'] })}
          >
            <option value="">All</option>
            <option value="unused">Unused</option>
            <option value="used">Used</option>
          </select>
        </label>
        <label class="field inline">
          <span class="label">Assigned</span>
          <select
            value={filter.assigned}
            onChange={(e) => changeFilter({ assigned: e.currentTarget.value as Filter['assigned'] })}
          >
            <option value="">All</option>
            <option value="true">Assigned to a person</option>
            <option value="false">Link only</option>
          </select>
        </label>
        <label class="field inline">
          <span class="label">Delivery</span>
          <select
            value={filter.delivery}
            onChange={(e) => changeFilter({ delivery: e.currentTarget.value as Filter['delivery'] })}
          >
            <option value="">All</option>
            <option value="failed">Failed</option>
          </select>
        </label>
        <button type="button" disabled={selected.size === 0} onClick={exportCsv}>
          Export CSV
        </button>
        <span class="hint">{selected.size} selected</span>
      </div>
      <ErrorMessage error={error} />
      <Notice message={notice} />
      {page === null ? (
        <p>Loading…</p>
      ) : rows.length === 0 ? (
        <p>
          No participants
          {filter.q
            ? ` match “${filter.q}”`
            : filter.status || filter.assigned || filter.delivery
              ? ' match these filters'
              : ' yet'}
          .
        </p>
      ) : (
        <div class="table-wrap" tabIndex={0} role="region" aria-label="Participant list">
          <table class="invites">
            <thead>
              <tr>
                <th scope="col">
                  <input
                    type="checkbox"
                    aria-label="Select all on this page"
                    checked={allSelected}
                    onChange={toggleAll}
                  />
                </th>
                <th scope="col">Name</th>
                <th scope="col">Email</th>
                <th scope="col">Phone</th>
                <th scope="col">Status</th>
                <th scope="col">Invite Sent</th>
                <th scope="col">Expires</th>
                <th scope="col">Order</th>
                <th scope="col">Journey</th>
                <th scope="col">Delivery</th>
                <th scope="col">Actions</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((i) => (
                <tr key={i.id}>
                  <td data-label="Select">
                    <input
                      type="checkbox"
                      aria-label={`Select ${who(i)}`}
                      checked={selected.has(i.id)}
                      onChange={() => toggle(i.id)}
                    />
                  </td>
                  <th scope="row" data-label="Name">
                    {i.name ?? '—'}
                  </th>
                  <td data-label="Email">{i.email ?? 'Link only'}</td>
                  <td data-label="Phone">{i.phone ?? '—'}</td>
                  <td data-label="Status">
                    <UsedBadge used={i.status === 'used'} />
                    {i.linkState === 'expired' ? <span class="hint"> Link expired</span> : null}
                  </td>
                  <td data-label="Invite Sent">{when(i.sentAt, 'Not sent')}</td>
                  <td data-label="Expires">{when(i.expiresAt, 'Never')}</td>
                  <td data-label="Order">{i.order ?? '—'}</td>
                  <td data-label="Journey">{i.journey}</td>
                  <td data-label="Delivery">
                    {i.suppressed ? (
                      <span class="badge badge-suppressed">
                        {SUPPRESSION_REASON[i.suppressed]}: no more emails
                      </span>
                    ) : null}{' '}
                    {i.delivery.error ? (
                      <span class="error-text">{i.delivery.error}</span>
                    ) : (
                      (i.delivery.status ?? '—')
                    )}
                  </td>
                  <td class="row-actions" data-label="Actions">
                    <button
                      type="button"
                      disabled={busy === i.id}
                      onClick={() => copyLink(i)}
                      aria-label={`Copy link for ${who(i)}`}
                    >
                      Copy link
                    </button>
                    {i.email && may('resend') ? (
                      <button
                        type="button"
                        disabled={busy === i.id}
                        onClick={() => send(i)}
                        aria-label={`${i.sentAt ? 'Resend notification' : 'Send notification'} to ${who(i)}`}
                      >
                        {i.sentAt ? 'Resend notification' : 'Send notification'}
                      </button>
                    ) : null}
                    {may('reset') ? (
                      <button
                        type="button"
                        disabled={busy === i.id}
                        onClick={() => setResetting(i)}
                        aria-label={`Reset & resend ${who(i)}`}
                      >
                        Reset &amp; resend
                      </button>
                    ) : null}
                    {i.status === 'unused' && i.linkState !== 'expired' ? (
                      <button
                        type="button"
                        disabled={busy === i.id}
                        onClick={() => setEditing(i)}
                        aria-label={`Change expiry of ${who(i)}`}
                      >
                        Change expiry
                      </button>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <div class="pager">
        <button
          type="button"
          disabled={previous.length === 0}
          onClick={() => {
            setCursor(previous[previous.length - 1]);
            setPrevious(previous.slice(0, -1));
          }}
        >
          Previous page
        </button>
        <button
          type="button"
          disabled={!page?.nextCursor}
          onClick={() => {
            setPrevious([...previous, cursor]);
            setCursor(page?.nextCursor ?? undefined);
          }}
        >
          Next page
        </button>
      </div>
      {editing ? (
        <ExpiryDialog
          invite={editing}
          who={who(editing)}
          onSave={(change) => changeExpiry(editing, change)}
          onClose={() => setEditing(null)}
        />
      ) : null}
      {resetting ? (
        <ConfirmDialog
          title={`Reset & resend ${who(resetting)}?`}
          confirmLabel="Reset & resend"
          onConfirm={() => reset(resetting)}
          onClose={() => setResetting(null)}
        >
          <p>Reset &amp; resend voids the old link and starts the participant over. A new link is emailed.</p>
        </ConfirmDialog>
      ) : null}
    </section>
  );
}
