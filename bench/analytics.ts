import { AccountService } from '../api/usecases/accounts';
import { AnalyticsService } from '../api/usecases/analytics';
import { CampaignService } from '../api/usecases/campaigns';
import type { Caller } from '../api/auth';
import { addCount, COMPLETED_IN, completionBucket, HOUR_MS } from '../db/analytics-counts';
import { insertRows } from '../db/insert-rows';
import type { Journey } from '../domain/link';
import { Invite } from '../entities/Invite';
import { newInvite } from '../entities/new-invite';
import { benchDatabase, fmt, progress } from './support';

/**
 * bench/analytics (issue 25): `GET /v1/campaigns/:id/analytics` on one campaign of
 * BENCH_INVITES (default 1,000,000) invites spread over the funnel, against the plain
 * `COUNT(*) … GROUP BY journey` over its invites a naive analytics would run, in the same
 * process and database. Our numbers come from the counters kept as events happen; the invites
 * are seeded with the counters their journeys would have made (as db/analytics-counts.ts adds
 * them), over three days of hours.
 */
const INVITES = Number(process.env.BENCH_INVITES ?? 1_000_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 50);
const BASELINE_RUNS = Number(process.env.BENCH_BASELINE_RUNS ?? 10);
const HOURS = 72;

/** Of every 100 invites: where its journey ended (a realistic funnel; 1 in 100 bounced). */
const SHARES: [Journey, number][] = [
  ['sent', 5],
  ['delivered', 50],
  ['opened', 20],
  ['clicked', 5],
  ['viewed', 7],
  ['started', 5],
  ['completed', 8],
];
const STAGES: Journey[] = ['sent', 'delivered', 'opened', 'clicked', 'viewed', 'started', 'completed'];

const journeyOf = (i: number): Journey => {
  let k = i % 100;
  for (const [stage, share] of SHARES) {
    if (k < share) return stage;
    k -= share;
  }
  return 'completed';
};

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

async function timed(runs: number, work: () => Promise<unknown>): Promise<number[]> {
  const ms: number[] = [];
  for (let r = 0; r < runs; r++) {
    const t = performance.now();
    await work();
    ms.push(performance.now() - t);
  }
  return ms.sort((a, b) => a - b);
}

export async function runAnalyticsBench(): Promise<string> {
  const { db, config, cleanup } = await benchDatabase();
  try {
    const account = await new AccountService(db).createAccount({
      name: 'Bench',
      ownerEmail: 'owner@bench.test',
      balanceCents: 1e12,
    });
    const caller: Caller = { accountId: account.accountId, keyId: 'bench', role: 'admin' };
    // The campaign's workflow is not what is measured: a client that starts nothing.
    const temporal = { workflow: { start: () => Promise.resolve(undefined) } } as never;
    const campaign = await new CampaignService({ db, temporal, taskQueue: config.temporal.taskQueue }).create(
      caller,
      { name: 'Analytics', costPerInviteCents: 0 },
    );
    const at = { accountId: account.accountId, campaignId: campaign.id };
    const start = Date.now() - HOURS * HOUR_MS;
    const seedStarted = performance.now();
    const reached = new Map<string, number>();
    for (let i = 0; i < INVITES; i += 1000) {
      const chunk: Invite[] = [];
      for (let k = i; k < Math.min(i + 1000, INVITES); k++) {
        const sentAt = new Date(start + (k % HOURS) * HOUR_MS);
        const journey = journeyOf(k);
        const invite = newInvite(
          {
            accountId: account.accountId,
            campaignId: campaign.id,
            email: `r${k}@bench.test`,
            name: null,
            expiresAt: null,
            reminderDaysBefore: null,
            reminderAt: null,
          },
          sentAt,
        );
        const bounced = k % 100 === 99;
        chunk.push({
          ...invite,
          journey: bounced ? 'sent' : journey,
          journeyAt: sentAt,
          sentAt,
          deliveryStatus: bounced ? 'bounced' : 'sent',
          ...(journey === 'completed' && !bounced ? { status: 'used', usedAt: sentAt } : {}),
        });
        // The counters those journeys made, by hour (as db/analytics-counts.ts adds them).
        const last = STAGES.indexOf(bounced ? 'sent' : journey);
        for (const stage of STAGES.slice(0, last + 1)) {
          const key = `${stage}|${k % HOURS}`;
          reached.set(key, (reached.get(key) ?? 0) + 1);
        }
        if (!bounced && journey === 'completed') {
          const key = `${COMPLETED_IN}${completionBucket(600 + (k % 3600))}|${k % HOURS}`;
          reached.set(key, (reached.get(key) ?? 0) + 1);
        }
        if (k % 3 === 0) {
          const key = `machine_opened|${k % HOURS}`;
          reached.set(key, (reached.get(key) ?? 0) + 1);
        }
      }
      await db.transaction((em) => insertRows(em, Invite, chunk));
      if ((i / 1000) % 50 === 0) progress(`  inserted ${Math.min(i + 1000, INVITES)} / ${INVITES} invites`);
    }
    await db.transaction(async (em) => {
      for (const [key, n] of reached) {
        const [metric, hour] = key.split('|');
        await addCount(em, at, metric, new Date(start + Number(hour) * HOUR_MS), n);
      }
    });
    const seedS = (performance.now() - seedStarted) / 1000;
    progress(`seeded ${INVITES} invites and ${reached.size} counter rows in ${fmt(seedS)} s`);

    const analytics = new AnalyticsService(db);
    const check = await analytics.campaign(caller, campaign.id, 'hour');
    const funnel = Object.fromEntries(check.funnel.map((s) => [s.stage, s.people]));
    progress(`funnel ${JSON.stringify(funnel)} bounced ${check.outcomes.bounced}`);
    if (funnel.sent !== INVITES) throw new Error(`the funnel's sent is ${funnel.sent}, not ${INVITES}`);

    const ours = await timed(RUNS, () => analytics.campaign(caller, campaign.id, 'hour'));
    const account30 = await timed(RUNS, () => analytics.account(caller, { interval: 'day' }));
    const baseline = await timed(BASELINE_RUNS, () =>
      db.dataSource.query(
        'SELECT journey, COUNT(*) AS n FROM invites WHERE campaignId = ? GROUP BY journey',
        [campaign.id],
      ),
    );
    const dialect = config.database.type === 'mysql' ? 'MariaDB' : 'SQLite';
    const line = (what: string, ms: number[], runs: number) =>
      `| ${what} | ${dialect} | ${INVITES.toLocaleString('en')} | ${runs} | ${fmt(percentile(ms, 50))} ms | ${fmt(percentile(ms, 95))} ms | ${fmt(percentile(baseline, 50) / percentile(ms, 50), 1)}× |`;
    return [
      `seeded in ${fmt(seedS)} s`,
      '| call | database | invites | runs | p50 | p95 | baseline p50 ÷ p50 |',
      '| --- | --- | --- | --- | --- | --- | --- |',
      line('GET /v1/campaigns/:id/analytics?interval=hour', ours, RUNS),
      line('GET /v1/analytics (30 days, per day)', account30, RUNS),
      line('baseline: SELECT journey, COUNT(*) … GROUP BY journey', baseline, BASELINE_RUNS),
    ].join('\n');
  } finally {
    await cleanup();
  }
}
