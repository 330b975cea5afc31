import type { Client } from '@temporalio/client';
import { workflowIdFor } from '../../domain/campaign';
import type { CampaignStatusView } from '../../workflows/campaign/messages';
import { query, untilInstant } from './campaigns';
import { webhookWorkflowId } from '../../workflows/webhooks/messages';
import { eventually } from './stack';

/** A workflow that can do nothing more by itself until its next timer or a message. */
export interface Idle {
  /** Its latest run has ended (completed, failed…): nothing of it will ever run again. */
  closed: boolean;
  historyLength: number;
}

/**
 * Resolves once the workflow `workflowId` (its latest run) is idle: closed, or running with
 * no activity and no workflow task pending (Temporal's DescribeWorkflowExecution:
 * `pendingActivities`, `pendingWorkflowTask`), seen so on two reads in a row with nothing
 * added to its history in between. Every email, webhook POST and row a workflow causes
 * comes from one of its activities, and the server schedules the next activity in the same
 * write that completes a workflow task, so what a test counts after this is final: nothing
 * more can come before the workflow's next timer (the campaign query's `nextTimerAt`) or a
 * new message. This is how a test checks "no late duplicate" instead of waiting a while.
 */
export async function untilIdle(
  temporal: Client,
  workflowId: string,
  { timeoutMs = 30_000 } = {},
): Promise<Idle> {
  let seen: string | undefined;
  return eventually(
    async () => {
      const d = await temporal.workflow.getHandle(workflowId).describe();
      // Continued as new: the next run is about to start, and is the one to watch.
      if (d.status.name !== 'RUNNING' && d.status.name !== 'CONTINUED_AS_NEW')
        return { closed: true, historyLength: d.historyLength };
      const busy =
        d.status.name === 'CONTINUED_AS_NEW' ||
        (d.raw.pendingActivities?.length ?? 0) > 0 ||
        (d.raw.pendingChildren?.length ?? 0) > 0 ||
        !!d.raw.pendingWorkflowTask;
      const now = busy ? undefined : `${d.runId} ${d.historyLength}`;
      const twice = now !== undefined && now === seen;
      seen = now;
      return twice ? { closed: false, historyLength: d.historyLength } : undefined;
    },
    { timeoutMs, intervalMs: 50 },
  );
}

/** `untilIdle` for a campaign's workflow (`campaign-<id>`). */
export const untilCampaignIdle = (temporal: Client, campaignId: string, options?: { timeoutMs?: number }) =>
  untilIdle(temporal, workflowIdFor(campaignId), options);

/** `untilIdle` for a webhook endpoint's delivery workflow. */
export const untilEndpointIdle = (temporal: Client, endpointId: string, options?: { timeoutMs?: number }) =>
  untilIdle(temporal, webhookWorkflowId(endpointId), options);

/**
 * Until the campaign's workflow is idle with nothing due soon: ended, or waiting on no timer
 * nearer than `withinMs` (only far deadlines, such as a 30-day expiry, or a command). After
 * this, "nothing more was sent" is exact for the rest of the test, not a guess about how long
 * a late duplicate would take. A workflow that keeps a batch, chunk or retry timer near fails
 * the wait, and the test with it. Answers the status query's view (undefined once ended).
 */
export async function untilCampaignQuiet(
  temporal: Client,
  campaignId: string,
  { withinMs = 60_000, timeoutMs = 30_000 } = {},
): Promise<CampaignStatusView | undefined> {
  return eventually(
    async () => {
      const idle = await untilCampaignIdle(temporal, campaignId, { timeoutMs });
      if (idle.closed) return { view: undefined };
      const view = await query(temporal, campaignId);
      const due = view.nextTimerAt === null ? Infinity : Date.parse(view.nextTimerAt);
      return due > Date.now() + withinMs ? { view } : undefined;
    },
    { timeoutMs },
  ).then(({ view }) => view);
}

/**
 * Until the campaign's workflow has acted on everything due by `instant` (ISO): the clock is
 * past it, and the workflow is idle with no timer at or before it (a timer due then has fired
 * and its step has run). What a test then reads is what the workflow did about that instant,
 * with no margin guessed for a timer's lateness.
 */
export async function untilCampaignPast(
  temporal: Client,
  campaignId: string,
  instant: string,
  { timeoutMs = 30_000 } = {},
): Promise<void> {
  await untilInstant(instant);
  await eventually(
    async () => {
      if ((await untilCampaignIdle(temporal, campaignId, { timeoutMs })).closed) return true;
      const { nextTimerAt } = await query(temporal, campaignId);
      return nextTimerAt === null || Date.parse(nextTimerAt) > Date.parse(instant) ? true : undefined;
    },
    { timeoutMs },
  );
}

/**
 * Until the workflow has a task waiting for a worker (a timer fired, a message came): with no
 * worker running, proof that the server has acted and the work is only waiting to be picked up.
 */
export async function untilTaskWaits(temporal: Client, workflowId: string, { timeoutMs = 30_000 } = {}) {
  await eventually(
    async () =>
      (await temporal.workflow.getHandle(workflowId).describe()).raw.pendingWorkflowTask ? true : undefined,
    { timeoutMs },
  );
}
