import { IsNull, LessThan, MoreThan, Not } from 'typeorm';
import { Account } from '../entities/Account';
import { Campaign } from '../entities/Campaign';
import { Invite } from '../entities/Invite';
import { Notification } from '../entities/Notification';
import { suppressionsAmong } from '../recipients/suppressions';
import { eventVersion, invitationMessages } from './invitation-message';
import type { DeliveryDeps, Notifier } from './notifications';

/** "Update calendar invites": the event's new version to everyone already invited, in chunks. */
export function calendarUpdateActivities(deps: DeliveryDeps, notifier: Notifier) {
  const { db, email } = deps;
  const { senderFor, settle, claim, sendClaimed } = notifier;
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
    }> {
      const { campaignId, accountId, sequence } = input;
      const campaign = await db.manager.findOneByOrFail(Campaign, { id: campaignId, accountId });
      const account = await db.manager.findOneByOrFail(Account, { id: accountId });
      const { credentials, from } = await senderFor(account, campaign);
      await settle(
        credentials,
        await db.manager.findBy(Notification, { campaignId, state: 'pending', kind: 'calendar_update' }),
      );
      const invited = {
        campaignId,
        voidedAt: IsNull(),
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
      const items = await db.transaction(async (em) => {
        // A suppressed address gets nothing, an update included.
        const suppressed = await suppressionsAmong(
          em,
          deps.secrets,
          accountId,
          invites.map((i) => i.email!),
        );
        const claimed = await claim(
          em,
          invites
            .filter((i) => !suppressed.has(i.email!))
            .map((i) => ({
              accountId,
              campaignId,
              inviteId: i.id,
              kind: 'calendar_update' as const,
              idempotencyKey: `calendar:${i.id}:${sequence}`,
              recipient: i.email!,
            })),
        );
        const byId = new Map(invites.map((i) => [i.id, i]));
        return claimed.map((n) => ({
          notification: n,
          invite: byId.get(n.inviteId!)!,
          message: invitationMessage(
            campaign,
            byId.get(n.inviteId!)!,
            from,
            n.idempotencyKey,
            'calendar_update',
          ),
        }));
      });
      const { outcomes, tokenInvalid } = await sendClaimed(credentials, items, eventVersion(campaign));
      return {
        lastId: tokenInvalid ? input.afterId : invites[invites.length - 1].id,
        sent: outcomes.filter((o) => o.ok).length,
        tokenInvalid,
      };
    },
  };
}
