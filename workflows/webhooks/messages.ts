import { defineSignal } from '@temporalio/workflow';

/** One long-running workflow per endpoint delivers its events (workflows/webhooks/workflow.ts). */
export const webhookWorkflowId = (endpointId: string): string => `webhook-endpoint-${endpointId}`;

export interface WebhookEndpointInput {
  endpointId: string;
  /** The delivery activity's heartbeat timeout (HEARTBEAT_TIMEOUT_SECONDS); absent: 30 s. */
  heartbeatTimeoutMs?: number;
}

/** How starters start it: on this task queue, with this heartbeat timeout if one is configured. */
export interface WebhookWorkflowStart {
  taskQueue: string;
  heartbeatTimeoutMs?: number;
}

/** New events may be waiting (sent after they commit), or the endpoint changed: look now. */
export const nudgeSignal = defineSignal('nudge');

/** What one "deliver the next page" activity did, and when to come back. */
export type DeliveryPass =
  /** The endpoint was deleted: the workflow ends. */
  | { outcome: 'gone' }
  /** Failing for the whole retry period: disabled now; the owner is to be told, then the workflow ends. */
  | { outcome: 'disabled' }
  /** More is due now (a full page went out, or the time budget ran out). */
  | { outcome: 'more' }
  /** The receiver failed: nothing is sent for `waitMs` (the endpoint's backoff). */
  | { outcome: 'backoff'; waitMs: number }
  /** Nothing due: wait for a nudge, or at most `waitMs` (the next scheduled attempt, or the safety poll). */
  | { outcome: 'idle'; waitMs: number };
