/**
 * The exactly-once path every email takes (invitations, reminders, resends, calendar mail,
 * the owner's notices):
 *
 * 1. **Claim** (send/claims.ts): in one transaction, a notification row per email under a
 *    unique idempotency key (`invitation:<invite>`, `reminder:<invite>`, …), state `pending`,
 *    before any provider call. A key already `sent` or `pending` is not claimed again, so two
 *    attempts — a retry, a second worker — never both hold one email.
 * 2. **Send**: one provider call for the claims, each message carrying its key and its claim's
 *    `sendBatch` as metadata.
 * 3. **Record**: in one transaction, each claim `sent` (with the provider's message id) or
 *    `failed`. A refused token or a rate limit means nothing was accepted: the claims are
 *    released (deleted) and claimed afresh, under the same keys, later.
 * 4. **Settle**: a crash between 2 and 3 leaves claims `pending`, and nobody knows whether they
 *    went. Before a send claims anew, the pending claims of its kind are settled by asking
 *    the provider (outbound search by `sendBatch`, else by key): the ones it has are recorded
 *    sent; the ones it does not know are released — but only once they are older than
 *    `settleAfterMs`, so a call still in flight is never sent twice.
 *
 * So an email leaves at most once per key, and a key is claimed again only once it is known
 * not to have left. Sending limits ride on the claim: the slots granted are the claim's
 * `sendBatch`, completed with the number that went (sending/limits.ts).
 */
import { ApplicationFailure, heartbeat, log } from '@temporalio/activity';
import { In } from 'typeorm';
import { Invite } from '../../entities/Invite';
import { Notification, type NotificationKind } from '../../entities/Notification';
import { type EmailCredentials, EmailTokenInvalidError, type MessageOutcome } from '../../email/port';
import { emails } from '../../ops/metrics';
import { type NewEvent, recordEvents } from '../../webhooks/events';
import { createClaims } from './claims';
import { callProvider, count, heartbeatWhile, senders } from './provider';
import { completeGrants, recordOutcomes, recordSent } from './records';
import type { Claimed, DeliveryDeps } from './types';

export function createNotifier(deps: DeliveryDeps) {
  const { db, email } = deps;
  const retryDelays = deps.providerRetryDelaysMs ?? [1_000, 4_000];
  const settleAfterMs = deps.settleAfterMs ?? 5_000;
  const claims = createClaims(deps);

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
   * Steps 2 and 3 for claimed emails: the provider call, then its answers recorded. A refused
   * token or a rate limit releases the claims and is reported for the caller to wait on or
   * pause for (never retried blind); an ambiguous failure is thrown, the claims left pending.
   */
  async function sendClaimed(
    credentials: EmailCredentials,
    items: Claimed[],
    /** The event version the messages attach (null: no calendar invite in them). */
    calendarVersion: number | null = null,
  ): Promise<{ outcomes: MessageOutcome[]; tokenInvalid: boolean; rateLimitedForMs?: number }> {
    if (!items.length) return { outcomes: [], tokenInvalid: false };
    const call = await callProvider(email, credentials, items, retryDelays);
    if ('tokenInvalid' in call || 'rateLimitedForMs' in call) {
      // Nothing was accepted: the claims go back, and the caller comes back when it may.
      await claims.release(items);
      count(items, () => ('tokenInvalid' in call ? 'token_invalid' : 'rate_limited'));
      return 'tokenInvalid' in call
        ? { outcomes: [], tokenInvalid: true }
        : { outcomes: [], tokenInvalid: false, rateLimitedForMs: call.rateLimitedForMs };
    }
    const { outcomes } = call;
    const at = new Date();
    await db.transaction((em) => recordOutcomes(em, items, outcomes, at, calendarVersion));
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
    ...senders(deps),
    ...claims,
    settle,
    settleOrTokenInvalid,
    settlePending,
    sendClaimed,
  };
}

export type Notifier = ReturnType<typeof createNotifier>;
