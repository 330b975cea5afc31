import { ApplicationFailure, Context, heartbeat, log } from '@temporalio/activity';
import { type EntityManager, In } from 'typeorm';
import type { Database } from '../db/database';
import { newId } from '../db/ids';
import type { SecretBox } from '../security/secrets';
import { Account } from '../entities/Account';
import { Campaign } from '../entities/Campaign';
import { Invite } from '../entities/Invite';
import { Notification, type NotificationKind } from '../entities/Notification';
import type { SuppressionReason } from '../entities/Suppression';
import { suppressionsAmong } from '../recipients/suppressions';
import { acquireSlots, completeSlots, nextSlotAt, type SendPriority } from '../sending/limits';
import { limitsOf } from '../sending/policy';
import { type NewEvent, recordEvents } from '../webhooks/events';
import {
  type EmailCredentials,
  type EmailMessage,
  type EmailPort,
  EmailRateLimitedError,
  EmailTemporarilyUnavailableError,
  EmailTokenInvalidError,
  type SendOutcome,
} from '../email/port';
import { type EmailOutcome, emails, timeProviderCall } from '../ops/metrics';
import { insertRows } from '../db/insert-rows';

export interface DeliveryDeps {
  db: Database;
  email: EmailPort;
  secrets: SecretBox;
  /** The platform's own sender: owner alerts and summaries, and accounts without a token. */
  platform: { serverToken: string; from: string };
  publicBaseUrl: string;
  /** Waits between in-activity retries of a 429/5xx answer; after the last, the batch counts as failed. */
  providerRetryDelaysMs?: number[];
  /** A claim the provider does not know yet may still be in flight there: wait this long before resending it. */
  settleAfterMs?: number;
}

/** One email to send exactly once: its notification row and its message. */
export interface Claimed {
  notification: Notification;
  message: EmailMessage;
  invite?: Invite;
}

/** A claimed email to one recipient, for their invite. */
export type InviteClaim = Claimed & { invite: Invite };

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

/**
 * How often an activity waiting on the provider says it is alive (Temporal throttles the
 * beats it forwards). The provider client may wait 60 s for an answer (email/postmark.ts);
 * beating meanwhile lets the activity's heartbeat timeout stay a few beats long, so a dead
 * worker is noticed in seconds, rather than grow to the slowest call.
 */
export const PROVIDER_HEARTBEAT_MS = 5_000;
/** Four beats within the activity's heartbeat timeout at least (HEARTBEAT_TIMEOUT_SECONDS may shorten it). */
const beatEvery = () =>
  Math.min(PROVIDER_HEARTBEAT_MS, (Context.current().info.heartbeatTimeoutMs || Infinity) / 4);

/**
 * The provider call, heartbeating until it answers — or until the activity is cancelled:
 * a worker shutting down cancels what is still running when its grace time is over
 * (temporal/worker.ts). The activity then stops waiting and fails with the cancellation,
 * exactly as if the connection had dropped: the claims stay pending, and the retry (on
 * another worker) settles them with the provider before sending anything again.
 */
export async function heartbeatWhile<T>(call: Promise<T>, everyMs = beatEvery()): Promise<T> {
  const beat = setInterval(() => heartbeat(), everyMs);
  try {
    return await Promise.race([call, Context.current().cancelled]);
  } finally {
    clearInterval(beat);
    call.catch(() => undefined); // abandoned after a cancellation: its late failure is nobody's
  }
}

/** `herald_emails_total` for a chunk: each item under its kind and the outcome given. */
function count(items: Claimed[], outcomeOf: (k: number) => EmailOutcome): void {
  items.forEach(({ notification }, k) => emails.inc({ kind: notification.kind, outcome: outcomeOf(k) }));
}

/** How a provider call ended, for `herald_provider_request_duration_seconds`. */
function providerResult(err: unknown): string {
  if (err instanceof EmailTokenInvalidError) return 'token_invalid';
  if (err instanceof EmailRateLimitedError) return 'rate_limited';
  if (err instanceof EmailTemporarilyUnavailableError) return 'unavailable';
  return 'error';
}

/**
 * The exactly-once path every email takes: a notification row with a unique key is claimed
 * before the provider call and marked after it; a claim left pending by a crash between the
 * two is settled by asking the provider (outbound search by metadata) before anything is
 * sent again. Each activity that emails goes through here.
 */
export function createNotifier(deps: DeliveryDeps) {
  const { db, email } = deps;
  const retryDelays = deps.providerRetryDelaysMs ?? [1_000, 4_000];
  const settleAfterMs = deps.settleAfterMs ?? 5_000;

  async function senderFor(
    account: Account,
    campaign: Campaign | null,
  ): Promise<{ credentials: EmailCredentials; from: string; address: string }> {
    const serverToken = account.emailTokenSealed
      ? deps.secrets.open(account.emailTokenSealed)
      : deps.platform.serverToken;
    const address = account.fromEmail ?? deps.platform.from;
    // Nothing in a display name may pass for an address: it ends at the quote, `<` opens one.
    const name = (campaign?.emailFromName ?? account.name).replace(/["<>\\\r\n]/g, '');
    return { credentials: { serverToken }, from: `"${name}" <${address}>`, address };
  }

  const platformSender = (): { credentials: EmailCredentials; from: string } => ({
    credentials: { serverToken: deps.platform.serverToken },
    from: `"Herald" <${deps.platform.from}>`,
  });

  /**
   * A `pending` row means an earlier attempt may have reached the provider and died before
   * recording it. Ask the provider: sent → record it; unknown (and old enough that it is not
   * still in flight) → release it to be sent again. Claims sent in one provider call share a
   * `sendBatch` the messages carry, so each batch is settled with one search (a page of 500),
   * not one call per message; claims from before it existed are asked about one by one.
   */
  async function settle(credentials: EmailCredentials, pending: Notification[]): Promise<void> {
    if (!pending.length) return;
    const found = new Map<string, string>();
    for (const batch of new Set(pending.flatMap((n) => (n.sendBatch ? [n.sendBatch] : [])))) {
      for (const sent of await heartbeatWhile(email.findAllSent(credentials, 'sendBatch', batch))) {
        if (sent.metadata.idempotencyKey) found.set(sent.metadata.idempotencyKey, sent.messageId);
      }
      heartbeat();
    }
    for (const n of pending.filter((p) => !p.sendBatch)) {
      const messageId = await heartbeatWhile(email.findSent(credentials, 'idempotencyKey', n.idempotencyKey));
      if (messageId) found.set(n.idempotencyKey, messageId);
      heartbeat();
    }
    const sent = pending.filter((n) => found.has(n.idempotencyKey));
    const unknown = pending.filter((n) => !found.has(n.idempotencyKey));
    if (sent.length) {
      await db.transaction(async (em) => {
        const events: NewEvent[] = [];
        for (const n of sent)
          events.push(...(await recordSent(em, n, found.get(n.idempotencyKey)!, n.createdAt)));
        await recordEvents(em, events);
      });
      for (const n of sent) emails.inc({ kind: n.kind, outcome: 'sent' });
      log.info('settled ambiguous sends: the provider had them', { count: sent.length });
    }
    const recent = unknown.find((n) => Date.now() - n.createdAt.getTime() < settleAfterMs);
    if (!recent)
      // Each batch's slots: what the provider had counts (from now: it was sent no later), the rest go back.
      await db.transaction((em) => completeGrants(em, pending, (n) => found.has(n.idempotencyKey)));
    if (recent) {
      throw ApplicationFailure.retryable(
        `claim ${recent.idempotencyKey} is recent and unknown to the provider; waiting before resending`,
        'settling',
      );
    }
    if (!unknown.length) return;
    await db.transaction(async (em) => {
      for (let i = 0; i < unknown.length; i += 500) {
        const part = unknown.slice(i, i + 500);
        await em.delete(Notification, { id: In(part.map((n) => n.id)), state: 'pending' });
        const invitations = part.filter((n) => n.inviteId && n.kind === 'invitation').map((n) => n.inviteId!);
        if (invitations.length)
          await em.update(
            Invite,
            { id: In(invitations), deliveryStatus: 'sending' },
            { deliveryStatus: null },
          );
      }
    });
  }

  /** Marks a notification sent; returns the webhook event it makes, for the caller to record with its chunk's. */
  async function recordSent(
    em: EntityManager,
    n: Notification,
    messageId: string,
    at: Date,
  ): Promise<NewEvent[]> {
    await em.update(
      Notification,
      { id: n.id },
      { state: 'sent', providerMessageId: messageId, sentAt: at, error: null, errorCode: null },
    );
    const events = inviteEmailEvent(n, 'invite.sent', at);
    if (!n.inviteId || n.kind !== 'invitation') {
      if (n.kind === 'reminder' && n.inviteId)
        await em.update(Invite, { id: n.inviteId }, { reminderSentAt: at });
      return events;
    }
    await em.update(Invite, { id: n.inviteId }, { sentAt: at, deliveryStatus: 'sent', deliveryError: null });
    await em.update(Invite, { id: n.inviteId, journey: 'created' }, { journey: 'sent', journeyAt: at });
    return events;
  }

  /**
   * What `recordSent` writes, for a provider call's accepted emails at once: a statement per
   * change rather than three per email (1,500 round trips per call of 500 were most of a
   * chunk's time on MariaDB). Their events are the caller's to record.
   */
  async function recordAllSent(
    em: EntityManager,
    sent: { n: Notification; messageId: string }[],
    at: Date,
  ): Promise<void> {
    if (!sent.length) return;
    const messageIds: Record<string, string> = {};
    const cases = sent.map(({ n, messageId }, k) => {
      messageIds[`sentId${k}`] = n.id;
      messageIds[`sentMessage${k}`] = messageId;
      return `WHEN :sentId${k} THEN :sentMessage${k}`;
    });
    await em
      .createQueryBuilder()
      .update(Notification)
      .set({
        state: 'sent',
        providerMessageId: () => `CASE id ${cases.join(' ')} END`,
        sentAt: at,
        error: null,
        errorCode: null,
      })
      .where({ id: In(sent.map(({ n }) => n.id)) })
      .setParameters(messageIds)
      .execute();
    const invitesOf = (kind: NotificationKind) =>
      sent.flatMap(({ n }) => (n.kind === kind && n.inviteId ? [n.inviteId] : []));
    const reminded = invitesOf('reminder');
    if (reminded.length) await em.update(Invite, { id: In(reminded) }, { reminderSentAt: at });
    const invited = invitesOf('invitation');
    if (!invited.length) return;
    await em.update(Invite, { id: In(invited) }, { sentAt: at, deliveryStatus: 'sent', deliveryError: null });
    await em.update(Invite, { id: In(invited), journey: 'created' }, { journey: 'sent', journeyAt: at });
  }

  /**
   * `invite.sent` / `invite.failed` for an invitation or a resend (reminders and calendar
   * mail are not an invite's sending). The fact is the invitation (one per invite) or the
   * resend (one per notification); a failure, per attempt of its notification.
   */
  function inviteEmailEvent(
    n: Notification,
    type: 'invite.sent' | 'invite.failed',
    at: Date,
    error?: string,
  ): NewEvent[] {
    if (!n.inviteId || (n.kind !== 'invitation' && n.kind !== 'resend')) return [];
    const fact = type === 'invite.failed' ? `${n.id}:${n.attempts}` : n.kind === 'resend' ? n.id : n.inviteId;
    return [
      {
        accountId: n.accountId,
        campaignId: n.campaignId,
        type,
        key: fact,
        at,
        data: {
          inviteId: n.inviteId,
          campaignId: n.campaignId,
          kind: n.kind,
          notificationId: n.id,
          ...(error ? { error } : {}),
        },
      },
    ];
  }

  /**
   * The grants of these claims' batches (a batch's `sendBatch` is its grant's id) completed,
   * each with how many of its claims went; the rest of its slots free at once. Batches from
   * before grants existed, and owner emails, have none: completeSlots finds nothing.
   */
  async function completeGrants(
    em: EntityManager,
    claims: Notification[],
    went: (n: Notification) => boolean,
    at: Date = new Date(),
  ): Promise<void> {
    for (const batch of new Set(claims.flatMap((n) => (n.sendBatch ? [n.sendBatch] : []))))
      await completeSlots(em, batch, claims.filter((n) => n.sendBatch === batch && went(n)).length, at);
  }

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
   * `settle`, where the provider refusing the account's token is an answer rather than a
   * failure to retry: the claims stay pending (whether they went is still unknown) and the
   * caller reports `tokenInvalid`, so the campaign pauses as it does when a send is refused.
   * Retrying instead would ask with the same dead token until someone renews it, the campaign
   * showing `launching` all along and its owner never told.
   */
  async function settleOrTokenInvalid(
    credentials: EmailCredentials,
    pending: Notification[],
  ): Promise<{ tokenInvalid: boolean }> {
    try {
      await settle(credentials, pending);
      return { tokenInvalid: false };
    } catch (err) {
      if (err instanceof EmailTokenInvalidError) return { tokenInvalid: true };
      throw err;
    }
  }

  /** A campaign's pending claims of one kind, settled (see `settleOrTokenInvalid`) before a pass claims anew. */
  async function settlePending(
    credentials: EmailCredentials,
    campaignId: string,
    kind: NotificationKind,
  ): Promise<{ tokenInvalid: boolean }> {
    return settleOrTokenInvalid(
      credentials,
      await db.manager.findBy(Notification, { campaignId, state: 'pending', kind }),
    );
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

  /**
   * The provider call, then its outcome recorded, and the batch's grant completed with the
   * emails the provider accepted. A rate limit (429) releases the claims and is reported
   * (`rateLimitedForMs`) for the caller to wait on, the same way it waits on the account's
   * own limits: it is never retried blind. A 5xx is retried here a few times; if it persists
   * the messages are recorded failed (nothing was accepted). A timeout or a dropped
   * connection is ambiguous: the claims stay pending and the activity fails, so its retry
   * settles them with the provider first.
   */
  async function sendClaimed(
    credentials: EmailCredentials,
    items: Claimed[],
    /** The event version the messages attach (null: no calendar invite in them). */
    calendarVersion: number | null = null,
  ): Promise<{ outcomes: SendOutcome[]; tokenInvalid: boolean; rateLimitedForMs?: number }> {
    if (!items.length) return { outcomes: [], tokenInvalid: false };
    let outcomes: SendOutcome[] | undefined;
    for (let attempt = 0; !outcomes; attempt++) {
      try {
        outcomes = await heartbeatWhile(
          timeProviderCall(
            () =>
              email.sendBatch(
                credentials,
                items.map(({ message, notification: n }) =>
                  n.sendBatch
                    ? { ...message, metadata: { ...message.metadata, sendBatch: n.sendBatch } }
                    : message,
                ),
              ),
            providerResult,
          ),
        );
      } catch (err) {
        if (err instanceof EmailTokenInvalidError) {
          await release(items);
          count(items, () => 'token_invalid');
          return { outcomes: [], tokenInvalid: true };
        }
        if (err instanceof EmailRateLimitedError) {
          // Nothing was accepted: the claims go back, and the caller comes back when asked.
          await release(items);
          count(items, () => 'rate_limited');
          return { outcomes: [], tokenInvalid: false, rateLimitedForMs: err.retryAfterMs };
        }
        if (err instanceof EmailTemporarilyUnavailableError && err.status !== undefined) {
          if (attempt < retryDelays.length) {
            heartbeat();
            await new Promise((r) => setTimeout(r, retryDelays[attempt]));
            continue;
          }
          outcomes = items.map(() => ({
            ok: false,
            errorCode: err.status!,
            message: `provider unavailable (HTTP ${err.status}): ${err.message}`.slice(0, 300),
            badAddress: false,
          }));
          break;
        }
        throw err; // ambiguous: leave the claims pending for the retry to settle
      }
    }
    const at = new Date();
    await db.transaction(async (em) => {
      const events: NewEvent[] = [];
      const sent: { n: Notification; messageId: string }[] = [];
      for (let k = 0; k < items.length; k++) {
        const { notification: n } = items[k];
        const outcome = outcomes[k];
        if (outcome.ok) {
          sent.push({ n, messageId: outcome.messageId });
          events.push(...inviteEmailEvent(n, 'invite.sent', at));
          continue;
        }
        await em.update(
          Notification,
          { id: n.id },
          { state: 'failed', error: outcome.message.slice(0, 300), errorCode: outcome.errorCode },
        );
        events.push(...inviteEmailEvent(n, 'invite.failed', at, outcome.message.slice(0, 300)));
        if (n.inviteId && n.kind === 'invitation') {
          await em.update(
            Invite,
            { id: n.inviteId },
            { deliveryStatus: 'failed', deliveryError: outcome.message.slice(0, 300) },
          );
        }
      }
      await recordAllSent(em, sent, at);
      // One insert for the chunk's events, in the transaction that records the sends.
      await recordEvents(em, events);
      const accepted = new Set(items.filter((_, k) => outcomes[k].ok).map((i) => i.notification.id));
      await completeGrants(
        em,
        items.map((i) => i.notification),
        (n) => accepted.has(n.id),
        at,
      );
      if (calendarVersion !== null) {
        // Who holds which version of the event: an update pass skips those who already have it.
        const got = items.flatMap((it, k) =>
          outcomes[k].ok && it.notification.inviteId ? [it.notification.inviteId] : [],
        );
        if (got.length)
          await em
            .createQueryBuilder()
            .update(Invite)
            .set({ calendarSequence: calendarVersion })
            .where({ id: In(got) })
            .andWhere('(calendarSequence IS NULL OR calendarSequence < :calendarVersion)', {
              calendarVersion,
            })
            .execute();
      }
    });
    // Counted once the outcomes are recorded: a crash before the commit counts nothing, and the retry counts once.
    count(items, (k) => (outcomes[k].ok ? 'sent' : 'failed'));
    const sentCount = outcomes.filter((o) => o.ok).length;
    log.info('emails recorded', {
      campaignId: items[0].notification.campaignId ?? undefined,
      kind: items[0].notification.kind,
      sent: sentCount,
      failed: items.length - sentCount,
    });
    heartbeat();
    return { outcomes, tokenInvalid: false };
  }

  return {
    senderFor,
    platformSender,
    settle,
    settleOrTokenInvalid,
    settlePending,
    claim,
    claimInviteEmails,
    sendClaimed,
    nextSlotFor,
  };
}

export type Notifier = ReturnType<typeof createNotifier>;
