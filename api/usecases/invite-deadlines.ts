import { IsNull } from 'typeorm';
import { appendAudit, oneOffAuditKey } from '../../audit/log';
import type { Database } from '../../db/database';
import { newId } from '../../db/ids';
import { LAUNCHED_STATUSES } from '../../domain/campaign';
import { type ExpiresIn, inviteExpiry, reminderInstant } from '../../domain/link';
import { Invite } from '../../entities/Invite';
import type { Caller } from '../auth';
import { ValidationError } from '../errors';
import type { UpdateInvite } from '../schemas';
import { lockOwnedCampaign } from './owned';

/**
 * An invite's expiry as a request names it (`expiresIn`: a preset or an instant), counted
 * from `now`: the one check that it is not already past, for adding, resetting and changing.
 */
export function futureExpiry(expiresIn: ExpiresIn | undefined, now: Date, field = 'expiresIn'): Date | null {
  const expiresAt = inviteExpiry(expiresIn, now);
  if (expiresAt && expiresAt <= now) throw new ValidationError([{ field, message: 'must be in the future' }]);
  return expiresAt;
}

/** What an invite's deadlines become under `patch`; absent fields keep theirs. */
export function changedDeadlines(
  invite: Pick<Invite, 'email' | 'expiresAt' | 'reminderDaysBefore'>,
  patch: UpdateInvite,
  now: Date,
): { expiresAt: Date | null; reminderDaysBefore: number | null; reminderAt: Date | null } {
  const expiresAt =
    patch.expiresAt !== undefined
      ? futureExpiry(patch.expiresAt, now, 'expiresAt')
      : patch.expiresIn !== undefined
        ? futureExpiry(patch.expiresIn, now)
        : invite.expiresAt;
  // The same rule as adding (api/schemas withReminderRule): a reminder needs an expiry.
  if (patch.reminderDaysBefore != null && !expiresAt)
    throw new ValidationError([
      { field: 'reminderDaysBefore', message: 'needs an expiry: the invite has none (expiresIn never)' },
    ]);
  // An invite made to never expire keeps no reminder it had.
  const reminderDaysBefore = expiresAt
    ? patch.reminderDaysBefore !== undefined
      ? patch.reminderDaysBefore
      : invite.reminderDaysBefore
    : null;
  return {
    expiresAt,
    reminderDaysBefore,
    // Link-only invites get no reminder, as when they are added (invite-intake.ts).
    reminderAt: invite.email ? reminderInstant(expiresAt, reminderDaysBefore) : null,
  };
}

const iso = (d: Date | null) => (d ? d.toISOString() : 'never');

/**
 * Stores the new deadlines with their audit entry, in one transaction under the campaign's
 * lock, on the condition that the invite is still live, unused and not expired (the workflow's
 * sweep may have come since it was checked). A reminder that moves to a later instant is due
 * again. `stored` is false when that condition no longer held (nothing changed); `notify`, when
 * the campaign's workflow must read its deadlines again.
 */
export async function storeDeadlines(
  db: Database,
  caller: Caller,
  invite: Invite,
  next: ReturnType<typeof changedDeadlines>,
  now: Date,
): Promise<{ stored: boolean; notify: boolean }> {
  return db.transaction(async (em) => {
    const campaign = await lockOwnedCampaign(em, caller, invite.campaignId);
    const same =
      (invite.expiresAt?.getTime() ?? null) === (next.expiresAt?.getTime() ?? null) &&
      invite.reminderDaysBefore === next.reminderDaysBefore &&
      (invite.reminderAt?.getTime() ?? null) === (next.reminderAt?.getTime() ?? null);
    const remindAgain =
      invite.reminderSentAt !== null &&
      next.reminderAt !== null &&
      next.reminderAt > now &&
      next.reminderAt.getTime() !== invite.reminderAt?.getTime();
    const still = {
      id: invite.id,
      accountId: caller.accountId,
      voidedAt: IsNull(),
      expiredAt: IsNull(),
      status: 'unused' as const,
    };
    if (same) return { stored: await em.existsBy(Invite, still), notify: false };
    const done = await em.update(Invite, still, {
      ...next,
      ...(remindAgain ? { reminderSentAt: null } : {}),
    });
    if (!done.affected) return { stored: false, notify: false };
    await appendAudit(em, oneOffAuditKey('invite', newId()), {
      accountId: caller.accountId,
      campaignId: invite.campaignId,
      actor: caller.keyId,
      action: 'invite_expiry_changed',
      reason: `invite ${invite.id}: expires ${iso(invite.expiresAt)} → ${iso(next.expiresAt)}; reminder ${invite.reminderDaysBefore ?? 'none'} → ${next.reminderDaysBefore ?? 'none'} days before`,
      details: {
        inviteId: invite.id,
        from: {
          expiresAt: invite.expiresAt?.toISOString() ?? null,
          reminderDaysBefore: invite.reminderDaysBefore,
        },
        to: { expiresAt: next.expiresAt?.toISOString() ?? null, reminderDaysBefore: next.reminderDaysBefore },
      },
      at: now,
    });
    return { stored: true, notify: LAUNCHED_STATUSES.has(campaign.status) };
  });
}
