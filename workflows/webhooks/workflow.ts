import {
  type ActivityOptions,
  condition,
  continueAsNew,
  proxyActivities,
  setHandler,
  sleep,
} from '@temporalio/workflow';
import type { Activities } from '../../activities';
import { type WebhookEndpointInput, nudgeSignal } from './messages';

/**
 * A page of events per activity; slow receivers are bounded by the activity itself (request
 * timeout, time budget per page), so its own timeouts here stay short. Retries are
 * Temporal's for a crashed worker or a database error; a failing receiver is not an
 * activity failure (it is recorded and answered with a backoff).
 */
const PAGE_OPTIONS: ActivityOptions = {
  startToCloseTimeout: '3 minutes',
  heartbeatTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute' },
};
const { notifyWebhookDisabled } = proxyActivities<Activities>({
  startToCloseTimeout: '2 minutes',
  retry: { initialInterval: '5 seconds', maximumInterval: '10 minutes' },
});

/** About 6 history events an iteration: a run stays far below Temporal's limits. */
export const WEBHOOK_ITERATIONS_PER_RUN = 500;

/**
 * Delivers one endpoint's events, in order, at least once. The events and where delivery
 * stands are in the database (the outbox, the delivery log, the endpoint's cursor and
 * backoff), so the workflow keeps nothing but a loop: one activity at a time, then one
 * timer at most. A backlog of 100,000 events is 1,000 pages, not 100,000 timers; a failing
 * receiver is one backoff timer for the whole endpoint.
 */
export async function webhookEndpointWorkflow(input: WebhookEndpointInput): Promise<void> {
  const { deliverWebhookPage } = proxyActivities<Activities>({
    ...PAGE_OPTIONS,
    ...(input.heartbeatTimeoutMs ? { heartbeatTimeout: input.heartbeatTimeoutMs } : {}),
  });
  let nudged = false;
  setHandler(nudgeSignal, () => {
    nudged = true;
  });
  for (let i = 0; i < WEBHOOK_ITERATIONS_PER_RUN; i++) {
    // Reset before the activity: a nudge during it means new events it may not have seen.
    nudged = false;
    const pass = await deliverWebhookPage(input.endpointId);
    if (pass.outcome === 'gone') return;
    if (pass.outcome === 'disabled') {
      await notifyWebhookDisabled(input.endpointId);
      return;
    }
    if (pass.outcome === 'backoff')
      await sleep(pass.waitMs); // new events wait too: the receiver is down
    else if (pass.outcome === 'idle') await condition(() => nudged, pass.waitMs);
  }
  await continueAsNew<typeof webhookEndpointWorkflow>(input);
}
