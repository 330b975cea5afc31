import { randomUUID } from 'node:crypto';
import { ForgetStoredApiKeys1764202000001 } from '../db/migrations/1764202000001-ForgetStoredApiKeys';
import { createHash } from 'node:crypto';
import { ABANDONED_AFTER_MS, KEPT_FOR_MS, requestHashOf } from '../api/idempotency';
import { SecretBox } from '../security/secrets';
import { newId } from '../db/ids';
import { IdempotencyKey } from '../entities/IdempotencyKey';
import { eventually, useAccount, useStack } from './support/stack';

describe('Idempotency-Key', () => {
  const stack = useStack({ worker: false, env: { ALLOW_HTTP_WEBHOOKS: 'true' } });
  const account = useAccount(stack);
  const admin = account.api;

  it('when 20 identical creates race with one key, then one campaign is created and no answer is a 5xx', async () => {
    const key = `race-${Date.now()}`;
    const answers = await Promise.all(
      Array.from({ length: 20 }, () =>
        admin.post('/v1/campaigns', { name: 'Raced' }, { 'idempotency-key': key }),
      ),
    );

    const statuses = answers.map((a) => a.status);
    expect(statuses.filter((s) => s >= 500)).toEqual([]);
    expect(statuses.every((s) => s === 201 || s === 409)).toBe(true);
    const created = answers.filter(
      (a) => a.status === 201 && a.headers.get('idempotent-replayed') !== 'true',
    );
    expect(created).toHaveLength(1);
    // Every other answer is the same campaign replayed, or "in progress" with a time to come back.
    for (const a of answers) {
      if (a.status === 201) expect(a.body.id).toBe(created[0].body.id);
      else {
        expect(a.body.code).toBe('conflict');
        expect(Number(a.headers.get('retry-after'))).toBeGreaterThan(0);
      }
    }
    const list = await admin.get('/v1/campaigns?limit=100');
    expect(list.body.data.filter((c) => c.name === 'Raced')).toHaveLength(1);
  });

  it('when the process that claimed a key died before answering, then a retry after the abandon time runs instead of answering "in progress" for ever', async () => {
    const key = `abandoned-${randomUUID()}`;
    const body = { name: 'Abandoned' };
    const claim = (ageMs: number) =>
      stack.db.manager.insert(IdempotencyKey, {
        id: newId(),
        accountId: account.accountId,
        idempotencyKey: key,
        requestHash: requestHashOf(SecretBox.fromConfig(stack.config), {
          method: 'POST',
          originalUrl: '/v1/campaigns',
          body,
        }),
        statusCode: 0,
        responseBody: '',
        createdAt: new Date(Date.now() - ageMs),
      });
    // A claim a live request could still hold: the retry is told to come back.
    await claim(10_000);
    const early = await admin.post('/v1/campaigns', body, { 'idempotency-key': key });
    expect(early.status).toBe(409);
    expect(early.headers.get('retry-after')).toBe('1');
    // The same claim, older than any request lives: it was abandoned, so the retry runs, once.
    await stack.db.manager.delete(IdempotencyKey, { accountId: account.accountId, idempotencyKey: key });
    await claim(ABANDONED_AFTER_MS + 1_000);
    const retried = await admin.post('/v1/campaigns', body, { 'idempotency-key': key });
    expect(retried.status).toBe(201);
    expect(retried.headers.get('idempotent-replayed')).toBeNull();
    const replay = await admin.post('/v1/campaigns', body, { 'idempotency-key': key });
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect(replay.body.id).toBe(retried.body.id);
  });

  it('when a key creation is sent with an Idempotency-Key, then the stored answer holds no key and a replay does not reveal it', async () => {
    const headers = { 'idempotency-key': `key-create-${Date.now()}` };
    const first = await admin.post('/v1/api-keys', { role: 'support' }, headers);
    expect(first.status).toBe(201);
    const secret = first.body.key;
    expect(secret).toMatch(/^hk_/);

    const rows = await stack.db.manager.findBy(IdempotencyKey, {
      accountId: account.accountId,
      idempotencyKey: headers['idempotency-key'],
    });
    expect(rows).toHaveLength(1);
    expect(JSON.stringify(rows[0])).not.toContain(secret);

    const replay = await admin.post('/v1/api-keys', { role: 'support' }, headers);
    expect(JSON.stringify(replay.body)).not.toContain(secret);
    // Chosen: the key was shown once; the replay is a 409 naming the key so a lost one can be revoked.
    expect(replay.status).toBe(409);
    expect(replay.body.code).toBe('conflict');
    expect(replay.body.detail).toContain(first.body.id);
    // And nothing new was created.
    const keys = await admin.get('/v1/api-keys?limit=100');
    expect(keys.body.data.filter((k) => k.id === first.body.id)).toHaveLength(1);
  });

  it('when the database holds a key in an answer stored before this fix, then the migration drops that answer and keeps the others', async () => {
    const row = (idempotencyKey: string, responseBody: string): IdempotencyKey => ({
      id: randomUUID(),
      accountId: account.accountId,
      idempotencyKey,
      requestHash: '0'.repeat(64),
      statusCode: 201,
      responseBody,
      createdAt: new Date(),
    });
    const leaked = row(`old-${Date.now()}`, '{"id":"k1","role":"admin","key":"hk_leakedleakedleaked"}');
    const kept = row(`camp-${Date.now()}`, '{"id":"c1","name":"key hk_ in a name"}');
    await stack.db.transaction((em) => em.insert(IdempotencyKey, [leaked, kept]));

    const runner = stack.db.dataSource.createQueryRunner();
    try {
      await new ForgetStoredApiKeys1764202000001().up(runner);
    } finally {
      await runner.release();
    }
    expect(await stack.db.manager.existsBy(IdempotencyKey, { id: leaked.id })).toBe(false);
    expect(await stack.db.manager.existsBy(IdempotencyKey, { id: kept.id })).toBe(true);
  });

  it('when a request with an Idempotency-Key is refused, then by the time the refusal is read the key is free again: nothing of it is left', async () => {
    for (let i = 0; i < 10; i++) {
      const key = `refused-${randomUUID()}`;
      const refused = await admin.request('POST', '/v1/api-keys', {}, { 'idempotency-key': key });
      expect(refused.status).toBe(400);
      expect(
        await stack.db.manager.countBy(IdempotencyKey, { accountId: account.accountId, idempotencyKey: key }),
      ).toBe(0);
    }
  });

  it("when a support key repeats an admin's webhook endpoint creation with its Idempotency-Key, then it is refused as without the key, and no answer or stored row reveals the secret", async () => {
    const support = stack.api.as(await stack.newKey(account.accountId, 'support'));
    const headers = { 'idempotency-key': `endpoint-${randomUUID()}` };
    const body = { url: 'http://127.0.0.1:9/hooks' };
    const first = await admin.post('/v1/webhook-endpoints', body, headers);
    expect(first.status).toBe(201);
    const secret = first.body.secret;
    expect(secret).toMatch(/^whsec_/);

    const replayed = await support.post('/v1/webhook-endpoints', body, headers);
    expect(replayed.status).toBe(403);
    expect(replayed.headers.get('idempotent-replayed')).toBeNull();
    expect(JSON.stringify(replayed.body)).not.toContain(secret);

    const [row] = await stack.db.manager.findBy(IdempotencyKey, {
      accountId: account.accountId,
      idempotencyKey: headers['idempotency-key'],
    });
    expect(JSON.stringify(row)).not.toContain(secret);
    // The admin's own repeat cannot show the secret again either: a 409 naming the endpoint.
    const again = await admin.post('/v1/webhook-endpoints', body, headers);
    expect(again.status).toBe(409);
    expect(again.body.detail).toContain(first.body.id);
    expect(JSON.stringify(again.body)).not.toContain(secret);
    const list = await admin.get('/v1/webhook-endpoints');
    expect(list.body.data.filter((e) => e.id === first.body.id)).toHaveLength(1);
  });

  it("when a support key repeats an admin's deposit with its Idempotency-Key, then it gets 403 and the balance does not move", async () => {
    const support = stack.api.as(await stack.newKey(account.accountId, 'support'));
    const headers = { 'idempotency-key': `funds-${randomUUID()}` };
    const deposit = await admin.post('/v1/account/funds', { amountCents: 500 }, headers);
    expect(deposit.status).toBe(200);
    const replayed = await support.post('/v1/account/funds', { amountCents: 500 }, headers);
    expect(replayed.status).toBe(403);
    expect(replayed.body.code).toBe('forbidden');
    expect((await admin.get('/v1/account')).body.balanceCents).toBe(deposit.body.balanceCents);
  });

  it('when a request is stored, then its fingerprint is keyed with the server secret: the plain SHA-256 of the request is not it', async () => {
    const key = `fingerprint-${randomUUID()}`;
    const body = { name: 'Fingerprinted' };
    expect((await admin.post('/v1/campaigns', body, { 'idempotency-key': key })).status).toBe(201);
    const [row] = await stack.db.manager.findBy(IdempotencyKey, {
      accountId: account.accountId,
      idempotencyKey: key,
    });
    const plain = (text: string) => createHash('sha256').update(text).digest('hex');
    expect(row.requestHash).not.toBe(plain(`POST /v1/campaigns\n${JSON.stringify(body)}`));
    expect(row.requestHash).toBe(
      requestHashOf(SecretBox.fromConfig(stack.config), {
        method: 'POST',
        originalUrl: '/v1/campaigns',
        body,
      }),
    );
    expect(
      requestHashOf(SecretBox.fromConfig({ secretKey: 'ab'.repeat(32), dataDir: '' }), {
        method: 'POST',
        originalUrl: '/v1/campaigns',
        body,
      }),
    ).not.toBe(row.requestHash);
  });
});

describe('Idempotency-Key answers expire', () => {
  const stack = useStack({ worker: false });

  it('when a stored answer is older than a day, then its key runs the request anew, and expired answers of every account are deleted', async () => {
    const { accountId, adminKey, as } = await stack.newAccount();
    const admin = as(adminKey);
    const other = await stack.newAccount();
    const dayAgo = new Date(Date.now() - KEPT_FOR_MS - 60_000);
    // Another account's answer from yesterday, which no request will ever ask for again.
    const forgotten = {
      id: newId(),
      accountId: other.accountId,
      idempotencyKey: `forgotten-${randomUUID()}`,
      requestHash: '0'.repeat(64),
      statusCode: 201,
      responseBody: '{"id":"c1"}',
      createdAt: dayAgo,
    };
    await stack.db.manager.insert(IdempotencyKey, forgotten);
    const body = { name: 'Yesterday' };
    const key = `expired-${randomUUID()}`;
    const first = await admin.post('/v1/campaigns', body, { 'idempotency-key': key });
    expect(first.status).toBe(201);
    await stack.db.manager.update(IdempotencyKey, { accountId, idempotencyKey: key }, { createdAt: dayAgo });

    const later = await admin.post('/v1/campaigns', body, { 'idempotency-key': key });
    expect(later.status).toBe(201);
    expect(later.headers.get('idempotent-replayed')).toBeNull();
    expect(later.body.id).not.toBe(first.body.id);
    await eventually(async () =>
      (await stack.db.manager.existsBy(IdempotencyKey, { id: forgotten.id })) ? undefined : 'deleted',
    );
  });
});
