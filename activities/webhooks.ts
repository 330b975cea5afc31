import { heartbeat } from '@temporalio/activity';
import { LessThanOrEqual } from 'typeorm';
import type { Config } from '../config/config';
import type { Database } from '../db/database';
import { newId } from '../db/ids';
import { Account } from '../entities/Account';
import { WebhookAttempt } from '../entities/WebhookAttempt';
import { WebhookDelivery } from '../entities/WebhookDelivery';
import { WebhookEndpoint } from '../entities/WebhookEndpoint';
import { WebhookEvent } from '../entities/WebhookEvent';
import { renderWebhookDisabled } from '../email/templates';
import type { SecretBox } from '../security/secrets';
import { webhookDeliveries } from '../ops/metrics';
import { postWebhook } from '../webhooks/http';
import { signatureHeaders } from '../webhooks/signing';
import type { DeliveryPass } from '../workflows/webhooks/messages';
import type { Notifier } from './send/exactly-once';
import { sendOwnerEmail } from './owner-notifications';

export interface WebhookDeps {
  db: Database;
  secrets: SecretBox;
  webhooks: Config['webhooks'];
}

/** Events per pass: a page is fanned out and sent per activity. */
export const WEBHOOK_PAGE = 100;
/** A pass stops sending after this long and comes back at once: slow receivers cannot make it overrun its timeout. */
const PASS_BUDGET_MS = 60_000;
/**
 * How far behind the newest event the cursor stays: an event's id is taken inside its
 * transaction, so one that commits late can carry an id older than events already read.
 * Fan-out looks again at this margin each pass (only events without a delivery row).
 */
const SETTLE_MS = 60_000;
/** With nothing to send, an endpoint still looks this often (a nudge lost to a crash is found). */
export const IDLE_POLL_MS = 5 * 60_000;

/** The smallest UUIDv7 of this millisecond: everything recorded at `ms` or later sorts after it. */
export function idFloor(ms: number): string {
  const hex = Math.max(0, Math.floor(ms)).toString(16).padStart(12, '0');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-7000-8000-000000000000`;
}

/** The endpoint's wait after its `failures`-th failure in a row: doubling, capped. */
export function backoffMs(failures: number, { retryFirstMs, retryMaxMs }: Config['webhooks']): number {
  return Math.min(retryMaxMs, retryFirstMs * 2 ** Math.min(30, Math.max(0, failures - 1)));
}

/**
 * Delivering an account's events to one endpoint (its workflow calls these). Order is the
 * events' (UUIDv7) order; a failure stops the pass and backs the whole endpoint off, and the
 * failed event is the first one tried next time, so a down receiver costs one request per
 * backoff, not one per event.
 */
export function webhookActivities(deps: WebhookDeps, notifier: Notifier) {
  const { db, webhooks: settings } = deps;
  const rules = { allowHttp: settings.allowHttp };

  /** Delivery rows for the next events of the types it takes, and the cursor moved past them. */
  async function fanOut(endpoint: WebhookEndpoint, now: number): Promise<void> {
    const settled = idFloor(now - SETTLE_MS);
    const query = db.manager
      .createQueryBuilder(WebhookEvent, 'e')
      .select(['e.id', 'e.type'])
      .leftJoin(WebhookDelivery, 'd', 'd.eventId = e.id AND d.endpointId = :endpointId', {
        endpointId: endpoint.id,
      })
      .where('e.accountId = :accountId', { accountId: endpoint.accountId })
      .andWhere('e.id > :cursor', { cursor: endpoint.cursor })
      .andWhere('d.id IS NULL')
      .orderBy('e.id', 'ASC')
      .limit(WEBHOOK_PAGE);
    if (endpoint.events) query.andWhere('e.type IN (:...types)', { types: endpoint.events });
    const events = await query.getMany();
    // Every matching event up to the last one read now has a row; past it only if the page
    // was not full. Never past the settling margin, never backwards.
    const reached = events.length === WEBHOOK_PAGE ? events[events.length - 1].id : settled;
    const cursor = [reached, settled].sort()[0];
    await db.transaction(async (em) => {
      if (events.length)
        await em
          .createQueryBuilder()
          .insert()
          .into(WebhookDelivery)
          .values(
            events.map((e) => ({
              id: newId(),
              endpointId: endpoint.id,
              eventId: e.id,
              eventType: e.type,
              state: 'pending' as const,
              attempts: 0,
              nextAttemptAt: new Date(now),
              createdAt: new Date(now),
            })),
          )
          .orIgnore()
          .execute();
      if (cursor > endpoint.cursor)
        await em
          .createQueryBuilder()
          .update(WebhookEndpoint)
          .set({ cursor })
          .where('id = :id AND cursor < :cursor', { id: endpoint.id, cursor })
          .execute();
    });
  }

  /** The next pass's wait when nothing is due: the next scheduled attempt, at most the safety poll. */
  async function idleWait(endpointId: string, now: number): Promise<DeliveryPass> {
    const next = await db.manager.findOne(WebhookDelivery, {
      select: { id: true, nextAttemptAt: true },
      where: { endpointId, state: 'pending' },
      order: { nextAttemptAt: 'ASC' },
    });
    const at = next?.nextAttemptAt?.getTime() ?? now + IDLE_POLL_MS;
    return { outcome: 'idle', waitMs: Math.min(IDLE_POLL_MS, Math.max(1, at - now)) };
  }

  return {
    /** One pass: fan out the next events, then send what is due, in order, until a failure. */
    async deliverWebhookPage(endpointId: string): Promise<DeliveryPass> {
      const started = Date.now();
      const endpoint = await db.manager.findOneBy(WebhookEndpoint, { id: endpointId });
      if (!endpoint) return { outcome: 'gone' };
      // A retried pass after the disabling committed: the owner still has to be told.
      if (endpoint.state === 'disabled') return { outcome: 'disabled' };
      const pending = await db.manager.countBy(WebhookDelivery, { endpointId, state: 'pending' });
      if (pending < WEBHOOK_PAGE) await fanOut(endpoint, started);
      if (endpoint.retryAt && endpoint.retryAt.getTime() > started)
        return { outcome: 'backoff', waitMs: endpoint.retryAt.getTime() - started };

      const due = await db.manager.find(WebhookDelivery, {
        where: { endpointId, state: 'pending', nextAttemptAt: LessThanOrEqual(new Date(started)) },
        order: { eventId: 'ASC' },
        take: WEBHOOK_PAGE,
      });
      if (!due.length) return idleWait(endpointId, started);
      const secret = deps.secrets.open(endpoint.secretSealed);

      for (const delivery of due) {
        if (Date.now() - started > PASS_BUDGET_MS) break;
        heartbeat();
        // Disabled by a person (or deleted) while a slow receiver held the last one: nothing
        // more goes. The next pass sees why and ends the workflow.
        const current = await db.manager.findOne(WebhookEndpoint, {
          select: { id: true, state: true },
          where: { id: endpointId },
        });
        if (current?.state !== 'enabled') return { outcome: 'more' };
        // Read right before it is sent, not with the page: an erasure that commits while a
        // slow receiver holds an earlier event rewrites this one, and the rewrite is what goes.
        const event = await db.manager.findOneBy(WebhookEvent, { id: delivery.eventId });
        if (!event) {
          await db.manager.update(
            WebhookDelivery,
            { id: delivery.id },
            { state: 'failed', lastError: 'the event no longer exists (erased)', nextAttemptAt: null },
          );
          webhookDeliveries.inc({ outcome: 'dropped' });
          continue;
        }
        const attemptAt = new Date();
        const result = await postWebhook(
          endpoint.url,
          signatureHeaders(secret, event.id, event.payload, attemptAt),
          event.payload,
          { rules, timeoutMs: settings.timeoutMs },
        );
        const last = {
          attempts: () => 'attempts + 1',
          lastStatus: result.status,
          lastLatencyMs: result.latencyMs,
          lastError: result.error,
          lastAttemptAt: attemptAt,
        };
        // The attempt's own line in the log, written with the delivery's last-attempt columns.
        const attempt = (nextAttemptAt: Date | null): WebhookAttempt => ({
          id: newId(),
          accountId: endpoint.accountId,
          endpointId,
          deliveryId: delivery.id,
          at: attemptAt,
          status: result.status,
          latencyMs: Math.max(0, Math.round(result.latencyMs)),
          error: result.error,
          nextAttemptAt,
        });
        if (result.ok) {
          await db.transaction(async (em) => {
            await em
              .createQueryBuilder()
              .update(WebhookDelivery)
              .set({ ...last, state: 'delivered', nextAttemptAt: null })
              .where('id = :id', { id: delivery.id })
              .execute();
            await em.insert(WebhookAttempt, attempt(null));
            if (endpoint.failures || endpoint.failingSince)
              await em.update(
                WebhookEndpoint,
                { id: endpointId },
                { failures: 0, failingSince: null, retryAt: null },
              );
          });
          webhookDeliveries.inc({ outcome: 'delivered' });
          endpoint.failures = 0;
          endpoint.failingSince = null;
          continue;
        }
        // The receiver failed: back the endpoint off, or give up after the retry period.
        const now = Date.now();
        const failures = endpoint.failures + 1;
        const failingSince = endpoint.failingSince ?? attemptAt;
        const giveUp = now - failingSince.getTime() >= settings.retryPeriodMs;
        const waitMs = backoffMs(failures, settings);
        const retryAt = new Date(now + waitMs);
        await db.transaction(async (em) => {
          await em
            .createQueryBuilder()
            .update(WebhookDelivery)
            .set({ ...last, nextAttemptAt: giveUp ? null : retryAt, ...(giveUp ? { state: 'failed' } : {}) })
            .where('id = :id', { id: delivery.id })
            .execute();
          await em.insert(WebhookAttempt, attempt(giveUp ? null : retryAt));
          if (giveUp) {
            await em.update(
              WebhookEndpoint,
              { id: endpointId },
              {
                state: 'disabled',
                disabledAt: new Date(now),
                disabledReason: 'failing',
                failures,
                failingSince,
                retryAt: null,
              },
            );
            await em.update(
              WebhookDelivery,
              { endpointId, state: 'pending' },
              { state: 'failed', nextAttemptAt: null },
            );
          } else {
            await em.update(WebhookEndpoint, { id: endpointId }, { failures, failingSince, retryAt });
          }
        });
        webhookDeliveries.inc({ outcome: giveUp ? 'gave_up' : 'failed' });
        return giveUp ? { outcome: 'disabled' } : { outcome: 'backoff', waitMs };
      }
      return { outcome: 'more' };
    },

    /** Tells the owner, once per disabling, that an endpoint was disabled (the notification's key). */
    async notifyWebhookDisabled(endpointId: string): Promise<void> {
      const endpoint = await db.manager.findOneBy(WebhookEndpoint, { id: endpointId });
      // Deleted or enabled again meanwhile, or disabled by a person (who knows): nothing to tell.
      if (!endpoint?.disabledAt || endpoint.disabledReason === 'manual') return;
      const account = await db.manager.findOneByOrFail(Account, { id: endpoint.accountId });
      const lastFailure = await db.manager.findOne(WebhookDelivery, {
        where: { endpointId, state: 'failed' },
        order: { lastAttemptAt: 'DESC' },
      });
      const rendered = renderWebhookDisabled({
        endpointId,
        url: endpoint.url,
        failingSince: endpoint.failingSince ?? endpoint.disabledAt,
        lastError: lastFailure?.lastError ?? null,
      });
      const key = `webhook_disabled:${endpointId}:${endpoint.disabledAt.getTime()}`;
      await sendOwnerEmail(db, notifier, {
        accountId: account.id,
        campaignId: null,
        key,
        kind: 'owner_alert',
        to: account.ownerEmail,
        rendered,
      });
    },
  };
}
