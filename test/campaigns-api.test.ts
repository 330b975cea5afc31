import { workflowIdFor } from '../domain/campaign';
import { eventually, useAccount, useStack } from './support/stack';

describe('Creating and reading campaigns over HTTP', () => {
  const stack = useStack();
  const account = useAccount(stack);
  const admin = account.api;

  it('when a draft is created, then its workflow runs with search attributes, a memo, and what the worker read from the database', async () => {
    const expiresAt = new Date(Date.now() + 86_400_000).toISOString();
    const created = await admin.post('/v1/campaigns', {
      name: 'Spring launch',
      description: 'Early access',
      expiresAt,
      batch: { size: 100, gapMinutes: 0.5 },
      costPerInviteCents: 25,
      email: { subject: 'You are invited', fromName: 'Herald team' },
    });
    expect(created.status).toBe(201);
    expect(created.headers.get('location')).toBe(`/v1/campaigns/${created.body.id}`);
    expect(created.body).toMatchObject({
      name: 'Spring launch',
      status: 'draft',
      expiresAt,
      batch: { size: 100, gapMinutes: 0.5 },
      costPerInviteCents: 25,
      email: { subject: 'You are invited', fromName: 'Herald team' },
      progress: { total: 0, sent: 0 },
    });

    const id: string = created.body.id;
    const handle = stack.temporal.workflow.getHandle(workflowIdFor(id));
    const status = await eventually(async () => {
      const s = await handle.query<{ phase: string; expiresAt: string | null }>('status');
      return s.expiresAt ? s : undefined;
    });
    expect(status).toMatchObject({ phase: 'draft', expiresAt });

    const description = await handle.describe();
    expect(description.status.name).toBe('RUNNING');
    expect(description.taskQueue).toBe(stack.config.temporal.taskQueue);
    expect(description.memo).toEqual({ name: 'Spring launch' });

    const found = await eventually(async () => {
      const runs = [];
      for await (const run of stack.temporal.workflow.list({
        query: `CampaignId="${id}" AND CampaignStatus="draft"`,
      }))
        runs.push(run);
      return runs.length ? runs : undefined;
    });
    expect(found.map((r) => r.workflowId)).toEqual([workflowIdFor(id)]);
    expect(found[0].searchAttributes).toMatchObject({
      AccountId: [account.accountId],
      CampaignStatus: ['draft'],
    });

    const read = await admin.get(`/v1/campaigns/${id}`);
    expect(read.status).toBe(200);
    expect(read.body).toEqual(created.body);
  });

  it('when the account has more campaigns than a page holds, then the cursor walks them newest first, each once', async () => {
    const account = await stack.newAccount();
    const api = account.as(account.adminKey);
    const names = ['one', 'two', 'three', 'four', 'five'];
    for (const name of names) expect((await api.post('/v1/campaigns', { name })).status).toBe(201);

    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res: { status: number; body: { data: { name: string }[]; nextCursor: string | null } } =
        await api.get(`/v1/campaigns?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      expect(res.status).toBe(200);
      seen.push(...res.body.data.map((c) => c.name));
      cursor = res.body.nextCursor;
    } while (cursor);
    expect(seen).toEqual([...names].reverse());

    const drafts = await api.get('/v1/campaigns?status=draft&limit=50');
    expect(drafts.body.data).toHaveLength(5);
    expect((await api.get('/v1/campaigns?status=paused')).body).toEqual({ data: [], nextCursor: null });
  });

  it("when another account asks for a campaign by id, then it is a 404, the same as one that doesn't exist", async () => {
    const mine = await admin.post('/v1/campaigns', { name: 'Private' });
    const other = await stack.newAccount();
    const theirs = other.as(other.adminKey);

    const res = await theirs.get(`/v1/campaigns/${mine.body.id}`);
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({ status: 404, code: 'not_found' });
    expect((await theirs.get('/v1/campaigns/00000000-0000-7000-8000-000000000000')).body.code).toBe(
      'not_found',
    );
    expect((await theirs.get('/v1/campaigns')).body.data.map((c) => c.id)).not.toContain(mine.body.id);
  });

  it('when the body has unknown fields or bad values, then it is a 400 naming each field, and nothing is created', async () => {
    const before = (await admin.get('/v1/campaigns?limit=500')).body.data.length;
    const res = await admin.request('POST', '/v1/campaigns', {
      name: '',
      status: 'active',
      batch: { size: 0, gapMinutes: -1, extra: true },
      startAt: 'tomorrow',
    });
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(res.body.code).toBe('validation_failed');
    const fields = res.body.errors.map((e) => e.field).sort();
    expect(fields).toEqual(['batch.extra', 'batch.gapMinutes', 'batch.size', 'name', 'startAt', 'status']);
    expect(res.body.errors.find((e) => e.field === 'status')!.message).toBe('unknown field');

    expect((await admin.request('POST', '/v1/campaigns', '{"name": oops', {})).body.code).toBe(
      'validation_failed',
    );
    expect((await admin.get('/v1/campaigns?limit=500')).body.data.length).toBe(before);
  });

  it('when the key is missing, wrong or support-only, then 401 / 401 / 403 with problem+json', async () => {
    const anonymous = await stack.api.get('/v1/campaigns');
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('www-authenticate')).toBe('Bearer');
    expect(anonymous.body.code).toBe('unauthorized');
    expect((await stack.api.as('hk_not-a-real-key-at-all-000000').get('/v1/campaigns')).status).toBe(401);
    // Credentials are checked before the body is read: an anonymous malformed body is still a 401.
    const anonymousJunk = await stack.api.request('POST', '/v1/campaigns', '{"name": oops');
    expect(anonymousJunk.status).toBe(401);
    expect(anonymousJunk.body.code).toBe('unauthorized');

    const support = admin.as(await stack.newKey(account.accountId, 'support'));
    const refused = await support.post('/v1/campaigns', { name: 'Nope' });
    expect(refused.status).toBe(403);
    expect(refused.body.code).toBe('forbidden');
    expect((await support.get('/v1/campaigns')).status).toBe(200);
  });

  it('when an admin creates a key, then it is shown once, works, and only its hash is stored', async () => {
    const res = await admin.post('/v1/api-keys', { role: 'support' });
    expect(res.status).toBe(201);
    expect(res.body.key).toMatch(/^hk_[A-Za-z0-9_-]{43}$/);
    expect((await admin.as(res.body.key).get('/v1/campaigns')).status).toBe(200);
    const rows: { keyHash: string }[] = await stack.db.dataSource.query(
      'SELECT keyHash FROM api_keys WHERE id = ?',
      [res.body.id],
    );
    expect(rows[0].keyHash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(rows)).not.toContain(res.body.key);
    expect((await admin.request('POST', '/v1/api-keys', { role: 'owner' })).body.errors[0].field).toBe(
      'role',
    );
  });

  it('when a path does not exist, then it is a problem+json 404', async () => {
    const res = await admin.request('GET', '/v1/nothing-here');
    expect(res.status).toBe(404);
    expect(res.body).toMatchObject({ code: 'not_found', instance: '/v1/nothing-here' });
  });
});

describe('Health, readiness and the API description', () => {
  const stack = useStack({ worker: false });

  it('answers liveness and readiness when the database and Temporal both answer', async () => {
    expect((await stack.api.get('/healthz')).body).toEqual({ status: 'ok' });
    const ready = await stack.api.get('/readyz');
    expect(ready.status).toBe(200);
    expect(ready.body).toEqual({ status: 'ok', checks: { database: 'ok', temporal: 'ok' } });
  });

  it('describes every route in /openapi.json, generated from the validating schemas, and renders it at /docs', async () => {
    const doc = await stack.api.get('/openapi.json');
    expect(doc.status).toBe(200);
    // openapi.json describes itself as an object: the parts read here.
    const document = doc.body as unknown as {
      openapi: string;
      paths: Record<string, unknown>;
      components: { schemas: Record<string, { required?: string[]; additionalProperties?: unknown }> };
    };
    expect(document.openapi).toBe('3.1.0');
    expect(Object.keys(document.paths)).toEqual(
      expect.arrayContaining(['/v1/campaigns', '/v1/campaigns/{id}', '/healthz', '/readyz', '/v1/api-keys']),
    );
    const create = document.components.schemas.CreateCampaign;
    expect(create.required).toEqual(['name']);
    expect(create.additionalProperties).toBe(false);

    const page = await fetch(`${stack.baseUrl}/docs/`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<title>Herald API</title>');
  });
});
