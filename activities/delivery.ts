import { heartbeat } from '@temporalio/activity';
import { In, IsNull, MoreThan, Not } from 'typeorm';
import { appendAudit, oneOffAuditKey } from '../audit/log';
import { Account } from '../entities/Account';
import { Campaign } from '../entities/Campaign';
import { Invite } from '../entities/Invite';
import { newInvite } from '../entities/new-invite';
import { Notification, type NotificationKind } from '../entities/Notification';
import type { SendOutcome } from '../email/port';
import { progressOfCampaign } from '../db/progress';
import type { Progress, Waiting } from '../domain/campaign';
import { linkState } from '../domain/link';
import { suppressedBecause, suppressionsAmong, whySuppressed } from '../recipients/suppressions';
import { calendarCancelActivities } from './calendar-cancels';
import { eventVersion, invitationMessages } from './invitation-message';
import { createNotifier, type DeliveryDeps, type Notifier } from './notifications';

export interface BatchOutcome {
  attempted: number;
  sent: number;
  /** Refused for reasons other than the address: these count towards the failure-rate pause. */
  failed: number;
  badAddresses: number;
  suppressed: number;
  /** Invites that can still be sent after this call. */
  remaining: number;
  tokenInvalid: boolean;
  /**
   * The campaign's counters after this call (db/progress.ts), read here so the workflow needs
   * no second activity per chunk to show them. Absent from outcomes recorded before it existed.
   */
  progress?: Progress;
  /**
   * Nothing was sent and the campaign must wait until then (the provider rate-limited the
   * call: its claims were released, so the same invites go, under the same keys, after).
   */
  wait?: Waiting;
}

export type ReminderSender = (
  campaign: Campaign,
  invites: Invite[],
) => Promise<{ sent: number; tokenInvalid: boolean }>;

/** Invitations, resends and resets, retries of failures, and reminders: the campaign's sends. */
export function deliveryActivities(deps: DeliveryDeps, notifier: Notifier = createNotifier(deps)) {
  const { db, email } = deps;
  const { senderFor, settle, settlePending, claimInviteEmails, sendClaimed } = notifier;
  const invitationMessage = invitationMessages(deps.publicBaseUrl);
  const { cancelReplaced } = calendarCancelActivities(deps, notifier);

  const eligible = (campaignId: string) => ({
    campaignId,
    voidedAt: IsNull(),
    sentAt: IsNull(),
    deliveryStatus: IsNull(),
    status: 'unused' as const,
    email: MoreThan(''),
  });

  async function countRemaining(campaignId: string): Promise<number> {
    const now = new Date();
    return db.manager.count(Invite, {
      where: [
        { ...eligible(campaignId), expiresAt: IsNull() },
        { ...eligible(campaignId), expiresAt: MoreThan(now) },
      ],
    });
  }

  /**
   * Reminders for invites that fell due: once each (key `reminder:<inviteId>`), through the
   * same claim → send → record path. A reminder that fails is recorded failed and not retried.
   */
  const sendReminders: ReminderSender = async (campaign, due) => {
    const account = await db.manager.findOneByOrFail(Account, { id: campaign.accountId });
    const { credentials, from } = await senderFor(account, campaign);
    await settlePending(credentials, campaign.id, 'reminder');
    const { items } = await db.transaction((em) =>
      claimInviteEmails(em, campaign, due, {
        kind: 'reminder',
        keyOf: (i) => `reminder:${i.id}`,
        render: (i, key) => invitationMessage(campaign, i, from, key, 'reminder'),
      }),
    );
    // Not claimed here: suppressed since its invitation (settled without an email), or claimed
    // elsewhere already (sent, or in flight: settled above or by that attempt).
    const claimedIds = new Set(items.map((c) => c.invite.id));
    const unclaimed = due.filter((i) => !claimedIds.has(i.id));
    const { outcomes, tokenInvalid } = await sendClaimed(credentials, items, eventVersion(campaign));
    if (!tokenInvalid) {
      const failed = items.filter((_, k) => outcomes[k] && !outcomes[k].ok).map((c) => c.invite.id);
      const done = [...failed, ...unclaimed.map((i) => i.id)];
      if (done.length)
        await db.transaction((em) =>
          em.update(Invite, { id: In(done), reminderSentAt: IsNull() }, { reminderSentAt: new Date() }),
        );
    }
    return { sent: outcomes.filter((o) => o.ok).length, tokenInvalid };
  };

  const activities = {
    /**
     * Sends the next (up to `limit`, ≤ the provider's batch size) unsent invitations of a
     * campaign, exactly once each. The workflow calls it once per provider call, so a pause
     * or cancel takes effect before the next one.
     */
    async sendInvitations({
      campaignId,
      accountId,
      limit,
    }: {
      campaignId: string;
      accountId: string;
      limit: number;
    }): Promise<BatchOutcome> {
      const campaign = await db.manager.findOneByOrFail(Campaign, { id: campaignId, accountId });
      const account = await db.manager.findOneByOrFail(Account, { id: accountId });
      const { credentials, from } = await senderFor(account, campaign);
      await settlePending(credentials, campaignId, 'invitation');

      const now = new Date();
      const picked = await db.manager.find(Invite, {
        where: [
          { ...eligible(campaignId), expiresAt: IsNull() },
          { ...eligible(campaignId), expiresAt: MoreThan(now) },
        ],
        order: { id: 'ASC' },
        take: Math.min(limit, email.maxBatchSize),
      });
      const { items, suppressed } = await db.transaction(async (em) => {
        const claims = await claimInviteEmails(em, campaign, picked, {
          kind: 'invitation',
          keyOf: (i) => `invitation:${i.id}`,
          // The same rule as the recipient pages: only a link that works is worth an email.
          worth: (i) => linkState({ campaign, invite: i, now }).state === 'ready',
          render: (i, key) => invitationMessage(campaign, i, from, key, 'invitation'),
        });
        for (const reason of new Set(claims.suppressed.map((s) => s.reason))) {
          const ids = claims.suppressed.filter((s) => s.reason === reason).map((s) => s.invite.id);
          await em.update(
            Invite,
            { id: In(ids) },
            { deliveryStatus: 'suppressed', deliveryError: whySuppressed(reason) },
          );
        }
        if (claims.items.length)
          await em.update(
            Invite,
            { id: In(claims.items.map((c) => c.invite.id)) },
            { deliveryStatus: 'sending' },
          );
        return claims;
      });
      heartbeat();
      const { outcomes, tokenInvalid, rateLimitedForMs } = await sendClaimed(
        credentials,
        items,
        eventVersion(campaign),
        { waitOnRateLimit: true },
      );
      const wait: Waiting | undefined =
        rateLimitedForMs === undefined
          ? undefined
          : { reason: 'sending_limit', until: new Date(Date.now() + rateLimitedForMs).toISOString() };
      // The API shows the wait from the row; the workflow keeps its own copy in its state.
      if (wait || (outcomes.length && campaign.waitingReason !== null))
        await db.transaction((em) =>
          em.update(
            Campaign,
            { id: campaignId },
            { waitingReason: wait?.reason ?? null, waitingUntil: wait ? new Date(wait.until) : null },
          ),
        );
      const failures = outcomes.filter((o): o is Extract<SendOutcome, { ok: false }> => !o.ok);
      return {
        attempted: items.length,
        sent: outcomes.filter((o) => o.ok).length,
        failed: failures.filter((f) => !f.badAddress).length,
        badAddresses: failures.filter((f) => f.badAddress).length,
        suppressed: suppressed.length,
        remaining: await countRemaining(campaignId),
        tokenInvalid,
        progress: await progressOfCampaign(db.manager, campaignId),
        ...(wait ? { wait } : {}),
      };
    },

    /**
     * Send notification again, or reset & resend (void the link, issue a new token, start
     * over). `key` comes from the workflow, so a retried activity sends once.
     */
    async resendInvite(input: {
      campaignId: string;
      accountId: string;
      inviteId: string;
      reset: boolean;
      key: string;
      actor: string;
    }): Promise<
      | { ok: true; inviteId: string; sent: boolean }
      | {
          ok: false;
          reason: 'not_found' | 'voided' | 'suppressed' | 'email_token_invalid' | 'no_email' | 'failed';
          detail?: string;
        }
    > {
      const { campaignId, accountId } = input;
      const campaign = await db.manager.findOneByOrFail(Campaign, { id: campaignId, accountId });
      let invite = await db.manager.findOneBy(Invite, { id: input.inviteId, campaignId, accountId });
      if (!invite) return { ok: false, reason: 'not_found' };
      const refusal = async (email: string) => {
        const reason = (await suppressionsAmong(db.manager, deps.secrets, accountId, [email])).get(email);
        return reason
          ? {
              ok: false as const,
              reason: 'suppressed' as const,
              detail: `${email} is suppressed for this account after ${suppressedBecause(reason)}; Herald will not email it`,
            }
          : null;
      };
      // Refused before a reset voids anything; a retry of a reset already made goes on to its send.
      if (input.reset && invite.email && !invite.replacedById) {
        const refused = await refusal(invite.email);
        if (refused) return refused;
      }
      if (input.reset) {
        invite = await db.transaction(async (em) => {
          const old = await em.findOneByOrFail(Invite, { id: input.inviteId });
          if (old.replacedById) return em.findOneByOrFail(Invite, { id: old.replacedById }); // a retry: already reset
          if (old.voidedAt) return null;
          const now = new Date();
          const fresh = newInvite(
            {
              accountId: old.accountId,
              campaignId: old.campaignId,
              email: old.email,
              name: old.name,
              timeZone: old.timeZone,
              expiresAt: old.expiresAt,
              reminderDaysBefore: old.reminderDaysBefore,
              reminderAt: old.reminderAt,
            },
            now,
          );
          // Its own event: the old one is cancelled below without touching this one.
          fresh.calendarUid = `${campaignId}.${fresh.id}@herald`;
          await em.insert(Invite, fresh);
          await em.update(Invite, { id: old.id }, { voidedAt: now, replacedById: fresh.id });
          await appendAudit(em, oneOffAuditKey('reset', old.id), {
            accountId,
            campaignId,
            at: now,
            actor: input.actor,
            action: 'invite_reset',
            reason: `invite ${old.id} voided, replaced by ${fresh.id}`,
            details: { oldInviteId: old.id, newInviteId: fresh.id, email: old.email },
          });
          return fresh;
        });
        if (!invite) return { ok: false, reason: 'voided' };
      } else if (invite.voidedAt) {
        return { ok: false, reason: 'voided' };
      }
      if (!invite.email) return { ok: true, inviteId: invite.id, sent: false }; // link-only: nothing to email
      const target = invite;
      const account = await db.manager.findOneByOrFail(Account, { id: accountId });
      if (input.reset) {
        // The old link's event leaves the calendar (once, however often this is retried).
        const old = await db.manager.findOneByOrFail(Invite, { id: input.inviteId });
        if ((await cancelReplaced(campaign, account, old)).tokenInvalid)
          return { ok: false, reason: 'email_token_invalid' };
      }
      const { credentials, from } = await senderFor(account, campaign);
      const key = input.reset ? `invitation:${target.id}` : input.key;
      const kind: NotificationKind = input.reset ? 'invitation' : 'resend';
      const existing = await db.manager.findOneBy(Notification, { idempotencyKey: key });
      if (existing?.state === 'sent') return { ok: true, inviteId: target.id, sent: true };
      if (existing?.state === 'pending') {
        // An earlier attempt passed the check and may have sent it: settle, never refuse now.
        await settle(credentials, [existing]);
      } else {
        const refused = await refusal(target.email!);
        if (refused) return refused;
      }
      const { items } = await db.transaction((em) =>
        claimInviteEmails(em, campaign, [target], {
          kind,
          keyOf: () => key,
          render: (i) => invitationMessage(campaign, i, from, key, input.reset ? 'invitation' : 'resend'),
          checkSuppressions: false, // answered above: refused with its reason, or an earlier attempt's claim
        }),
      );
      const { outcomes, tokenInvalid } = await sendClaimed(credentials, items, eventVersion(campaign));
      if (tokenInvalid) return { ok: false, reason: 'email_token_invalid' };
      const outcome = outcomes[0];
      if (outcome && !outcome.ok) return { ok: false, reason: 'failed', detail: outcome.message };
      if (!input.reset)
        await db.transaction((em) =>
          em.update(
            Invite,
            { id: target.id },
            { sentAt: new Date(), deliveryStatus: 'sent', deliveryError: null },
          ),
        );
      return { ok: true, inviteId: target.id, sent: true };
    },

    /** Failed deliveries (not bad addresses) become sendable again; returns how many. */
    async releaseFailed({
      campaignId,
      accountId,
    }: {
      campaignId: string;
      accountId: string;
    }): Promise<number> {
      return db.transaction(async (em) => {
        const failed = await em.find(Invite, {
          select: { id: true },
          where: { campaignId, accountId, deliveryStatus: 'failed', voidedAt: IsNull() },
        });
        if (!failed.length) return 0;
        // The provider's rule, read back from the code each failure recorded.
        const badAddress = new Set(
          (
            await em.find(Notification, {
              select: { inviteId: true, errorCode: true },
              where: {
                inviteId: In(failed.map((i) => i.id)),
                kind: 'invitation',
                state: 'failed',
                errorCode: Not(IsNull()),
              },
            })
          )
            .filter((n) => email.isBadAddress(n.errorCode!))
            .map((n) => n.inviteId),
        );
        const retry = failed.filter((i) => !badAddress.has(i.id)).map((i) => i.id);
        if (retry.length)
          await em.update(Invite, { id: In(retry) }, { deliveryStatus: null, deliveryError: null });
        return retry.length;
      });
    },
  };
  return { activities, sendReminders };
}
