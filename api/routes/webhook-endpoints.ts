import { answeredOnce } from '../idempotency';
import {
  CreatedWebhookEndpoint,
  CreateWebhookEndpoint,
  IdParams,
  Pagination,
  UpdateWebhookEndpoint,
  WebhookAttemptList,
  WebhookDeliveryList,
  WebhookDeliveryView,
  WebhookEndpointList,
  WebhookEndpointView,
} from '../schemas';
import type { WebhookEndpointService } from '../usecases/webhook-endpoints';
import { forbidden, json, problem } from '../openapi-helpers';
import { Routes } from '../route';

type Deps = { endpoints: WebhookEndpointService };
const routes = new Routes<Deps>('/v1');

routes.add({
  method: 'post',
  path: '/v1/webhook-endpoints',
  operationId: 'createWebhookEndpoint',
  summary: 'Add an endpoint for events (its signing secret is shown once)',
  description:
    'Events are POSTed as `{type, timestamp, data}`, signed per Standard Webhooks (`webhook-id`, `webhook-timestamp`, `webhook-signature`). The URL must be https:// and resolve only to public addresses. The secret is in this answer only: repeating the request with the same Idempotency-Key answers 409 `conflict` naming the endpoint (delete it if the secret was lost).',
  access: 'admin',
  body: CreateWebhookEndpoint,
  responses: {
    201: json(CreatedWebhookEndpoint, 'The endpoint, with its secret (this once)'),
    400: problem(
      'validation_failed: a URL that is not https://, or resolves to a private address; unknown event types',
    ),
    ...forbidden,
    409: problem('conflict: the account already has 20 webhook endpoints (delete one)'),
  },
  handler: async ({ caller, body }, { endpoints }, _req, res) => {
    const created = await endpoints.create(caller.accountId, body, caller.keyId);
    answeredOnce(
      res,
      `The webhook endpoint ${created.id} made by this request was shown with its signing secret once, and the secret is not kept: delete the endpoint if the secret was lost, and add another`,
    );
    return created;
  },
});
routes.add({
  method: 'get',
  path: '/v1/webhook-endpoints',
  operationId: 'listWebhookEndpoints',
  summary: "The account's webhook endpoints (never their secrets)",
  access: 'any',
  responses: { 200: json(WebhookEndpointList, 'The endpoints, oldest first') },
  handler: ({ caller }, { endpoints }) => endpoints.list(caller.accountId),
});
routes.add({
  method: 'get',
  path: '/v1/webhook-endpoints/{id}',
  operationId: 'getWebhookEndpoint',
  summary: 'One endpoint (never its secret)',
  access: 'any',
  params: IdParams,
  responses: {
    200: json(WebhookEndpointView, 'The endpoint'),
    404: problem("no such endpoint in this account (another account's is a 404)"),
  },
  handler: ({ caller, params }, { endpoints }) => endpoints.get(caller.accountId, params.id),
});
routes.add({
  method: 'patch',
  path: '/v1/webhook-endpoints/{id}',
  operationId: 'updateWebhookEndpoint',
  summary: 'Disable or enable an endpoint, or change the event types it receives',
  description:
    'A disabled endpoint is sent nothing: events meanwhile wait and go, in order, once it is enabled again (the owner is not emailed for a disabling a person did). Enabling starts a fresh retry period; deliveries given up earlier stay failed until retried. Changing `events` applies to events from then on.',
  access: 'admin',
  params: IdParams,
  body: UpdateWebhookEndpoint,
  responses: {
    200: json(WebhookEndpointView, 'The endpoint now'),
    400: problem('validation_failed: an unknown state or event type, or an unknown field; nothing changed'),
    ...forbidden,
    404: problem("no such endpoint in this account (another account's is a 404)"),
  },
  handler: ({ caller, params, body }, { endpoints }) =>
    endpoints.update(caller.accountId, params.id, body, caller.keyId),
});
routes.add({
  method: 'delete',
  path: '/v1/webhook-endpoints/{id}',
  operationId: 'deleteWebhookEndpoint',
  summary: 'Delete an endpoint and its delivery log: nothing more is sent to it',
  access: 'admin',
  params: IdParams,
  responses: {
    204: { description: 'Deleted' },
    ...forbidden,
    404: problem("no such endpoint in this account (another account's is a 404)"),
  },
  handler: async ({ caller, params }, { endpoints }, _req, res) => {
    await endpoints.remove(caller.accountId, params.id, caller.keyId);
    res.status(204).end();
  },
});
routes.add({
  method: 'get',
  path: '/v1/webhook-endpoints/{id}/deliveries',
  operationId: 'listWebhookDeliveries',
  summary: 'The delivery log: each event for this endpoint, newest first, with its last attempt',
  access: 'any',
  params: IdParams,
  query: Pagination,
  responses: {
    200: json(WebhookDeliveryList, 'A page of deliveries'),
    404: problem("no such endpoint in this account (another account's is a 404)"),
  },
  handler: ({ caller, params, query }, { endpoints }) =>
    endpoints.deliveries(caller.accountId, params.id, query.limit, query.cursor),
});
routes.add({
  method: 'get',
  path: '/v1/webhook-deliveries/{id}/attempts',
  operationId: 'listWebhookAttempts',
  summary:
    "One delivery's attempts, newest first: each one's HTTP status, latency, error and the retry it scheduled",
  access: 'any',
  params: IdParams,
  query: Pagination,
  responses: {
    200: json(WebhookAttemptList, 'A page of attempts'),
    404: problem("no such delivery in this account (another account's is a 404)"),
  },
  handler: ({ caller, params, query }, { endpoints }) =>
    endpoints.attempts(caller.accountId, params.id, query.limit, query.cursor),
});
routes.add({
  method: 'post',
  path: '/v1/webhook-deliveries/{id}/retry',
  operationId: 'retryWebhookDelivery',
  summary: 'Send an event again (a disabled endpoint is enabled again)',
  access: 'admin',
  params: IdParams,
  responses: {
    200: json(WebhookDeliveryView, 'The delivery, pending'),
    ...forbidden,
    404: problem("no such delivery in this account (another account's is a 404)"),
    409: problem('conflict: it is already waiting for its next attempt'),
  },
  handler: ({ caller, params }, { endpoints }) => endpoints.retry(caller.accountId, params.id, caller.keyId),
});

export const webhookEndpointRoutes = (deps: Deps) => routes.router(deps);
