/**
 * The one place that decides what a private link does. The recipient pages, the API (invite
 * table, copy link) and the workflow (reminders, expiry sweep) all call it. Pure: no I/O.
 */
import type { CampaignStatus } from './campaign';
import { DAY_MS } from './instant';

export type LinkState = 'ready' | 'expired' | 'completed' | 'not_open' | 'not_found';

export interface LinkFacts {
  campaign: { status: CampaignStatus; expiresAt: Date | string | null };
  invite: {
    status: 'unused' | 'used';
    voidedAt: Date | string | null;
    expiresAt: Date | string | null;
  } | null;
  now: Date | number;
}

export interface LinkVerdict {
  state: LinkState;
  /** Why, in a word ops can grep for. */
  reason:
    | 'unknown'
    | 'voided'
    | 'used'
    | 'campaign_ended'
    | 'campaign_expired'
    | 'invite_expired'
    | 'not_launched'
    | 'ok';
}

const ms = (v: Date | string | number) => (typeof v === 'number' ? v : new Date(v).getTime());

export function linkState({ campaign, invite, now }: LinkFacts): LinkVerdict {
  if (!invite) return { state: 'not_found', reason: 'unknown' };
  // A reset voids the old link: it shows expired whatever happened on it before.
  if (invite.voidedAt) return { state: 'expired', reason: 'voided' };
  if (invite.status === 'used') return { state: 'completed', reason: 'used' };
  if (campaign.status === 'expired' || campaign.status === 'cancelled')
    return { state: 'expired', reason: 'campaign_ended' };
  const t = ms(now);
  // Whichever comes first wins: the campaign's expiry or the invite's own.
  if (campaign.expiresAt && ms(campaign.expiresAt) <= t)
    return { state: 'expired', reason: 'campaign_expired' };
  if (invite.expiresAt && ms(invite.expiresAt) <= t) return { state: 'expired', reason: 'invite_expired' };
  if (campaign.status === 'draft' || campaign.status === 'scheduled')
    return { state: 'not_open', reason: 'not_launched' };
  return { state: 'ready', reason: 'ok' };
}

/**
 * Erasure voids an invite and names no replacement (api/usecases/erasure.ts); a reset always
 * names one. So a voided invite without one was erased, and its answers say so, not "reset".
 */
export const wasErased = (invite: { voidedAt: Date | string | null; replacedById: string | null }): boolean =>
  invite.voidedAt !== null && invite.replacedById === null;

/** Journey stages only move forward. */
export const JOURNEY = [
  'created',
  'sent',
  'delivered',
  'opened',
  'clicked',
  'viewed',
  'started',
  'completed',
] as const;
export type Journey = (typeof JOURNEY)[number];
export const furthest = (a: Journey, b: Journey): Journey =>
  JOURNEY.indexOf(a) >= JOURNEY.indexOf(b) ? a : b;

/** Per-invite expiration as the API takes it: a preset or an ISO instant. */
/** 'never', '1d', '7d', '30d', or an ISO instant. */
export type ExpiresIn = string;
const PRESET_DAYS: Record<string, number> = { '1d': 1, '7d': 7, '30d': 30 };

export function inviteExpiry(expiresIn: ExpiresIn | undefined, from: Date): Date | null {
  if (expiresIn === undefined || expiresIn === 'never') return null;
  if (expiresIn in PRESET_DAYS) return new Date(from.getTime() + PRESET_DAYS[expiresIn] * DAY_MS);
  return new Date(expiresIn);
}

/**
 * A reset starts the recipient over: the new invite's expiry is `expiresIn` from `now` when the
 * reset names one, else as long after `now` as the original's was after its creation (the
 * instant its expiry was counted from), so a link that expired is never reissued dead.
 */
export function resetExpiry(
  original: { expiresAt: Date | null; createdAt: Date },
  expiresIn: ExpiresIn | undefined,
  now: Date,
): Date | null {
  if (expiresIn !== undefined) return inviteExpiry(expiresIn, now);
  if (!original.expiresAt) return null;
  return new Date(now.getTime() + (original.expiresAt.getTime() - original.createdAt.getTime()));
}

/** expiresAt − reminderDaysBefore (days may be fractional, so tests can use seconds). */
export function reminderInstant(
  expiresAt: Date | null,
  reminderDaysBefore: number | null | undefined,
): Date | null {
  if (!expiresAt || reminderDaysBefore === null || reminderDaysBefore === undefined) return null;
  return new Date(expiresAt.getTime() - reminderDaysBefore * DAY_MS);
}
