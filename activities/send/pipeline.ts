/**
 * The one send pipeline. Every email to a recipient — invitation, reminder, resend, reset,
 * calendar update, calendar cancellation — is one kind (send/kinds.ts) run through the same
 * steps: settle what an earlier attempt left pending → pick (within the send window) → claim
 * (suppressions, sending limits) → send → record → one outcome (send/types.ts `SendOutcome`),
 * its hold persisted on the campaign. The exactly-once argument is send/exactly-once.ts's.
 */
import { heartbeat } from '@temporalio/activity';
import type { EntityManager, FindOptionsWhere } from 'typeorm';
import type { Database } from '../../db/database';
import type { Waiting } from '../../domain/campaign';
import { zoneSchedule } from '../../domain/send-window';
import type { Account } from '../../entities/Account';
import { Campaign } from '../../entities/Campaign';
import { Invite } from '../../entities/Invite';
import type { NotificationKind } from '../../entities/Notification';
import type { SuppressionReason } from '../../entities/Suppression';
import type { EmailMessage, MessageOutcome } from '../../email/port';
import type { SendPriority } from '../../sending/limits';
import { inZones, windowFor } from '../../sending/account-policy';
import { eventVersion } from '../invitation-message';
import type { Notifier } from './exactly-once';
import type { InviteClaim, SendOutcome } from './types';

/** What a kind of send is given to render and judge by. */
export interface SendContext<I> {
  campaign: Campaign;
  account: Account;
  input: I;
  /** The sender's `"Name" <address>`. */
  from: string;
  /** The instant the step judged everything at. */
  now: Date;
  /** A pass's cursor: the step starts after this invite (null: from the first). */
  cursor: string | null;
}

/** One kind of send: what to pick, its key, how to render it, what else it records. */
export interface SendKind<I> {
  kind: NotificationKind;
  /** The invites it is for now (a list is OR); the step takes the first `limit` in `order`. */
  candidates(ctx: SendContext<I>): FindOptionsWhere<Invite>[];
  order: 'id' | 'reminderAt';
  /** An index MariaDB must use for the pick (it may otherwise walk every invite sent). */
  index?: string;
  /** Obeys the send window, on each recipient's clock. */
  windowed?: boolean;
  /** The notification's idempotency key: one email per key, ever. */
  keyOf(invite: Invite, ctx: SendContext<I>): string;
  render(invite: Invite, key: string, ctx: SendContext<I>): EmailMessage;
  /** Of those picked, the ones worth an email now; the others go to `moot`. */
  worth?(invite: Invite, ctx: SendContext<I>): boolean;
  /** Picked but not worth an email: done with, without one. */
  moot?(em: EntityManager, invites: Invite[], ctx: SendContext<I>): Promise<void>;
  /** In the claim's transaction: the claimed, and those set apart as suppressed. */
  claimed?(
    em: EntityManager,
    claims: { items: InviteClaim[]; suppressed: { invite: Invite; reason: SuppressionReason }[] },
  ): Promise<void>;
  /** Once the provider answered (or refused): what else it records of the picked. */
  answered?(
    em: EntityManager,
    result: { items: InviteClaim[]; answers: MessageOutcome[]; unclaimed: Invite[]; released: boolean },
    ctx: SendContext<I>,
  ): Promise<void>;
  /** Its messages carry the campaign's calendar event (its version is recorded per invite). */
  calendar?: boolean;
  priority?: SendPriority;
  /** false: the caller answered for suppression and settling itself (a resend). */
  own?: boolean;
}

/** One step of a kind: its input, and at most `limit` emails (≤ the provider's batch). */
export interface SendStep<I> {
  campaign: Campaign;
  account: Account;
  input: I;
  limit: number;
  /** A pass's cursor (calendar updates and cancellations): the step starts after it. */
  cursor?: string | null;
  /** The invites themselves, when the caller chose them (a resend, a reset's old link). */
  invites?: Invite[];
}

/** A step's outcome, with the provider's words for its first failure (a resend's refusal quotes them). */
export type StepOutcome = SendOutcome & { failure?: string };

export function createSendPipeline(notifier: Notifier, db: Database) {
  const { senderFor, settlePending, claimInviteEmails, sendClaimed, nextSlotFor } = notifier;

  const zonesAmong = async (where: FindOptionsWhere<Invite>[]): Promise<(string | null)[]> =>
    (
      await db.manager
        .createQueryBuilder(Invite, 'i')
        .select('DISTINCT i.timeZone', 'zone')
        .where(where)
        .getRawMany<{ zone: string | null }>()
    ).map((r) => r.zone);

  async function pick<I>(what: SendKind<I>, where: FindOptionsWhere<Invite>[], limit: number) {
    const query = db.manager.createQueryBuilder(Invite, 'i');
    if (what.index) query.useIndex(what.index);
    return query
      .where(where)
      .orderBy(`i.${what.order}`, 'ASC')
      .addOrderBy('i.id', 'ASC')
      .limit(limit)
      .getMany();
  }

  /**
   * The campaign's one hold: what was due by `since` goes no earlier than `until` (the API
   * shows it, the invite deadlines count it). A hold that has passed means nothing, so it is
   * never cleared, only replaced (or dropped when the sending policy changes).
   */
  const persistHold = (campaignId: string, held: Waiting, since: Date) =>
    db.transaction((em) =>
      em.update(
        Campaign,
        { id: campaignId },
        { waitingReason: held.reason, waitingUntil: new Date(held.until), waitingSince: since },
      ),
    );

  async function run<I>(what: SendKind<I>, step: SendStep<I>): Promise<StepOutcome> {
    const { campaign, account } = step;
    const { credentials, from } = await senderFor(account, campaign);
    const outcome: StepOutcome = {
      attempted: 0,
      sent: 0,
      failed: 0,
      badAddresses: 0,
      suppressed: 0,
      held: null,
      tokenInvalid: false,
      remaining: 0,
      cursor: step.cursor ?? null,
    };
    if (what.own !== false && (await settlePending(credentials, campaign.id, what.kind)).tokenInvalid)
      return { ...outcome, tokenInvalid: true, remaining: 1 };

    const ctx: SendContext<I> = {
      campaign,
      account,
      input: step.input,
      from,
      now: new Date(),
      cursor: step.cursor ?? null,
    };
    let picked = step.invites;
    if (!picked) {
      const candidates = what.candidates(ctx);
      let where: FindOptionsWhere<Invite>[] | null = candidates.length ? candidates : null;
      const window = what.windowed ? windowFor(account, campaign) : null;
      if (window && where) {
        // The send window, on each recipient's clock: only those whose window is open now are
        // picked; when the open ones are done, the step holds until the first closed one opens.
        const schedule = zoneSchedule(window, await zonesAmong(where), ctx.now.getTime());
        where = schedule.open.length ? where.flatMap((w) => inZones(w, schedule.open)) : null;
        if (schedule.nextOpening !== null)
          outcome.held = { reason: 'send_window', until: new Date(schedule.nextOpening).toISOString() };
      }
      picked = where ? await pick(what, where, step.limit) : [];
      // Some zone is closed, but invites of an open one were found: they go first.
      if (picked.length) outcome.held = null;
    }
    const worth = what.worth ? picked.filter((i) => what.worth!(i, ctx)) : picked;
    const moot = picked.filter((i) => !worth.includes(i));
    if (moot.length && what.moot) await db.transaction((em) => what.moot!(em, moot, ctx));

    const claims = await db.transaction(async (em) => {
      const c = await claimInviteEmails(em, campaign, worth, {
        kind: what.kind,
        keyOf: (i) => what.keyOf(i, ctx),
        render: (i, key) => what.render(i, key, ctx),
        checkSuppressions: what.own !== false,
        priority: what.priority,
      });
      await what.claimed?.(em, c);
      return c;
    });
    heartbeat();
    const { items, suppressed, held } = claims;
    const sent = await sendClaimed(credentials, items, what.calendar ? eventVersion(campaign) : null);
    const released = sent.tokenInvalid || sent.rateLimitedForMs !== undefined;
    const notDone = new Set([...items.map((c) => c.invite.id), ...held.map((i) => i.id)]);
    const unclaimed = worth.filter((i) => !notDone.has(i.id));
    if (what.answered && !sent.tokenInvalid)
      await db.transaction((em) =>
        what.answered!(em, { items, answers: sent.outcomes, unclaimed, released }, ctx),
      );

    const failures = sent.outcomes.filter((o): o is Extract<MessageOutcome, { ok: false }> => !o.ok);
    outcome.attempted = released ? 0 : items.length;
    outcome.sent = sent.outcomes.length - failures.length;
    outcome.failed = failures.filter((f) => !f.badAddress).length;
    outcome.badAddresses = failures.length - outcome.failed;
    outcome.suppressed = suppressed.length;
    outcome.tokenInvalid = sent.tokenInvalid;
    if (failures.length) outcome.failure = failures[0].message;
    // The provider's rate limit, else the account's own: both hold the same way.
    if (sent.rateLimitedForMs !== undefined)
      outcome.held = {
        reason: 'sending_limit',
        until: new Date(Date.now() + sent.rateLimitedForMs).toISOString(),
      };
    else if (held.length)
      outcome.held = {
        reason: 'sending_limit',
        until: (await nextSlotFor(campaign, what.priority)).toISOString(),
      };
    // A pass resumes after the last invite it is through: before the first held back, or
    // where it was when the provider refused the whole call.
    if (!released) {
      const firstHeld = held.length ? picked.indexOf(held[0]) : picked.length;
      if (firstHeld > 0) outcome.cursor = picked[firstHeld - 1].id;
    }
    outcome.remaining = picked.length || outcome.held ? 1 : 0;
    if (outcome.held) await persistHold(campaign.id, outcome.held, ctx.now);
    return outcome;
  }

  return { run };
}

export type SendPipeline = ReturnType<typeof createSendPipeline>;
