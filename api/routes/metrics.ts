import { Router } from 'express';
import { z } from 'zod';
import type { Database } from '../../db/database';
import { apiMetricsRoute } from '../../ops/metrics';
import { headersTooLarge, publicAccess } from '../openapi-helpers';
import { registry } from '../schemas';

registry.registerPath({
  method: 'get',
  path: '/metrics',
  operationId: 'getMetrics',
  summary:
    'Prometheus metrics: HTTP requests, emails, provider latency, campaigns by status (docs/operations.md)',
  security: publicAccess,
  responses: {
    200: {
      description: 'Prometheus text exposition format 0.0.4',
      content: { 'text/plain': { schema: z.string() } },
    },
    ...headersTooLarge,
  },
});

/** Scraped unauthenticated, like the health checks: aggregates only, no ids, no personal data. */
export function metricsRoutes({ db }: { db: Database }): Router {
  const router = Router();
  router.get('/metrics', apiMetricsRoute(db));
  return router;
}
