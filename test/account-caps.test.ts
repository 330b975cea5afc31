import { IsNull } from 'typeorm';
import { MAX_API_KEYS } from '../api/usecases/accounts';
import { MAX_WEBHOOK_ENDPOINTS } from '../api/usecases/webhook-endpoints';
import { ApiKey } from '../entities/ApiKey';
import { WebhookEndpoint } from '../entities/WebhookEndpoint';
import { type ApiClient, useStack } from './support/stack';

describe('Caps per account: API keys and webhook endpoints', () => {
  // No worker: an endpoint's workflow is only nudged, and nothing here needs a delivery.
  const env = { ALLOW_HTTP_WEBHOOKS: 'true' };
  const stack = useStack({ worker: false, env });
  /** A second API process on the same database: concurrent creates land on both. */
  const other = useStack({ worker: false, env });

  const liveKeys = (accountId: string) =>
    stack.db.manager.countBy(ApiKey, { accountId, revokedAt: IsNull() });
  const endpoints = (accountId: string) => stack.db.manager.countBy(WebhookEndpoint, { accountId });

  /** An account with `live` working keys (its admin key among them). */
  async function accountWithKeys(live: number) {
    const account = await stack.newAccount();
    for (let i = 1; i < live; i++) await stack.newKey(account.accountId, 'support');
    expect(await liveKeys(account.accountId)).toBe(live);
    return { ...account, admin: account.as(account.adminKey) };
  }

  /** An account with `count` webhook endpoints. */
  async function accountWithEndpoints(count: number) {
    const account = await stack.newAccount();
    const admin = account.as(account.adminKey);
    const ids: string[] = [];
    for (let i = 0; i < count; i++) {
      const res = await admin.post('/v1/webhook-endpoints', { url: `http://127.0.0.1:9/hook-${i}` });
      expect(res.status).toBe(201);
      ids.push(res.body.id);
    }
    return { ...account, admin, ids };
  }

  const expectCapProblem = (res: { status: number; body: { detail: string } }, what: RegExp) => {
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ status: 409, code: 'conflict' });
    expect(res.body.detail).toMatch(what);
  };

  it(`when an account has ${MAX_API_KEYS} working keys, then creating one more is a 409 naming the cap and what to do, and no key is made`, async () => {
    const { accountId, admin } = await accountWithKeys(MAX_API_KEYS);
    const res = await admin.post('/v1/api-keys', { role: 'support', name: 'one too many' });
    expectCapProblem(res, new RegExp(`at most ${MAX_API_KEYS} working API keys.*revoke one`, 'i'));
    expect(await liveKeys(accountId)).toBe(MAX_API_KEYS);
    expect(await stack.db.manager.countBy(ApiKey, { accountId, name: 'one too many' })).toBe(0);
  });

  it('when one of those keys is revoked, then a new one can be created: revoked keys do not count', async () => {
    const { accountId, admin } = await accountWithKeys(MAX_API_KEYS);
    const support = await stack.db.manager.findOneByOrFail(ApiKey, { accountId, role: 'support' });
    expect((await admin.delete(`/v1/api-keys/${support.id}`)).status).toBe(200);
    const res = await admin.post('/v1/api-keys', { role: 'support' });
    expect(res.status).toBe(201);
    expect(await liveKeys(accountId)).toBe(MAX_API_KEYS);
  });

  it('when two keys are created at once with one slot left, through two API processes, then exactly one is made', async () => {
    const { accountId, adminKey } = await accountWithKeys(MAX_API_KEYS - 1);
    const clients: ApiClient[] = [stack.api.as(adminKey), other.api.as(adminKey)];
    const answers = await Promise.all(clients.map((c) => c.post('/v1/api-keys', { role: 'support' })));
    expect(answers.map((a) => a.status).sort()).toEqual([201, 409]);
    expect(await liveKeys(accountId)).toBe(MAX_API_KEYS);
  });

  it(`when an account has ${MAX_WEBHOOK_ENDPOINTS} webhook endpoints, then adding one more is a 409 naming the cap and what to do, and nothing is added`, async () => {
    const { accountId, admin } = await accountWithEndpoints(MAX_WEBHOOK_ENDPOINTS);
    const res = await admin.post('/v1/webhook-endpoints', { url: 'http://127.0.0.1:9/one-too-many' });
    expectCapProblem(res, new RegExp(`at most ${MAX_WEBHOOK_ENDPOINTS} webhook endpoints.*delete one`, 'i'));
    expect(await endpoints(accountId)).toBe(MAX_WEBHOOK_ENDPOINTS);
  });

  it('when one of those endpoints is deleted, then a new one can be added', async () => {
    const { accountId, admin, ids } = await accountWithEndpoints(MAX_WEBHOOK_ENDPOINTS);
    expect((await admin.delete(`/v1/webhook-endpoints/${ids[0]}`)).status).toBe(204);
    const res = await admin.post('/v1/webhook-endpoints', { url: 'http://127.0.0.1:9/replacement' });
    expect(res.status).toBe(201);
    expect(await endpoints(accountId)).toBe(MAX_WEBHOOK_ENDPOINTS);
  });

  it('when two endpoints are added at once with one slot left, through two API processes, then exactly one is added', async () => {
    const { accountId, adminKey } = await accountWithEndpoints(MAX_WEBHOOK_ENDPOINTS - 1);
    const clients: ApiClient[] = [stack.api.as(adminKey), other.api.as(adminKey)];
    const answers = await Promise.all(
      clients.map((c, i) => c.post('/v1/webhook-endpoints', { url: `http://127.0.0.1:9/race-${i}` })),
    );
    expect(answers.map((a) => a.status).sort()).toEqual([201, 409]);
    expect(await endpoints(accountId)).toBe(MAX_WEBHOOK_ENDPOINTS);
  });
});
