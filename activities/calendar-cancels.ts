import { IsNull, MoreThan, Not } from 'typeorm';
import { Account } from '../entities/Account';
import { Campaign } from '../entities/Campaign';
import { Invite } from '../entities/Invite';
import { throughBefore } from './calendar-updates';
import type { CalendarEvent } from '../email/ical';
import { cancellationMessage } from './invitation-message';
import type { DeliveryDeps, Notifier } from './notifications';
import { liveInvite } from '../db/invite-scopes';

export type CancelReason = 'cancelled' | 'expired' | 'replaced';

/** Each invite's event is cancelled once, whatever asks for it (the end of the campaign, a reset). */
export const cancelKey = (inviteId: string) => `calendar-cancel:${inviteId}`;

/** Over already: nobody needs a cancellation for an event that has taken place. */
function eventOver(campaign: Campaign, now: Date): boolean {
  const event = JSON.parse(campaign.event!) as CalendarEvent;
  const end = Date.parse(event.startsAt) + event.durationMinutes * 60_000;
  return Number.isFinite(end) && end <= now.getTime();
}

/**
 * METHOD:CANCEL to those whose calendar holds the campaign's event: when the campaign is over
 * for good (cancelled, or expired past any grace), and for the old invite of a reset.
 */
export function calendarCancelActivities(deps: DeliveryDeps, notifier: Notifier) {
  const { db, email } = deps;
  const { senderFor, settlePending, claimInviteEmails, sendClaimed } = notifier;

  /** The cancellations for these invites, through the exactly-once path (claim → send → record). */
  async function cancelFor(
    campaign: Campaign,
    account: Account,
    invites: Invite[],
    reason: CancelReason,
  ): Promise<{ attempted: number; sent: number; tokenInvalid: boolean; heldFrom?: Invite; retryAt?: Date }> {
    const { credentials, from } = await senderFor(account, campaign);
    if ((await settlePending(credentials, campaign.id, 'calendar_cancel')).tokenInvalid)
      return { attempted: 0, sent: 0, tokenInvalid: true };
    if (!invites.length) return { attempted: 0, sent: 0, tokenInvalid: false };
    // A suppressed address gets nothing, a cancellation included (the claim step sees to it).
    const { items, held, retryAt } = await db.transaction((em) =>
      claimInviteEmails(em, campaign, invites, {
        kind: 'calendar_cancel',
        keyOf: (i) => cancelKey(i.id),
        render: (i, key) => cancellationMessage(campaign, i, from, key, reason),
      }),
    );
    const { outcomes, tokenInvalid, rateLimitedForMs } = await sendClaimed(credentials, items);
    const sent = outcomes.filter((o) => o.ok).length;
    if (rateLimitedForMs !== undefined)
      return {
        attempted: 0,
        sent,
        tokenInvalid,
        heldFrom: invites[0],
        retryAt: new Date(Date.now() + rateLimitedForMs),
      };
    if (held.length)
      return { attempted: items.length, sent, tokenInvalid, heldFrom: held[0], retryAt: retryAt! };
    return { attempted: items.length, sent, tokenInvalid };
  }

  /** The old invite of a reset: its event leaves the calendar (the replacement has its own UID). */
  async function cancelReplaced(campaign: Campaign, account: Account, old: Invite) {
    if (!campaign.event || !old.email || old.calendarSequence === null || eventOver(campaign, new Date()))
      return { attempted: 0, sent: 0, tokenInvalid: false };
    return cancelFor(campaign, account, [old], 'replaced');
  }

  const activities = {
    /**
     * One chunk (≤ the provider's batch size) of the cancellation pass of a campaign that is
     * over: those who received its event, after `afterId`, get a METHOD:CANCEL once each. An
     * expired campaign leaves the event to those who used their invite (they are going); a
     * cancelled one takes it from everyone. `lastId` null: the pass is through.
     */
    async sendCalendarCancels(input: {
      campaignId: string;
      accountId: string;
      afterId: string | null;
      limit: number;
    }): Promise<{
      lastId: string | null;
      attempted: number;
      sent: number;
      tokenInvalid: boolean;
      /** Some were held back (the account's limit or the provider's): the pass goes on from lastId then. */
      retryAt?: string;
    }> {
      const { campaignId, accountId } = input;
      const done = { lastId: null, attempted: 0, sent: 0, tokenInvalid: false };
      const campaign = await db.manager.findOneByOrFail(Campaign, { id: campaignId, accountId });
      if (!campaign.event || eventOver(campaign, new Date())) return done;
      const reason: CancelReason = campaign.status === 'expired' ? 'expired' : 'cancelled';
      const invites = await db.manager.find(Invite, {
        where: {
          campaignId,
          ...liveInvite,
          calendarSequence: Not(IsNull()),
          email: MoreThan(''),
          ...(reason === 'expired' ? { status: 'unused' as const } : {}),
          ...(input.afterId ? { id: MoreThan(input.afterId) } : {}),
        },
        order: { id: 'ASC' },
        take: Math.min(input.limit, email.maxBatchSize),
      });
      if (!invites.length) return done;
      const account = await db.manager.findOneByOrFail(Account, { id: accountId });
      const { attempted, sent, tokenInvalid, heldFrom, retryAt } = await cancelFor(
        campaign,
        account,
        invites,
        reason,
      );
      if (heldFrom && !tokenInvalid)
        return {
          // Never null here: null would end the pass.
          lastId: throughBefore(invites, heldFrom, input.afterId) ?? '',
          attempted,
          sent,
          tokenInvalid,
          retryAt: retryAt!.toISOString(),
        };
      return { lastId: invites[invites.length - 1].id, attempted, sent, tokenInvalid };
    },
  };
  return { activities, cancelReplaced };
}
