import { Router } from 'express';
import { adminOnly, callerOf } from '../auth';
import { answeredOnce } from '../idempotency';
import {
  CreatedWebhookEndpoint,
  CreateWebhookEndpoint,
  IdParams,
  Pagination,
  WebhookDeliveryList,
  WebhookDeliveryView,
  WebhookEndpointList,
  registry,
} from '../schemas';
import type { WebhookEndpointService } from '../usecases/webhook-endpoints';
import { parse } from '../validate';
import { forbidden, json, problem, security } from '../openapi-helpers';
import { apiRouter } from '../router';

registry.registerPath({
  method: 'post',
  path: '/v1/webhook-endpoints',
  operationId: 'createWebhookEndpoint',
  summary: 'Add an endpoint for events (its signing secret is shown once)',
  description:
    'Events are POSTed as `{type, timestamp, data}`, signed per Standard Webhooks (`webhook-id`, `webhook-timestamp`, `webhook-signature`). The URL must be https:// and resolve only to public addresses. The secret is in this answer only: repeating the request with the same Idempotency-Key answers 409 `conflict` naming the endpoint (delete it if the secret was lost).',
  security,
  request: { body: { content: { 'application/json': { schema: CreateWebhookEndpoint } } } },
  responses: {
    201: json(CreatedWebhookEndpoint, 'The endpoint, with its secret (this once)'),
    400: problem(
      'validation_failed: a URL that is not https://, or resolves to a private address; unknown event types',
    ),
    ...forbidden,
    409: problem('conflict: the account already has 20 webhook endpoints (delete one)'),
  },
});
registry.registerPath({
  method: 'get',
  path: '/v1/webhook-endpoints',
  operationId: 'listWebhookEndpoints',
  summary: "The account's webhook endpoints (never their secrets)",
  security,
  responses: { 200: json(WebhookEndpointList, 'The endpoints, oldest first') },
});
registry.registerPath({
  method: 'delete',
  path: '/v1/webhook-endpoints/{id}',
  operationId: 'deleteWebhookEndpoint',
  summary: 'Delete an endpoint and its delivery log: nothing more is sent to it',
  security,
  request: { params: IdParams },
  responses: {
    204: { description: 'Deleted' },
    ...forbidden,
    404: problem("no such endpoint in this account (another account's is a 404)"),
  },
});
registry.registerPath({
  method: 'get',
  path: '/v1/webhook-endpoints/{id}/deliveries',
  operationId: 'listWebhookDeliveries',
  summary: 'The delivery log: each event for this endpoint, newest first, with its last attempt',
  security,
  request: { params: IdParams, query: Pagination },
  responses: {
    200: json(WebhookDeliveryList, 'A page of deliveries'),
    404: problem("no such endpoint in this account (another account's is a 404)"),
  },
});
registry.registerPath({
  method: 'post',
  path: '/v1/webhook-deliveries/{id}/retry',
  operationId: 'retryWebhookDelivery',
  summary: 'Send an event again (a disabled endpoint is enabled again)',
  security,
  request: { params: IdParams },
  responses: {
    200: json(WebhookDeliveryView, 'The delivery, pending'),
    ...forbidden,
    404: problem("no such delivery in this account (another account's is a 404)"),
    409: problem('conflict: it is already waiting for its next attempt'),
  },
});

export function webhookEndpointRoutes({ endpoints }: { endpoints: WebhookEndpointService }): Router {
  const router = apiRouter();
  router.post('/webhook-endpoints', adminOnly, async (req, res) => {
    const created = await endpoints.create(callerOf(res).accountId, parse(CreateWebhookEndpoint, req.body));
    answeredOnce(
      res,
      `The webhook endpoint ${created.id} made by this request was shown with its signing secret once, and the secret is not kept: delete the endpoint if the secret was lost, and add another`,
    );
    res.status(201).json(created);
  });
  router.get('/webhook-endpoints', async (_req, res) => {
    res.json(await endpoints.list(callerOf(res).accountId));
  });
  router.delete('/webhook-endpoints/:id', adminOnly, async (req, res) => {
    const { id } = parse(IdParams, req.params, 'params');
    await endpoints.remove(callerOf(res).accountId, id);
    res.status(204).end();
  });
  router.get('/webhook-endpoints/:id/deliveries', async (req, res) => {
    const { id } = parse(IdParams, req.params, 'params');
    const { limit, cursor } = parse(Pagination, req.query, 'query');
    res.json(await endpoints.deliveries(callerOf(res).accountId, id, limit, cursor));
  });
  router.post('/webhook-deliveries/:id/retry', adminOnly, async (req, res) => {
    const { id } = parse(IdParams, req.params, 'params');
    res.json(await endpoints.retry(callerOf(res).accountId, id));
  });
  return router;
}
