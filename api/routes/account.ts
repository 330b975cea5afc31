import { Router } from 'express';
import { adminOnly, callerOf } from '../auth';
import { answeredOnce } from '../idempotency';
import {
  AccountView,
  AddFunds,
  CallerView,
  ApiKeyList,
  ApiKeyView,
  CreateApiKey,
  CreatedApiKey,
  FundsIdempotencyKeyHeader,
  IdempotencyKeyHeader,
  IdParams,
  Pagination,
  SendingPolicyView,
  UpdateAccount,
  UpdateSendingPolicy,
  UsageView,
  registry,
} from '../schemas';
import type { AccountService } from '../usecases/accounts';
import { parse } from '../validate';
import { forbidden, json, problem, security } from '../openapi-helpers';
import { apiRouter } from '../router';

registry.registerPath({
  method: 'get',
  path: '/v1/account',
  operationId: 'getAccount',
  summary: 'Balance, reserved and available cents',
  security,
  responses: { 200: json(AccountView, 'The account') },
});
registry.registerPath({
  method: 'get',
  path: '/v1/me',
  operationId: 'getCaller',
  summary: 'The key making this request: its account, id and role (what it may do)',
  security,
  responses: { 200: json(CallerView, 'The caller') },
});
registry.registerPath({
  method: 'patch',
  path: '/v1/account',
  operationId: 'updateAccount',
  summary: "Account settings: the grace after a campaign's expiry during which extending revives it",
  security,
  request: { body: { content: { 'application/json': { schema: UpdateAccount } } } },
  responses: { 200: json(AccountView, 'The account'), ...forbidden },
});
registry.registerPath({
  method: 'post',
  path: '/v1/account/funds',
  operationId: 'addFunds',
  summary: 'Add funds (send an Idempotency-Key to make a retry safe)',
  security,
  request: {
    headers: FundsIdempotencyKeyHeader,
    body: { content: { 'application/json': { schema: AddFunds } } },
  },
  responses: { 200: json(AccountView, 'The account after the deposit'), ...forbidden },
});
registry.registerPath({
  method: 'get',
  path: '/v1/account/usage',
  operationId: 'getUsage',
  summary: 'Reservations, charges and releases per campaign',
  security,
  responses: { 200: json(UsageView, 'Usage from the ledger') },
});
registry.registerPath({
  method: 'get',
  path: '/v1/account/sending-policy',
  operationId: 'getSendingPolicy',
  summary: "The account's sending limits and send window (`limits: []` and `window: null` when none)",
  security,
  responses: { 200: json(SendingPolicyView, 'The sending policy') },
});
registry.registerPath({
  method: 'put',
  path: '/v1/account/sending-policy',
  operationId: 'setSendingPolicy',
  summary: "Replace the account's sending limits and send window",
  description:
    "Limits are sliding windows every email of the account counts against, across all its campaigns; the window is the local hours in which campaign email may go out (a campaign's own `sendWindow` wins). A bad policy is refused whole, with every field that is wrong.",
  security,
  request: { body: { content: { 'application/json': { schema: UpdateSendingPolicy } } } },
  responses: {
    200: json(SendingPolicyView, 'The policy now in force'),
    400: problem('validation_failed: names each field that is wrong; nothing changed'),
    ...forbidden,
  },
});
registry.registerPath({
  method: 'post',
  path: '/v1/api-keys',
  operationId: 'createApiKey',
  summary: 'Create an API key for this account (the key is shown once)',
  description:
    'The key is in this answer only; Herald keeps its hash. Repeating the request with the same Idempotency-Key does not show it again: that answers 409 `conflict` naming the key id (revoke it if the key was lost).',
  security,
  request: {
    headers: IdempotencyKeyHeader,
    body: { content: { 'application/json': { schema: CreateApiKey } } },
  },
  responses: {
    201: json(CreatedApiKey, 'The new key'),
    400: problem('invalid role or name'),
    401: problem('no valid API key'),
    ...forbidden,
    409: problem(
      'conflict: a replay of a key creation (the key was shown once), or the account already holds 100 working keys (revoke one)',
    ),
  },
});
registry.registerPath({
  method: 'get',
  path: '/v1/api-keys',
  operationId: 'listApiKeys',
  summary: "The account's API keys, newest first, revoked ones included (never the key itself)",
  security,
  request: { query: Pagination },
  responses: {
    200: json(ApiKeyList, 'A page of keys'),
    400: problem('invalid limit or cursor'),
    401: problem('no valid API key'),
    ...forbidden,
  },
});
registry.registerPath({
  method: 'delete',
  path: '/v1/api-keys/{id}',
  operationId: 'revokeApiKey',
  summary: 'Revoke a key: refused from the next request on, on every API process',
  description:
    "An admin may revoke the key it is using, as long as another working admin key remains; the account's last admin key cannot be revoked (409). Revoking a revoked key answers it unchanged.",
  security,
  request: { params: IdParams },
  responses: {
    200: json(ApiKeyView, 'The revoked key'),
    400: problem('not a key id'),
    401: problem('no valid API key'),
    ...forbidden,
    404: problem("no such key in this account (another account's key id is a 404)"),
    409: problem("the account's last working admin key"),
  },
});

export function accountRoutes({ accounts }: { accounts: AccountService }): Router {
  const router = apiRouter();
  router.get('/account', async (_req, res) => {
    res.json(await accounts.get(callerOf(res).accountId));
  });
  router.get('/me', (_req, res) => {
    const { accountId, keyId, role } = callerOf(res);
    res.json({ accountId, keyId, role });
  });
  router.patch('/account', adminOnly, async (req, res) => {
    res.json(await accounts.update(callerOf(res).accountId, parse(UpdateAccount, req.body)));
  });
  router.post('/account/funds', adminOnly, async (req, res) => {
    const { amountCents } = parse(AddFunds, req.body);
    const { 'idempotency-key': key } = parse(
      FundsIdempotencyKeyHeader,
      { 'idempotency-key': req.get('idempotency-key') },
      'query',
    );
    res.json(await accounts.addFunds(callerOf(res).accountId, amountCents, key));
  });
  router.get('/account/usage', async (_req, res) => {
    res.json(await accounts.usage(callerOf(res).accountId));
  });
  router.get('/account/sending-policy', async (_req, res) => {
    res.json(await accounts.sendingPolicy(callerOf(res).accountId));
  });
  router.put('/account/sending-policy', adminOnly, async (req, res) => {
    res.json(await accounts.setSendingPolicy(callerOf(res), parse(UpdateSendingPolicy, req.body)));
  });
  router.post('/api-keys', adminOnly, async (req, res) => {
    const { role, name } = parse(CreateApiKey, req.body);
    const created = await accounts.createApiKey(callerOf(res).accountId, role, name);
    answeredOnce(
      res,
      `The API key ${created.id} made by this request was shown once and is not kept: revoke it if it was lost, and create another`,
    );
    res.status(201).json(created);
  });
  router.get('/api-keys', adminOnly, async (req, res) => {
    const { limit, cursor } = parse(Pagination, req.query, 'query');
    res.json(await accounts.listApiKeys(callerOf(res).accountId, limit, cursor));
  });
  router.delete('/api-keys/:id', adminOnly, async (req, res) => {
    const { id } = parse(IdParams, req.params, 'params');
    res.json(await accounts.revokeApiKey(callerOf(res).accountId, id));
  });
  return router;
}
