import { Router } from 'express';
import { z } from 'zod';
import { adminOnly, callerOf } from '../auth';
import {
  AccountView,
  AddFunds,
  CreateApiKey,
  CreatedApiKey,
  UpdateAccount,
  UsageView,
  registry,
} from '../schemas';
import type { AccountService } from '../usecases/accounts';
import { parse } from '../validate';
import { forbidden, json, security } from '../openapi-helpers';

const IdempotencyHeader = z.object({ 'idempotency-key': z.string().min(1).max(100).optional() });

registry.registerPath({
  method: 'get',
  path: '/v1/account',
  operationId: 'getAccount',
  summary: 'Balance, reserved and available cents',
  security,
  responses: { 200: json(AccountView, 'The account') },
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
  request: { headers: IdempotencyHeader, body: { content: { 'application/json': { schema: AddFunds } } } },
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
  method: 'post',
  path: '/v1/api-keys',
  operationId: 'createApiKey',
  summary: 'Create an API key for this account (the key is shown once)',
  security,
  request: { body: { content: { 'application/json': { schema: CreateApiKey } } } },
  responses: { 201: json(CreatedApiKey, 'The new key'), ...forbidden },
});

export function accountRoutes({ accounts }: { accounts: AccountService }): Router {
  const router = Router();
  router.get('/account', async (_req, res) => {
    res.json(await accounts.get(callerOf(res).accountId));
  });
  router.patch('/account', adminOnly, async (req, res) => {
    res.json(await accounts.update(callerOf(res).accountId, parse(UpdateAccount, req.body)));
  });
  router.post('/account/funds', adminOnly, async (req, res) => {
    const { amountCents } = parse(AddFunds, req.body);
    const { 'idempotency-key': key } = parse(
      IdempotencyHeader,
      { 'idempotency-key': req.get('idempotency-key') },
      'query',
    );
    res.json(await accounts.addFunds(callerOf(res).accountId, amountCents, key));
  });
  router.get('/account/usage', async (_req, res) => {
    res.json(await accounts.usage(callerOf(res).accountId));
  });
  router.post('/api-keys', adminOnly, async (req, res) => {
    const { role } = parse(CreateApiKey, req.body);
    res.status(201).json(await accounts.createApiKey(callerOf(res).accountId, role));
  });
  return router;
}
