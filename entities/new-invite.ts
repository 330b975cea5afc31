import { newId } from '../db/ids';
import { newInviteToken } from '../security/tokens';
import type { DeliveryStatus, Invite } from './Invite';

/** What a new invite takes from whoever makes it; the rest says nothing has happened to it yet. */
export interface InviteFields {
  accountId: string;
  campaignId: string;
  email: string | null;
  name: string | null;
  /** The recipient's IANA zone (validated by the caller); absent = none. */
  timeZone?: string | null;
  /** E.164, checked by the caller (recipients/phone.ts); absent = none. */
  phone?: string | null;
  expiresAt: Date | null;
  reminderDaysBefore: number | null;
  /** expiresAt − reminderDaysBefore (domain/link.ts `reminderInstant`); null without an address. */
  reminderAt: Date | null;
  /** `held` for invites added with `send: false`. */
  deliveryStatus?: DeliveryStatus | null;
}

/**
 * The one way an invite row is made, whether added through the API, made by a reset, or
 * seeded by a benchmark: a fresh id and private link (token), unused and unsent as of `now`.
 */
export function newInvite(fields: InviteFields, now: Date = new Date()): Invite {
  return {
    id: newId(now.getTime()),
    token: newInviteToken(),
    accountId: fields.accountId,
    campaignId: fields.campaignId,
    email: fields.email,
    name: fields.name,
    timeZone: fields.timeZone ?? null,
    phone: fields.phone ?? null,
    status: 'unused',
    journey: 'created',
    journeyAt: now,
    expiresAt: fields.expiresAt,
    reminderDaysBefore: fields.reminderDaysBefore,
    reminderAt: fields.reminderAt,
    reminderSentAt: null,
    sentAt: null,
    deliveryStatus: fields.deliveryStatus ?? null,
    deliveryError: null,
    usedAt: null,
    orderRef: null,
    expiredAt: null,
    calendarSequence: null,
    calendarUid: null,
    replacedById: null,
    voidedAt: null,
    createdAt: now,
  };
}
