import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import express from 'express';
import { CONSOLE_CSP, consoleRoutes } from '../api/routes/console';
import { promisify } from 'node:util';
import { useStack } from './support/stack';

const ROOT = path.join(__dirname, '..');
const SCHEMA_FILE = path.join(ROOT, 'console', 'src', 'api', 'schema.d.ts');

describe('The console, as the API serves it', () => {
  const stack = useStack();

  it("when the API's OpenAPI document changes, then the console's committed types no longer match and this fails (run `npm run console:types`)", async () => {
    // In a child process: openapi-typescript is an ES module, which Jest's CommonJS runtime cannot load.
    const { stdout } = await promisify(execFile)(
      path.join(ROOT, 'node_modules', '.bin', 'tsx'),
      ['scripts/console-types.ts', '--stdout'],
      { cwd: ROOT, maxBuffer: 16 * 1024 * 1024 },
    );
    expect(fs.readFileSync(SCHEMA_FILE, 'utf8')).toBe(stdout);
  });

  it('when /console is opened, then the built app comes with a strict Content-Security-Policy and no inline script', async () => {
    const res = await fetch(`${stack.baseUrl}/console`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    expect(res.headers.get('content-security-policy')).toBe(CONSOLE_CSP);
    expect(CONSOLE_CSP).toContain("script-src 'self'");
    expect(CONSOLE_CSP).toContain("frame-ancestors 'none'");
    const html = await res.text();
    const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)];
    expect(scripts.length).toBeGreaterThan(0);
    for (const [, attrs, body] of scripts) {
      expect(attrs).toMatch(/src="\/console\/assets\/[^"]+\.js"/);
      expect(body.trim()).toBe('');
    }
    expect(html).not.toMatch(/https?:\/\//);
  });

  it('when a screen of the app is opened directly (a reload), then index.html answers, and its script is served by Herald', async () => {
    const res = await fetch(`${stack.baseUrl}/console/campaigns/0b9c1b6e-3c1d-4a8e-9c61-0d8f6f1c1a2b`);
    expect(res.status).toBe(200);
    const html = await res.text();
    const src = /<script[^>]*src="([^"]+)"/.exec(html)![1];
    const script = await fetch(`${stack.baseUrl}${src}`);
    expect(script.status).toBe(200);
    expect(script.headers.get('content-type')).toMatch(/javascript/);
    expect(script.headers.get('content-security-policy')).toBe(CONSOLE_CSP);
  });

  it('when an asset that does not exist is asked for, then 404 problem+json, never index.html as a script', async () => {
    const res = await fetch(`${stack.baseUrl}/console/assets/gone-1234.js`);
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toMatch(/application\/problem\+json/);
  });

  it('when the console asks who its key is (GET /v1/me), then it learns the account, the key and its role', async () => {
    const account = await stack.newAccount();
    const supportKey = await stack.newKey(account.accountId, 'support');
    const asSupport = await account.as(supportKey).get('/v1/me');
    expect(asSupport.status).toBe(200);
    expect(asSupport.body).toMatchObject({ accountId: account.accountId, role: 'support' });
    const asAdmin = await account.as(account.adminKey).get('/v1/me');
    expect(asAdmin.body).toMatchObject({ accountId: account.accountId, role: 'admin' });
    expect(asAdmin.body.keyId).not.toBe(asSupport.body.keyId);
    const anonymous = await fetch(`${stack.baseUrl}/v1/me`);
    expect(anonymous.status).toBe(401);
  });

  it('when the console was never built, then /console says which command builds it instead of a bare 404', async () => {
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'herald-no-console-'));
    const server = express().use(consoleRoutes(empty)).listen(0, '127.0.0.1');
    try {
      await new Promise((resolve) => server.once('listening', resolve));
      const res = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/console/billing`);
      expect(res.status).toBe(503);
      expect(res.headers.get('content-security-policy')).toBe(CONSOLE_CSP);
      expect(await res.text()).toContain('npm run console:build');
    } finally {
      await new Promise((resolve) => server.close(resolve));
      fs.rmSync(empty, { recursive: true, force: true });
    }
  });
});
