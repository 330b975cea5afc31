import type { EntityManager } from 'typeorm';
import { newId } from '../db/ids';
import { WebhookEvent } from '../entities/WebhookEvent';
import { noteEventsFor } from './nudges';
import { insertRows } from '../db/insert-rows';

/** The events a customer's endpoint may subscribe to (SPEC "Outgoing webhooks"). */
export const WEBHOOK_EVENT_TYPES = [
  'campaign.status_changed',
  'campaign.finished',
  'invite.sent',
  'invite.delivered',
  'invite.opened',
  'invite.clicked',
  'invite.viewed',
  'invite.started',
  'invite.completed',
  'invite.bounced',
  'invite.failed',
  'invite.expired',
  'invite.reset',
  'recipient.unsubscribed',
] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

export interface NewEvent {
  accountId: string;
  campaignId: string | null;
  type: WebhookEventType;
  /** The fact, once: a retried change that reports it again records nothing new (e.g. `invite.sent:<inviteId>`). */
  key: string;
  data: Record<string, unknown>;
  /** When it happened (default: now). */
  at?: Date;
}

/**
 * Records events in the caller's transaction, next to the change they report (the outbox):
 * if the change commits, so do they; if it rolls back, they never existed. Delivery reads
 * them afterwards. Duplicates by key are ignored, so this is safe inside retried activities.
 */
export async function recordEvents(em: EntityManager, events: NewEvent[]): Promise<void> {
  if (!events.length) return;
  const now = new Date();
  const rows: WebhookEvent[] = events.map((e) => {
    const at = e.at ?? now;
    return {
      // Now, not `at`: delivery reads the outbox in id order behind a cursor (activities/webhooks.ts),
      // so an id dated in the past (a provider's timestamp) could fall behind it and be missed.
      id: newId(now.getTime()),
      accountId: e.accountId,
      campaignId: e.campaignId,
      type: e.type,
      dedupeKey: `${e.type}:${e.key}`.slice(0, 160),
      payload: JSON.stringify({ type: e.type, timestamp: at.toISOString(), data: e.data }),
      createdAt: at,
    };
  });
  await insertRows(em, WebhookEvent, rows, { orIgnore: true });
  // Signalled by whoever commits this transaction (webhooks/nudges.ts).
  noteEventsFor(new Set(events.map((e) => e.accountId)));
}
