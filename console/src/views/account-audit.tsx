import { useEffect, useState } from 'preact/hooks';
import { api, call, type components } from '../api/client';
import { when } from '../format';
import { BASE, href } from '../router';
import { isAdmin, who } from '../session';
import { ErrorMessage, Field } from '../ui/components';

type Entry = components['schemas']['AccountAuditEntry'];
type Campaign = components['schemas']['Campaign'];

/** The kinds of entry the log holds, in words; `refused` is the family of every refused command. */
const KINDS: [string, string][] = [
  ['status_changed', 'Status changed'],
  ['created', 'Campaign created'],
  ['settings_changed', 'Campaign settings changed'],
  ['rescheduled', 'Start date moved'],
  ['expiry_changed', 'Expiration changed'],
  ['event_changed', 'Calendar invites updated'],
  ['refused', 'Command refused'],
  ['invite_resent', 'Notification resent'],
  ['invite_reset', 'Reset & resend'],
  ['invite_expiry_changed', "An invite's expiry changed"],
  ['retry_failed', 'Failed invites sent again'],
  ['test_sent', 'Test email sent'],
  ['email_match_refused', 'Wrong address at a link'],
  ['recipient_unsubscribed', 'Unsubscribed'],
  ['suppression_lifted', 'Unsubscribe lifted'],
  ['recipient_erased', 'Recipient erased'],
  ['sending_policy_changed', 'Sending limits and hours changed'],
  ['account_settings_changed', 'Account settings changed'],
  ['email_sender_set', 'Email sender set'],
  ['api_key_created', 'API key created'],
  ['api_key_revoked', 'API key revoked'],
  ['webhook_endpoint_created', 'Webhook endpoint added'],
  ['webhook_endpoint_enabled', 'Webhook endpoint enabled again'],
  ['webhook_endpoint_disabled', 'Webhook endpoint disabled'],
  ['webhook_endpoint_changed', 'Webhook endpoint event types changed'],
  ['webhook_endpoint_deleted', 'Webhook endpoint deleted'],
];
const KIND_LABEL = new Map(KINDS);
const kindInWords = (action: string) => {
  const [family, detail] = action.split(':');
  const label = KIND_LABEL.get(action) ?? KIND_LABEL.get(family);
  return label ? (detail ? `${label} (${detail})` : label) : action;
};

interface Filters {
  campaign: string;
  actor: string;
  kind: string;
}

/** The filters live in the address (`/audit?campaign=&actor=&kind=`), so a filtered log can be linked to. */
const fromAddress = (): Filters => {
  const q = new URLSearchParams(window.location.search);
  return { campaign: q.get('campaign') ?? '', actor: q.get('actor') ?? '', kind: q.get('kind') ?? '' };
};

/** The whole account's audit log: every campaign's entries and the account's own, newest first. */
export function AccountAudit() {
  const [filters, setFilters] = useState<Filters>(fromAddress);
  const [draft, setDraft] = useState<Filters>(filters);
  const [campaigns, setCampaigns] = useState<Campaign[]>([]);
  const [entries, setEntries] = useState<Entry[] | null>(null);
  const [nextCursor, setNextCursor] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const me = who.get()?.keyId;
  // Actors are key ids: an admin sees each key's name (support may not list keys).
  const [keys, setKeys] = useState<Map<string, string>>(new Map());

  const load = async (f: Filters, cursor?: string) => {
    setError(null);
    try {
      const query = {
        ...(f.campaign ? { campaignId: f.campaign } : {}),
        ...(f.actor.trim() ? { actor: f.actor.trim() } : {}),
        ...(f.kind ? { action: f.kind } : {}),
        ...(cursor ? { cursor } : {}),
      };
      const page = await call(api.GET('/v1/audit', { params: { query } }));
      setEntries([...(cursor ? (entries ?? []) : []), ...page.data]);
      setNextCursor(page.nextCursor);
    } catch (err) {
      setError((err as Error).message);
    }
  };
  useEffect(() => {
    void load(filters);
  }, [filters]);
  useEffect(() => {
    if (isAdmin())
      call(api.GET('/v1/api-keys', { params: { query: { limit: 500 } } }))
        .then((page) =>
          setKeys(new Map(page.data.map((k) => [k.id, `${k.name ?? `${k.role} key`} (${k.prefix}…)`]))),
        )
        .catch((err: Error) => setError(err.message));
    call(api.GET('/v1/campaigns', { params: { query: { limit: 500 } } }))
      .then((page) => setCampaigns(page.data))
      .catch((err: Error) => setError(err.message));
  }, []);

  const apply = (e: Event) => {
    e.preventDefault();
    const q = new URLSearchParams();
    if (draft.campaign) q.set('campaign', draft.campaign);
    if (draft.actor.trim()) q.set('actor', draft.actor.trim());
    if (draft.kind) q.set('kind', draft.kind);
    const search = q.toString();
    window.history.replaceState(null, '', `${BASE}/audit${search ? `?${search}` : ''}`);
    setEntries(null);
    setFilters({ ...draft });
  };

  return (
    <section>
      <h1>Audit log</h1>
      <p class="hint">
        Every change in the account, with who made it: campaigns, sending limits, API keys, webhooks,
        erasures. A campaign&apos;s own log is on its page.
      </p>
      <form onSubmit={apply} class="card filters" aria-label="Filter the audit log">
        <div class="row">
          <Field label="Campaign">
            <select
              value={draft.campaign}
              onChange={(e) => setDraft({ ...draft, campaign: e.currentTarget.value })}
            >
              <option value="">All campaigns and the account</option>
              {campaigns.map((c) => (
                <option key={c.id} value={c.id}>
                  {c.name}
                </option>
              ))}
            </select>
          </Field>
          <Field label="Actor" hint="An API key id, system or recipient">
            <input
              value={draft.actor}
              onInput={(e) => setDraft({ ...draft, actor: e.currentTarget.value })}
            />
          </Field>
          <Field label="Kind">
            <select value={draft.kind} onChange={(e) => setDraft({ ...draft, kind: e.currentTarget.value })}>
              <option value="">Any kind</option>
              {KINDS.map(([value, label]) => (
                <option key={value} value={value}>
                  {label}
                </option>
              ))}
            </select>
          </Field>
        </div>
        <button type="submit">Filter</button>
      </form>
      <ErrorMessage error={error} />
      {entries === null ? (
        <p>Loading…</p>
      ) : entries.length === 0 ? (
        <p>No entries match.</p>
      ) : (
        <div class="table-wrap" tabIndex={0} role="region" aria-label="Account audit log">
          <table class="cards">
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Campaign</th>
                <th scope="col">Kind</th>
                <th scope="col">Change</th>
                <th scope="col">Actor</th>
                <th scope="col">Reason</th>
              </tr>
            </thead>
            <tbody>
              {entries.map((e) => (
                <tr key={e.id}>
                  <td data-label="When">{when(e.at)}</td>
                  <td data-label="Campaign">
                    {e.campaignId ? (
                      <a href={href(`/campaigns/${e.campaignId}`)}>{e.campaignName ?? e.campaignId}</a>
                    ) : (
                      'Account'
                    )}
                  </td>
                  <td data-label="Kind">{kindInWords(e.action)}</td>
                  <td data-label="Change">
                    {e.fromStatus || e.toStatus ? `${e.fromStatus ?? '—'} → ${e.toStatus ?? '—'}` : '—'}
                  </td>
                  <td data-label="Actor">{e.actor === me ? 'This key' : (keys.get(e.actor) ?? e.actor)}</td>
                  <td data-label="Reason">{e.reason ?? '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {nextCursor ? (
        <button type="button" onClick={() => load(filters, nextCursor)}>
          Show older entries
        </button>
      ) : null}
    </section>
  );
}
