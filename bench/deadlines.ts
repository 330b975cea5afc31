import { bundleWorkflowCode, Worker } from '@temporalio/worker';
import { createActivities } from '../activities';
import { createNotifier } from '../activities/send/exactly-once';
import { sendKinds } from '../activities/send/kinds';
import { createSendPipeline } from '../activities/send/pipeline';
import { expiryPending, reminderPending } from '../db/invite-scopes';
import { Account } from '../entities/Account';
import { AccountService } from '../api/usecases/accounts';
import { CampaignService } from '../api/usecases/campaigns';
import type { Database } from '../db/database';
import { Campaign } from '../entities/Campaign';
import { Invite } from '../entities/Invite';
import { newInvite } from '../entities/new-invite';
import { bundleWorkflows } from '../temporal/bundle';
import { benchStack, fmt, measure, progress } from './support';
import { insertRows } from '../db/insert-rows';

/**
 * bench/deadlines: a campaign of 100,000 invites whose own expiries fall due across a
 * window, 10,000 of them with reminders due within one minute — through the campaign
 * workflow's single deadline timer; beside it, in the same run, the naive design (one
 * timer per invite) at 10,000 invites. Both send reminders through the same exactly-once
 * activity path to the local Postmark server.
 */
const INVITES = Number(process.env.BENCH_INVITES ?? 100_000);
const REMINDERS = Number(process.env.BENCH_REMINDERS ?? 10_000);
const NAIVE = Number(process.env.BENCH_NAIVE ?? 10_000);
/** Which designs to run: `ours`, `timers` (a timer per invite), `children` (a workflow per invite). */
const DESIGNS = new Set(
  (process.env.BENCH_DESIGNS ?? 'ours,timers,children').split(',').map((d) => d.trim()),
);

interface Figures {
  design: string;
  invites: number;
  maxHistory: number;
  executions: number;
  peakRssMb: number;
  p50: number;
  p99: number;
  note?: string;
}

const quiet = {
  trace: () => undefined,
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: (m: string) => console.error(m),
  log: () => undefined,
};

const percentile = (sorted: number[], p: number) =>
  sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] : NaN;

async function insertInvites(
  db: Database,
  campaignId: string,
  accountId: string,
  rows: { reminderAt: Date | null; expiresAt: Date }[],
): Promise<string[]> {
  const ids: string[] = [];
  const sentAt = new Date(Date.now() - 60_000);
  for (let i = 0; i < rows.length; i += 1000) {
    const chunk: Invite[] = rows.slice(i, i + 1000).map((r, k) => {
      const invite = newInvite(
        {
          accountId,
          campaignId,
          email: `r${i + k}-${campaignId.slice(0, 8)}@bench.test`,
          name: null,
          expiresAt: r.expiresAt,
          reminderDaysBefore: r.reminderAt
            ? (r.expiresAt.getTime() - r.reminderAt.getTime()) / 86_400_000
            : null,
          reminderAt: r.reminderAt,
        },
        sentAt,
      );
      ids.push(invite.id);
      // Invited a minute ago: only their deadlines are left to come.
      return { ...invite, journey: 'sent', sentAt, deliveryStatus: 'sent' };
    });
    await db.transaction(async (em) => {
      await insertRows(em, Invite, chunk);
    });
    if ((i / 1000) % 20 === 0)
      progress(`  inserted ${Math.min(i + 1000, rows.length)} / ${rows.length} invites`);
  }
  return ids;
}

async function lags(db: Database, campaignId: string): Promise<number[]> {
  const rows: { reminderAt: string | Date; sentAt: string | Date }[] = await db.dataSource.query(
    "SELECT i.reminderAt AS reminderAt, n.sentAt AS sentAt FROM notifications n JOIN invites i ON i.id = n.inviteId WHERE n.campaignId = ? AND n.kind = 'reminder' AND n.state = 'sent'",
    [campaignId],
  );
  const asMs = (v: string | Date) =>
    v instanceof Date ? v.getTime() : Date.parse(`${v.replace(' ', 'T')}Z`);
  return rows.map((r) => (asMs(r.sentAt) - asMs(r.reminderAt)) / 1000).sort((a, b) => a - b);
}

const row = (r: Figures) =>
  `| ${r.design} | ${r.invites.toLocaleString('en')} | ${r.maxHistory.toLocaleString('en')} | ${r.executions.toLocaleString('en')} | +${fmt(r.peakRssMb)} MB | ${fmt(r.p50, 2)} s | ${fmt(r.p99, 2)} s | ${r.note ?? ''} |`;

export async function runDeadlinesBench(): Promise<string> {
  const { env, db, config, deps, close } = await benchStack('bench-deadlines');
  const activities = createActivities(deps);
  const pipeline = createSendPipeline(createNotifier(deps), db);
  const { reminder } = sendKinds(deps.publicBaseUrl, deps.secrets);
  const results: Figures[] = [];
  const campaigns = new CampaignService({ db, temporal: env.client, taskQueue: config.temporal.taskQueue });
  let accountId = '';
  let caller = { accountId, keyId: '', role: 'admin' as const };
  try {
    const account = await new AccountService(db).createAccount({
      name: 'Bench',
      ownerEmail: 'owner@bench.test',
      balanceCents: 1e12,
    });
    accountId = account.accountId;
    caller = { accountId, keyId: account.adminKey.slice(0, 8), role: 'admin' as const };

    const run = async (design: () => Promise<Figures>) => {
      const figures = await design();
      results.push(figures);
      progress(`done: ${row(figures)}`); // printed at once, so a later failure keeps it
    };
    if (DESIGNS.has('ours')) await run(ourDesign);
    if (DESIGNS.has('timers')) await run(naiveTimers);
    if (DESIGNS.has('children')) await run(naiveChildren);
  } finally {
    await close();
  }
  return results.map(row).join('\n');

  async function ourDesign(): Promise<Figures> {
    // ---- Our design: one timer per campaign ----
    const ours = await campaigns.create(caller, { name: 'Deadlines', costPerInviteCents: 0 });
    const t0 = Date.now() + 40_000 + INVITES / 20; // after the inserts
    progress(`our design: inserting ${INVITES} invites (${REMINDERS} with reminders due within one minute)…`);
    const rows = Array.from({ length: INVITES }, (_, i) => {
      const reminderAt = i < REMINDERS ? new Date(t0 + (60_000 * i) / REMINDERS) : null;
      // Reminded ones expire a day later; the rest expire across the two minutes after the reminders.
      const expiresAt = reminderAt
        ? new Date(reminderAt.getTime() + 86_400_000)
        : new Date(t0 + 60_000 + (120_000 * (i - REMINDERS)) / (INVITES - REMINDERS));
      return { reminderAt, expiresAt };
    });
    await insertInvites(db, ours.id, accountId, rows);
    const worker = await Worker.create({
      connection: env.nativeConnection,
      taskQueue: config.temporal.taskQueue,
      activities,
      workflowBundle: await bundleWorkflows(),
    });
    const running = worker.run();
    const { peakRssMb } = await measure(async () => {
      await campaigns.command(caller, ours.id, { type: 'launch' });
      progress(
        `our design: waiting for ${REMINDERS} reminders and ${INVITES - REMINDERS} expiries (about ${Math.round((t0 + 185_000 - Date.now()) / 1000)} s)…`,
      );
      for (;;) {
        // The workflow's own definitions: every reminder sent, every expiry in the window processed.
        const pending = await db.manager.countBy(Invite, [
          reminderPending(ours.id),
          expiryPending(ours.id, new Date(t0 + 180_000)),
        ]);
        if (pending === 0 && Date.now() > t0 + 180_000) return;
        await new Promise((r) => setTimeout(r, 1000));
      }
    });
    const runs = [];
    for await (const run of env.client.workflow.list({ query: `WorkflowId="campaign-${ours.id}"` }))
      runs.push(run);
    let maxHistory = 0;
    for (const run of runs)
      maxHistory = Math.max(
        maxHistory,
        (await env.client.workflow.getHandle(run.workflowId, run.runId).describe()).historyLength,
      );
    const ourLags = await lags(db, ours.id);
    const figures: Figures = {
      design: 'one deadline timer per campaign (ours)',
      invites: INVITES,
      maxHistory,
      executions: runs.length,
      peakRssMb,
      p50: percentile(ourLags, 50),
      p99: percentile(ourLags, 99),
      note: `${ourLags.length} reminders sent`,
    };
    worker.shutdown();
    await running;
    return figures;
  }

  /** A worker for the naive designs, with the one-reminder activity they call. */
  async function naiveWorker(taskQueue: string) {
    return Worker.create({
      connection: env.nativeConnection,
      taskQueue,
      activities: {
        ...activities,
        async sendOneReminder({ campaignId, inviteId }: { campaignId: string; inviteId: string }) {
          const campaign = await db.manager.findOneByOrFail(Campaign, { id: campaignId });
          const account = await db.manager.findOneByOrFail(Account, { id: campaign.accountId });
          const invite = await db.manager.findOneByOrFail(Invite, { id: inviteId });
          await pipeline.run(reminder, { campaign, account, input: undefined, limit: 1, invites: [invite] });
        },
      },
      workflowBundle: await bundleWorkflowCode({
        workflowsPath: require.resolve('./naive/workflow'),
        logger: quiet,
      }),
      maxConcurrentActivityTaskExecutions: 100,
    });
  }

  /** A campaign of `NAIVE` invites whose reminders fall due within one minute, from `at`. */
  async function naiveCampaign(name: string, at: number) {
    const campaign = await campaigns.create(caller, { name, costPerInviteCents: 0 });
    const rows = Array.from({ length: NAIVE }, (_, i) => {
      const reminderAt = new Date(at + (60_000 * i) / NAIVE);
      return { reminderAt, expiresAt: new Date(reminderAt.getTime() + 86_400_000) };
    });
    const ids = await insertInvites(db, campaign.id, accountId, rows);
    await db.transaction((em) => em.update(Campaign, { id: campaign.id }, { status: 'active' }));
    return {
      id: campaign.id,
      invites: ids.map((id, i) => ({ id, reminderAt: rows[i].reminderAt.toISOString() })),
    };
  }

  async function naiveChildren(): Promise<Figures> {
    progress(
      `naive design: ${NAIVE} invites, a workflow each (started by one parent), reminders due within one minute…`,
    );
    const campaign = await naiveCampaign('Naive children', Date.now() + 60_000);
    const worker = await naiveWorker('bench-naive-children');
    const running = worker.run();
    const parent = await env.client.workflow.start('naiveChildPerInviteWorkflow', {
      workflowId: `naive-children-${campaign.id}`,
      taskQueue: 'bench-naive-children',
      args: [{ campaignId: campaign.id, invites: campaign.invites }],
    });
    const started = Date.now();
    const { result: note, peakRssMb } = await measure(async () => {
      for (;;) {
        const [{ n }] = await db.dataSource.query(
          "SELECT COUNT(*) AS n FROM notifications WHERE campaignId = ? AND kind = 'reminder' AND state = 'sent'",
          [campaign.id],
        );
        if (Number(n) >= NAIVE) return '';
        if (Date.now() > started + 360_000) return `; ${Number(n)} of ${NAIVE} sent after 6 minutes`;
        if (Math.round((Date.now() - started) / 1000) % 15 === 0)
          progress(`  children: ${Number(n)} reminders sent`);
        await new Promise((r) => setTimeout(r, 1000));
      }
    });
    const parentHistory = (await parent.describe()).historyLength;
    const childHistory = (
      await env.client.workflow.getHandle(`naive-child-${campaign.invites[0].id}`).describe()
    ).historyLength;
    const children = (await env.client.workflow.count(`WorkflowType="inviteReminderWorkflow"`)).count;
    const childLags = await lags(db, campaign.id);
    worker.shutdown();
    await running;
    return {
      design: 'one workflow per invite (naive, child workflows)',
      invites: NAIVE,
      maxHistory: parentHistory,
      executions: children + 1,
      peakRssMb,
      p50: percentile(childLags, 50),
      p99: percentile(childLags, 99),
      note: `parent ${parentHistory.toLocaleString('en')} events, each child ${childHistory}; ${children.toLocaleString('en')} children started; ${childLags.length} reminders sent${note}`,
    };
  }

  async function naiveTimers(): Promise<Figures> {
    progress(`naive design: ${NAIVE} invites, one timer each, reminders due within one minute…`);
    const naive = await naiveCampaign('Naive', Date.now() + 30_000);
    const naiveTimerWorker = await naiveWorker('bench-naive');
    const naiveRunning = naiveTimerWorker.run();
    const handle = await env.client.workflow.start('naiveRemindersWorkflow', {
      workflowId: `naive-${naive.id}`,
      taskQueue: 'bench-naive',
      args: [{ campaignId: naive.id, invites: naive.invites }],
    });
    const result = handle.result();
    result.catch(() => undefined); // abandoned after the race below: not an unhandled rejection
    const { result: note, peakRssMb } = await measure(async () => {
      try {
        await Promise.race([
          result,
          new Promise((_, reject) =>
            setTimeout(() => reject(new Error('not finished after 5 minutes')), 300_000),
          ),
        ]);
        return '';
      } catch (err) {
        return `did not complete: ${(err as Error).message.split('\n')[0]}`;
      }
    });
    const description = await handle.describe();
    // Ended here, so its pending result() poll does not outlive the client at teardown.
    if (description.status.name === 'RUNNING') await handle.terminate('bench: measured');
    const naiveLags = await lags(db, naive.id);
    const figures: Figures = {
      design: 'one timer per invite (naive)',
      invites: NAIVE,
      maxHistory: description.historyLength,
      executions: 1,
      peakRssMb,
      p50: percentile(naiveLags, 50),
      p99: percentile(naiveLags, 99),
      note: `${naiveLags.length} reminders sent, status ${description.status.name}${note ? `; ${note}` : ''}`,
    };
    naiveTimerWorker.shutdown();
    await naiveRunning;
    return figures;
  }
}

if (require.main === module) {
  runDeadlinesBench()
    .then((rows) =>
      console.log(
        `| design | invites | largest history | executions | worker peak RSS | lag p50 | lag p99 | notes |\n|---|---|---|---|---|---|---|---|\n${rows}`,
      ),
    )
    .catch((err: unknown) => {
      console.error(err);
      process.exit(1);
    });
}
