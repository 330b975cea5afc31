import { Between, In } from 'typeorm';
import type { Database } from '../../db/database';
import { bucketSeconds, COMPLETED_IN, HOUR_MS } from '../../db/analytics-counts';
import { DAY_MS } from '../../domain/instant';
import { AnalyticsCount } from '../../entities/AnalyticsCount';
import { Campaign } from '../../entities/Campaign';
import { type DeliveryStatus, Invite } from '../../entities/Invite';
import type { Caller } from '../auth';
import { ValidationError } from '../errors';
import {
  type AccountAnalytics,
  type AnalyticsCounts,
  type CampaignAnalytics,
  FUNNEL_STAGE_NAMES,
} from '../schemas';
import { csvCell } from './invite-listing';
import { ownedCampaign } from './owned';

type Interval = 'hour' | 'day';

/** The counter each number reads (db/analytics-counts.ts writes them). */
const METRIC_OF: Record<keyof AnalyticsCounts, string> = {
  sent: 'sent',
  delivered: 'delivered',
  opened: 'opened',
  clicked: 'clicked',
  viewed: 'viewed',
  started: 'started',
  completed: 'completed',
  machineOpened: 'machine_opened',
  machineClicked: 'machine_clicked',
  machineViewed: 'machine_viewed',
  unsubscribed: 'unsubscribed',
};
const FIELD_OF = new Map(
  Object.entries(METRIC_OF).map(([field, metric]) => [metric, field as keyof AnalyticsCounts]),
);
const COLUMNS = Object.keys(METRIC_OF) as (keyof AnalyticsCounts)[];
/** The machines' column of the funnel's stages they touch. */
const MACHINES_AT: Partial<Record<(typeof FUNNEL_STAGE_NAMES)[number], keyof AnalyticsCounts>> = {
  opened: 'machineOpened',
  clicked: 'machineClicked',
  viewed: 'machineViewed',
};

/** The longest period the account's analytics answer at once. */
export const MAX_ACCOUNT_DAYS = 366;

const zero = (): AnalyticsCounts =>
  Object.fromEntries(COLUMNS.map((c) => [c, 0])) as unknown as AnalyticsCounts;
const stepOf = (at: Date, interval: Interval) => {
  const width = interval === 'hour' ? HOUR_MS : DAY_MS;
  return Math.floor(at.getTime() / width) * width;
};

/** Adds the counter rows into totals and a timeline (oldest first). */
function tally(rows: AnalyticsCount[], interval: Interval) {
  const totals = zero();
  const steps = new Map<number, AnalyticsCounts>();
  for (const r of rows) {
    const field = FIELD_OF.get(r.metric);
    if (!field) continue;
    totals[field] += r.n;
    const at = stepOf(r.hour, interval);
    const step = steps.get(at) ?? zero();
    step[field] += r.n;
    steps.set(at, step);
  }
  const timeline = [...steps.entries()]
    .sort(([a], [b]) => a - b)
    .map(([at, counts]) => ({ at: new Date(at).toISOString(), ...counts }));
  return { totals, timeline };
}

/**
 * A campaign's and the account's numbers (issue 25): read from the counters kept as events
 * happen (a few rows per hour of activity), and the invites' delivery status through its
 * index, so the answer costs the same at a million invites as at ten.
 */
export class AnalyticsService {
  constructor(private readonly db: Database) {}

  async campaign(caller: Caller, id: string, interval: Interval): Promise<CampaignAnalytics> {
    await ownedCampaign(this.db, caller, id);
    const rows = await this.db.manager.find(AnalyticsCount, { where: { campaignId: id } });
    const { totals, timeline } = tally(rows, interval);
    let previous: number | null = null;
    const funnel = FUNNEL_STAGE_NAMES.map((stage) => {
      const people = totals[stage];
      const machinesAt = MACHINES_AT[stage];
      const step = {
        stage,
        people,
        machines: machinesAt ? totals[machinesAt] : 0,
        conversion: previous ? Math.round((people / previous) * 10_000) / 10_000 : null,
      };
      previous = people;
      return step;
    });
    const statuses: { status: DeliveryStatus; n: string | number }[] = await this.db.manager
      .createQueryBuilder(Invite, 'i')
      .select('i.deliveryStatus', 'status')
      .addSelect('COUNT(*)', 'n')
      .where({ campaignId: id, deliveryStatus: In(['bounced', 'complained', 'failed', 'suppressed']) })
      .groupBy('i.deliveryStatus')
      .getRawMany();
    const count = (s: DeliveryStatus) => Number(statuses.find((r) => r.status === s)?.n ?? 0);
    return {
      campaignId: id,
      funnel,
      outcomes: {
        bounced: count('bounced'),
        complained: count('complained'),
        unsubscribed: totals.unsubscribed,
        failed: count('failed') + count('suppressed'),
      },
      medianSecondsSentToCompleted: median(rows),
      interval,
      timeline,
    };
  }

  async account(
    caller: Caller,
    query: { from?: string; to?: string; interval: Interval },
  ): Promise<AccountAnalytics> {
    const to = query.to ? new Date(query.to) : new Date();
    const from = query.from ? new Date(query.from) : new Date(to.getTime() - 30 * DAY_MS);
    if (from >= to) throw new ValidationError([{ field: 'from', message: 'must be before to' }]);
    if (to.getTime() - from.getTime() > MAX_ACCOUNT_DAYS * DAY_MS)
      throw new ValidationError([{ field: 'from', message: `at most ${MAX_ACCOUNT_DAYS} days before to` }]);
    // Counted by the hour: the hours the period touches.
    const rows = await this.db.manager.find(AnalyticsCount, {
      where: {
        accountId: caller.accountId,
        hour: Between(new Date(Math.floor(from.getTime() / HOUR_MS) * HOUR_MS), new Date(to.getTime() - 1)),
      },
    });
    const { totals, timeline } = tally(rows, query.interval);
    const perCampaign = new Map<string, AnalyticsCount[]>();
    for (const r of rows) perCampaign.set(r.campaignId, [...(perCampaign.get(r.campaignId) ?? []), r]);
    const campaigns = perCampaign.size
      ? await this.db.manager.find(Campaign, {
          where: { accountId: caller.accountId, id: In([...perCampaign.keys()]) },
          select: { id: true, name: true },
        })
      : [];
    return {
      from: from.toISOString(),
      to: to.toISOString(),
      interval: query.interval,
      totals,
      campaigns: campaigns
        .map((c) => ({ campaignId: c.id, name: c.name, ...tally(perCampaign.get(c.id) ?? [], 'day').totals }))
        .sort((a, b) => a.name.localeCompare(b.name)),
      timeline,
    };
  }
}

/** The middle completion, from the 5%-wide buckets of completion times. */
function median(rows: AnalyticsCount[]): number | null {
  const buckets = new Map<number, number>();
  for (const r of rows)
    if (r.metric.startsWith(COMPLETED_IN)) {
      const b = Number(r.metric.slice(COMPLETED_IN.length));
      buckets.set(b, (buckets.get(b) ?? 0) + r.n);
    }
  const total = [...buckets.values()].reduce((a, b) => a + b, 0);
  if (!total) return null;
  let seen = 0;
  for (const [b, n] of [...buckets.entries()].sort(([a], [c]) => a - c)) {
    seen += n;
    if (seen * 2 >= total) return bucketSeconds(b);
  }
  return null;
}

// ---- CSV (?format=csv) -----------------------------------------------------------------

const line = (cells: (string | number | null)[]) =>
  `${cells.map((c) => csvCell(c === null ? '' : String(c))).join(',')}\r\n`;

/** One row per timeline step, after a `total` row: the same numbers as the JSON. */
export function campaignCsv(a: CampaignAnalytics): string {
  const totals = zero();
  for (const step of a.timeline) for (const c of COLUMNS) totals[c] += step[c];
  return (
    line(['period', ...COLUMNS]) +
    line(['total', ...COLUMNS.map((c) => totals[c])]) +
    a.timeline.map((s) => line([s.at, ...COLUMNS.map((c) => s[c])])).join('')
  );
}

/** One row per campaign, after the account's `total` row. */
export function accountCsv(a: AccountAnalytics): string {
  return (
    line(['campaign_id', 'campaign_name', ...COLUMNS]) +
    line(['total', '', ...COLUMNS.map((c) => a.totals[c])]) +
    a.campaigns.map((c) => line([c.campaignId, c.name, ...COLUMNS.map((k) => c[k])])).join('')
  );
}
