import { answeredOnce } from '../idempotency';
import {
  AccountView,
  AddFunds,
  CallerView,
  ApiKeyList,
  ApiKeyView,
  CreateApiKey,
  CreatedApiKey,
  EmailProvider,
  EmailProviderView,
  FundsIdempotencyKeyHeader,
  IdempotencyKeyHeader,
  IdParams,
  Pagination,
  SendingPolicyView,
  UpdateAccount,
  UpdateSendingPolicy,
  UsageView,
} from '../schemas';
import type { AccountService } from '../usecases/accounts';
import { forbidden, json, problem } from '../openapi-helpers';
import { Routes } from '../route';

const routes = new Routes<{ accounts: AccountService }>('/v1');

routes.add({
  method: 'get',
  path: '/v1/account',
  operationId: 'getAccount',
  summary: 'Balance, reserved and available cents',
  access: 'any',
  responses: { 200: json(AccountView, 'The account') },
  handler: ({ caller }, { accounts }) => accounts.get(caller.accountId),
});
routes.add({
  method: 'get',
  path: '/v1/me',
  operationId: 'getCaller',
  summary: 'The key making this request: its account, id and role (what it may do)',
  access: 'any',
  responses: { 200: json(CallerView, 'The caller') },
  handler: ({ caller: { accountId, keyId, role } }) => ({ accountId, keyId, role }),
});
routes.add({
  method: 'patch',
  path: '/v1/account',
  operationId: 'updateAccount',
  summary: "Account settings: the grace after a campaign's expiry during which extending revives it",
  access: 'admin',
  body: UpdateAccount,
  responses: { 200: json(AccountView, 'The account'), ...forbidden },
  handler: ({ caller, body }, { accounts }) => accounts.update(caller.accountId, body, caller.keyId),
});
routes.add({
  method: 'post',
  path: '/v1/account/funds',
  operationId: 'addFunds',
  summary: 'Add funds (send an Idempotency-Key to make a retry safe)',
  access: 'admin',
  headers: FundsIdempotencyKeyHeader,
  body: AddFunds,
  responses: { 200: json(AccountView, 'The account after the deposit'), ...forbidden },
  handler: ({ caller, headers, body }, { accounts }) =>
    accounts.addFunds(caller.accountId, body.amountCents, headers['idempotency-key']),
});
routes.add({
  method: 'get',
  path: '/v1/account/usage',
  operationId: 'getUsage',
  summary: 'Reservations, charges and releases per campaign',
  access: 'any',
  responses: { 200: json(UsageView, 'Usage from the ledger') },
  handler: ({ caller }, { accounts }) => accounts.usage(caller.accountId),
});
routes.add({
  method: 'get',
  path: '/v1/account/sending-policy',
  operationId: 'getSendingPolicy',
  summary:
    "The account's sending limits, send window and complaint/bounce guards (`limits: []` and `window: null` when none; the guards' defaults until set)",
  access: 'any',
  responses: { 200: json(SendingPolicyView, 'The sending policy') },
  handler: ({ caller }, { accounts }) => accounts.sendingPolicy(caller.accountId),
});
routes.add({
  method: 'put',
  path: '/v1/account/sending-policy',
  operationId: 'setSendingPolicy',
  summary: "Replace the account's sending limits and send window, and its complaint and bounce guards",
  description:
    "Limits are sliding windows every email of the account counts against, across all its campaigns; the window is the local hours in which campaign email may go out (a campaign's own `sendWindow` wins); the guards say when a campaign pauses itself for its spam complaints (`complaint_rate`) or hard bounces (`bounce_rate`), left out = unchanged. A bad policy is refused whole, with every field that is wrong.",
  access: 'admin',
  body: UpdateSendingPolicy,
  responses: {
    200: json(SendingPolicyView, 'The policy now in force'),
    400: problem('validation_failed: names each field that is wrong; nothing changed'),
    ...forbidden,
  },
  handler: ({ caller, body }, { accounts }) => accounts.setSendingPolicy(caller, body),
});
routes.add({
  method: 'put',
  path: '/v1/account/email-provider',
  operationId: 'setEmailProvider',
  summary: "The account's sender: its Postmark server token (stored encrypted) and from address",
  access: 'admin',
  body: EmailProvider,
  responses: { 200: json(EmailProviderView, 'Saved'), ...forbidden },
  handler: ({ caller, body }, { accounts }) =>
    accounts.setEmailProvider(
      caller.accountId,
      body.postmarkServerToken,
      body.fromEmail,
      body.messageStream,
      caller.keyId,
    ),
});
routes.add({
  method: 'post',
  path: '/v1/api-keys',
  operationId: 'createApiKey',
  summary: 'Create an API key for this account (the key is shown once)',
  description:
    'The key is in this answer only; Herald keeps its hash. Repeating the request with the same Idempotency-Key does not show it again: that answers 409 `conflict` naming the key id (revoke it if the key was lost).',
  access: 'admin',
  headers: IdempotencyKeyHeader,
  body: CreateApiKey,
  responses: {
    201: json(CreatedApiKey, 'The new key'),
    400: problem('invalid role or name'),
    401: problem('no valid API key'),
    ...forbidden,
    409: problem(
      'conflict: a replay of a key creation (the key was shown once), or the account already holds 100 working keys (revoke one)',
    ),
  },
  handler: async ({ caller, body }, { accounts }, _req, res) => {
    const created = await accounts.createApiKey(caller.accountId, body.role, body.name, caller.keyId);
    answeredOnce(
      res,
      `The API key ${created.id} made by this request was shown once and is not kept: revoke it if it was lost, and create another`,
    );
    return created;
  },
});
routes.add({
  method: 'get',
  path: '/v1/api-keys',
  operationId: 'listApiKeys',
  summary: "The account's API keys, newest first, revoked ones included (never the key itself)",
  access: 'admin',
  query: Pagination,
  responses: {
    200: json(ApiKeyList, 'A page of keys'),
    400: problem('invalid limit or cursor'),
    401: problem('no valid API key'),
    ...forbidden,
  },
  handler: ({ caller, query }, { accounts }) =>
    accounts.listApiKeys(caller.accountId, query.limit, query.cursor),
});
routes.add({
  method: 'delete',
  path: '/v1/api-keys/{id}',
  operationId: 'revokeApiKey',
  summary: 'Revoke a key: refused from the next request on, on every API process',
  description:
    "An admin may revoke the key it is using, as long as another working admin key remains; the account's last admin key cannot be revoked (409). Revoking a revoked key answers it unchanged.",
  access: 'admin',
  params: IdParams,
  responses: {
    200: json(ApiKeyView, 'The revoked key'),
    400: problem('not a key id'),
    401: problem('no valid API key'),
    ...forbidden,
    404: problem("no such key in this account (another account's key id is a 404)"),
    409: problem("the account's last working admin key"),
  },
  handler: ({ caller, params }, { accounts }) =>
    accounts.revokeApiKey(caller.accountId, params.id, caller.keyId),
});

export const accountRoutes = (deps: { accounts: AccountService }) => routes.router(deps);
