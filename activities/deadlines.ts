import { heartbeat } from '@temporalio/activity';
import { type FindOptionsWhere, In, IsNull, LessThanOrEqual, MoreThan, Not } from 'typeorm';
import { linkState } from '../domain/link';
import { zoneSchedule } from '../domain/send-window';
import { Account } from '../entities/Account';
import { Campaign } from '../entities/Campaign';
import { inZones, windowFor } from '../sending/account-policy';
import { Invite } from '../entities/Invite';
import { recordEvents } from '../webhooks/events';
import type { ReminderSender } from './delivery';
import type { DeliveryDeps } from './notifications';
import { liveInvite } from '../db/invite-scopes';

/** Invites expired per transaction (and per outbox insert). */
const EXPIRY_CHUNK = 1000;

export interface DeadlineOutcome {
  expired: number;
  reminded: number;
  /** The provider rejected the token while sending reminders. */
  tokenInvalid: boolean;
  /** The earliest deadline still pending (ISO), or null: what the workflow arms next. */
  next: string | null;
}

/**
 * The one definition of an invite's pending expiry: its own date, not processed yet, on a
 * live unused link. With `by`, only those due by then; without, any (for the earliest).
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

/**
 * Per-invite deadlines (its own expiry, its reminder) without a timer per invite: the
 * workflow sleeps until the earliest one, read from an index; this processes everything
 * due by then in bulk and answers with the next.
 */
export function deadlineActivities(deps: Pick<DeliveryDeps, 'db' | 'email'>, sendReminders: ReminderSender) {
  const { db } = deps;
  // Reminders go in provider-sized chunks: one provider call takes at most this many.
  const reminderChunk = deps.email.maxBatchSize;

  /** The earliest of these instants among the invites matching `where`: one indexed MIN() query. */
  const earliest = (column: 'expiresAt' | 'reminderAt', where: FindOptionsWhere<Invite>) =>
    db.manager
      .createQueryBuilder(Invite, 'i')
      .select(`MIN(i.${column})`, 'at')
      .where(where)
      .getRawOne<{ at: string | Date | null }>();

  /**
   * The earliest pending deadline: two indexed MIN() queries per campaign. Reminders held back
   * (limit or window) count at the instant they are held until; those falling due after they
   * were held, at their own.
   */
  async function nextDeadline(campaignId: string, remindersToo: boolean): Promise<string | null> {
    const expiry = await earliest('expiresAt', expiryPending(campaignId));
    const instants = [expiry?.at];
    if (remindersToo) {
      const held = await db.manager.findOne(Campaign, {
        select: { id: true, remindersHeldUntil: true, remindersHeldSince: true },
        where: { id: campaignId },
      });
      if (held?.remindersHeldUntil && held.remindersHeldSince && held.remindersHeldUntil > new Date()) {
        const since = held.remindersHeldSince;
        const later = await earliest('reminderAt', {
          ...reminderPending(campaignId),
          reminderAt: MoreThan(since),
        });
        // Only if any reminder is still held (a resume or reset may have settled them).
        const stillHeld = await earliest('reminderAt', reminderPending(campaignId, since));
        instants.push(later?.at, stillHeld?.at ? held.remindersHeldUntil : null);
      } else {
        instants.push((await earliest('reminderAt', reminderPending(campaignId)))?.at);
      }
    }
    const known = instants.filter((v): v is string | Date => v !== null && v !== undefined).map(asDate);
    return known.length ? new Date(Math.min(...known.map((d) => d.getTime()))).toISOString() : null;
  }

  /** The recipients' zones among the reminders due by `now` (null: no zone of their own). */
  async function zonesDue(campaignId: string, now: Date): Promise<(string | null)[]> {
    const rows = await db.manager
      .createQueryBuilder(Invite, 'i')
      .select('DISTINCT i.timeZone', 'zone')
      .where({ ...reminderPending(campaignId, now), email: MoreThan('') })
      .getRawMany<{ zone: string | null }>();
    return rows.map((r) => r.zone);
  }

  return {
    async nextInviteDeadline({
      campaignId,
      remindersToo,
    }: {
      campaignId: string;
      remindersToo: boolean;
    }): Promise<string | null> {
      return nextDeadline(campaignId, remindersToo);
    },

    /**
     * Everything due at `now`: invites past their own expiry are marked expired (one
     * UPDATE); due reminders go out through the exactly-once path, unless the campaign is
     * paused (`remindersToo: false`), in which case they wait for resume.
     */
    async processDueDeadlines({
      campaignId,
      accountId,
      remindersToo,
    }: {
      campaignId: string;
      accountId: string;
      remindersToo: boolean;
    }): Promise<DeadlineOutcome> {
      const now = new Date();
      // In chunks, each with its `invite.expired` events in one insert (the outbox), in its transaction.
      let expired = 0;
      for (;;) {
        const chunk = await db.transaction(async (em) => {
          const due = await em.find(Invite, {
            select: { id: true },
            where: expiryPending(campaignId, now),
            order: { id: 'ASC' },
            take: EXPIRY_CHUNK,
          });
          if (!due.length) return 0;
          await em.update(
            Invite,
            { ...expiryPending(campaignId, now), id: In(due.map((i) => i.id)) },
            {
              expiredAt: now,
            },
          );
          await recordEvents(
            em,
            due.map((i) => ({
              accountId,
              campaignId,
              type: 'invite.expired' as const,
              key: i.id,
              at: now,
              data: { inviteId: i.id, campaignId, expiredAt: now.toISOString() },
            })),
          );
          return due.length;
        });
        expired += chunk;
        if (chunk < EXPIRY_CHUNK) break;
        heartbeat();
      }
      let reminded = 0;
      let tokenInvalid = false;
      if (remindersToo) {
        const campaign = await db.manager.findOneByOrFail(Campaign, { id: campaignId, accountId });
        const account = await db.manager.findOneByOrFail(Account, { id: accountId });
        // Reminders obey the send window, on each recipient's clock (expiries above do not).
        const window = windowFor(account, campaign);
        const schedule = window ? zoneSchedule(window, await zonesDue(campaignId, now), now.getTime()) : null;
        let heldUntil = schedule?.nextOpening ?? null;
        const open = schedule?.open;
        const dueWhere = { ...reminderPending(campaignId, now), email: MoreThan('') }; // only an address can be reminded
        // null: every zone due is outside its window.
        const where = !open ? dueWhere : open.length ? inZones(dueWhere, open) : null;
        for (;;) {
          if (!where) break;
          const due = await db.manager.find(Invite, {
            where,
            order: { reminderAt: 'ASC' },
            take: reminderChunk,
          });
          // The one rule for what a link does decides whether a reminder is worth sending.
          // A reminder due before its invitation even went out is moot (it would arrive with it).
          const worth = due.filter(
            (i) => linkState({ campaign, invite: i, now }).state === 'ready' && i.reminderAt! > i.sentAt!,
          );
          const skipped = due.filter((i) => !worth.includes(i));
          if (skipped.length) {
            // Moot (e.g. the campaign's own expiry came first): never remind these.
            await db.transaction((em) =>
              em.update(
                Invite,
                skipped.map((i) => i.id),
                { reminderSentAt: now },
              ),
            );
          }
          if (!worth.length && !skipped.length) break;
          const sent = await sendReminders(campaign, worth);
          reminded += sent.sent;
          heartbeat({ reminded });
          if (sent.tokenInvalid) {
            tokenInvalid = true;
            break;
          }
          if (sent.heldUntil) {
            // The limit: the rest wait for a slot, on the same deadline timer.
            heldUntil = new Date(Math.min(sent.heldUntil.getTime(), heldUntil ?? Infinity)).getTime();
            break;
          }
          if (due.length < reminderChunk) break;
        }
        if (heldUntil !== null || campaign.remindersHeldUntil !== null)
          await db.transaction((em) =>
            em.update(
              Campaign,
              { id: campaignId },
              {
                remindersHeldUntil: heldUntil === null ? null : new Date(heldUntil),
                remindersHeldSince: heldUntil === null ? null : now,
              },
            ),
          );
      }
      return { expired, reminded, tokenInvalid, next: await nextDeadline(campaignId, remindersToo) };
    },
  };
}

const asDate = (v: string | Date): Date =>
  v instanceof Date ? v : new Date(/Z|[+-]\d\d:?\d\d$/.test(v) ? v : `${v.replace(' ', 'T')}Z`);
