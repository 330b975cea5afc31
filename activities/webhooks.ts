import { heartbeat } from '@temporalio/activity';
import { In } from 'typeorm';
import type { Config } from '../config/config';
import type { Database } from '../db/database';
import { newId } from '../db/ids';
import { Account } from '../entities/Account';
import { WebhookAttempt } from '../entities/WebhookAttempt';
import { WebhookDelivery } from '../entities/WebhookDelivery';
import { WebhookEndpoint } from '../entities/WebhookEndpoint';
import { WebhookEvent } from '../entities/WebhookEvent';
import { consoleLinks } from '../domain/console-links';
import { renderWebhookDisabled } from '../email/templates';
import type { SecretBox } from '../security/secrets';
import { webhookDeliveries } from '../ops/metrics';
import { newAgent, postWebhook } from '../webhooks/http';
import { signatureHeaders } from '../webhooks/signing';
import type { DeliveryPass } from '../workflows/webhooks/messages';
import type { Notifier } from './send/exactly-once';
import { sendOwnerEmail } from './owner-notifications';

export interface WebhookDeps {
  db: Database;
  secrets: SecretBox;
  webhooks: Config['webhooks'];
  /** Where the console is: the endpoint-disabled notice links to its delivery log. */
  publicBaseUrl: string;
}

/** Events per pass: a page is fanned out and sent per activity. */
export const WEBHOOK_PAGE = 1000;
/** Delivered attempts are recorded this many to a transaction. */
const RECORD_BATCH = 100;
/** A pass stops sending after this long and comes back at once: slow receivers cannot make it overrun its timeout. */
const PASS_BUDGET_MS = 60_000;
/** One activity sends pages while there is more for this long, then hands back to the workflow. */
const PAGES_BUDGET_MS = 20_000;
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
/**
 * The page's deliveries in lanes that keep one invite's events in order: by the invite the
 * event is about, else its campaign, else the account (events without either go one by one).
 */
export function laneOf<D extends { campaignId: string | null; payload: string }>(due: D[]): Map<string, D[]> {
  const lanes = new Map<string, D[]>();
  for (const d of due) {
    let inviteId: unknown;
    try {
      inviteId = (JSON.parse(d.payload) as { data?: { inviteId?: unknown } }).data?.inviteId;
    } catch {
      inviteId = undefined;
    }
    const key = typeof inviteId === 'string' ? `i:${inviteId}` : d.campaignId ? `c:${d.campaignId}` : 'a';
    const lane = lanes.get(key);
    if (lane) lane.push(d);
    else lanes.set(key, [d]);
  }
  return lanes;
}

/** Runs `work` on every item, at most `width` at once, items started in order. */
export async function runPool<T>(items: T[], width: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await work(items[next++]);
  };
  await Promise.all(Array.from({ length: Math.min(width, items.length) }, worker));
}

export function backoffMs(
  failures: number,
  { retryFirstMs, retryMaxMs }: Pick<Config['webhooks'], 'retryFirstMs' | 'retryMaxMs'>,
): number {
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
  async function fanOut(
    endpoint: WebhookEndpoint,
    now: number,
    resumeAfter: string | null,
  ): Promise<string | null> {
    const settled = idFloor(now - SETTLE_MS);
    // The first page of an activity reads from the cursor (a settling margin behind: late
    // commits are found); the next pages of the same activity go on from where it stopped.
    const from = resumeAfter !== null && resumeAfter > endpoint.cursor ? resumeAfter : endpoint.cursor;
    const query = db.manager
      .createQueryBuilder(WebhookEvent, 'e')
      .select(['e.id', 'e.type'])
      .leftJoin(WebhookDelivery, 'd', 'd.eventId = e.id AND d.endpointId = :endpointId', {
        endpointId: endpoint.id,
      })
      .where('e.accountId = :accountId', { accountId: endpoint.accountId })
      .andWhere('e.id > :from', { from })
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
          // No read-back of the rows (on SQLite, a WHERE of 1,000 ORs: deeper than it parses).
          .updateEntity(false)
          .execute();
      if (cursor > endpoint.cursor)
        await em
          .createQueryBuilder()
          .update(WebhookEndpoint)
          .set({ cursor })
          .where('id = :id AND cursor < :cursor', { id: endpoint.id, cursor })
          .execute();
    });
    return events.length ? events[events.length - 1].id : resumeAfter;
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

  /**
   * What happened to one delivery in a pass, recorded in batches (one transaction each): a
   * commit per event was the whole cost of a sequential pass on MariaDB (~2 ms).
   */
  type Attempted = {
    id: string;
    last: { lastStatus: number | null; lastLatencyMs: number; lastError: string | null; lastAttemptAt: Date };
    ok: boolean;
  };

  /**
   * Marks delivered ones in one statement (each row its own status, latency and time, by a
   * CASE on its id) and one transaction; repeating it (a retried pass) changes nothing more.
   */
  async function recordDelivered(done: Attempted[], endpoint: WebhookEndpoint): Promise<void> {
    if (!done.length) return;
    await db.transaction(async (em) => {
      // Each attempt's own line in the log, written with the deliveries' last-attempt columns.
      await em
        .createQueryBuilder()
        .insert()
        .into(WebhookAttempt)
        .values(done.map((d) => attemptRow(endpoint, d, null)))
        .updateEntity(false)
        .execute();
      const meta = em.connection.getMetadata(WebhookDelivery);
      const stored = (column: keyof Attempted['last'], value: unknown) =>
        em.connection.driver.preparePersistentValue(value, meta.findColumnWithPropertyName(column)!);
      const params: Record<string, unknown> = { ids: done.map((d) => d.id) };
      // Built before the query (its parameters are copied when set), one CASE per column.
      const byId = (column: keyof Attempted['last']) => {
        const cases = done
          .map((d, k) => {
            params[`${column}Id${k}`] = d.id;
            params[`${column}${k}`] = stored(column, d.last[column]);
            return `WHEN :${column}Id${k} THEN :${column}${k}`;
          })
          .join(' ');
        return () => `CASE id ${cases} END`;
      };
      const lastStatus = byId('lastStatus');
      const lastLatencyMs = byId('lastLatencyMs');
      const lastAttemptAt = byId('lastAttemptAt');
      await em
        .createQueryBuilder()
        .update(WebhookDelivery)
        .set({
          state: 'delivered',
          nextAttemptAt: null,
          attempts: () => 'attempts + 1',
          lastError: null,
          lastStatus,
          lastLatencyMs,
          lastAttemptAt,
        })
        .where('id IN (:...ids)')
        .setParameters(params)
        .execute();
      if (endpoint.failures || endpoint.failingSince) {
        await em.update(
          WebhookEndpoint,
          { id: endpoint.id },
          { failures: 0, failingSince: null, retryAt: null },
        );
        endpoint.failures = 0;
        endpoint.failingSince = null;
      }
    });
    webhookDeliveries.inc({ outcome: 'delivered' }, done.length);
  }

  /** One attempt's line in the delivery log (GET /v1/webhook-deliveries/{id}/attempts). */
  function attemptRow(endpoint: WebhookEndpoint, d: Attempted, nextAttemptAt: Date | null): WebhookAttempt {
    return {
      id: newId(),
      accountId: endpoint.accountId,
      endpointId: endpoint.id,
      deliveryId: d.id,
      at: d.last.lastAttemptAt,
      status: d.last.lastStatus,
      latencyMs: Math.max(0, Math.round(d.last.lastLatencyMs)),
      error: d.last.lastError,
      nextAttemptAt,
    };
  }

  /**
   * Reads events by id right before they are sent, the reads of lanes that ask at the same
   * moment in one query (as fresh as one read each: an erasure committed before it is seen).
   * With them, the endpoint's state: disabled by a person (or deleted) while a slow receiver
   * held the last one, nothing more goes (`disabled` answers true).
   */
  function eventReader(endpointId: string) {
    type Read = { event: { id: string; payload: string } | null; disabled: boolean };
    let asked: { id: string; answer: (r: Read) => void; fail: (err: unknown) => void }[] = [];
    const readAll = async () => {
      const batch = asked;
      asked = [];
      try {
        const current = await db.manager.findOne(WebhookEndpoint, {
          select: { id: true, state: true },
          where: { id: endpointId },
        });
        const disabled = current?.state !== 'enabled';
        const rows = await db.manager
          .createQueryBuilder(WebhookEvent, 'e')
          .select(['e.id AS id', 'e.payload AS payload'])
          .where('e.id IN (:...ids)', { ids: batch.map((b) => b.id) })
          .getRawMany<{ id: string; payload: string }>();
        const byId = new Map(rows.map((r) => [r.id, r]));
        for (const b of batch) b.answer({ event: byId.get(b.id) ?? null, disabled });
      } catch (err) {
        for (const b of batch) b.fail(err);
      }
    };
    return (id: string) =>
      new Promise<Read>((answer, fail) => {
        if (!asked.length) setImmediate(() => void readAll());
        asked.push({ id, answer, fail });
      });
  }

  /**
   * One page: fan out the next events, then send what is due, up to the endpoint's concurrency
   * at once, until a failure or the time budget (see deliverWebhookPage).
   */
  async function deliverOnePage(endpointId: string, scan: { after: string | null }): Promise<DeliveryPass> {
    const started = Date.now();
    const endpoint = await db.manager.findOneBy(WebhookEndpoint, { id: endpointId });
    if (!endpoint) return { outcome: 'gone' };
    // A retried pass after the disabling committed: the owner still has to be told.
    if (endpoint.state === 'disabled') return { outcome: 'disabled' };
    const pending = await db.manager.countBy(WebhookDelivery, { endpointId, state: 'pending' });
    if (pending < WEBHOOK_PAGE) scan.after = await fanOut(endpoint, started, scan.after);
    if (endpoint.retryAt && endpoint.retryAt.getTime() > started)
      return { outcome: 'backoff', waitMs: endpoint.retryAt.getTime() - started };

    const due = await db.manager
      .createQueryBuilder(WebhookDelivery, 'd')
      .innerJoin(WebhookEvent, 'e', 'e.id = d.eventId')
      .select(['d.id AS id', 'd.eventId AS eventId', 'e.campaignId AS campaignId', 'e.payload AS payload'])
      .where('d.endpointId = :endpointId AND d.state = :pending AND d.nextAttemptAt <= :now', {
        endpointId,
        pending: 'pending',
        now: new Date(started),
      })
      .orderBy('d.eventId', 'ASC')
      .limit(WEBHOOK_PAGE)
      .getRawMany<{ id: string; eventId: string; campaignId: string | null; payload: string }>();
    if (!due.length) return idleWait(endpointId, started);
    const secret = deps.secrets.open(endpoint.secretSealed);
    const lanes = [...laneOf(due).values()];
    // Connections are reused within the pass only: each was opened through the target
    // guard's lookup of this pass, and every request still checks the URL against today's rules.
    const width = endpoint.concurrency ?? settings.concurrency;
    const agent = newAgent(endpoint.url, width);

    let failed: Attempted | null = null; // the first failure of the pass backs the endpoint off
    const unrecorded: Attempted[] = [];
    const retried: Attempted[] = [];
    let flushing = Promise.resolve();
    const flush = () => {
      const batch = unrecorded.splice(0);
      flushing = flushing.then(() => recordDelivered(batch, endpoint));
      return flushing;
    };
    const missing: string[] = [];
    const readEvent = eventReader(endpointId);
    let disabled = false;

    const runLane = async (lane: typeof due) => {
      for (const delivery of lane) {
        if (failed || disabled || Date.now() - started > PASS_BUDGET_MS) return;
        heartbeat();
        // Read right before it is sent, not with the page: an erasure that commits while a
        // slow receiver holds an earlier event rewrites this one, and the rewrite is what goes.
        const read = await readEvent(delivery.eventId);
        if (read.disabled) {
          disabled = true; // the next pass sees why and ends the workflow
          return;
        }
        const { event } = read;
        if (!event) {
          missing.push(delivery.id);
          continue;
        }
        const attemptAt = new Date();
        const result = await postWebhook(
          endpoint.url,
          signatureHeaders(secret, event.id, event.payload, attemptAt),
          event.payload,
          { rules, timeoutMs: settings.timeoutMs, agent },
        );
        const attempt: Attempted = {
          id: delivery.id,
          ok: result.ok,
          last: {
            lastStatus: result.status,
            lastLatencyMs: result.latencyMs,
            lastError: result.error,
            lastAttemptAt: attemptAt,
          },
        };
        if (result.ok) {
          unrecorded.push(attempt);
          if (unrecorded.length >= RECORD_BATCH) void flush();
          continue;
        }
        // This lane stops (its invite's later events wait behind this one), and so do the others.
        if (failed) retried.push(attempt);
        else failed = attempt;
        return;
      }
    };
    try {
      await runPool(lanes, Math.max(1, width), runLane);
    } finally {
      agent?.destroy();
    }
    await flush();
    if (missing.length) {
      await db.manager.update(
        WebhookDelivery,
        { id: In(missing) },
        { state: 'failed', lastError: 'the event no longer exists (erased)', nextAttemptAt: null },
      );
      webhookDeliveries.inc({ outcome: 'dropped' }, missing.length);
    }
    if (!failed) return { outcome: 'more' };
    const first: Attempted = failed;

    // The receiver failed: back the endpoint off, or give up after the retry period. Other
    // failures of the same pass (requests in flight together) count as the same one.
    const now = Date.now();
    const failures = endpoint.failures + 1;
    const failingSince = endpoint.failingSince ?? first.last.lastAttemptAt;
    const giveUp = now - failingSince.getTime() >= settings.retryPeriodMs;
    const waitMs = backoffMs(failures, settings);
    const retryAt = new Date(now + waitMs);
    await db.transaction(async (em) => {
      await em.insert(
        WebhookAttempt,
        [first, ...retried].map((d) => attemptRow(endpoint, d, giveUp ? null : retryAt)),
      );
      for (const d of [first, ...retried])
        await em
          .createQueryBuilder()
          .update(WebhookDelivery)
          .set({
            ...d.last,
            attempts: () => 'attempts + 1',
            nextAttemptAt: giveUp ? null : retryAt,
            ...(giveUp ? { state: 'failed' } : {}),
          })
          .where('id = :id', { id: d.id })
          .execute();
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
    webhookDeliveries.inc({ outcome: giveUp ? 'gave_up' : 'failed' }, 1 + retried.length);
    return giveUp ? { outcome: 'disabled' } : { outcome: 'backoff', waitMs };
  }

  return {
    /**
     * One pass: fan out the next events, then send what is due, up to the endpoint's
     * concurrency at once, until a failure or the time budget. Order: one invite's events go
     * one at a time in the events' order (a lane per invite, or per campaign for campaign
     * events); events of different invites may overtake each other, as Standard Webhooks lets
     * them (receivers must not rely on order across them).
     */
    async deliverWebhookPage(endpointId: string): Promise<DeliveryPass> {
      // Page after page while there is more, within a budget: a round trip through the
      // workflow per page cost as much as sending it once pages take a third of a second.
      const started = Date.now();
      const scan = { after: null as string | null };
      for (;;) {
        const pass = await deliverOnePage(endpointId, scan);
        if (pass.outcome !== 'more' || Date.now() - started > PAGES_BUDGET_MS) return pass;
      }
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
        logUrl: consoleLinks(deps.publicBaseUrl).webhookLog(endpointId),
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
