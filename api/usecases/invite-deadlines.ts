import { IsNull } from 'typeorm';
import { appendAudit, oneOffAuditKey } from '../../audit/log';
import type { Database } from '../../db/database';
import { newId } from '../../db/ids';
import { LAUNCHED_STATUSES } from '../../domain/campaign';
import { type ExpiresIn, inviteExpiry, reminderInstant } from '../../domain/link';
import type { Campaign } from '../../entities/Campaign';
import { Invite } from '../../entities/Invite';
import type { Caller } from '../auth';
import { ValidationError } from '../errors';
import { EXPIRY_PRESETS, type InviteDefaults, type UpdateInvite } from '../schemas';
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

/** A campaign's invite defaults as the row keeps them. */
export type StoredInviteDefaults = Pick<Campaign, 'inviteExpiresIn' | 'inviteReminderDaysBefore'>;
export const NO_INVITE_DEFAULTS: StoredInviteDefaults = {
  inviteExpiresIn: null,
  inviteReminderDaysBefore: null,
};

/**
 * The invite defaults a request gives, as stored: a preset as it is, an instant in its ISO
 * spelling and only if it is still ahead (a default that has passed would refuse every invite
 * that names no expiry); null: none. Undefined when the request leaves them as they are.
 */
export function inviteDefaultsToStore(
  defaults: InviteDefaults | null | undefined,
  now: Date,
): StoredInviteDefaults | undefined {
  if (defaults === undefined) return undefined;
  const { expiresIn, reminderDaysBefore } = defaults ?? {};
  const instant = expiresIn !== undefined && !(EXPIRY_PRESETS as readonly string[]).includes(expiresIn);
  return {
    inviteExpiresIn: instant
      ? futureExpiry(expiresIn, now, 'inviteDefaults.expiresIn')!.toISOString()
      : (expiresIn ?? null),
    inviteReminderDaysBefore: reminderDaysBefore ?? null,
  };
}

/**
 * An invite's expiry and reminder: what its request names, else its campaign's defaults, field
 * by field (an invite that names an expiry still gets the default reminder, if it expires).
 * Checked like a request's own: a default instant that has passed refuses the invite.
 */
export function inviteDeadlines(
  options: { expiresIn?: ExpiresIn; reminderDaysBefore?: number },
  campaign: StoredInviteDefaults,
  now: Date,
): { expiresAt: Date | null; reminderDaysBefore: number | null } {
  const own = options.expiresIn !== undefined;
  const expiresIn = own ? options.expiresIn : (campaign.inviteExpiresIn ?? undefined);
  const expiresAt = inviteExpiry(expiresIn, now);
  if (expiresAt && expiresAt <= now)
    throw new ValidationError([
      {
        field: 'expiresIn',
        message: own
          ? 'must be in the future'
          : `the campaign's default expiry (${expiresIn}) has passed: give the invite its own expiresIn, or change the campaign's inviteDefaults`,
      },
    ]);
  // An invite that never expires has nothing to be reminded of.
  const reminderDaysBefore = expiresAt
    ? (options.reminderDaysBefore ?? campaign.inviteReminderDaysBefore ?? null)
    : null;
  return { expiresAt, reminderDaysBefore };
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
