import { defaultPayloadConverter } from '@temporalio/common';
import { Worker } from '@temporalio/worker';
import { createActivities } from '../activities';
import { AccountService } from '../api/usecases/accounts';
import { CampaignService } from '../api/usecases/campaigns';
import type { Database } from '../db/database';
import { Campaign } from '../entities/Campaign';
import { Invite } from '../entities/Invite';
import { newInvite } from '../entities/new-invite';
import type { SendLimit } from '../sending/limits';
import { bundleWorkflows } from '../temporal/worker';
import type { SentMessage } from '../test/support/postmark-server';
import { benchStack, fmt, progress } from './support';

/**
 * bench/send-limit: an account limited to 5,000 emails per 10 s sends 20,000 invitations
 * through the campaign workflow (real Temporal dev server, real worker, real DB, the
 * `postmark` client against the local Postmark server), as one campaign and then — on a fresh
 * account, so the two share nothing — as two campaigns of 10,000 launched together.
 *
 * Everything is measured on the provider's clock (each message's received time):
 * - the largest number received in any 10 s window (closed, [s, s + 10 s]): must be ≤ 5,000;
 * - the achieved time against the ideal. The rule: k = ceil(N / max) windows' worth; the
 *   first message of the k-th (number (k − 1)·max + 1) cannot be received before
 *   t0 + (k − 1)·w, so ideal = (k − 1)·w + the time the system then takes to send that last
 *   window's worth (its first to its last message, as measured). Ratio = ideal / achieved,
 *   = achieved rate / ideal rate (goal ≥ 0.95). Beside it, the paced rate over the first
 *   k − 1 windows: (k − 1)·max / (t[(k − 1)·max] − t0), against max / w;
 * - every run of each workflow (continue-as-new included): its history length, its timers,
 *   and the send activity's outcomes read back from the history (chunks, how many waited,
 *   how many sent nothing).
 */
const INVITES = Number(process.env.BENCH_INVITES ?? 20_000);
const LIMIT: SendLimit = {
  max: Number(process.env.BENCH_LIMIT_MAX ?? 5_000),
  windowSeconds: Number(process.env.BENCH_LIMIT_WINDOW ?? 10),
};
/** Which variants to run: `one` (one campaign of N), `two` (two of N / 2 launched together). */
const VARIANTS = new Set((process.env.BENCH_VARIANTS ?? 'one,two').split(',').map((v) => v.trim()));

interface RunFigures {
  historyLength: number;
  timers: number;
  chunks: number;
  waited: number;
  empty: number;
}

interface Figures {
  variant: string;
  invites: number;
  total: number;
  ideal: number;
  lastBurst: number;
  firstBurst: number;
  windowStarts: number[];
  maxInWindow: number;
  finishes: number[];
  runs: RunFigures[][];
}

/** Unsent invites seeded the one way an invite row is made (entities/new-invite.ts), 1,000 per transaction. */
async function seedInvites(db: Database, accountId: string, campaignId: string, count: number) {
  const now = new Date();
  for (let i = 0; i < count; i += 1000) {
    const chunk = Array.from({ length: Math.min(1000, count - i) }, (_, k) =>
      newInvite(
        {
          accountId,
          campaignId,
          email: `r${i + k}-${campaignId.slice(-8)}@bench.test`,
          name: `R${i + k}`,
          expiresAt: null,
          reminderDaysBefore: null,
          reminderAt: null,
        },
        now,
      ),
    );
    await db.transaction(async (em) => {
      for (let j = 0; j < chunk.length; j += 500) await em.insert(Invite, chunk.slice(j, j + 500));
    });
  }
}

/** The largest number of times in any closed window [t, t + ms] (`sorted` ascending). */
function maxInWindow(sorted: number[], ms: number): number {
  let best = 0;
  let end = 0;
  for (let start = 0; start < sorted.length; start++) {
    while (end < sorted.length && sorted[end] <= sorted[start] + ms) end++;
    best = Math.max(best, end - start);
  }
  return best;
}

/** Emails to the account's owner, sent by the platform (activities/owner-notifications.ts), not the account. */
const OWNER_KINDS = new Set(['owner_summary', 'owner_alert']);

const secs = (ms: number) => `${fmt(ms / 1000, 2)} s`;

export async function runSendLimitBench(): Promise<string> {
  const { fake, env, db, config, deps, close } = await benchStack('bench-send-limit');
  const campaigns = new CampaignService({ db, temporal: env.client, taskQueue: config.temporal.taskQueue });
  const accounts = new AccountService(db);
  const results: Figures[] = [];
  let stopWorker = async () => undefined as void;
  try {
    progress('bundling workflows, starting the worker…');
    const worker = await Worker.create({
      connection: env.nativeConnection,
      taskQueue: config.temporal.taskQueue,
      activities: createActivities(deps),
      workflowBundle: await bundleWorkflows(),
    });
    const running = worker.run();
    stopWorker = async () => {
      worker.shutdown();
      await running;
    };
    if (VARIANTS.has('one')) results.push(await variant('one campaign', [INVITES]));
    if (VARIANTS.has('two'))
      results.push(await variant('two campaigns together', [INVITES / 2, INVITES - INVITES / 2]));
  } finally {
    await stopWorker(); // the dev server cannot close under a running worker
    await close();
  }
  return results.map(row).join('\n');

  /** A fresh account under the limit, campaigns of these sizes launched at once, measured. */
  async function variant(name: string, sizes: number[]): Promise<Figures> {
    const { accountId, adminKey } = await accounts.createAccount({
      name: `Bench ${name}`,
      ownerEmail: 'owner@bench.test',
      balanceCents: 1e9,
    });
    const caller = { accountId, keyId: adminKey.slice(0, 8), role: 'admin' as const };
    await accounts.setSendingPolicy(caller, { limits: [LIMIT], window: null });
    const ids: string[] = [];
    for (const [k, size] of sizes.entries()) {
      // One batch (no batch size, no gap): the account's limit is all that paces it.
      const c = await campaigns.create(caller, { name: `${name} ${k + 1}`, costPerInviteCents: 1 });
      progress(`${name}: seeding ${size} invites for campaign ${k + 1}…`);
      await seedInvites(db, accountId, c.id, size);
      ids.push(c.id);
    }
    progress(`${name}: launching, ${LIMIT.max} per ${LIMIT.windowSeconds} s…`);
    const started = Date.now();
    await Promise.all(ids.map((id) => campaigns.command(caller, id, { type: 'launch' })));
    for (;;) {
      const rows = await db.manager.findBy(
        Campaign,
        ids.map((id) => ({ id })),
      );
      if (rows.every((c) => c.status === 'active')) break;
      if (Date.now() - started > 10 * 60_000) throw new Error(`${name}: not sent within 10 minutes`);
      await new Promise((r) => setTimeout(r, 100));
    }

    const mine = new Set(ids);
    const ofVariant = fake.sent.filter((m) => mine.has(m.Metadata.campaignId));
    const invitations = (id: string) =>
      ofVariant.filter((m) => m.Metadata.campaignId === id && m.Metadata.kind === 'invitation');
    for (const [k, id] of ids.entries()) {
      const got = invitations(id);
      if (got.length !== sizes[k] || new Set(got.map((m) => m.To)).size !== sizes[k])
        throw new Error(
          `${name}: campaign ${k + 1} sent ${got.length} invitations; expected ${sizes[k]}, once each`,
        );
    }
    // What the limit counts, on the provider's clock: every email of the account to its
    // recipients. The owner's summaries go through the platform's own sender, outside it.
    const counted = ofVariant.filter((m) => !OWNER_KINDS.has(m.Metadata.kind));
    const at = counted.map((m: SentMessage) => m.receivedAt.getTime()).sort((a, b) => a - b);
    progress(
      `${name}: ${counted.length} emails under the limit, ${ofVariant.length - counted.length} to the owner (not counted)`,
    );
    const t0 = at[0];
    const windowMs = LIMIT.windowSeconds * 1000;
    const n = sizes.reduce((a, b) => a + b, 0);
    const k = Math.ceil(n / LIMIT.max);
    const lastStart = at[(k - 1) * LIMIT.max];
    const lastEnd = Math.max(
      ...ids.map((id) => Math.max(...invitations(id).map((m) => m.receivedAt.getTime()))),
    );
    const figures: Figures = {
      variant: `${name}: ${sizes.map((s) => s.toLocaleString('en')).join(' + ')}`,
      invites: n,
      total: lastEnd - t0,
      ideal: (k - 1) * windowMs + (lastEnd - lastStart),
      lastBurst: lastEnd - lastStart,
      firstBurst: at[Math.min(LIMIT.max, at.length) - 1] - t0,
      windowStarts: Array.from({ length: k - 1 }, (_, w) => at[(w + 1) * LIMIT.max] - t0),
      maxInWindow: maxInWindow(at, windowMs),
      finishes: ids.map((id) => Math.max(...invitations(id).map((m) => m.receivedAt.getTime())) - t0),
      runs: await Promise.all(ids.map((id) => historyOf(`campaign-${id}`))),
    };
    progress(`${name}: ${row(figures)}`); // printed at once, so a later failure keeps it
    return figures;
  }

  /** Every run of the workflow: its history length, timers, and what its send activity answered. */
  async function historyOf(workflowId: string): Promise<RunFigures[]> {
    const runs: RunFigures[] = [];
    for await (const run of env.client.workflow.list({ query: `WorkflowId="${workflowId}"` })) {
      const handle = env.client.workflow.getHandle(run.workflowId, run.runId);
      const events = (await handle.fetchHistory()).events ?? [];
      const sends = new Set<string>();
      const figures: RunFigures = { historyLength: events.length, timers: 0, chunks: 0, waited: 0, empty: 0 };
      for (const e of events) {
        if (e.timerStartedEventAttributes) figures.timers++;
        const scheduled = e.activityTaskScheduledEventAttributes;
        if (scheduled?.activityType?.name === 'sendInvitations') sends.add(String(e.eventId));
        const completed = e.activityTaskCompletedEventAttributes;
        if (completed && sends.has(String(completed.scheduledEventId))) {
          const outcome = defaultPayloadConverter.fromPayload<{ sent: number; wait?: unknown }>(
            completed.result!.payloads![0],
          );
          figures.chunks++;
          if (outcome.wait) figures.waited++;
          if (outcome.sent === 0) figures.empty++;
        }
      }
      runs.push(figures);
    }
    return runs;
  }

  function row(f: Figures): string {
    const runs = f.runs.flat();
    const sum = (pick: (r: RunFigures) => number) => runs.reduce((a, r) => a + pick(r), 0);
    return [
      '',
      `${f.variant} (${config.database.type})`,
      `${secs(f.total)} (${Math.round(f.invites / (f.total / 1000))}/s)`,
      `${secs(f.ideal)} = ${f.windowStarts.length} × ${LIMIT.windowSeconds} s + ${secs(f.lastBurst)}`,
      `**${fmt(f.ideal / f.total, 3)}**`,
      f.windowStarts.map(secs).join(', '),
      `${f.maxInWindow.toLocaleString('en')}`,
      f.finishes.map(secs).join(' / '),
      `${runs.length} run(s), max ${Math.max(...runs.map((r) => r.historyLength))}, total ${sum((r) => r.historyLength)}`,
      `${sum((r) => r.chunks)} chunks, ${sum((r) => r.waited)} waited, ${sum((r) => r.empty)} empty; ${sum((r) => r.timers)} timers`,
      `first ${LIMIT.max.toLocaleString('en')} in ${secs(f.firstBurst)}`,
      '',
    ]
      .join(' | ')
      .trim();
  }
}

export const SEND_LIMIT_HEADER =
  '| variant | achieved (first → last received) | ideal | ideal / achieved | windows 2.. began at | max in any 10 s | finished at | history | sends | note |\n|---|---|---|---|---|---|---|---|---|---|';

if (require.main === module) {
  runSendLimitBench()
    .then((rows) => console.log(`${SEND_LIMIT_HEADER}\n${rows}`))
    .catch((err: unknown) => {
      console.error(err);
      process.exit(1);
    });
}
