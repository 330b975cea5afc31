import type { Client } from '@temporalio/client';
import { LessThan } from 'typeorm';
import type { Config } from '../../config/config';
import type { Database } from '../../db/database';
import { appendAudit, oneOffAuditKey } from '../../audit/log';
import { newId } from '../../db/ids';
import { lockAccount } from '../../db/locks';
import { WebhookAttempt } from '../../entities/WebhookAttempt';
import { WebhookDelivery } from '../../entities/WebhookDelivery';
import { WebhookEndpoint } from '../../entities/WebhookEndpoint';
import type { SecretBox } from '../../security/secrets';
import { idFloor } from '../../activities/webhooks';
import { nudgeEndpoint } from '../../webhooks/nudges';
import { newWebhookSecret } from '../../webhooks/signing';
import { type Lookup, WebhookTargetError, checkWebhookUrl } from '../../webhooks/target-guard';
import { ConflictError, NotFoundError, ValidationError } from '../errors';
import type {
  CreateWebhookEndpoint,
  UpdateWebhookEndpoint,
  WebhookAttemptView,
  WebhookDeliveryView,
  WebhookEndpointView,
} from '../schemas';
import { decodeCursor, encodeCursor } from './cursor';

/** Endpoints an account may have: each runs a workflow of its own and receives every event. */
export const MAX_WEBHOOK_ENDPOINTS = 20;

const endpointView = (e: WebhookEndpoint): WebhookEndpointView => ({
  id: e.id,
  url: e.url,
  events: (e.events as WebhookEndpointView['events']) ?? null,
  concurrency: e.concurrency ?? null,
  state: e.state,
  failingSince: e.failingSince?.toISOString() ?? null,
  disabledAt: e.disabledAt?.toISOString() ?? null,
  disabledReason: e.state === 'disabled' ? (e.disabledReason ?? 'failing') : null,
  createdAt: e.createdAt.toISOString(),
});

const attemptView = (a: WebhookAttempt): WebhookAttemptView => ({
  id: a.id,
  at: a.at.toISOString(),
  status: a.status,
  latencyMs: a.latencyMs,
  error: a.error,
  nextAttemptAt: a.nextAttemptAt?.toISOString() ?? null,
});

/** What enabling an endpoint resets: a fresh retry period, no backoff. */
const ENABLED = {
  state: 'enabled',
  disabledAt: null,
  disabledReason: null,
  failures: 0,
  failingSince: null,
  retryAt: null,
} as const;

const deliveryView = (d: WebhookDelivery): WebhookDeliveryView => ({
  id: d.id,
  eventId: d.eventId,
  eventType: d.eventType,
  state: d.state,
  attempts: d.attempts,
  lastStatus: d.lastStatus,
  lastLatencyMs: d.lastLatencyMs,
  lastError: d.lastError,
  lastAttemptAt: d.lastAttemptAt?.toISOString() ?? null,
  nextAttemptAt: d.nextAttemptAt?.toISOString() ?? null,
  createdAt: d.createdAt.toISOString(),
});

/**
 * The account's webhook endpoints and their delivery log. Delivery itself is the endpoint's
 * workflow's (workflows/webhooks/); the API only writes rows and nudges it.
 */
export class WebhookEndpointService {
  constructor(
    private readonly deps: {
      db: Database;
      temporal: Client;
      secrets: SecretBox;
      config: Pick<Config, 'webhooks' | 'temporal'>;
      /** Tests resolve names their own way. */
      lookup?: Lookup;
    },
  ) {}

  async create(
    accountId: string,
    input: CreateWebhookEndpoint,
    /** Who added it, for the audit log (an API key id). */
    actor = 'system',
  ): Promise<WebhookEndpointView & { secret: string }> {
    try {
      await checkWebhookUrl(input.url, { allowHttp: this.deps.config.webhooks.allowHttp }, this.deps.lookup);
    } catch (err) {
      if (err instanceof WebhookTargetError)
        throw new ValidationError([{ field: 'url', message: err.message }]);
      throw err;
    }
    const secret = newWebhookSecret();
    const now = new Date();
    const endpoint: WebhookEndpoint = {
      id: newId(),
      accountId,
      url: input.url,
      events: input.events ?? null,
      concurrency: input.concurrency ?? null,
      secretSealed: this.deps.secrets.seal(secret),
      state: 'enabled',
      // Events from now on: the ones recorded before it existed are not its business.
      cursor: idFloor(now.getTime()),
      failures: 0,
      failingSince: null,
      retryAt: null,
      disabledAt: null,
      disabledReason: null,
      createdAt: now,
    };
    await this.deps.db.transaction(async (em) => {
      // Two creates at the cap must not both count 19: the second waits for the first's commit.
      await lockAccount(em, accountId);
      if ((await em.countBy(WebhookEndpoint, { accountId })) >= MAX_WEBHOOK_ENDPOINTS)
        throw new ConflictError(
          `An account may have at most ${MAX_WEBHOOK_ENDPOINTS} webhook endpoints, and this one has as many: delete one it no longer needs (DELETE /v1/webhook-endpoints/{id}), then add this one`,
        );
      await em.insert(WebhookEndpoint, endpoint);
      await appendAudit(em, oneOffAuditKey('webhook-endpoint', endpoint.id, 'created'), {
        accountId,
        campaignId: null,
        at: now,
        actor,
        action: 'webhook_endpoint_created',
        reason: endpointInWords(endpoint),
        details: { endpointId: endpoint.id, events: endpoint.events },
      });
    });
    await this.nudge(endpoint.id);
    return { ...endpointView(endpoint), secret };
  }

  async list(accountId: string): Promise<{ data: WebhookEndpointView[] }> {
    const rows = await this.deps.db.manager.find(WebhookEndpoint, {
      where: { accountId },
      order: { id: 'ASC' },
    });
    return { data: rows.map(endpointView) };
  }

  async get(accountId: string, id: string): Promise<WebhookEndpointView> {
    return endpointView(await this.endpointOf(accountId, id));
  }

  /**
   * Disables or enables it, or changes its event types. Disabled by a person, it keeps its
   * pending deliveries (they go once enabled) and its workflow ends at its next look without
   * emailing the owner; enabled, it starts again with a fresh retry period.
   */
  async update(
    accountId: string,
    id: string,
    input: UpdateWebhookEndpoint,
    actor = 'system',
  ): Promise<WebhookEndpointView> {
    const updated = await this.deps.db.transaction(async (em) => {
      const endpoint = await em.findOneBy(WebhookEndpoint, { id, accountId });
      if (!endpoint) throw new NotFoundError(`Webhook endpoint ${id}`);
      const changes: Partial<WebhookEndpoint> = {};
      if (input.events !== undefined) changes.events = input.events;
      if (input.concurrency !== undefined) changes.concurrency = input.concurrency;
      if (input.state === 'enabled' && endpoint.state === 'disabled') Object.assign(changes, ENABLED);
      if (input.state === 'disabled' && endpoint.state === 'enabled')
        Object.assign(changes, {
          state: 'disabled',
          disabledAt: new Date(),
          disabledReason: 'manual',
          retryAt: null,
        });
      if (Object.keys(changes).length) {
        await em.update(WebhookEndpoint, { id }, changes);
        // The account's log says who turned it off or on, or changed what it receives.
        const action =
          changes.state === 'disabled'
            ? 'webhook_endpoint_disabled'
            : changes.state === 'enabled'
              ? 'webhook_endpoint_enabled'
              : 'webhook_endpoint_changed';
        const types = (e: string[] | null) => (e ? e.join(', ') : 'every type');
        const width = (n: number | null) => (n === null ? 'the default' : String(n));
        const said = [
          ...(changes.events !== undefined
            ? [`events ${types(endpoint.events)} → ${types(changes.events ?? null)}`]
            : []),
          ...(changes.concurrency !== undefined
            ? [`at once ${width(endpoint.concurrency)} → ${width(changes.concurrency)}`]
            : []),
        ];
        await appendAudit(em, oneOffAuditKey('webhook-endpoint', id, newId()), {
          accountId,
          campaignId: null,
          actor,
          action,
          reason: said.length
            ? `${endpointInWords(endpoint)}: ${said.join('; ')}`
            : endpointInWords(endpoint),
          details: { endpointId: id },
        });
      }
      return { ...endpoint, ...changes };
    });
    // Its workflow looks now: enabled, it sends; just disabled, it ends. One that stays
    // disabled has no workflow to tell (starting one would only end it again).
    if (updated.state === 'enabled' || input.state === 'disabled') await this.nudge(id);
    return endpointView(updated);
  }

  /** Deleted with its log; its workflow ends at its next look (it finds no endpoint). */
  async remove(accountId: string, id: string, actor = 'system'): Promise<void> {
    await this.deps.db.transaction(async (em) => {
      const endpoint = await em.findOneBy(WebhookEndpoint, { id, accountId });
      if (!endpoint) throw new NotFoundError(`Webhook endpoint ${id}`);
      await em.delete(WebhookAttempt, { endpointId: id });
      await em.delete(WebhookDelivery, { endpointId: id });
      await em.delete(WebhookEndpoint, { id });
      await appendAudit(em, oneOffAuditKey('webhook-endpoint', id, 'deleted'), {
        accountId,
        campaignId: null,
        actor,
        action: 'webhook_endpoint_deleted',
        reason: endpointInWords(endpoint),
        details: { endpointId: id },
      });
    });
    await this.nudge(id).catch(() => undefined); // it ends by itself at its next poll anyway
  }

  async deliveries(
    accountId: string,
    endpointId: string,
    limit: number,
    cursor?: string,
  ): Promise<{ data: WebhookDeliveryView[]; nextCursor: string | null }> {
    await this.endpointOf(accountId, endpointId);
    const rows = await this.deps.db.manager.find(WebhookDelivery, {
      where: { endpointId, ...(cursor ? { id: LessThan(decodeCursor(cursor)) } : {}) },
      order: { id: 'DESC' },
      take: limit + 1,
    });
    const page = rows.slice(0, limit);
    return {
      data: page.map(deliveryView),
      nextCursor: rows.length > limit ? encodeCursor(page[page.length - 1].id) : null,
    };
  }

  /**
   * Sends it again at the endpoint's next attempt (delivered ones too: the receiver asked).
   * On a disabled endpoint it enables the endpoint again, with a fresh retry period: the
   * customer says the receiver is back.
   */
  async retry(accountId: string, deliveryId: string, actor = 'system'): Promise<WebhookDeliveryView> {
    const delivery = await this.deps.db.transaction(async (em) => {
      const found = await em.findOneBy(WebhookDelivery, { id: deliveryId });
      const endpoint = found && (await em.findOneBy(WebhookEndpoint, { id: found.endpointId, accountId }));
      if (!found || !endpoint) throw new NotFoundError(`Webhook delivery ${deliveryId}`);
      if (found.state === 'pending' && endpoint.state === 'enabled')
        throw new ConflictError(`Webhook delivery ${deliveryId} is already waiting for its next attempt`);
      const now = new Date();
      await em.update(WebhookDelivery, { id: found.id }, { state: 'pending', nextAttemptAt: now });
      if (endpoint.state === 'disabled') {
        await em.update(WebhookEndpoint, { id: endpoint.id }, ENABLED);
        // A person turned back on what Herald had switched off: the account's log says who.
        await appendAudit(em, oneOffAuditKey('webhook-endpoint', endpoint.id, newId()), {
          accountId,
          campaignId: null,
          at: now,
          actor,
          action: 'webhook_endpoint_enabled',
          reason: `${endpointInWords(endpoint)}, by retrying a delivery`,
          details: { endpointId: endpoint.id, deliveryId },
        });
      }
      return { ...found, state: 'pending' as const, nextAttemptAt: now };
    });
    await this.nudge(delivery.endpointId);
    return deliveryView(delivery);
  }

  /** One delivery's attempts, newest first: each POST's status, latency and the retry it scheduled. */
  async attempts(
    accountId: string,
    deliveryId: string,
    limit: number,
    cursor?: string,
  ): Promise<{ data: WebhookAttemptView[]; nextCursor: string | null }> {
    const delivery = await this.deps.db.manager.findOneBy(WebhookDelivery, { id: deliveryId });
    if (
      !delivery ||
      !(await this.deps.db.manager.existsBy(WebhookEndpoint, { id: delivery.endpointId, accountId }))
    )
      throw new NotFoundError(`Webhook delivery ${deliveryId}`);
    const rows = await this.deps.db.manager.find(WebhookAttempt, {
      where: { deliveryId, accountId, ...(cursor ? { id: LessThan(decodeCursor(cursor)) } : {}) },
      order: { id: 'DESC' },
      take: limit + 1,
    });
    const page = rows.slice(0, limit);
    return {
      data: page.map(attemptView),
      nextCursor: rows.length > limit ? encodeCursor(page[page.length - 1].id) : null,
    };
  }

  private async endpointOf(accountId: string, id: string): Promise<WebhookEndpoint> {
    const endpoint = await this.deps.db.manager.findOneBy(WebhookEndpoint, { id, accountId });
    if (!endpoint) throw new NotFoundError(`Webhook endpoint ${id}`);
    return endpoint;
  }

  private nudge(endpointId: string): Promise<void> {
    return nudgeEndpoint(this.deps.temporal, this.deps.config.temporal, endpointId);
  }
}

/** The host only: a receiver's URL may carry a token in its path or query, and the log is read by support. */
function endpointInWords(e: WebhookEndpoint): string {
  const host = new URL(e.url).host;
  return `endpoint at ${host}${e.events ? ` for ${e.events.join(', ')}` : ' for every event'}`;
}
