import { randomUUID } from 'node:crypto';
import type { temporal } from '@temporalio/proto';
import { workflowIdFor } from '../domain/campaign';
import { Campaign } from '../entities/Campaign';
import { commandUpdate } from '../workflows/campaign/messages';
import { benchCampaigns, benchStack, fmt, progress } from './support';
import { percentile } from './webhook-fanout';

/**
 * bench/command-latency (issue 26 point 3, the "find where the time goes" step): while
 * CAMPAIGNS (4) campaigns of BENCH_INVITES (20,000) invites each dispatch all at once, support's
 * Pause and Resume are sent to one of them, a pair every 2 s (PAIRS, 8), as the API sends them
 * (the `command` Update, waiting for its result). Each command's time is split by its own
 * workflow history: requested → Update accepted (a workflow task picked it up), accepted → the
 * status transition's activity scheduled (the workflow loop was busy: a send step in flight),
 * scheduled → started (the activity queue), started → completed (the transition's own work),
 * completed → Update completed (the workflow task that answers). Real Temporal dev server,
 * in-process worker, real database, the local Postmark server.
 */
const INVITES = Number(process.env.BENCH_INVITES ?? 20_000);
const CAMPAIGNS = Number(process.env.BENCH_CAMPAIGNS ?? 4);
const PAIRS = Number(process.env.BENCH_PAIRS ?? 8);

type Event = temporal.api.history.v1.IHistoryEvent;
const ms = (e: Event | undefined) =>
  e?.eventTime ? Number(e.eventTime.seconds) * 1000 + Math.floor((e.eventTime.nanos ?? 0) / 1e6) : NaN;

interface Split {
  command: string;
  totalMs: number;
  toAccepted: number;
  waitingForLoop: number;
  activityQueue: number;
  activityWork: number;
  toAnswered: number;
}

export async function runCommandLatencyBench(): Promise<string> {
  const { env, db, config, startWorker, close } = await benchStack('bench-command-latency');
  let stopWorker = async () => undefined as void;
  try {
    stopWorker = await startWorker();
    const made = benchCampaigns({ db, env, config });
    const { campaigns } = made;
    const caller = await made.account('bench');
    const { accountId } = caller;
    const ids: string[] = [];
    for (let c = 0; c < CAMPAIGNS; c++) {
      ids.push(await made.draft(caller, `c${c}`, { invites: INVITES }));
      progress(`campaign ${c + 1} / ${CAMPAIGNS}: ${INVITES} invites`);
    }
    await Promise.all(ids.map((id) => campaigns.command(caller, id, { type: 'launch' })));
    const target = ids[0];
    const handle = env.client.workflow.getHandle(workflowIdFor(target));
    const sent: { updateId: string; command: string; at: number; totalMs: number }[] = [];
    const send = async (type: 'pause' | 'resume') => {
      const updateId = randomUUID();
      const at = Date.now();
      const result = await handle.executeUpdate(commandUpdate, {
        args: [{ type, actor: caller.keyId }],
        updateId,
      });
      if (!result.ok) throw new Error(`${type} refused: ${JSON.stringify(result)}`);
      sent.push({ updateId, command: type, at, totalMs: Date.now() - at });
    };
    progress(`${PAIRS} pause/resume pairs to one campaign while ${CAMPAIGNS} dispatch…`);
    for (let p = 0; p < PAIRS; p++) {
      await new Promise((r) => setTimeout(r, 1000));
      await send('pause');
      await new Promise((r) => setTimeout(r, 1000));
      await send('resume');
    }
    for (;;) {
      const rows = await db.manager.findBy(Campaign, { accountId });
      if (rows.every((c) => c.status === 'active')) break;
      await new Promise((r) => setTimeout(r, 200));
    }

    // Each command's own events, across every run of the workflow (continue-as-new included).
    const events: Event[] = [];
    for await (const run of env.client.workflow.list({ query: `WorkflowId="${workflowIdFor(target)}"` }))
      events.push(
        ...((await env.client.workflow.getHandle(run.workflowId, run.runId).fetchHistory()).events ?? []),
      );
    const splits: Split[] = sent.map(({ updateId, command, at, totalMs }) => {
      const acceptedAt = events.findIndex(
        (e) => e.workflowExecutionUpdateAcceptedEventAttributes?.acceptedRequest?.meta?.updateId === updateId,
      );
      const completed = events.find(
        (e) => e.workflowExecutionUpdateCompletedEventAttributes?.meta?.updateId === updateId,
      );
      const after = events.slice(acceptedAt);
      const scheduled = after.find(
        (e) => e.activityTaskScheduledEventAttributes?.activityType?.name === 'recordTransition',
      );
      const byScheduled = (
        attr: 'activityTaskStartedEventAttributes' | 'activityTaskCompletedEventAttributes',
      ) => after.find((e) => e[attr] && String(e[attr].scheduledEventId) === String(scheduled?.eventId));
      const accepted = events[acceptedAt];
      return {
        command,
        totalMs,
        toAccepted: ms(accepted) - at,
        waitingForLoop: ms(scheduled) - ms(accepted),
        activityQueue: ms(byScheduled('activityTaskStartedEventAttributes')) - ms(scheduled),
        activityWork:
          ms(byScheduled('activityTaskCompletedEventAttributes')) -
          ms(byScheduled('activityTaskStartedEventAttributes')),
        toAnswered: ms(completed) - ms(byScheduled('activityTaskCompletedEventAttributes')),
      };
    });
    const row = (label: string, pick: (s: Split) => number) => {
      const v = splits
        .map(pick)
        .filter(Number.isFinite)
        .sort((a, b) => a - b);
      return `| ${label} | ${Math.round(percentile(v, 50))} ms | ${Math.round(percentile(v, 99))} ms | ${Math.round(v[v.length - 1])} ms |`;
    };
    const table = [
      row('total, as the caller waits', (s) => s.totalMs),
      row('requested → Update accepted (a workflow task took it)', (s) => s.toAccepted),
      row('accepted → transition scheduled (the loop finishing its step)', (s) => s.waitingForLoop),
      row('scheduled → started (activity queue)', (s) => s.activityQueue),
      row('started → completed (the transition itself)', (s) => s.activityWork),
      row('completed → Update completed (the answering task)', (s) => s.toAnswered),
    ];
    progress(
      `${splits.length} commands; total p50 ${fmt(
        percentile(
          splits.map((s) => s.totalMs).sort((a, b) => a - b),
          50,
        ),
        0,
      )} ms`,
    );
    return `${CAMPAIGNS} campaigns × ${INVITES.toLocaleString('en')} invites dispatching (${config.database.type}), ${splits.length} commands to one\n\n| part | p50 | p99 | max |\n|---|---|---|---|\n${table.join('\n')}`;
  } finally {
    await stopWorker(); // the dev server cannot close under a running worker
    await close();
  }
}

if (require.main === module) {
  runCommandLatencyBench()
    .then((rows) => console.log(rows))
    .catch((err: unknown) => {
      console.error(err);
      process.exit(1);
    });
}
