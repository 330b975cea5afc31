/**
 * Support's sends to one recipient: "send notification again", "reset & resend" (void the
 * link, issue a new token, start over: the old link's calendar event is cancelled), and
 * "retry failed". Each goes through the one send pipeline (send/pipeline.ts).
 */
import { ApplicationFailure } from '@temporalio/activity';
import { In, IsNull, Not } from 'typeorm';
import { appendAudit, oneOffAuditKey } from '../audit/log';
import { liveInvite } from '../db/invite-scopes';
import { reminderInstant, resetExpiry } from '../domain/link';
import { Account } from '../entities/Account';
import { Campaign } from '../entities/Campaign';
import { Invite } from '../entities/Invite';
import { newInvite } from '../entities/new-invite';
import { Notification } from '../entities/Notification';
import { suppressedBecause, suppressionsAmong } from '../recipients/suppressions';
import { recordEvents } from '../webhooks/events';
import type { Notifier } from './send/exactly-once';
import { eventOver, type SendKinds } from './send/kinds';
import type { SendPipeline } from './send/pipeline';
import type { DeliveryDeps } from './send/types';

/**
 * A resend with no slot free (the account's limit, or the provider's): the activity is
 * retried when one frees, not before and not blind; the key it carries keeps it to one email.
 */
const heldBack = (until: Date) =>
  ApplicationFailure.create({
    type: 'sending_limit',
    message: `the account's sending limit is reached until ${until.toISOString()}`,
    nextRetryDelay: Math.max(1, until.getTime() - Date.now()),
  });

export function resendActivities(
  deps: DeliveryDeps,
  notifier: Notifier,
  pipeline: SendPipeline,
  kinds: SendKinds,
) {
  const { db, email } = deps;
  const { senderFor, settleOrTokenInvalid } = notifier;

  /** The old invite of a reset: its event leaves the calendar (the replacement has its own UID). */
  async function cancelReplaced(campaign: Campaign, account: Account, old: Invite) {
    if (!campaign.event || !old.email || old.calendarSequence === null || eventOver(campaign, new Date()))
      return null;
    return pipeline.run(kinds.calendarCancel, {
      campaign,
      account,
      input: { reason: 'replaced' },
      limit: 1,
      invites: [old],
    });
  }

  return {
    /**
     * Send notification again, or reset & resend (void the link, issue a new token, start
     * over). `key` comes from the workflow, so a retried activity sends once.
     */
    async resendInvite(input: {
      campaignId: string;
      accountId: string;
      inviteId: string;
      reset: boolean;
      /** A reset's new expiry (api/schemas.ts ExpiresIn); absent: as long as the original's. */
      expiresIn?: string;
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
          // A fresh start, not the old dates: copied, an expired link was emailed dead.
          const expiresAt = resetExpiry(old, input.expiresIn, now);
          const fresh = newInvite(
            {
              accountId: old.accountId,
              campaignId: old.campaignId,
              email: old.email,
              name: old.name,
              timeZone: old.timeZone,
              phone: old.phone ?? null,
              expiresAt,
              reminderDaysBefore: old.reminderDaysBefore,
              // As an invite added with these settings gets it (api/usecases/invite-intake.ts `addInvites`).
              reminderAt: old.email ? reminderInstant(expiresAt, old.reminderDaysBefore) : null,
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
          await recordEvents(em, [
            {
              accountId,
              campaignId,
              type: 'invite.reset',
              key: old.id,
              at: now,
              data: { inviteId: old.id, newInviteId: fresh.id, campaignId },
            },
          ]);
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
        const cancelled = await cancelReplaced(campaign, account, old);
        if (cancelled?.tokenInvalid) return { ok: false, reason: 'email_token_invalid' };
        if (cancelled?.held) throw heldBack(new Date(cancelled.held.until));
      }
      const { credentials } = await senderFor(account, campaign);
      const key = input.reset ? `invitation:${target.id}` : input.key;
      const existing = await db.manager.findOneBy(Notification, { idempotencyKey: key });
      if (existing?.state === 'sent') return { ok: true, inviteId: target.id, sent: true };
      if (existing?.state === 'pending') {
        // An earlier attempt passed the check and may have sent it: settle, never refuse now.
        if ((await settleOrTokenInvalid(credentials, [existing])).tokenInvalid)
          return { ok: false, reason: 'email_token_invalid' };
      } else {
        const refused = await refusal(target.email!);
        if (refused) return refused;
      }
      const step = { campaign, account, limit: 1, invites: [target] };
      const outcome = input.reset
        ? await pipeline.run(kinds.resetInvitation, { ...step, input: undefined })
        : await pipeline.run(kinds.resend, { ...step, input: { key } });
      if (outcome.held) throw heldBack(new Date(outcome.held.until));
      if (outcome.tokenInvalid) return { ok: false, reason: 'email_token_invalid' };
      if (outcome.failure !== undefined) return { ok: false, reason: 'failed', detail: outcome.failure };
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
          where: { campaignId, accountId, deliveryStatus: 'failed', ...liveInvite },
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
}
