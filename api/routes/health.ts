import type { Client } from '@temporalio/client';
import { Router } from 'express';
import type { Database } from '../../db/database';
import { headersTooLarge, publicAccess } from '../openapi-helpers';
import { Health, registry } from '../schemas';

registry.registerPath({
  method: 'get',
  path: '/healthz',
  operationId: 'getLiveness',
  summary: 'Liveness: the process answers',
  security: publicAccess,
  responses: {
    200: { description: 'alive', content: { 'application/json': { schema: Health } } },
    ...headersTooLarge,
  },
});
registry.registerPath({
  method: 'get',
  path: '/readyz',
  operationId: 'getReadiness',
  summary: 'Readiness: the database and Temporal both answer, and the process is not shutting down',
  security: publicAccess,
  responses: {
    ...headersTooLarge,
    200: { description: 'ready', content: { 'application/json': { schema: Health } } },
    503: {
      description: 'a dependency is down, or the process is draining',
      content: { 'application/json': { schema: Health } },
    },
  },
});

const within = <T>(ms: number, work: Promise<T>): Promise<T> =>
  Promise.race([
    work,
    new Promise<never>((_, reject) =>
      setTimeout(() => reject(new Error(`no answer in ${ms} ms`)), ms).unref(),
    ),
  ]);

export function healthRoutes({
  db,
  temporal,
  drain,
}: {
  db: Database;
  temporal: Client;
  /** Set by the entry points (ops/shutdown.ts): from SIGTERM on, not ready, whatever the dependencies say. */
  drain?: { readonly draining: boolean };
}): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get('/readyz', async (_req, res) => {
    // A load balancer still probing this process must stop sending it requests at once.
    if (drain?.draining) {
      res.status(503).json({ status: 'unavailable', checks: { process: 'shutting down' } });
      return;
    }
    const checks: Record<string, string> = {};
    const probe = async (name: string, work: () => Promise<unknown>) => {
      try {
        await within(2000, work());
        checks[name] = 'ok';
      } catch (err) {
        checks[name] = (err as Error).message.split('\n')[0];
      }
    };
    await Promise.all([
      probe('database', () => db.ping()),
      // A deadline, not just a race: the client retries UNAVAILABLE in the background
      // otherwise, and every failed probe would leave a call retrying behind it.
      probe('temporal', () =>
        temporal.connection.withDeadline(Date.now() + 2000, () => temporal.workflowService.getSystemInfo({})),
      ),
    ]);
    const ready = Object.values(checks).every((v) => v === 'ok');
    res.status(ready ? 200 : 503).json({ status: ready ? 'ok' : 'unavailable', checks });
  });
  return router;
}
