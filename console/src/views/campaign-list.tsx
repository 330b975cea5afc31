import { useCallback, useEffect, useState } from 'preact/hooks';
import { LAUNCHED_STATUSES } from '../../../domain/campaign';
import { api, call, type Campaign, type CampaignStatus } from '../api/client';
import { STATUSES, STATUS_LABEL, when } from '../format';
import { usePoll } from '../poll';
import { href } from '../router';
import { isAdmin } from '../session';
import { ErrorMessage, Notice, StatusBadge } from '../ui/components';
import { SendInviteDialog, UpdateCalendarInvitesDialog, updatesCalendars } from './batch-sending';
import { Progress } from './progress';

export function CampaignList() {
  const [status, setStatus] = useState<CampaignStatus | ''>('');
  const [campaigns, setCampaigns] = useState<Campaign[] | null>(null);
  const [nextCursor, setNextCursor] = useState<string | null>(null);
  const [pages, setPages] = useState(1);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  // The row action open in a dialog: Send Invite on a draft, Update Calendar Invites on a live one.
  const [open, setOpen] = useState<{ what: 'send' | 'calendar'; campaign: Campaign } | null>(null);

  const firstPage = useCallback(async () => {
    try {
      const page = await call(api.GET('/v1/campaigns', { params: { query: status ? { status } : {} } }));
      setCampaigns(page.data);
      setNextCursor(page.nextCursor);
      setPages(1);
      setError(null);
    } catch (err) {
      setError((err as Error).message);
    }
  }, [status]);

  useEffect(() => {
    setCampaigns(null);
    void firstPage();
  }, [firstPage]);

  const more = async () => {
    if (!nextCursor) return;
    try {
      const query = { cursor: nextCursor, ...(status ? { status } : {}) };
      const page = await call(api.GET('/v1/campaigns', { params: { query } }));
      setCampaigns([...(campaigns ?? []), ...page.data]);
      setNextCursor(page.nextCursor);
      setPages(pages + 1);
    } catch (err) {
      setError((err as Error).message);
    }
  };

  // Progress moves on screen while a campaign of the first page is launched and not over (its
  // workflow moves it on by itself); once more pages are shown the list holds still
  // (refreshing would drop them).
  const live = pages === 1 && (campaigns ?? []).some((c) => LAUNCHED_STATUSES.has(c.status));
  usePoll(firstPage, live);

  return (
    <section>
      <div class="title-row">
        <h1>Campaigns</h1>
        {/* The account's numbers live here, not in the top nav: it stays short. */}
        <a class="button" href={href('/analytics')}>
          Analytics
        </a>
        {isAdmin() ? (
          <a class="button primary" href={href('/campaigns/new')}>
            New campaign
          </a>
        ) : null}
      </div>
      <div class="filters">
        <label class="field inline">
          <span class="label">Status</span>
          <select value={status} onChange={(e) => setStatus(e.currentTarget.value as CampaignStatus | '')}>
            <option value="">All statuses</option>
            {STATUSES.map((s) => (
              <option value={s} key={s}>
                {STATUS_LABEL[s]}
              </option>
            ))}
          </select>
        </label>
      </div>
      <ErrorMessage error={error} />
      <Notice message={notice} />
      {campaigns === null ? (
        <p>Loading…</p>
      ) : campaigns.length === 0 ? (
        <p>No campaigns{status ? ` with status ${STATUS_LABEL[status]}` : ''} yet.</p>
      ) : (
        <div class="table-wrap" tabIndex={0} role="region" aria-label="Campaign list">
          <table>
            <thead>
              <tr>
                <th scope="col">Campaign</th>
                <th scope="col">Status</th>
                <th scope="col">Progress</th>
                <th scope="col">Start date</th>
                <th scope="col">Expiration</th>
                <th scope="col">Actions</th>
              </tr>
            </thead>
            <tbody>
              {campaigns.map((c) => (
                <tr key={c.id}>
                  <th scope="row">
                    <a href={href(`/campaigns/${c.id}`)}>{c.name}</a>
                  </th>
                  <td>
                    <StatusBadge status={c.status} />
                  </td>
                  <td>
                    <Progress progress={c.progress} compact />
                  </td>
                  <td>{when(c.startAt, 'On launch')}</td>
                  <td>{when(c.expiresAt, 'Never')}</td>
                  <td>
                    {/* What the API says this key may do now (`actions`), in the seed's words. */}
                    {c.actions.includes('launch') ? (
                      <button
                        type="button"
                        aria-label={`Send Invite: ${c.name}`}
                        onClick={() => setOpen({ what: 'send', campaign: c })}
                      >
                        Send Invite
                      </button>
                    ) : updatesCalendars(c) ? (
                      <button
                        type="button"
                        aria-label={`Update Calendar Invites: ${c.name}`}
                        onClick={() => setOpen({ what: 'calendar', campaign: c })}
                      >
                        Update Calendar Invites
                      </button>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {open?.what === 'send' ? (
        <SendInviteDialog
          campaign={open.campaign}
          onClose={() => setOpen(null)}
          onDone={(c) => {
            setOpen(null);
            setNotice(
              c.status === 'scheduled'
                ? `${c.name} is scheduled: its first batch goes ${when(c.startAt)}.`
                : `Batch sending started for ${c.name}: the first batch is on its way.`,
            );
            void firstPage();
          }}
        />
      ) : null}
      {open?.what === 'calendar' ? (
        <UpdateCalendarInvitesDialog
          campaign={open.campaign}
          onClose={() => setOpen(null)}
          onDone={(c) => {
            setOpen(null);
            setNotice(`Calendar updates for ${c.name} are on their way to everyone already invited.`);
            void firstPage();
          }}
        />
      ) : null}
      {nextCursor ? (
        <button type="button" onClick={more}>
          Show more campaigns
        </button>
      ) : null}
    </section>
  );
}
