import type { RequestHandler } from 'express';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { Database } from '../db/database';
import { CAMPAIGN_STATUSES } from '../domain/campaign';
import { Campaign } from '../entities/Campaign';

/**
 * Prometheus metrics (SPEC "Operations"), served as `GET /metrics` on `METRICS_PORT` by the
 * API and by each worker (ops/metrics-server.ts), never on the public API port. The series
 * live in one registry per process: the API records HTTP requests, the worker's activities
 * record emails, provider calls and webhook deliveries where those outcomes are recorded in
 * the database. The worker adds the Temporal SDK's own series (ops/worker-telemetry.ts).
 */
export const registry = new Registry();
collectDefaultMetrics({ register: registry, prefix: 'herald_' });

export const httpRequests = new Counter({
  name: 'herald_http_requests_total',
  help: 'HTTP requests answered, by method, Express route pattern and status',
  labelNames: ['method', 'route', 'status'] as const,
  registers: [registry],
});

export const httpDuration = new Histogram({
  name: 'herald_http_request_duration_seconds',
  help: 'Time to answer an HTTP request, by method, Express route pattern and status',
  labelNames: ['method', 'route', 'status'] as const,
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  registers: [registry],
});

/**
 * Emails by kind (invitation, reminder, resend, owner_alert…) and outcome: `sent` (the
 * provider accepted it), `failed` (refused, or 5xx after the retries), `rate_limited` (a
 * 429: handed back to be sent later), `token_invalid` (the account's provider token was
 * refused: handed back, the campaign pauses), `held` (the account's own sending limits
 * had no slot: not claimed, sent later).
 */
export type EmailOutcome = 'sent' | 'failed' | 'rate_limited' | 'token_invalid' | 'held';
export const emails = new Counter({
  name: 'herald_emails_total',
  help: 'Emails by kind and outcome (sent, failed, rate_limited, token_invalid, held)',
  labelNames: ['kind', 'outcome'] as const,
  registers: [registry],
});

export const providerDuration = new Histogram({
  name: 'herald_provider_request_duration_seconds',
  help: "Time of the email provider's batch send call, by result (ok, rate_limited, token_invalid, unavailable, error)",
  labelNames: ['result'] as const,
  buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
  registers: [registry],
});

/** `delivered`; `failed` (the receiver failed: retried after a backoff); `gave_up` (the endpoint is disabled); `dropped` (the event was erased). */
export type WebhookOutcome = 'delivered' | 'failed' | 'gave_up' | 'dropped';
export const webhookDeliveries = new Counter({
  name: 'herald_webhook_deliveries_total',
  help: 'Outgoing webhook delivery attempts by outcome (delivered, failed, gave_up, dropped)',
  labelNames: ['outcome'] as const,
  registers: [registry],
});

/** Times a provider call into `providerDuration`, labelled by how it ended. */
export async function timeProviderCall<T>(
  call: () => Promise<T>,
  resultOf: (err: unknown) => string,
): Promise<T> {
  const end = providerDuration.startTimer();
  try {
    const value = await call();
    end({ result: 'ok' });
    return value;
  } catch (err) {
    end({ result: resultOf(err) });
    throw err;
  }
}

/**
 * Counts and times each request under its route pattern (`/v1/campaigns/:id`), never the
 * raw path, which may hold a token. The pattern is read the moment Express matches the
 * route (`req.route` is set with the router's mount path still in `req.baseUrl`); a request
 * no route matched (404s, static files) is `(none)`.
 */
export function httpMetrics(): RequestHandler {
  return (req, res, next) => {
    const end = httpDuration.startTimer();
    let current: unknown;
    Object.defineProperty(req, 'route', {
      configurable: true,
      enumerable: true,
      get: () => current,
      // A route's path is a string here (Herald declares no array or RegExp routes).
      set(value: { path?: string } | undefined) {
        current = value;
        if (value?.path !== undefined) routes.set(req, `${req.baseUrl}${value.path}`);
      },
    });
    res.once('finish', () => {
      const labels = { method: req.method, route: routeOf(req), status: String(res.statusCode) };
      httpRequests.inc(labels);
      end(labels);
    });
    next();
  };
}

const routes = new WeakMap<object, string>();

/** The route pattern a request matched (as `httpMetrics` saw it), for its metrics and its log line. */
export const routeOf = (req: object): string => routes.get(req) ?? '(none)';

/**
 * The API's part of its `/metrics` (ops/metrics-server.ts): campaigns by status, read on each
 * scrape with one GROUP BY (every status is present, 0 when none).
 */
export function campaignSeries(db: Database): () => Promise<string> {
  const own = new Registry();
  new Gauge({
    name: 'herald_campaigns',
    help: 'Campaigns by status (read from the database at scrape time)',
    labelNames: ['status'] as const,
    registers: [own],
    async collect() {
      const rows = await db.manager
        .createQueryBuilder(Campaign, 'c')
        .select('c.status', 'status')
        .addSelect('COUNT(*)', 'count')
        .groupBy('c.status')
        .getRawMany<{ status: string; count: string | number }>();
      this.reset();
      for (const status of CAMPAIGN_STATUSES) this.set({ status }, 0);
      for (const row of rows) this.set({ status: row.status }, Number(row.count));
    },
  });
  return () => own.metrics();
}
