import { defaultPayloadConverter } from '@temporalio/common';
import { AccountService } from '../api/usecases/accounts';
import { CampaignService } from '../api/usecases/campaigns';
import type { Database } from '../db/database';
import { Campaign } from '../entities/Campaign';
import { Invite } from '../entities/Invite';
import { SendGrant } from '../entities/SendGrant';
import { newInvite } from '../entities/new-invite';
import type { SendLimit } from '../sending/limits';
import type { SentMessage } from '../test/support/postmark-server';
import { benchStack, fmt, progress } from './support';
import { insertRows } from '../db/insert-rows';

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
 * - where the lateness goes (see `Lateness`), from the limiter's grants and the histories;
 * - every run of each workflow (continue-as-new included): its history length, its timers,
 *   and the send activity's outcomes read back from the history (chunks, how many waited,
 *   how many sent nothing).
 *
 * BENCH_INVITES, BENCH_LIMIT_MAX, BENCH_LIMIT_WINDOW, BENCH_VARIANTS=one,two change the run;
 * BENCH_TIMER_SHIFT=10ms runs the dev server with that `history.timerProcessorMaxTimeShift`;
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
/**
 * The server's `history.timerProcessorMaxTimeShift` (default 1s): it fires no timer before its
 * timer queue's read level, now + this, so a timer shorter than it fires up to this late.
 */
const TIMER_SHIFT = process.env.BENCH_TIMER_SHIFT ?? '';
/** Which variants to run: `one` (one campaign of N), `two` (two of N / 2 launched together). */
const VARIANTS = new Set((process.env.BENCH_VARIANTS ?? 'one,two').split(',').map((v) => v.trim()));

interface RunFigures {
  historyLength: number;
  timers: number;
  chunks: number;
  waited: number;
  empty: number;
  /** Each timer that fired, and the send activity that followed it (ms since the epoch). */
  wakes: { due: number; fired: number; activityStarted: number | null }[];
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
  lateness: Lateness;
}

/**
 * Where the time past a perfect limiter goes. `perWindow`: each message i of a later window
 * against message i − max, t[i] − t[i − max] − w, the mean over every such pair; of it,
 * `answered` is the mean c − r of message i − max (received r, its grant completed c, from
 * which the limiter counts it: the rest of the provider call, the answer). Then each wait,
 * from its timer's due time (the limiter's next slot, c + w + 1 ms) to its chunk's first
 * message at the provider: the timer firing late, the next workflow task up to the send
 * activity's start, the activity's work up to its ask (the grant), and the grant to the
 * provider (the claim's writes, rendering, the HTTP request). Means in ms.
 */
interface Lateness {
  perWindow: number;
  answered: number;
  waits: number;
  timerLate: number;
  toActivity: number;
  toAsk: number;
  askToReceived: number;
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
      await insertRows(em, Invite, chunk);
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
  const { fake, env, db, config, startWorker, close } = await benchStack('bench-send-limit', {
    serverArgs: TIMER_SHIFT
      ? ['--dynamic-config-value', `history.timerProcessorMaxTimeShift=${JSON.stringify(TIMER_SHIFT)}`]
      : [],
  });
  const campaigns = new CampaignService({ db, temporal: env.client, taskQueue: config.temporal.taskQueue });
  const accounts = new AccountService(db);
  const results: Figures[] = [];
  let stopWorker = async () => undefined as void;
  try {
    stopWorker = await startWorker();
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
      progress(`  t0 = ${new Date(t0).toISOString()}`);
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
    const runs = await Promise.all(ids.map((id) => historyOf(`campaign-${id}`)));
    const figures: Figures = {
      variant: `${name}: ${sizes.map((s) => s.toLocaleString('en')).join(' + ')}`,
      invites: n,
      total: lastEnd - t0,
      lastBurst: lastEnd - lastStart,
      firstBurst: at[Math.min(LIMIT.max, at.length) - 1] - t0,
      windowStarts: Array.from({ length: k - 1 }, (_, w) => at[(w + 1) * LIMIT.max] - t0),
      maxInWindow: maxInWindow(at, windowMs),
      finishes: ids.map((id) => Math.max(...invitations(id).map((m) => m.receivedAt.getTime())) - t0),
      runs,
      lateness: await latenessOf(accountId, ids, counted, runs),
    };
    progress(`${name}: ${row(figures)}`); // printed at once, so a later failure keeps it
    return figures;
  }

  /** Where the time past a perfect limiter goes (see `Lateness`), from the limiter's grants and the histories. */
  async function latenessOf(
    accountId: string,
    ids: string[],
    counted: SentMessage[],
    runs: RunFigures[][],
  ): Promise<Lateness> {
    const grants = await db.manager.find(SendGrant, { where: { accountId }, order: { grantedAt: 'ASC' } });
    const byId = new Map(grants.map((g) => [g.id, g] as const));
    const firstReceived = new Map<string, number>();
    for (const m of counted) {
      const t = m.receivedAt.getTime();
      firstReceived.set(m.Metadata.sendBatch, Math.min(t, firstReceived.get(m.Metadata.sendBatch) ?? t));
    }
    const sorted = [...counted].sort((a, b) => a.receivedAt.getTime() - b.receivedAt.getTime());
    const mean = (values: number[]) => values.reduce((a, v) => a + v, 0) / values.length;
    const perWindow: number[] = [];
    const answered: number[] = [];
    for (let i = LIMIT.max; i < sorted.length; i++) {
      const [older, newer] = [sorted[i - LIMIT.max], sorted[i]];
      const completed = byId.get(older.Metadata.sendBatch)?.completedAt;
      if (!completed) throw new Error(`no completed grant ${older.Metadata.sendBatch}`);
      perWindow.push(newer.receivedAt.getTime() - older.receivedAt.getTime() - LIMIT.windowSeconds * 1000);
      answered.push(completed.getTime() - older.receivedAt.getTime());
    }
    const waits = ids.flatMap((campaignId, k) =>
      runs[k]
        .flatMap((r) => r.wakes)
        .flatMap(({ due, fired, activityStarted }) => {
          // The chunk that went after the wait: the campaign's first grant from that activity on.
          const grant =
            activityStarted === null
              ? undefined
              : grants.find(
                  (g) =>
                    g.campaignId === campaignId && g.slots > 0 && g.grantedAt.getTime() >= activityStarted,
                );
          const received = grant && firstReceived.get(grant.id);
          if (!grant || received === undefined || activityStarted === null) return [];
          const asked = grant.grantedAt.getTime();
          return [[fired - due, activityStarted - fired, asked - activityStarted, received - asked]];
        }),
    );
    return {
      perWindow: mean(perWindow),
      answered: mean(answered),
      waits: waits.length,
      timerLate: mean(waits.map((w) => w[0])),
      toActivity: mean(waits.map((w) => w[1])),
      toAsk: mean(waits.map((w) => w[2])),
      askToReceived: mean(waits.map((w) => w[3])),
    };
  }

  /** Every run of the workflow: its history length, timers, and what its send activity answered. */
  async function historyOf(workflowId: string): Promise<RunFigures[]> {
    const runs: RunFigures[] = [];
    for await (const run of env.client.workflow.list({ query: `WorkflowId="${workflowId}"` })) {
      const handle = env.client.workflow.getHandle(run.workflowId, run.runId);
      const events = (await handle.fetchHistory()).events ?? [];
      const sends = new Set<string>();
      const figures: RunFigures = {
        historyLength: events.length,
        timers: 0,
        chunks: 0,
        waited: 0,
        empty: 0,
        wakes: [],
      };
      // Timer started event → the instant the wait was for: the outcome's `until` (the
      // limiter's next slot), not the timer's own span, which the server starts only when the
      // workflow task that asked for it completes.
      const due = new Map<string, number>();
      let until = NaN;
      let woken: RunFigures['wakes'][number] | null = null; // a timer fired, its send not started yet
      const afterWake = new Map<string, RunFigures['wakes'][number]>(); // scheduled event → its wake
      for (const e of events) {
        const timer = e.timerStartedEventAttributes;
        if (timer) {
          figures.timers++;
          due.set(String(e.eventId), until);
          if (process.env.BENCH_TRACE)
            progress(
              `  timer at ${new Date(msOf(e.eventTime)).toISOString()} for ${msOf(timer.startToFireTimeout)} ms: server due ${new Date(msOf(e.eventTime) + msOf(timer.startToFireTimeout)).toISOString()}, wait until ${new Date(until).toISOString()}`,
            );
        }
        const fired = e.timerFiredEventAttributes;
        if (fired) {
          woken = {
            due: due.get(String(fired.startedEventId)) ?? NaN,
            fired: msOf(e.eventTime),
            activityStarted: null,
          };
          figures.wakes.push(woken);
          if (process.env.BENCH_TRACE) progress(`  fired at ${new Date(woken.fired).toISOString()}`);
        }
        const scheduled = e.activityTaskScheduledEventAttributes;
        if (scheduled?.activityType?.name === 'sendChunk') {
          sends.add(String(e.eventId));
          if (woken) afterWake.set(String(e.eventId), woken);
          woken = null;
        }
        const started = e.activityTaskStartedEventAttributes;
        const wake = started && afterWake.get(String(started.scheduledEventId));
        if (wake) wake.activityStarted = msOf(e.eventTime);
        const completed = e.activityTaskCompletedEventAttributes;
        if (completed && sends.has(String(completed.scheduledEventId))) {
          const outcome = defaultPayloadConverter.fromPayload<{ sent: number; wait?: { until: string } }>(
            completed.result!.payloads![0],
          );
          figures.chunks++;
          if (outcome.wait) figures.waited++;
          until = outcome.wait ? Date.parse(outcome.wait.until) : NaN;
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
      `${f.variant} (${config.database.type}${TIMER_SHIFT ? `, timer shift ${TIMER_SHIFT}` : ''})`,
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
      `${f.variant} (${config.database.type}${TIMER_SHIFT ? `, timer shift ${TIMER_SHIFT}` : ''})`,
      `${runs.length} (${f.runs.length} workflow${f.runs.length > 1 ? 's' : ''})`,
      `${Math.max(...runs.map((r) => r.historyLength))} / ${sum((r) => r.historyLength)}`,
      `${sum((r) => r.chunks)}`,
      `${sum((r) => r.waited)} (${sum((r) => r.empty)} sent nothing)`,
      `${sum((r) => r.timers)}`,
      `${ms(f.lateness.perWindow)} (answer ${ms(f.lateness.answered)})`,
      `${f.lateness.waits}: ${ms(f.lateness.timerLate)} + ${ms(f.lateness.toActivity)} + ${ms(f.lateness.toAsk)} + ${ms(f.lateness.askToReceived)}`,
    );
  }

  function row(f: Figures): string {
    return `${rateRow(f)}\n${costRow(f)}`;
  }

  function tables(): string {
    return [RATE_HEADER, ...results.map(rateRow), '', COST_HEADER, ...results.map(costRow)].join('\n');
  }
}

/** A protobuf Timestamp or Duration in ms. */
const msOf = (
  t: { seconds?: number | { toString(): string } | null; nanos?: number | null } | null | undefined,
): number => (t ? Number(t.seconds ?? 0) * 1000 + (t.nanos ?? 0) / 1e6 : NaN);

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
  'late per window, mean (of it, the answer)',
  'a wait, due → at the provider, mean: timer late + to the activity + to its ask + to the provider',
)}\n${cells(...Array<string>(8).fill('---'))}`;

if (require.main === module) {
  runSendLimitBench()
    .then((tables) => console.log(tables))
    .catch((err: unknown) => {
      console.error(err);
      process.exit(1);
    });
}
