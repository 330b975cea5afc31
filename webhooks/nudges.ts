import type { Client } from '@temporalio/client';
import { In } from 'typeorm';
import type { Database } from '../db/database';
import { WebhookEndpoint } from '../entities/WebhookEndpoint';
import {
  type WebhookEndpointInput,
  type WebhookWorkflowStart,
  nudgeSignal,
  webhookWorkflowId,
} from '../workflows/webhooks/messages';
import { log } from '../ops/log';

/**
 * Telling endpoints' workflows that events are waiting. `recordEvents` runs inside the
 * caller's transaction, where a signal would be too early (the workflow could look before
 * the commit), so it only notes the account here; whoever ran the transaction nudges after
 * it: every activity on its way out (activities/index.ts), and the API's use cases that
 * record events. A nudge lost to a crash right after a commit only delays delivery until
 * the endpoint's next safety poll (`IDLE_POLL_MS` in activities/webhooks.ts).
 */
const noted = new Set<string>();

export function noteEventsFor(accountIds: Iterable<string>): void {
  for (const id of accountIds) noted.add(id);
}

/** Signals (starting it if needed) the workflow of every enabled endpoint of the noted accounts. */
export async function nudgeNoted(client: Client, db: Database, start: WebhookWorkflowStart): Promise<void> {
  if (!noted.size) return;
  const accountIds = [...noted];
  noted.clear();
  const endpoints = await db.manager.find(WebhookEndpoint, {
    select: { id: true },
    where: { accountId: In(accountIds), state: 'enabled' },
  });
  await Promise.all(endpoints.map((e) => nudgeEndpoint(client, start, e.id)));
}

export async function nudgeEndpoint(
  client: Client,
  { taskQueue, heartbeatTimeoutMs }: WebhookWorkflowStart,
  endpointId: string,
): Promise<void> {
  await client.workflow.signalWithStart('webhookEndpointWorkflow', {
    workflowId: webhookWorkflowId(endpointId),
    taskQueue,
    args: [
      { endpointId, ...(heartbeatTimeoutMs ? { heartbeatTimeoutMs } : {}) } satisfies WebhookEndpointInput,
    ],
    signal: nudgeSignal,
    signalArgs: [],
  });
}

/** Fire and forget: a nudge that fails costs latency (the safety poll finds the events), never the caller's work. */
export function nudgeNotedInBackground(client: Client, db: Database, start: WebhookWorkflowStart): void {
  nudgeNoted(client, db, start).catch((error: unknown) =>
    log.error('webhooks: could not nudge endpoints', { error }),
  );
}
