import { heartbeat } from '@temporalio/activity';
import { type FindOptionsWhere, In, MoreThan } from 'typeorm';
import { expiryPending, reminderPending } from '../db/invite-scopes';
import { Account } from '../entities/Account';
import { Campaign } from '../entities/Campaign';
import { Invite } from '../entities/Invite';
import { recordEvents } from '../webhooks/events';
import type { SendKinds } from './send/kinds';
import type { SendPipeline } from './send/pipeline';
import type { DeliveryDeps } from './send/types';

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
 * Per-invite deadlines (its own expiry, its reminder) without a timer per invite: the
 * workflow sleeps until the earliest one, read from an index; this processes everything
 * due by then in bulk and answers with the next.
 */
export function deadlineActivities(
  deps: Pick<DeliveryDeps, 'db' | 'email'>,
  pipeline: SendPipeline,
  kinds: SendKinds,
) {
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
      // The campaign's one hold (send/pipeline.ts): reminders due by its start wait for its end.
      const hold = await db.manager.findOne(Campaign, {
        select: { id: true, waitingUntil: true, waitingSince: true },
        where: { id: campaignId },
      });
      if (hold?.waitingUntil && hold.waitingSince && hold.waitingUntil > new Date()) {
        const since = hold.waitingSince;
        const later = await earliest('reminderAt', {
          ...reminderPending(campaignId),
          reminderAt: MoreThan(since),
        });
        // Only if any reminder is still held (a resume or reset may have settled them).
        const stillHeld = await earliest('reminderAt', reminderPending(campaignId, since));
        instants.push(later?.at, stillHeld?.at ? hold.waitingUntil : null);
      } else {
        instants.push((await earliest('reminderAt', reminderPending(campaignId)))?.at);
      }
    }
    const known = instants.filter((v): v is string | Date => v !== null && v !== undefined).map(asDate);
    return known.length ? new Date(Math.min(...known.map((d) => d.getTime()))).toISOString() : null;
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
        // Provider-sized chunks, until none is due or the rest are held (the limit, or their
        // send window): the hold is the campaign's, and the next deadline counts it.
        for (;;) {
          const step = await pipeline.run(kinds.reminder, {
            campaign,
            account,
            input: undefined,
            limit: reminderChunk,
          });
          reminded += step.sent;
          heartbeat({ reminded });
          if (step.tokenInvalid) {
            tokenInvalid = true;
            break;
          }
          if (step.held || !step.remaining) break;
        }
      }
      return { expired, reminded, tokenInvalid, next: await nextDeadline(campaignId, remindersToo) };
    },
  };
}

const asDate = (v: string | Date): Date =>
  v instanceof Date ? v : new Date(/Z|[+-]\d\d:?\d\d$/.test(v) ? v : `${v.replace(' ', 'T')}Z`);
