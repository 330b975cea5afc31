import { type MigrationInterface, type QueryRunner, Table, TableColumn } from 'typeorm';
import { at, ref, str } from './1763683200000-Foundation';

/** Journey stages a person may reach, in order, as db/analytics-counts.ts counts them. */
const STAGES = ['sent', 'delivered', 'opened', 'clicked', 'viewed', 'started', 'completed'];
const JOURNEY = ['created', ...STAGES];

/**
 * Analytics (issue 25): a campaign's open and link tracking (off unless asked), and the
 * counters kept as events happen. Invites already past `created` are counted into the hour
 * their campaign's last journey step fell in: their own times were not kept.
 */
export class Analytics1765500000000 implements MigrationInterface {
  name = 'Analytics1765500000000';

  async up(q: QueryRunner): Promise<void> {
    await q.addColumn('campaigns', new TableColumn({ name: 'trackOpens', type: 'boolean', default: false }));
    await q.addColumn('campaigns', new TableColumn({ name: 'trackLinks', type: 'boolean', default: false }));
    await q.createTable(
      new Table({
        name: 'analytics_counts',
        columns: [
          { ...ref('campaignId'), isPrimary: true },
          { ...str('metric', 32), isPrimary: true },
          { ...at('hour'), isPrimary: true },
          ref('accountId'),
          { name: 'n', type: 'bigint' },
        ],
        indices: [{ name: 'IDX_analytics_counts_account_hour', columnNames: ['accountId', 'hour'] }],
      }),
    );
    const rows: {
      campaignId: string;
      accountId: string;
      journey: string;
      n: string | number;
      last: unknown;
    }[] = await q.query(
      `SELECT campaignId, accountId, journey, COUNT(*) AS n, MAX(COALESCE(journeyAt, createdAt)) AS last
         FROM invites WHERE journey <> 'created' GROUP BY campaignId, accountId, journey`,
    );
    const perCampaign = new Map<string, { accountId: string; last: number; reached: Map<string, number> }>();
    for (const r of rows) {
      const c = perCampaign.get(r.campaignId) ?? { accountId: r.accountId, last: 0, reached: new Map() };
      const last =
        r.last instanceof Date ? r.last.getTime() : Date.parse(`${String(r.last).replace(' ', 'T')}Z`);
      c.last = Math.max(c.last, Number.isFinite(last) ? last : 0);
      // An invite at stage k reached every stage up to k.
      for (const stage of STAGES.slice(0, JOURNEY.indexOf(r.journey)))
        c.reached.set(stage, (c.reached.get(stage) ?? 0) + Number(r.n));
      perCampaign.set(r.campaignId, c);
    }
    for (const [campaignId, c] of perCampaign) {
      const hour = new Date(Math.floor(c.last / 3_600_000) * 3_600_000);
      for (const [metric, n] of c.reached)
        await q.manager
          .createQueryBuilder()
          .insert()
          .into('analytics_counts')
          .values({ campaignId, metric, hour, accountId: c.accountId, n })
          .execute();
    }
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('analytics_counts');
    await q.dropColumn('campaigns', 'trackLinks');
    await q.dropColumn('campaigns', 'trackOpens');
  }
}
