import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { ConfigError, loadConfig } from '../config/config';

const ROOT = path.resolve(__dirname, '..');

describe('Configuration, validated once at start-up', () => {
  it('when nothing is set, then the embedded defaults from the spec apply', () => {
    const config = loadConfig({ DATA_DIR: '/tmp/herald-defaults' });
    expect(config).toMatchObject({
      port: 3000,
      publicBaseUrl: 'http://localhost:3000',
      database: { type: 'sqlite', path: '/tmp/herald-defaults/herald.sqlite' },
      temporal: { address: 'localhost:7233', namespace: 'default', taskQueue: 'campaigns', uiPort: 8233 },
      email: { provider: 'outbox', postmarkApiUrl: 'https://api.postmarkapp.com' },
      dev: { balanceCents: 100000 },
    });
    expect(loadConfig({ PORT: '4100' }).publicBaseUrl).toBe('http://localhost:4100');
    expect(config.trustProxy).toBe(false);
    expect(config.shutdownGraceMs).toBe(30_000);
    expect(loadConfig({ SHUTDOWN_GRACE_SECONDS: '2.5' }).shutdownGraceMs).toBe(2_500);
    expect(loadConfig({ TRUST_PROXY: '1' }).trustProxy).toBe(1);
    expect(loadConfig({ TRUST_PROXY: 'loopback, 10.0.0.0/8' }).trustProxy).toEqual([
      'loopback',
      '10.0.0.0/8',
    ]);
    expect(loadConfig({ DATABASE_URL: 'mysql://root@127.0.0.1:3306/test' }).database).toEqual({
      type: 'mysql',
      url: 'mysql://root@127.0.0.1:3306/test',
    });
  });

  it.each([
    [{ PORT: 'abc' }, 'Invalid configuration: PORT: expected a port number from 0 to 65535, got "abc"'],
    [{ PORT: '70000' }, 'Invalid configuration: PORT: expected a port number from 0 to 65535, got "70000"'],
    [
      { DATABASE_URL: 'postgres://x@y/z' },
      'Invalid configuration: DATABASE_URL: expected mysql://user:password@host:3306/database (leave unset for the embedded SQLite default), got "postgres://x@y/z"',
    ],
    [
      { TEMPORAL_ADDRESS: 'localhost' },
      'Invalid configuration: TEMPORAL_ADDRESS: expected host:port, e.g. localhost:7233, got "localhost"',
    ],
    [
      { EMAIL_PROVIDER: 'smtp' },
      'Invalid configuration: EMAIL_PROVIDER: expected one of postmark, outbox, got "smtp"',
    ],
    [
      { EMAIL_PROVIDER: 'postmark', EMAIL_FROM: 'a@b.co' },
      'Invalid configuration: POSTMARK_SERVER_TOKEN: required when EMAIL_PROVIDER=postmark',
    ],
    [
      { EMAIL_FROM: 'invites@acme.con' },
      'Invalid configuration: EMAIL_FROM: expected an email address (domain typo: .con (did you mean .com?)), got "invites@acme.con"',
    ],
    [
      { PUBLIC_BASE_URL: 'example.com' },
      'Invalid configuration: PUBLIC_BASE_URL: expected an http(s) URL, got "example.com"',
    ],
    [
      { TRUST_PROXY: 'true' },
      'Invalid configuration: TRUST_PROXY: expected a hop count (e.g. 1) or the proxies to trust (e.g. loopback, 10.0.0.0/8), got "true"',
    ],
    [
      { SHUTDOWN_GRACE_SECONDS: 'soon' },
      'Invalid configuration: SHUTDOWN_GRACE_SECONDS: expected a number of seconds above 0, got "soon"',
    ],
    [
      { WORKFLOW_BUNDLE: '/nonexistent/workflows.js' },
      'Invalid configuration: WORKFLOW_BUNDLE: expected a file written by `npm run build:workflows`, got "/nonexistent/workflows.js"',
    ],
    [
      { DEV_BALANCE_CENTS: '-5' },
      'Invalid configuration: DEV_BALANCE_CENTS: expected a whole number of cents, got "-5"',
    ],
  ])('when %j, then one line names the variable and what it expects', (env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(message);
  });

  it('never echoes a secret it rejects', () => {
    expect(() => loadConfig({ DEV_ADMIN_KEY: 'secret-but-malformed' })).toThrow(
      /^Invalid configuration: DEV_ADMIN_KEY: expected hk_ followed by 20\+ url-safe characters$/,
    );
  });
});

/** Runs an entry point as a person would, in its own process. */
function run(script: string, env: Record<string, string>, args: string[] = []) {
  const result = spawnSync(
    process.execPath,
    [path.join(ROOT, 'node_modules/tsx/dist/cli.mjs'), script, ...args],
    {
      cwd: ROOT,
      env: { ...process.env, ...env },
      encoding: 'utf8',
      timeout: 30_000,
    },
  );
  return { code: result.status, stdout: result.stdout.trim(), stderr: result.stderr.trim() };
}

describe('Entry points, run as processes', () => {
  it('when PORT is wrong, then the API stops with one clear line and no stack trace', () => {
    const { code, stderr } = run('bin/api.ts', { PORT: 'eighty' });
    expect(code).toBe(78);
    expect(stderr).toBe('Invalid configuration: PORT: expected a port number from 0 to 65535, got "eighty"');
  });

  it('when DATABASE_URL points at no database, then the worker stops with one clear line naming it, password hidden', () => {
    const { code, stderr } = run('worker.ts', { DATABASE_URL: 'mysql://root:hunter2@127.0.0.1:1/herald' });
    expect(code).toBe(78);
    expect(stderr.split('\n')).toHaveLength(1);
    expect(stderr).toMatch(
      /^DATABASE_URL: cannot open mysql:\/\/root:\*\*\*@127\.0\.0\.1:1\/herald \(ECONNREFUSED\)$/,
    );
  });

  it('when the admin command creates an account and a key, then it prints JSON with working credentials', () => {
    const made = run('bin/admin.ts', {}, [
      'create-account',
      '--name',
      'Acme',
      '--email',
      'ops@acme.test',
      '--balance-cents',
      '5000',
    ]);
    expect(made.code).toBe(0);
    const account = JSON.parse(made.stdout);
    expect(account).toEqual({
      accountId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      adminKey: expect.stringMatching(/^hk_/),
    });

    const key = run('bin/admin.ts', {}, ['create-key', '--account', account.accountId, '--role', 'support']);
    expect(key.code).toBe(0);
    expect(JSON.parse(key.stdout)).toMatchObject({
      accountId: account.accountId,
      role: 'support',
      key: expect.stringMatching(/^hk_/),
    });

    const bad = run('bin/admin.ts', {}, ['create-key', '--account', account.accountId, '--role', 'root']);
    expect(bad.code).toBe(78);
    expect(bad.stderr).toBe('admin create-key: --role expects admin or support, got "root"');
  });

  it("when the owner's address has a typo, then create-account refuses it with the same reason as any recipient's", () => {
    const typo = run('bin/admin.ts', {}, ['create-account', '--name', 'Acme', '--email', 'ops@acme.con']);
    expect(typo.code).toBe(78);
    expect(typo.stderr).toBe('ownerEmail: domain typo: .con (did you mean .com?)');
  });

  it('when migrations have run, then `npm run migrate` says the database is up to date', () => {
    const { code, stdout } = run('bin/migrate.ts', {});
    expect(code).toBe(0);
    expect(stdout).toMatch(/is up to date$/);
  });
});
