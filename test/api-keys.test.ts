import { ApiKey } from '../entities/ApiKey';
import { type ApiClient, useStack } from './support/stack';

describe('API keys', () => {
  const stack = useStack({ worker: false });
  /** A second API process on the same database. */
  const other = useStack({ worker: false });

  const revoke = (api: ApiClient, id: string) => api.delete(`/v1/api-keys/${id}`);

  it('when an admin creates named keys, then the list shows each one without the key itself, page by page', async () => {
    const account = await stack.newAccount();
    const admin = account.as(account.adminKey);
    const made = await admin.post('/v1/api-keys', { role: 'support', name: 'Help desk' });
    expect(made.status).toBe(201);
    expect(made.body).toMatchObject({ role: 'support', name: 'Help desk' });
    const secret = made.body.key;
    await admin.post('/v1/api-keys', { role: 'admin' });

    const first = await admin.get('/v1/api-keys?limit=2');
    expect(first.status).toBe(200);
    expect(first.body.data).toHaveLength(2);
    expect(first.body.nextCursor).toEqual(expect.any(String));
    const second = await admin.get(`/v1/api-keys?limit=2&cursor=${first.body.nextCursor}`);
    expect(second.body).toEqual({ data: [expect.any(Object)], nextCursor: null });

    const all = [...first.body.data, ...second.body.data];
    expect(JSON.stringify(all)).not.toContain(secret);
    expect(JSON.stringify(all)).not.toContain(account.adminKey);
    const helpDesk = all.find((k) => k.id === made.body.id);
    expect(helpDesk).toEqual({
      id: made.body.id,
      role: 'support',
      name: 'Help desk',
      prefix: secret.slice(0, 10),
      createdAt: expect.any(String),
      lastUsedAt: null,
      revokedAt: null,
    });
    // The key this request used shows it was used.
    expect(all.find((k) => k.prefix === account.adminKey.slice(0, 10))?.lastUsedAt).toEqual(
      expect.any(String),
    );
  });

  it('when a key is revoked through one API process, then the other process refuses it at once', async () => {
    const account = await stack.newAccount();
    const admin = account.as(account.adminKey);
    const made = await admin.post('/v1/api-keys', { role: 'support' });
    const elsewhere = other.api.as(made.body.key);
    expect((await elsewhere.get('/v1/account')).status).toBe(200);

    const revoked = await revoke(admin, made.body.id);
    expect(revoked.status).toBe(200);
    expect(revoked.body.revokedAt).toEqual(expect.any(String));

    expect((await elsewhere.get('/v1/account')).status).toBe(401);
    expect((await stack.api.as(made.body.key).get('/v1/account')).status).toBe(401);
    const listed = (await other.api.as(account.adminKey).get('/v1/api-keys')).body.data;
    expect(listed.find((k) => k.id === made.body.id)!.revokedAt).toBe(revoked.body.revokedAt);
  });

  it('when an admin revokes the key it is using, then that works while another admin key remains, and the last admin key cannot be revoked', async () => {
    const account = await stack.newAccount();
    const admin = account.as(account.adminKey);
    const ownId = (await admin.get('/v1/api-keys')).body.data[0].id;

    const last = await revoke(admin, ownId);
    expect(last.status).toBe(409);
    expect(last.body.code).toBe('conflict');
    expect((await admin.get('/v1/account')).status).toBe(200);

    const successor = await admin.post('/v1/api-keys', { role: 'admin', name: 'rotated' });
    const self = await revoke(admin, ownId);
    expect(self.status).toBe(200);
    expect((await admin.get('/v1/account')).status).toBe(401);
    expect((await account.as(successor.body.key).get('/v1/account')).status).toBe(200);
  });

  it('when a key is used again within a minute, then its last-used time is not rewritten', async () => {
    const account = await stack.newAccount();
    const admin = account.as(account.adminKey);
    await admin.get('/v1/account');
    const row = await stack.db.manager.findOneByOrFail(ApiKey, { accountId: account.accountId });
    expect(row.lastUsedAt).toBeInstanceOf(Date);
    await admin.get('/v1/account');
    const again = await stack.db.manager.findOneByOrFail(ApiKey, { accountId: account.accountId });
    expect(again.lastUsedAt?.getTime()).toBe(row.lastUsedAt!.getTime());

    // An old last-used time is brought up to date.
    const old = new Date(Date.now() - 10 * 60_000);
    await stack.db.transaction((em) => em.update(ApiKey, { id: row.id }, { lastUsedAt: old }));
    await admin.get('/v1/account');
    const fresh = await stack.db.manager.findOneByOrFail(ApiKey, { id: row.id });
    expect(fresh.lastUsedAt!.getTime()).toBeGreaterThan(old.getTime() + 60_000);
  });

  it('when a key id belongs to another account, then it is a 404 and that key keeps working; support keys get 403; bad input is a 400', async () => {
    const mine = await stack.newAccount();
    const theirs = await stack.newAccount();
    const theirKey = await theirs.as(theirs.adminKey).post('/v1/api-keys', { role: 'support' });
    const admin = mine.as(mine.adminKey);

    const foreign = await revoke(admin, theirKey.body.id);
    expect(foreign.status).toBe(404);
    expect(foreign.body.code).toBe('not_found');
    expect((await theirs.as(theirKey.body.key).get('/v1/account')).status).toBe(200);
    expect(JSON.stringify((await admin.get('/v1/api-keys')).body)).not.toContain(theirKey.body.id);

    const support = mine.as(await stack.newKey(mine.accountId, 'support'));
    expect((await support.get('/v1/api-keys')).status).toBe(403);
    expect((await revoke(support, theirKey.body.id)).status).toBe(403);

    expect((await admin.post('/v1/api-keys', { role: 'support', name: '' })).status).toBe(400);
    expect((await admin.post('/v1/api-keys', { role: 'support', name: 'x'.repeat(101) })).status).toBe(400);
    expect((await revoke(admin, 'not-an-id')).status).toBe(400);
    expect((await admin.get('/v1/api-keys?cursor=nonsense')).status).toBe(400);
  });
});
