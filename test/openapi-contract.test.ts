import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { openApiDocument } from '../api/openapi';
import { checkAgainstOpenApi, checkResponse, takeContractMismatches } from './support/openapi-check';
import { useAccount, useStack } from './support/stack';

/**
 * @redocly/openapi-core is ESM only and Jest runs CommonJS here, so the lint runs in a child
 * node process: the document in on stdin, the problems out as JSON.
 */
const LINT = `
import { createConfig, lintFromString } from '@redocly/openapi-core';
let source = '';
for await (const chunk of process.stdin) source += chunk;
const config = await createConfig({ extends: ['recommended'] });
const problems = await lintFromString({ source, absoluteRef: 'openapi.json', config });
process.stdout.write(JSON.stringify(problems.map((p) => ({
  severity: p.severity, rule: p.ruleId, message: p.message, at: p.location?.[0]?.pointer,
}))));
`;

function redoclyRecommendedLint(document: unknown): Promise<Record<string, string>[]> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      process.execPath,
      ['--input-type=module', '-e', LINT],
      { cwd: `${__dirname}/..`, maxBuffer: 10 * 1024 * 1024 },
      (err, stdout, stderr) =>
        err ? reject(new Error(`${err.message}\n${stderr}`)) : resolve(JSON.parse(stdout)),
    );
    child.stdin!.end(JSON.stringify(document));
  });
}

describe('The OpenAPI document', () => {
  it("when Redocly's recommended ruleset lints it, then there is not one error or warning", async () => {
    // A deployment's own address: `no-server-example.com` rightly flags localhost, the dev default.
    const problems = await redoclyRecommendedLint(openApiDocument('https://herald.acme.test'));
    if (problems.length > 0) console.error('Redocly recommended lint:\n', problems);
    expect(problems).toEqual([]);
  }, 120_000);

  it('when it is generated, then every operation has its own camelCase operationId', () => {
    const ids = Object.values(openApiDocument('https://herald.acme.test').paths ?? {}).flatMap((item) =>
      Object.values(item as Record<string, { operationId?: string }>).map((op) => op.operationId),
    );
    expect(ids.length).toBeGreaterThan(30);
    for (const id of ids) expect(id).toMatch(/^[a-z][a-zA-Z0-9]*$/);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('when a route is registered without an operationId, then generating the document fails and names it', async () => {
    await jest.isolateModulesAsync(async () => {
      const { registry } = await import('../api/schemas');
      const fresh = await import('../api/openapi');
      registry.registerPath({
        method: 'get',
        path: '/v1/forgotten',
        responses: { 200: { description: 'ok' } },
      });
      expect(() => fresh.openApiDocument('https://herald.acme.test')).toThrow(
        'OpenAPI: GET /v1/forgotten has no operationId',
      );
    });
  });

  it('when a response differs from the document, then the check throws with the method, path, status and why', () => {
    const problem = (status: number) =>
      JSON.stringify({ type: 't', title: 't', status, code: 'x', detail: 'd', instance: '/v1/account' });
    expect(() =>
      checkAgainstOpenApi({
        method: 'GET',
        path: '/v1/account',
        status: 418,
        contentType: 'application/problem+json',
        text: problem(418),
      }),
    ).toThrow('GET /v1/account → 418: status 418 is not documented for getAccount');
    expect(() =>
      checkAgainstOpenApi({
        method: 'GET',
        path: '/v1/account',
        status: 200,
        contentType: 'text/html',
        text: '<p>',
      }),
    ).toThrow('content type "text/html" is not documented');
    expect(() =>
      checkAgainstOpenApi({
        method: 'GET',
        path: '/v1/account',
        status: 200,
        contentType: 'application/json',
        text: JSON.stringify({ id: 'a' }),
      }),
    ).toThrow("body must have required property 'balanceCents'");
    // The recipient pages are not part of the API document.
    expect(() =>
      checkAgainstOpenApi({ method: 'GET', path: '/i/abc', status: 404, contentType: 'text/html', text: '' }),
    ).not.toThrow();
  });

  it('when a mismatch is thrown inside a retried check, then it is still remembered for the stack to report', () => {
    const observed = {
      method: 'GET',
      path: '/healthz',
      status: 200,
      contentType: 'application/json',
      text: '{}',
    };
    try {
      checkResponse(observed); // as inside eventually(), which swallows the throw and retries
    } catch {
      // swallowed
    }
    expect(takeContractMismatches()).toEqual([
      expect.stringContaining('GET /healthz → 200: the body does not match'),
    ]);
    expect(takeContractMismatches()).toEqual([]);
  });
});

describe('Real responses against the document (every ApiClient call is checked)', () => {
  const stack = useStack({ worker: false });
  const api = useAccount(stack).api;

  it('when a request has no or a wrong API key, then the 401 problem is documented for that operation', async () => {
    expect((await stack.api.get('/v1/account')).status).toBe(401);
    expect((await api.as('nope').get('/v1/campaigns')).status).toBe(401);
    expect((await stack.api.post('/v1/campaigns', { name: 'x' })).status).toBe(401);
  });

  it('when a campaign is not paused, then its null pausedReason matches the schema', async () => {
    const created = await api.post('/v1/campaigns', { name: 'Contract' });
    expect(created.status).toBe(201);
    expect(created.body.pausedReason).toBeNull();
    expect((await api.get(`/v1/campaigns/${created.body.id}`)).status).toBe(200);
    expect((await api.get('/v1/campaigns')).status).toBe(200);
  });

  it('when an invite link or a campaign export does not exist, then the 404 is documented', async () => {
    expect((await api.get(`/v1/invites/${randomUUID()}/link`)).status).toBe(404);
    expect((await api.get(`/v1/campaigns/${randomUUID()}/invites/export`)).status).toBe(404);
  });

  it("when a URL is over the server's limit, then the 431 is documented for the operation it names", async () => {
    const ids = Array.from({ length: 600 }, () => randomUUID()).join(',');
    const path = `/v1/campaigns/${randomUUID()}/invites/export` as const;
    const res = await api.get(`${path}?ids=${ids}`);
    expect(res.status).toBe(431);
    expect(res.body).toMatchObject({ code: 'headers_too_large', instance: path });
  });

  it('when a support key tries an admin operation, then the 403 is documented', async () => {
    const { accountId, adminKey } = await stack.newAccount();
    const support = api.as(await stack.newKey(accountId, 'support'));
    const id = (await api.as(adminKey).post('/v1/campaigns', { name: 'Admin only' })).body.id;
    expect((await support.patch(`/v1/campaigns/${id}`, { name: 'y' })).status).toBe(403);
    expect((await support.post(`/v1/campaigns/${id}/cancel`)).status).toBe(403);
  });

  it('when the public probes and the document itself are fetched, then they match it too', async () => {
    expect((await stack.api.get('/healthz')).status).toBe(200);
    expect((await stack.api.get('/readyz')).status).toBe(200);
    expect((await stack.api.get('/openapi.json')).body.openapi).toBe('3.1.0');
  });
});
