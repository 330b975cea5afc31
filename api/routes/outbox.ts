import { z } from 'zod';
import { Pagination } from '../schemas';
import { Routes } from '../route';
import type { OutboxService } from '../usecases/outbox';
import { json, problem } from '../openapi-helpers';

/** The dev inbox (EMAIL_PROVIDER=outbox): what would have been sent, for a person or a test to read. */
const routes = new Routes<{ outbox: OutboxService }>('/v1');

routes.add({
  method: 'get',
  path: '/v1/outbox',
  operationId: 'listOutbox',
  summary: 'EMAIL_PROVIDER=outbox only: the emails that would have been sent',
  access: 'any',
  query: Pagination,
  responses: {
    200: json(
      z.object({ data: z.array(z.record(z.unknown())), nextCursor: z.string().nullable() }),
      'Newest first',
    ),
    404: problem('not_found: the outbox exists only with EMAIL_PROVIDER=outbox'),
  },
  handler: ({ caller, query }, { outbox }) => outbox.list(caller, query),
});

export const outboxRoutes = (deps: { outbox: OutboxService }) => routes.router(deps);
