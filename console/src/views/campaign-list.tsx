import { useCallback, useEffect, useState } from 'preact/hooks';
import { LAUNCHED_STATUSES } from '../../../domain/campaign';
import { api, call, type Campaign, type CampaignStatus } from '../api/client';
import { STATUSES, STATUS_LABEL, when } from '../format';
import { usePoll } from '../poll';
import { href } from '../router';
import { isAdmin } from '../session';
import { ErrorMessage, StatusBadge } from '../ui/components';
import { Progress } from './progress';

export function CampaignList() {
  const [status, setStatus] = useState<CampaignStatus | ''>('');
  const [campaigns, setCampaigns] = useState<Campaign[] | null>(null);
  const [nextCursor, setNextCursor] = useState<string | null>(null);
  const [pages, setPages] = useState(1);
  const [error, setError] = useState<string | null>(null);

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
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {nextCursor ? (
        <button type="button" onClick={more}>
          Show more campaigns
        </button>
      ) : null}
    </section>
  );
}
