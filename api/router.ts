import { type RequestHandler, Router } from 'express';
import { idempotencyStep } from './idempotency';

/**
 * The router every /v1 route file builds on. Its POST routes run their own handlers in order
 * (authorization such as `adminOnly` first), then the Idempotency-Key step, then the last
 * handler: so a replayed answer is only ever given to a caller the route itself would answer,
 * whatever the route, without each route having to remember it.
 */
export function apiRouter(): Router {
  const router = Router();
  const post = router.post.bind(router);
  router.post = ((path: string, ...handlers: RequestHandler[]) => {
    const last = handlers.pop();
    if (!last) throw new Error(`POST ${path} has no handler`);
    return post(path, ...handlers, idempotencyStep, last);
  }) as typeof router.post;
  return router;
}
