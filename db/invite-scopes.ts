import { type FindOptionsWhere, IsNull, LessThan, LessThanOrEqual, MoreThan, Not } from 'typeorm';
import type { Invite } from '../entities/Invite';

/*
 * Which invites a query is about, named once. Here rather than in domain/ because a scope is
 * a TypeORM `where` fragment, and domain/ stays free of TypeORM (workflow code imports it).
 */

/**
 * The invites that count: not voided. A reset voids the old invite (its replacement counts in
 * its place) and an erasure voids its recipient's; both stay for the audit log only. Spread it
 * into a `where`: `{ campaignId, ...liveInvite }`.
 */
export const liveInvite = { voidedAt: IsNull() } satisfies FindOptionsWhere<Invite>;

/** `liveInvite` in a query builder's SQL, for the invite table under `alias`. */
export const liveInviteSql = (alias: string): string => `${alias}.voidedAt IS NULL`;

/** Not sent, not being sent, unused and with an address: what an invitation could go to. */
const unsent = (campaignId: string) =>
  ({
    campaignId,
    ...liveInvite,
    sentAt: IsNull(),
    deliveryStatus: IsNull(),
    status: 'unused' as const,
    email: MoreThan(''),
  }) satisfies FindOptionsWhere<Invite>;

/** The invites whose invitation can still be sent at `now`: unsent, and not past their own expiry. */
export const sendableInvite = (campaignId: string, now: Date): FindOptionsWhere<Invite>[] => [
  { ...unsent(campaignId), expiresAt: IsNull() },
  { ...unsent(campaignId), expiresAt: MoreThan(now) },
];

/**
 * An invite's pending expiry: its own date, not processed yet, on a live unused link. With
 * `by`, only those due by then; without, any (for the earliest).
 */
export const expiryPending = (campaignId: string, by?: Date): FindOptionsWhere<Invite> => ({
  campaignId,
  expiresAt: by ? LessThanOrEqual(by) : Not(IsNull()),
  expiredAt: IsNull(),
  ...liveInvite,
  status: 'unused',
});

/** The same for its reminder: not sent yet, and only once its invitation went out. */
export const reminderPending = (campaignId: string, by?: Date): FindOptionsWhere<Invite> => ({
  campaignId,
  reminderAt: by ? LessThanOrEqual(by) : Not(IsNull()),
  reminderSentAt: IsNull(),
  expiredAt: IsNull(),
  ...liveInvite,
  status: 'unused',
  sentAt: Not(IsNull()),
});

/** Invited (with an address) and after the pass's cursor: what a calendar pass goes through. */
export const invitedAfter = (campaignId: string, afterId: string | null) =>
  ({
    campaignId,
    ...liveInvite,
    email: MoreThan(''),
    ...(afterId ? { id: MoreThan(afterId) } : {}),
  }) satisfies FindOptionsWhere<Invite>;

/** Those invited whose calendar does not hold the event's `sequence` yet. */
export const calendarBehind = (campaignId: string, afterId: string | null, sequence: number) => {
  const invited = { ...invitedAfter(campaignId, afterId), sentAt: Not(IsNull()) };
  return [
    { ...invited, calendarSequence: IsNull() },
    { ...invited, calendarSequence: LessThan(sequence) },
  ] satisfies FindOptionsWhere<Invite>[];
};
