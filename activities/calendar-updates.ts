import { IsNull, LessThan, MoreThan, Not } from 'typeorm';
import { Account } from '../entities/Account';
import { Campaign } from '../entities/Campaign';
import { Invite } from '../entities/Invite';
import { eventVersion, invitationMessages } from './invitation-message';
import type { DeliveryDeps, Notifier } from './notifications';
import { liveInvite } from '../db/invite-scopes';

/** "Update calendar invites": the event's new version to everyone already invited, in chunks. */
export function calendarUpdateActivities(deps: DeliveryDeps, notifier: Notifier) {
  const { db, email } = deps;
  const { senderFor, settlePending, claimInviteEmails, sendClaimed } = notifier;
  const invitationMessage = invitationMessages(deps.publicBaseUrl);

  return {
    /**
     * One chunk of an "update calendar invites" pass: everyone already invited, after
     * `afterId`, gets the event's new version (same UID, the new SEQUENCE), once per version.
     */
    async sendCalendarUpdates(input: {
      campaignId: string;
      accountId: string;
      sequence: number;
      afterId: string | null;
      limit: number;
    }): Promise<{
      lastId: string | null;
      sent: number;
      tokenInvalid: boolean;
      /** Some were held back (the account's limit or the provider's): the pass goes on from lastId then. */
      retryAt?: string;
    }> {
      const { campaignId, accountId, sequence } = input;
      const campaign = await db.manager.findOneByOrFail(Campaign, { id: campaignId, accountId });
      const account = await db.manager.findOneByOrFail(Account, { id: accountId });
      const { credentials, from } = await senderFor(account, campaign);
      if ((await settlePending(credentials, campaignId, 'calendar_update')).tokenInvalid)
        return { lastId: input.afterId, sent: 0, tokenInvalid: true };
      const invited = {
        campaignId,
        ...liveInvite,
        sentAt: Not(IsNull()),
        email: MoreThan(''),
        ...(input.afterId ? { id: MoreThan(input.afterId) } : {}),
      };
      const invites = await db.manager.find(Invite, {
        // Not those whose invitation already carried this version (sent while the pass runs).
        where: [
          { ...invited, calendarSequence: IsNull() },
          { ...invited, calendarSequence: LessThan(sequence) },
        ],
        order: { id: 'ASC' },
        take: Math.min(input.limit, email.maxBatchSize),
      });
      if (!invites.length || !campaign.event) return { lastId: null, sent: 0, tokenInvalid: false };
      // A suppressed address gets nothing, an update included (the claim step sees to it).
      const { items, held, retryAt } = await db.transaction((em) =>
        claimInviteEmails(em, campaign, invites, {
          kind: 'calendar_update',
          keyOf: (i) => `calendar:${i.id}:${sequence}`,
          render: (i, key) => invitationMessage(campaign, i, from, key, 'calendar_update'),
        }),
      );
      const { outcomes, tokenInvalid, rateLimitedForMs } = await sendClaimed(
        credentials,
        items,
        eventVersion(campaign),
      );
      const sent = outcomes.filter((o) => o.ok).length;
      if (tokenInvalid) return { lastId: input.afterId, sent, tokenInvalid };
      if (rateLimitedForMs !== undefined)
        return {
          lastId: input.afterId,
          sent,
          tokenInvalid,
          retryAt: new Date(Date.now() + rateLimitedForMs).toISOString(),
        };
      if (held.length)
        return {
          lastId: throughBefore(invites, held[0], input.afterId) ?? '' /* never null: null ends the pass */,
          sent,
          tokenInvalid,
          retryAt: retryAt!.toISOString(),
        };
      return { lastId: invites[invites.length - 1].id, sent, tokenInvalid };
    },
  };
}

/** The cursor up to (not including) the first invite held back: the pass resumes at it. */
export function throughBefore(invites: Invite[], firstHeld: Invite, afterId: string | null): string | null {
  const k = invites.findIndex((i) => i.id === firstHeld.id);
  return k > 0 ? invites[k - 1].id : afterId;
}
