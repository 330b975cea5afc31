import { defaultPayloadConverter } from '@temporalio/common';
import { Worker } from '@temporalio/worker';
import { createActivities } from '../activities';
import { AccountService } from '../api/usecases/accounts';
import { CampaignService } from '../api/usecases/campaigns';
import type { Database } from '../db/database';
import { Campaign } from '../entities/Campaign';
import { Invite } from '../entities/Invite';
import { SendGrant } from '../entities/SendGrant';
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
 * Everything is measured on the provider's clock (each message's received time t, sorted):
 * - the largest number received in any 10 s window (closed, [s, s + 10 s]): must be ≤ 5,000;
 * - the paced rate while the limit binds: the first message of the k-th window's worth
 *   (k = ceil(N / max), message (k − 1)·max + 1) cannot arrive before t0 + (k − 1)·w, so
 *   (k − 1)·max / (t[(k − 1)·max] − t0) is at most max / w; its share of max / w (goal ≥ 0.95);
 * - the whole run against an ideal, two rules. Strict: no closed window holds more than max,
 *   so t[i + max] > t[i] + w and the last message arrives after t[max − 1] + (k − 1)·w: ideal
 *   = (k − 1)·w + the first window's worth's own time, the system's unpaced speed. Lenient:
 *   (k − 1)·w + the last window's worth's own time, as measured (which already carries the
 *   lateness that the waits added within the window). Ratio = ideal / achieved = achieved
 *   rate / ideal rate;
 * - where the lateness goes, per window (see `Loss`), from the limiter's own grants;
 * - every run of each workflow (continue-as-new included): its history length, its timers,
 *   and the send activity's outcomes read back from the history (chunks, how many waited,
 *   how many sent nothing).
 *
 * BENCH_INVITES, BENCH_LIMIT_MAX, BENCH_LIMIT_WINDOW, BENCH_VARIANTS=one,two change the run;
 * BENCH_TRACE=1 prints every provider call (campaign, first and last message received).
 */
const INVITES = Number(process.env.BENCH_INVITES ?? 20_000);
const LIMIT: SendLimit = {
  max: Number(process.env.BENCH_LIMIT_MAX ?? 5_000),
  windowSeconds: Number(process.env.BENCH_LIMIT_WINDOW ?? 10),
};
/** Windows' worth sent before the last one, whose first message cannot arrive before t0 + PACED · w. */
const PACED = Math.ceil(INVITES / LIMIT.max) - 1;
const WORTH = LIMIT.max.toLocaleString('en');
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
  lastBurst: number;
  firstBurst: number;
  windowStarts: number[];
  maxInWindow: number;
  finishes: number[];
  runs: RunFigures[][];
  loss: Loss;
}

/**
 * How much later than a perfect limiter each message of a later window arrived: message i
 * against message i − max, t[i] − t[i − max] − w, as a mean over every such pair, split where
 * the time goes (grant g, received r, completed c; old = the grant of message i − max, new =
 * the grant of message i): the old provider call's answer after its messages arrived, then
 * recorded (c_old − r_old: the limiter counts a grant from its completion); the new grant's
 * ask after the old one left the window (g_new − c_old − w: the wait's wake-up and the
 * activity's work before it asks); and the new grant to its messages' arrival (r_new − g_new:
 * the claim's writes, rendering, the HTTP request).
 */
interface Loss {
  total: number;
  answerAndRecord: number;
  wake: number;
  claimToReceived: number;
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
  return tables();

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
    if (process.env.BENCH_TRACE) {
      // One line per provider call (its grant): which campaign, when its first and last message arrived.
      const calls = new Map<string, number[]>();
      for (const m of counted) {
        const key = `${ids.indexOf(m.Metadata.campaignId) + 1} ${m.Metadata.sendBatch}`;
        calls.set(key, [...(calls.get(key) ?? []), m.receivedAt.getTime() - t0]);
      }
      for (const [key, times] of [...calls].sort((a, b) => a[1][0] - b[1][0]))
        progress(
          `  campaign ${key.split(' ')[0]}: ${times.length} at ${secs(times[0])}–${secs(times[times.length - 1])}`,
        );
    }
    const figures: Figures = {
      variant: `${name}: ${sizes.map((s) => s.toLocaleString('en')).join(' + ')}`,
      invites: n,
      total: lastEnd - t0,
      lastBurst: lastEnd - lastStart,
      firstBurst: at[Math.min(LIMIT.max, at.length) - 1] - t0,
      windowStarts: Array.from({ length: k - 1 }, (_, w) => at[(w + 1) * LIMIT.max] - t0),
      maxInWindow: maxInWindow(at, windowMs),
      finishes: ids.map((id) => Math.max(...invitations(id).map((m) => m.receivedAt.getTime())) - t0),
      runs: await Promise.all(ids.map((id) => historyOf(`campaign-${id}`))),
      loss: await lossPerWindow(accountId, counted),
    };
    progress(`${name}: ${row(figures)}`); // printed at once, so a later failure keeps it
    return figures;
  }

  /** The per-window loss against a perfect limiter, and where it goes (see `Loss`). */
  async function lossPerWindow(accountId: string, counted: SentMessage[]): Promise<Loss> {
    const grants = new Map(
      (await db.manager.findBy(SendGrant, { accountId })).map((g) => [g.id, g] as const),
    );
    const sorted = [...counted].sort((a, b) => a.receivedAt.getTime() - b.receivedAt.getTime());
    const windowMs = LIMIT.windowSeconds * 1000;
    const sum: Loss = { total: 0, answerAndRecord: 0, wake: 0, claimToReceived: 0 };
    let pairs = 0;
    for (let i = LIMIT.max; i < sorted.length; i++) {
      const [older, newer] = [sorted[i - LIMIT.max], sorted[i]];
      const was = grants.get(older.Metadata.sendBatch);
      const is = grants.get(newer.Metadata.sendBatch);
      if (!was?.completedAt || !is)
        throw new Error(`no grant for ${older.Metadata.sendBatch} or ${newer.Metadata.sendBatch}`);
      const [rOld, rNew] = [older.receivedAt.getTime(), newer.receivedAt.getTime()];
      sum.total += rNew - rOld - windowMs;
      sum.answerAndRecord += was.completedAt.getTime() - rOld;
      sum.wake += is.grantedAt.getTime() - was.completedAt.getTime() - windowMs;
      sum.claimToReceived += rNew - is.grantedAt.getTime();
      pairs++;
    }
    const mean = (v: number) => (pairs ? v / pairs : NaN);
    return {
      total: mean(sum.total),
      answerAndRecord: mean(sum.answerAndRecord),
      wake: mean(sum.wake),
      claimToReceived: mean(sum.claimToReceived),
    };
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

  /** The rate table's row: what the provider saw. */
  function rateRow(f: Figures): string {
    const k = f.windowStarts.length; // windows' worth before the last one
    const w = LIMIT.windowSeconds * 1000;
    const paced = (k * LIMIT.max) / (f.windowStarts[k - 1] / 1000);
    const strict = k * w + f.firstBurst;
    const lenient = k * w + f.lastBurst;
    return cells(
      `${f.variant} (${config.database.type})`,
      `${secs(f.total)} (${Math.round(f.invites / (f.total / 1000))}/s)`,
      `${Math.round(paced)}/s (**${fmt(paced / (LIMIT.max / LIMIT.windowSeconds), 3)}**)`,
      f.windowStarts.map(secs).join(', '),
      `${secs(strict)}: **${fmt(strict / f.total, 3)}**`,
      `${secs(lenient)}: ${fmt(lenient / f.total, 3)}`,
      f.maxInWindow.toLocaleString('en'),
      f.finishes.map(secs).join(' / '),
    );
  }

  /** The workflow table's row: what it cost in history, and where the time between windows went. */
  function costRow(f: Figures): string {
    const runs = f.runs.flat();
    const sum = (pick: (r: RunFigures) => number) => runs.reduce((a, r) => a + pick(r), 0);
    const ms = (v: number) => `${Math.round(v)} ms`;
    return cells(
      `${f.variant} (${config.database.type})`,
      `${runs.length} (${f.runs.length} workflow${f.runs.length > 1 ? 's' : ''})`,
      `${Math.max(...runs.map((r) => r.historyLength))} / ${sum((r) => r.historyLength)}`,
      `${sum((r) => r.chunks)}`,
      `${sum((r) => r.waited)} (${sum((r) => r.empty)} sent nothing)`,
      `${sum((r) => r.timers)}`,
      `${ms(f.loss.total)} = ${ms(f.loss.answerAndRecord)} + ${ms(f.loss.wake)} + ${ms(f.loss.claimToReceived)}`,
    );
  }

  function row(f: Figures): string {
    return `${rateRow(f)}\n${costRow(f)}`;
  }

  function tables(): string {
    return [RATE_HEADER, ...results.map(rateRow), '', COST_HEADER, ...results.map(costRow)].join('\n');
  }
}

const cells = (...values: string[]) => `| ${values.join(' | ')} |`;

const RATE_HEADER = `${cells(
  'variant',
  'first → last received',
  `paced rate: first ${PACED} windows (÷ ${fmt(LIMIT.max / LIMIT.windowSeconds, 0)}/s)`,
  `windows 2–${PACED + 1} began at`,
  `ideal: ${PACED * LIMIT.windowSeconds} s + first ${WORTH} (÷ achieved)`,
  `ideal: ${PACED * LIMIT.windowSeconds} s + last ${WORTH} (÷ achieved)`,
  `max in any ${LIMIT.windowSeconds} s`,
  'finished at',
)}\n${cells(...Array<string>(8).fill('---'))}`;

const COST_HEADER = `${cells(
  'variant',
  'runs',
  'history events: max / total',
  'send activities',
  'of which waited',
  'timers',
  'lost per window, mean: answer + record, wake, claim → received',
)}\n${cells(...Array<string>(7).fill('---'))}`;

if (require.main === module) {
  runSendLimitBench()
    .then((tables) => console.log(tables))
    .catch((err: unknown) => {
      console.error(err);
      process.exit(1);
    });
}
