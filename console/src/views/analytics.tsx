import { useCallback, useEffect, useState } from 'preact/hooks';
import { api, call, type Campaign, type components } from '../api/client';
import { isTerminal } from '../../../domain/campaign';
import { href } from '../router';
import { usePoll } from '../poll';
import { session } from '../session';
import { ErrorMessage } from '../ui/components';

type CampaignAnalytics = components['schemas']['CampaignAnalytics'];
type AccountAnalytics = components['schemas']['AccountAnalytics'];
type Step = CampaignAnalytics['timeline'][number];
type Stage = CampaignAnalytics['funnel'][number]['stage'];

/** The stages in the seeds' words. */
const STAGE_LABEL: Record<Stage, string> = {
  sent: 'Sent',
  delivered: 'Delivered',
  opened: 'Opened',
  clicked: 'Clicked',
  viewed: 'Viewed page',
  started: 'Started checkout',
  completed: 'Completed order',
};
/** The lines the timeline draws (every stage is in the table beside it). */
const LINES: Stage[] = ['sent', 'opened', 'clicked', 'completed'];

const percent = (share: number | null) => (share === null ? '—' : `${Math.round(share * 100)}%`);

/** One bar per stage, people solid and machines hatched after them; the table says the same. */
function FunnelChart({ funnel }: { funnel: CampaignAnalytics['funnel'] }) {
  const most = Math.max(1, ...funnel.map((s) => s.people + s.machines));
  const row = 28;
  return (
    <svg
      class="chart funnel-chart"
      viewBox={`0 0 600 ${funnel.length * row + 4}`}
      role="img"
      aria-label="Funnel: how many reached each stage, people and machines"
    >
      {funnel.map((s, k) => {
        const people = (s.people / most) * 420;
        const machines = (s.machines / most) * 420;
        const y = k * row + 2;
        return (
          <g key={s.stage}>
            <text x="0" y={y + 17} class="chart-label">
              {STAGE_LABEL[s.stage]}
            </text>
            <rect x="140" y={y} width={Math.max(people, 0)} height="20" class="bar-people" />
            {s.machines ? (
              <rect x={140 + people} y={y} width={machines} height="20" class="bar-machines" />
            ) : null}
            <text x={146 + people + machines} y={y + 15} class="chart-value">
              {s.people}
              {s.machines ? ` + ${s.machines} machine` : ''}
            </text>
          </g>
        );
      })}
    </svg>
  );
}

/** A line per stage over the timeline's steps; the numbers are in the table below. */
function TimelineChart({ steps, interval }: { steps: Step[]; interval: 'hour' | 'day' }) {
  if (steps.length === 0) return <p>Nothing has happened yet.</p>;
  const w = 600;
  const h = 160;
  const top = Math.max(1, ...steps.flatMap((s) => LINES.map((l) => s[l])));
  const x = (k: number) => (steps.length === 1 ? w / 2 : 30 + (k * (w - 40)) / (steps.length - 1));
  const y = (n: number) => h - 20 - (n / top) * (h - 30);
  return (
    <svg
      class="chart timeline-chart"
      viewBox={`0 0 ${w} ${h}`}
      role="img"
      aria-label={`Timeline by ${interval}`}
    >
      <line x1="30" y1={h - 20} x2={w - 10} y2={h - 20} class="axis" />
      <text x="0" y="14" class="chart-value">
        {top}
      </text>
      <text x="0" y={h - 22} class="chart-value">
        0
      </text>
      {LINES.map((stage) => (
        <polyline
          key={stage}
          class={`line line-${stage}`}
          points={steps.map((s, k) => `${x(k)},${y(s[stage])}`).join(' ')}
        />
      ))}
      {LINES.flatMap((stage) =>
        steps.map((s, k) => (
          <circle key={`${stage}-${k}`} cx={x(k)} cy={y(s[stage])} r="3" class={`dot-${stage}`} />
        )),
      )}
      {LINES.map((stage, k) => (
        <text key={stage} x={40 + k * 140} y={h - 4} class={`chart-legend legend-${stage}`}>
          {STAGE_LABEL[stage]}
        </text>
      ))}
    </svg>
  );
}

function FunnelTable({ funnel }: { funnel: CampaignAnalytics['funnel'] }) {
  return (
    <div class="table-wrap" tabIndex={0} role="region" aria-label="Funnel numbers">
      <table class="funnel">
        <caption>Funnel</caption>
        <thead>
          <tr>
            <th scope="col">Stage</th>
            <th scope="col">People</th>
            <th scope="col">Machines</th>
            <th scope="col">From the stage before</th>
          </tr>
        </thead>
        <tbody>
          {funnel.map((s) => (
            <tr key={s.stage}>
              <th scope="row">{STAGE_LABEL[s.stage]}</th>
              <td>{s.people}</td>
              <td>{s.machines}</td>
              <td>{percent(s.conversion)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function TimelineTable({ steps, interval }: { steps: Step[]; interval: 'hour' | 'day' }) {
  const at = (iso: string) =>
    interval === 'hour'
      ? new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' })
      : new Date(iso).toLocaleDateString(undefined, { dateStyle: 'medium' });
  return (
    <div class="table-wrap" tabIndex={0} role="region" aria-label="Timeline numbers">
      <table>
        <caption>Timeline</caption>
        <thead>
          <tr>
            <th scope="col">{interval === 'hour' ? 'Hour' : 'Day'}</th>
            {(Object.keys(STAGE_LABEL) as Stage[]).map((s) => (
              <th scope="col" key={s}>
                {STAGE_LABEL[s]}
              </th>
            ))}
            <th scope="col">Machines</th>
          </tr>
        </thead>
        <tbody>
          {steps.map((s) => (
            <tr key={s.at}>
              <th scope="row">{at(s.at)}</th>
              {(Object.keys(STAGE_LABEL) as Stage[]).map((k) => (
                <td key={k}>{s[k]}</td>
              ))}
              <td>{s.machineOpened + s.machineClicked + s.machineViewed}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function IntervalChoice(props: { interval: 'hour' | 'day'; onChange: (i: 'hour' | 'day') => void }) {
  return (
    <fieldset class="interval">
      <legend>Timeline by</legend>
      {(['hour', 'day'] as const).map((i) => (
        <label key={i}>
          <input
            type="radio"
            name="interval"
            checked={props.interval === i}
            onChange={() => props.onChange(i)}
          />{' '}
          {i === 'hour' ? 'Hour' : 'Day'}
        </label>
      ))}
    </fieldset>
  );
}

/** A CSV of the same numbers, fetched with the session's key and handed to the browser as a file. */
async function downloadCsv(path: string, name: string) {
  const res = await fetch(path, { headers: { Authorization: `Bearer ${session.key() ?? ''}` } });
  if (!res.ok) throw new Error(`The CSV could not be made (${res.status})`);
  const url = URL.createObjectURL(await res.blob());
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  URL.revokeObjectURL(url);
}

/** A campaign's funnel and timeline, live (within the polling budget) while it sends. */
export function CampaignAnalyticsView({ id }: { id: string }) {
  const [campaign, setCampaign] = useState<Campaign | null>(null);
  const [data, setData] = useState<CampaignAnalytics | null>(null);
  const [interval, setInterval] = useState<'hour' | 'day'>('hour');
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(async () => {
    try {
      // JSON unless asked for CSV (`format`), which this never asks for.
      const answer = await call(
        api.GET('/v1/campaigns/{id}/analytics', { params: { path: { id }, query: { interval } } }),
      );
      setData(answer as CampaignAnalytics);
      setError(null);
    } catch (err) {
      setError((err as Error).message);
    }
  }, [id, interval]);
  useEffect(() => {
    call(api.GET('/v1/campaigns/{id}', { params: { path: { id } } }))
      .then(setCampaign)
      .catch((err: Error) => setError(err.message));
  }, [id]);
  useEffect(() => {
    void load();
  }, [load]);
  // One request per tick, and none once the campaign has ended (its numbers only move by webhooks then).
  usePoll(load, campaign !== null && !isTerminal(campaign.status));

  return (
    <section class="analytics">
      <p>
        <a href={href(`/campaigns/${id}`)}>← Campaign</a>
      </p>
      <h1>Analytics{campaign ? `: ${campaign.name}` : ''}</h1>
      {campaign && !campaign.tracking.opens && !campaign.tracking.links ? (
        <p class="hint">
          Open and link tracking are off for this campaign, so opens and clicks are not recorded. Machines
          (mail scanners, image proxies) are counted apart and never move anyone's journey.
        </p>
      ) : (
        <p class="hint">
          Machines (mail scanners, image proxies) are counted apart and never move anyone's journey.
        </p>
      )}
      <ErrorMessage error={error} />
      {data === null ? (
        <p>Loading…</p>
      ) : (
        <>
          <div class="analytics-grid">
            <FunnelChart funnel={data.funnel} />
            <FunnelTable funnel={data.funnel} />
          </div>
          <dl class="outcomes">
            <dt>Bounced</dt>
            <dd>{data.outcomes.bounced}</dd>
            <dt>Spam complaints</dt>
            <dd>{data.outcomes.complained}</dd>
            <dt>Unsubscribed</dt>
            <dd>{data.outcomes.unsubscribed}</dd>
            <dt>Failed</dt>
            <dd>{data.outcomes.failed}</dd>
            <dt>Median time to order</dt>
            <dd>{duration(data.medianSecondsSentToCompleted)}</dd>
          </dl>
          <IntervalChoice interval={interval} onChange={setInterval} />
          <TimelineChart steps={data.timeline} interval={data.interval} />
          <TimelineTable steps={data.timeline} interval={data.interval} />
          <p>
            <button
              type="button"
              onClick={() =>
                downloadCsv(
                  `/v1/campaigns/${id}/analytics?format=csv&interval=${interval}`,
                  `analytics-${id}.csv`,
                ).catch((err: Error) => setError(err.message))
              }
            >
              Download CSV
            </button>
          </p>
        </>
      )}
    </section>
  );
}

const duration = (s: number | null) =>
  s === null
    ? '—'
    : s < 3600
      ? `${Math.round(s / 60)} min`
      : s < 86_400
        ? `${(s / 3600).toFixed(1)} h`
        : `${(s / 86_400).toFixed(1)} days`;

/** The account's last 30 days: per campaign, and a timeline. */
export function AccountAnalyticsView() {
  const [data, setData] = useState<AccountAnalytics | null>(null);
  const [interval, setInterval] = useState<'hour' | 'day'>('day');
  const [error, setError] = useState<string | null>(null);
  const load = useCallback(async () => {
    try {
      setData(
        (await call(api.GET('/v1/analytics', { params: { query: { interval } } }))) as AccountAnalytics,
      );
      setError(null);
    } catch (err) {
      setError((err as Error).message);
    }
  }, [interval]);
  useEffect(() => {
    void load();
  }, [load]);
  usePoll(load, true);
  const columns: [Stage, string][] = [
    ['sent', 'Sent'],
    ['opened', 'Opened'],
    ['clicked', 'Clicked'],
    ['viewed', 'Viewed page'],
    ['completed', 'Completed order'],
  ];
  return (
    <section class="analytics">
      <p>
        <a href={href('/')}>← Campaigns</a>
      </p>
      <h1>Analytics: the last 30 days</h1>
      <ErrorMessage error={error} />
      {data === null ? (
        <p>Loading…</p>
      ) : (
        <>
          <div class="table-wrap" tabIndex={0} role="region" aria-label="Campaigns">
            <table>
              <caption>Per campaign</caption>
              <thead>
                <tr>
                  <th scope="col">Campaign</th>
                  {columns.map(([k, label]) => (
                    <th scope="col" key={k}>
                      {label}
                    </th>
                  ))}
                  <th scope="col">Machines</th>
                </tr>
              </thead>
              <tbody>
                {data.campaigns.map((c) => (
                  <tr key={c.campaignId}>
                    <th scope="row">
                      <a href={href(`/campaigns/${c.campaignId}/analytics`)}>{c.name}</a>
                    </th>
                    {columns.map(([k]) => (
                      <td key={k}>{c[k]}</td>
                    ))}
                    <td>{c.machineOpened + c.machineClicked + c.machineViewed}</td>
                  </tr>
                ))}
                <tr>
                  <th scope="row">All campaigns</th>
                  {columns.map(([k]) => (
                    <td key={k}>{data.totals[k]}</td>
                  ))}
                  <td>
                    {data.totals.machineOpened + data.totals.machineClicked + data.totals.machineViewed}
                  </td>
                </tr>
              </tbody>
            </table>
          </div>
          <IntervalChoice interval={interval} onChange={setInterval} />
          <TimelineChart steps={data.timeline} interval={data.interval} />
          <TimelineTable steps={data.timeline} interval={data.interval} />
          <p>
            <button
              type="button"
              onClick={() =>
                downloadCsv('/v1/analytics?format=csv', 'analytics.csv').catch((err: Error) =>
                  setError(err.message),
                )
              }
            >
              Download CSV
            </button>
          </p>
        </>
      )}
    </section>
  );
}
