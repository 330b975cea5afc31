/**
 * What a send writes once the provider answered: each notification sent or failed, the invite
 * it was for, the webhook events it makes, the grant of slots it used, and who holds which
 * version of the calendar event — all in the caller's one transaction.
 */
import { type EntityManager, In } from 'typeorm';
import { addCount } from '../../db/analytics-counts';
import { Invite } from '../../entities/Invite';
import { Notification, type NotificationKind } from '../../entities/Notification';
import type { MessageOutcome } from '../../email/port';
import { completeSlots } from '../../sending/limits';
import { type NewEvent, recordEvents } from '../../webhooks/events';
import type { Claimed } from './types';

/** Marks a notification sent; returns the webhook event it makes, for the caller to record with its chunk's. */
export async function recordSent(
  em: EntityManager,
  n: Notification,
  messageId: string,
  at: Date,
): Promise<NewEvent[]> {
  await em.update(
    Notification,
    { id: n.id },
    { state: 'sent', providerMessageId: messageId, sentAt: at, error: null, errorCode: null },
  );
  const events = inviteEmailEvent(n, 'invite.sent', at);
  if (!n.inviteId || n.kind !== 'invitation') {
    if (n.kind === 'reminder' && n.inviteId)
      await em.update(Invite, { id: n.inviteId }, { reminderSentAt: at });
    return events;
  }
  await em.update(Invite, { id: n.inviteId }, { sentAt: at, deliveryStatus: 'sent', deliveryError: null });
  const moved = await em.update(
    Invite,
    { id: n.inviteId, journey: 'created' },
    { journey: 'sent', journeyAt: at },
  );
  if (n.campaignId)
    await addCount(em, { accountId: n.accountId, campaignId: n.campaignId }, 'sent', at, moved.affected ?? 0);
  return events;
}

/**
 * What `recordSent` writes, for a provider call's accepted emails at once: a statement per
 * change rather than three per email (1,500 round trips per call of 500 were most of a
 * chunk's time on MariaDB). Their events are the caller's to record.
 */
async function recordAllSent(
  em: EntityManager,
  sent: { n: Notification; messageId: string }[],
  at: Date,
): Promise<void> {
  if (!sent.length) return;
  const messageIds: Record<string, string> = {};
  const cases = sent.map(({ n, messageId }, k) => {
    messageIds[`sentId${k}`] = n.id;
    messageIds[`sentMessage${k}`] = messageId;
    return `WHEN :sentId${k} THEN :sentMessage${k}`;
  });
  await em
    .createQueryBuilder()
    .update(Notification)
    .set({
      state: 'sent',
      providerMessageId: () => `CASE id ${cases.join(' ')} END`,
      sentAt: at,
      error: null,
      errorCode: null,
    })
    .where({ id: In(sent.map(({ n }) => n.id)) })
    .setParameters(messageIds)
    .execute();
  const invitesOf = (kind: NotificationKind) =>
    sent.flatMap(({ n }) => (n.kind === kind && n.inviteId ? [n.inviteId] : []));
  const reminded = invitesOf('reminder');
  if (reminded.length) await em.update(Invite, { id: In(reminded) }, { reminderSentAt: at });
  const invited = invitesOf('invitation');
  if (!invited.length) return;
  await em.update(Invite, { id: In(invited) }, { sentAt: at, deliveryStatus: 'sent', deliveryError: null });
  // Per campaign (a chunk is one campaign's, but nothing here relies on it): the analytics'
  // `sent` counts the invites this statement moved, no more.
  const campaigns = new Map<string, { accountId: string; invites: string[] }>();
  for (const { n } of sent)
    if (n.kind === 'invitation' && n.inviteId && n.campaignId) {
      const c = campaigns.get(n.campaignId) ?? { accountId: n.accountId, invites: [] };
      c.invites.push(n.inviteId);
      campaigns.set(n.campaignId, c);
    }
  for (const [campaignId, { accountId, invites }] of campaigns) {
    const moved = await em.update(
      Invite,
      { id: In(invites), journey: 'created' },
      { journey: 'sent', journeyAt: at },
    );
    await addCount(em, { accountId, campaignId }, 'sent', at, moved.affected ?? 0);
  }
}

/**
 * `invite.sent` / `invite.failed` for an invitation or a resend (reminders and calendar
 * mail are not an invite's sending). The fact is the invitation (one per invite) or the
 * resend (one per notification); a failure, per attempt of its notification.
 */
export function inviteEmailEvent(
  n: Notification,
  type: 'invite.sent' | 'invite.failed',
  at: Date,
  error?: string,
): NewEvent[] {
  if (!n.inviteId || (n.kind !== 'invitation' && n.kind !== 'resend')) return [];
  const fact = type === 'invite.failed' ? `${n.id}:${n.attempts}` : n.kind === 'resend' ? n.id : n.inviteId;
  return [
    {
      accountId: n.accountId,
      campaignId: n.campaignId,
      type,
      key: fact,
      at,
      data: {
        inviteId: n.inviteId,
        campaignId: n.campaignId,
        kind: n.kind,
        notificationId: n.id,
        ...(error ? { error } : {}),
      },
    },
  ];
}

/**
 * The grants of these claims' batches (a batch's `sendBatch` is its grant's id) completed,
 * each with how many of its claims went; the rest of its slots free at once. Batches from
 * before grants existed, and owner emails, have none: completeSlots finds nothing.
 */
export async function completeGrants(
  em: EntityManager,
  claims: Notification[],
  went: (n: Notification) => boolean,
  at: Date = new Date(),
): Promise<void> {
  for (const batch of new Set(claims.flatMap((n) => (n.sendBatch ? [n.sendBatch] : []))))
    await completeSlots(em, batch, claims.filter((n) => n.sendBatch === batch && went(n)).length, at);
}

/**
 * The provider's answers for one call's claims, recorded in the caller's transaction; the
 * grant of the call's slots completed with the number the provider accepted.
 */
export async function recordOutcomes(
  em: EntityManager,
  items: Claimed[],
  outcomes: MessageOutcome[],
  at: Date,
  /** The event version the messages attached (null: no calendar invite in them). */
  calendarVersion: number | null,
): Promise<void> {
  const events: NewEvent[] = [];
  const sent: { n: Notification; messageId: string }[] = [];
  for (let k = 0; k < items.length; k++) {
    const { notification: n } = items[k];
    const outcome = outcomes[k];
    if (outcome.ok) {
      sent.push({ n, messageId: outcome.messageId });
      events.push(...inviteEmailEvent(n, 'invite.sent', at));
      continue;
    }
    await em.update(
      Notification,
      { id: n.id },
      { state: 'failed', error: outcome.message.slice(0, 300), errorCode: outcome.errorCode },
    );
    events.push(...inviteEmailEvent(n, 'invite.failed', at, outcome.message.slice(0, 300)));
    if (n.inviteId && n.kind === 'invitation') {
      await em.update(
        Invite,
        { id: n.inviteId },
        { deliveryStatus: 'failed', deliveryError: outcome.message.slice(0, 300) },
      );
    }
  }
  await recordAllSent(em, sent, at);
  // One insert for the chunk's events, in the transaction that records the sends.
  await recordEvents(em, events);
  const accepted = new Set(items.filter((_, k) => outcomes[k].ok).map((i) => i.notification.id));
  await completeGrants(
    em,
    items.map((i) => i.notification),
    (n) => accepted.has(n.id),
    at,
  );
  if (calendarVersion !== null) {
    // Who holds which version of the event: an update pass skips those who already have it.
    const got = items.flatMap((it, k) =>
      outcomes[k].ok && it.notification.inviteId ? [it.notification.inviteId] : [],
    );
    if (got.length)
      await em
        .createQueryBuilder()
        .update(Invite)
        .set({ calendarSequence: calendarVersion })
        .where({ id: In(got) })
        .andWhere('(calendarSequence IS NULL OR calendarSequence < :calendarVersion)', {
          calendarVersion,
        })
        .execute();
  }
}
