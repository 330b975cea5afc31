/**
 * The claim step of the exactly-once path (send/exactly-once.ts): a notification row with a
 * unique key per email, taken in the caller's transaction before any provider call, only for
 * addresses the account may email, and only as many as the account's sending limits grant.
 */
import { type EntityManager, In } from 'typeorm';
import { newId } from '../../db/ids';
import { insertRows } from '../../db/insert-rows';
import { Account } from '../../entities/Account';
import type { Campaign } from '../../entities/Campaign';
import { Invite } from '../../entities/Invite';
import { Notification, type NotificationKind } from '../../entities/Notification';
import type { SuppressionReason } from '../../entities/Suppression';
import type { EmailMessage } from '../../email/port';
import { emails } from '../../ops/metrics';
import { suppressionsAmong } from '../../recipients/suppressions';
import { acquireSlots, nextSlotAt, type SendPriority } from '../../sending/limits';
import { limitsOf } from '../../sending/account-policy';
import { completeGrants } from './records';
import type { Claimed, DeliveryDeps, InviteClaim } from './types';

/** One kind of email to recipients: which key makes it once, which invites it suits, what it says. */
export interface InviteEmail {
  kind: NotificationKind;
  /** The notification's idempotency key: one email per key, ever. */
  keyOf: (invite: Invite) => string;
  render: (invite: Invite, key: string) => EmailMessage;
  /** Of the invites not suppressed, those worth the email; the rest are neither claimed nor set apart. */
  worth?: (invite: Invite) => boolean;
  /**
   * false only where the caller answered for suppression itself: a resend refuses a
   * suppressed address with its own reason, and never refuses a claim an earlier attempt made.
   */
  checkSuppressions?: boolean;
  /** 'resend': support's deliberate resend, served before the campaigns' batches (it still counts). */
  priority?: SendPriority;
}

/** What the account's sending limits (sending/limits.ts) left this claim. */
export interface HeldBack {
  /** Worth the email and not claimed elsewhere, but no slot was free: in the order given. */
  held: Invite[];
  /** When a slot may be free again (null when nothing was held). */
  retryAt: Date | null;
}

export function createClaims(deps: Pick<DeliveryDeps, 'db' | 'secrets'>) {
  const { db } = deps;

  /** Claims (or re-claims a failed) notification row per key, in the caller's transaction. */
  async function claim(
    em: EntityManager,
    rows: Omit<
      Notification,
      | 'id'
      | 'state'
      | 'createdAt'
      | 'attempts'
      | 'providerMessageId'
      | 'error'
      | 'errorCode'
      | 'sentAt'
      | 'sendBatch'
    >[],
    /**
     * Slots for the claimable rows (sending/limits.ts): only the first `granted` are claimed,
     * in the order given, and the grant's id becomes their `sendBatch`, so whoever settles or
     * records the batch completes the grant. Absent: all are claimed (owner emails).
     */
    grant?: (claimable: string[]) => Promise<{ grantId: string | null; granted: number }>,
  ): Promise<Notification[]> {
    if (!rows.length) return [];
    const existing = new Map(
      (await em.findBy(Notification, { idempotencyKey: In(rows.map((r) => r.idempotencyKey)) })).map((n) => [
        n.idempotencyKey,
        n,
      ]),
    );
    // Sent already, or another attempt holds it: not claimable.
    let claimable = rows.filter((r) => {
      const state = existing.get(r.idempotencyKey)?.state;
      return state !== 'sent' && state !== 'pending';
    });
    // One claim is sent in one provider call (≤ its batch size): the batch settles as one.
    let sendBatch = newId();
    if (grant && claimable.length) {
      const slots = await grant(claimable.map((r) => r.idempotencyKey));
      claimable = claimable.slice(0, slots.granted);
      if (slots.grantId) sendBatch = slots.grantId;
    }
    const now = new Date();
    const claimed: Notification[] = [];
    const fresh: Notification[] = [];
    for (const r of claimable) {
      const before = existing.get(r.idempotencyKey);
      const n: Notification = {
        ...r,
        id: before?.id ?? newId(),
        state: 'pending',
        createdAt: now,
        attempts: (before?.attempts ?? 0) + 1,
        providerMessageId: null,
        error: null,
        errorCode: null,
        sentAt: null,
        sendBatch,
      };
      if (before)
        await em.update(
          Notification,
          { id: before.id, state: 'failed' },
          { state: 'pending', createdAt: now, attempts: n.attempts, sendBatch },
        );
      else fresh.push(n);
      claimed.push(n);
    }
    await insertRows(em, Notification, fresh);
    return claimed;
  }
  /**
   * The claim step of every email to a recipient, in the caller's transaction: invites whose
   * address the account may not email (the one rule, `suppressionsAmong`) are set apart with
   * why, one notification is claimed per other invite worth the email, and each claimed one
   * is rendered. An invite claimed already (sent, or held by another attempt) is in neither
   * list.
   */
  async function claimInviteEmails(
    em: EntityManager,
    campaign: Campaign,
    invites: Invite[],
    what: InviteEmail,
  ): Promise<
    { items: InviteClaim[]; suppressed: { invite: Invite; reason: SuppressionReason }[] } & HeldBack
  > {
    const reasons =
      what.checkSuppressions === false
        ? new Map<string, SuppressionReason>()
        : await suppressionsAmong(
            em,
            deps.secrets,
            campaign.accountId,
            invites.map((i) => i.email!),
          );
    const suppressed = invites.flatMap((invite) => {
      const reason = reasons.get(invite.email!);
      return reason ? [{ invite, reason }] : [];
    });
    const toClaim = invites.filter((i) => !reasons.has(i.email!) && (what.worth?.(i) ?? true));
    // Every email of the account counts against its limits, asked for where all senders meet.
    let heldKeys = new Set<string>();
    let retryAt: Date | null = null;
    const claimed = await claim(
      em,
      toClaim.map((i) => ({
        accountId: campaign.accountId,
        campaignId: campaign.id,
        inviteId: i.id,
        kind: what.kind,
        idempotencyKey: what.keyOf(i),
        recipient: i.email!,
      })),
      async (claimable) => {
        const account = await em.findOneByOrFail(Account, { id: campaign.accountId });
        const grant = await acquireSlots(em, {
          accountId: campaign.accountId,
          campaignId: campaign.id,
          priority: what.priority ?? 'normal',
          want: claimable.length,
          limits: limitsOf(account),
          now: new Date(),
        });
        heldKeys = new Set(claimable.slice(grant.granted));
        retryAt = grant.retryAt;
        return grant;
      },
    );
    const byId = new Map(toClaim.map((i) => [i.id, i]));
    const items = claimed.map((notification) => {
      const invite = byId.get(notification.inviteId!)!;
      return { notification, invite, message: what.render(invite, notification.idempotencyKey) };
    });
    const held = heldKeys.size ? toClaim.filter((i) => heldKeys.has(what.keyOf(i))) : [];
    if (held.length) emails.inc({ kind: what.kind, outcome: 'held' }, held.length);
    return { items, suppressed, held, retryAt: held.length ? retryAt : null };
  }

  /**
   * When the campaign may next be granted a slot, read after its own grant completed (so
   * that completion counts at its real time): the instant a held-back sender sleeps until.
   */
  async function nextSlotFor(campaign: Campaign, priority: SendPriority = 'normal'): Promise<Date> {
    const account = await db.manager.findOneByOrFail(Account, { id: campaign.accountId });
    return nextSlotAt(db.manager, {
      accountId: campaign.accountId,
      campaignId: campaign.id,
      priority,
      limits: limitsOf(account),
      now: new Date(),
    });
  }

  /**
   * Claims no message of which reached the provider, handed back: their rows go (the key
   * is claimed afresh, the same key, by the next attempt) and their invites are sendable again.
   */
  async function release(items: Claimed[]): Promise<void> {
    await db.transaction(async (em) => {
      await em.delete(Notification, { id: In(items.map((i) => i.notification.id)), state: 'pending' });
      // Nothing reached the provider: the batch's slots go back at once.
      await completeGrants(
        em,
        items.map((i) => i.notification),
        () => false,
      );
      const inviteIds = items.flatMap((i) =>
        i.notification.kind === 'invitation' && i.invite ? [i.invite.id] : [],
      );
      if (inviteIds.length)
        await em.update(Invite, { id: In(inviteIds), deliveryStatus: 'sending' }, { deliveryStatus: null });
    });
  }

  return { claim, claimInviteEmails, release, nextSlotFor };
}

export type Claims = ReturnType<typeof createClaims>;
