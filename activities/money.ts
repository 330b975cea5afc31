import { ApplicationFailure } from '@temporalio/activity';
import { IsNull, Not } from 'typeorm';
import { lockCampaign } from '../db/locks';
import { holdFunds, type Settlement, settleHold } from '../money/ledger';
import { Invite } from '../entities/Invite';
import type { ActivityDeps } from './deps';
import { liveInvite } from '../db/invite-scopes';
import { priceOf } from '../money/price';

export type ReserveResult =
  { ok: true; reservedCents: number } | { ok: false; requiredCents: number; availableCents: number };

export interface MoneyInput {
  campaignId: string;
  accountId: string;
  /** Unique per movement: the ledger refuses a second row with it, so retries reserve once. */
  key: string;
}

export function moneyActivities({ db, afterCommit }: ActivityDeps) {
  return {
    /** Holds `costPerInviteCents × invites` against the balance (money/ledger.ts), or says why not. */
    async reserveForLaunch({ campaignId, accountId, key }: MoneyInput): Promise<ReserveResult> {
      const result = await db.transaction(async (em): Promise<ReserveResult> => {
        const campaign = await lockCampaign(em, campaignId, accountId);
        if (!campaign)
          throw ApplicationFailure.nonRetryable(`Campaign ${campaignId} does not exist`, 'not_found');
        const invites = await em.countBy(Invite, { campaignId, ...liveInvite });
        const held = await holdFunds(em, {
          accountId,
          campaignId,
          amountCents: priceOf(invites, campaign),
          key,
        });
        return held.ok ? { ok: true, reservedCents: held.heldCents } : held;
      });
      await afterCommit?.('reserveForLaunch');
      return result;
    },

    /**
     * Extending the expiry within the grace revives an expired campaign: what was released
     * at expiry is held again for the invites not sent yet. Idempotent by key, like a launch.
     */
    async reserveForRevival({ campaignId, accountId, key }: MoneyInput): Promise<ReserveResult> {
      return db.transaction(async (em): Promise<ReserveResult> => {
        const campaign = await lockCampaign(em, campaignId, accountId);
        if (!campaign)
          throw ApplicationFailure.nonRetryable(`Campaign ${campaignId} does not exist`, 'not_found');
        const unsent = await em.countBy(Invite, { campaignId, ...liveInvite, sentAt: IsNull() });
        const amountCents = priceOf(unsent, campaign);
        if (amountCents === 0) return { ok: true, reservedCents: 0 };
        const held = await holdFunds(em, { accountId, campaignId, amountCents, key });
        return held.ok ? { ok: true, reservedCents: held.heldCents } : held;
      });
    },

    /**
     * At expiry or cancel: charge the invitations that went out and were not charged yet (a
     * campaign revived within its grace is settled again), release the rest of the hold.
     */
    async settleReservation({ campaignId, accountId, key }: MoneyInput): Promise<Settlement> {
      return db.transaction((em) =>
        settleHold(em, { accountId, campaignId, key }, async (campaign) => {
          // One charge per recipient: a reset's voided link and its replacement are one invite.
          // An invitation voided by an erasure (nothing replaced it) went out: it is charged.
          const sent = await em.countBy(Invite, [
            { campaignId, sentAt: Not(IsNull()), ...liveInvite },
            { campaignId, sentAt: Not(IsNull()), replacedById: IsNull() },
          ]);
          return priceOf(sent, campaign);
        }),
      );
    },
  };
}
