import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { problemHandler } from '../api/problem-json';
import { RateLimiter } from '../api/rate-limit';
import { configureLogs, toStdout } from '../ops/log';
import { draft } from './support/campaigns';
import { checkedFetch } from './support/openapi-check';
import { eventually, useAccount, useStack } from './support/stack';

/** Herald's log lines written while `work` runs, parsed, up to the request's own line (written once the answer is sent). */
async function logsOf(work: () => Promise<void>): Promise<Array<{ level: string; msg: string }>> {
  const lines: Array<{ level: string; msg: string }> = [];
  configureLogs({ level: 'info', write: (line) => void lines.push(JSON.parse(line)) });
  try {
    await work();
    await eventually(async () => (lines.some((l) => l.msg === 'request') ? true : undefined), {
      timeoutMs: 2_000,
    });
  } finally {
    configureLogs({ level: 'warn', write: toStdout }); // as test/support/setup-file.ts has it
  }
  return lines;
}

/** What a person or a client is told, by where they asked. */
const HTML = /^text\/html/;
const PROBLEM = /^application\/problem\+json/;

describe('URLs that are not valid percent-encoding', () => {
  const stack = useStack({
    worker: false,
    pageLimits: { requests: new RateLimiter(10_000, 1_000), misses: new RateLimiter(10_000, 1_000) },
  });
  const account = useAccount(stack);
  const api = account.api;

  /** The request as a client sends it (the bytes after the host, as written), checked against openapi.json where it is documented. */
  const send = (method: string, path: string, key?: string) =>
    checkedFetch(`${stack.baseUrl}${path}`, {
      method,
      headers: {
        ...(key ? { authorization: `Bearer ${key}` } : {}),
        ...(method === 'GET' ? {} : { 'content-type': 'application/json' }),
      },
      body: method === 'GET' ? undefined : '{}',
    });

  it.each([
    // The recipient's link, cut short or mangled in transit: the page a person can act on.
    ['GET', '/i/%ff', false, 404, HTML],
    ['GET', '/i/%E0%A4%A', false, 404, HTML],
    ['GET', '/i/abc%', false, 404, HTML],
    ['POST', '/i/%ff/start', false, 404, HTML],
    ['POST', '/i/%ff/email', false, 404, HTML],
    // The console and its files.
    ['GET', '/console/%ff', false, 400, PROBLEM],
    ['GET', '/console/campaigns/%E0%A4%A', false, 400, PROBLEM],
    ['GET', '/console/assets/%ff', false, 404, PROBLEM],
    // The API after authentication: the path parameter cannot be read.
    ['GET', '/v1/campaigns/%ff', true, 400, PROBLEM],
    ['PATCH', '/v1/campaigns/%ff', true, 400, PROBLEM],
    ['POST', '/v1/campaigns/%E0%A4%A/launch', true, 400, PROBLEM],
    ['GET', '/v1/links/%ff', true, 400, PROBLEM],
    ['POST', '/v1/links/%ff/complete', true, 400, PROBLEM],
    ['GET', '/v1/invites/%ff/link', true, 400, PROBLEM],
    // …and before it: an anonymous request learns nothing but 401, whatever its URL.
    ['GET', '/v1/campaigns/%ff', false, 401, PROBLEM],
    ['GET', '/v1/links/%ff', false, 401, PROBLEM],
    ['GET', '/v1/campaigns?cursor=%ff', false, 401, PROBLEM],
    // Paths no route has.
    ['GET', '/%ff', false, 404, PROBLEM],
    ['GET', '/v1/%ff', true, 404, PROBLEM],
  ])(
    'when %s %s (authenticated: %s), then %i with the right content type, and nothing is logged as an error',
    async (method, path, authenticated, status, type) => {
      let res: Response | undefined;
      const logs = await logsOf(async () => {
        res = await send(method, path, authenticated ? account.adminKey : undefined);
      });
      expect([res!.status, res!.headers.get('content-type')]).toEqual([status, expect.stringMatching(type)]);
      const body = await res!.text();
      if (type === HTML) expect(body).toContain('<h1>Link not found</h1>');
      if (status === 400) {
        const problem = JSON.parse(body);
        expect(problem).toMatchObject({ status: 400, code: 'validation_failed' });
        expect(problem.errors).toEqual([
          { field: '(path)', message: expect.stringContaining('not valid percent-encoding') },
        ]);
        expect(problem.detail).toMatch(/%25/); // says how to send a literal %
      }
      expect(logs.filter((l) => l.level === 'error')).toEqual([]);
      expect(logs.find((l) => l.msg === 'request')).toMatchObject({ level: 'info', status }); // as for any answer
    },
  );

  it.each([
    ['/v1/campaigns?cursor=%ff'],
    ['/v1/campaigns?status=%E0%A4%A'],
    ['/v1/campaigns?%ff=1'],
    ['/v1/api-keys?limit=1&cursor=abc%'],
  ])(
    'when an authenticated query string is not valid percent-encoding (%s), then 400 names the query, not a mangled value',
    async (path) => {
      const logs = await logsOf(async () => {
        const res = await api.request('GET', path);
        expect(res.status).toBe(400);
        expect(res.body.errors).toEqual([
          { field: '(query)', message: expect.stringContaining('not valid percent-encoding') },
        ]);
      });
      expect(logs.filter((l) => l.level === 'error')).toEqual([]);
    },
  );

  it('when a query string is valid percent-encoding, then it is read as before (%25 is a literal %, + a space)', async () => {
    const id = await draft(api, { name: '100% Sale' });
    const found = await api.get(`/v1/campaigns?limit=500&status=draft`);
    expect(found.status).toBe(200);
    expect(found.body.data.map((c) => c.id)).toContain(id);
    const encoded = await api.get(`/v1/campaigns?limit=%35%30%30&status=dr%61ft`);
    expect([encoded.status, encoded.body.data.length]).toEqual([200, found.body.data.length]);
  });

  it('when a path parameter is well percent-encoded, then it is decoded as before: an unknown id is still 404', async () => {
    const id = randomUUID();
    const res = await api.get(`/v1/campaigns/%${id.charCodeAt(0).toString(16)}${id.slice(1)}`);
    expect([res.status, res.body.code]).toEqual([404, 'not_found']);
  });
});

describe('Errors that carry a client status of their own', () => {
  it("when a middleware fails with its own 4xx (a `statusCode` on the error, as serve-static's), then that status as problem+json, logged as a warning, never as an error", async () => {
    const app = express();
    app.get('/video', () => {
      throw Object.assign(new Error('Range Not Satisfiable'), { statusCode: 416, expose: true });
    });
    app.use(problemHandler);
    const server = app.listen(0, '127.0.0.1');
    await new Promise<void>((resolve) => server.once('listening', resolve));
    try {
      let res: Response | undefined;
      const lines: Array<{ level: string; msg: string }> = [];
      configureLogs({ write: (line) => void lines.push(JSON.parse(line)) });
      try {
        res = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/video`);
      } finally {
        configureLogs({ write: toStdout });
      }
      expect([res.status, res.headers.get('content-type')]).toEqual([416, expect.stringMatching(PROBLEM)]);
      expect(await res.json()).toMatchObject({
        status: 416,
        title: 'Range Not Satisfiable',
        detail: 'Range Not Satisfiable',
      });
      expect(lines.map((l) => [l.level, l.msg])).toEqual([['warn', 'GET /video refused']]);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
