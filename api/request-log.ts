import type { RequestHandler } from 'express';
import { log } from '../ops/log';
import { routeOf } from '../ops/metrics';

/**
 * One JSON line per answered request: method, the route pattern (never the raw path: a
 * recipient's holds their token), status, duration, and the campaign or invite it was about.
 * Health checks and scrapes are left out: they would drown the rest.
 */
const QUIET = new Set(['/healthz', '/readyz', '/metrics']);

export function requestLog(): RequestHandler {
  return (req, res, next) => {
    const started = process.hrtime.bigint();
    res.once('finish', () => {
      const route = routeOf(req);
      if (QUIET.has(route)) return;
      const id = typeof req.params?.id === 'string' ? req.params.id : undefined;
      log.info('request', {
        method: req.method,
        route,
        status: res.statusCode,
        durationMs: Number((process.hrtime.bigint() - started) / 1000n) / 1000,
        campaignId: route.startsWith('/v1/campaigns/:id') ? id : undefined,
        inviteId: route.startsWith('/v1/invites/:id') ? id : undefined,
      });
    });
    next();
  };
}
