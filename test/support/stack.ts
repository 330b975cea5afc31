import 'reflect-metadata';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { randomUUID } from 'node:crypto';
import type { Client } from '@temporalio/client';
import { type NativeConnection, Runtime, type Worker } from '@temporalio/worker';
import type { ActivityDeps } from '../../activities';
import { createApp } from '../../api/app';
import { hardenHttpServer } from '../../api/http-server';
import type { PageLimits } from '../../api/routes/pages';
import { AccountService } from '../../api/usecases/accounts';
import { type Config, loadConfig } from '../../config/config';
import { Database } from '../../db/database';
import type { ApiKeyRole } from '../../entities/ApiKey';
import { connectClient, connectWorker } from '../../temporal/connect';
import { createWorker } from '../../temporal/worker';
import { createEmailPort } from '../../email';
import { startWorkerTelemetry, type WorkerTelemetry } from '../../ops/worker-telemetry';
import { campaignSeries } from '../../ops/metrics';
import { serveMetrics } from '../../ops/metrics-server';
import { ApiClient } from './api-client';
import { postmarkEnv } from './delivery';
import { takeContractMismatches } from './openapi-check';
import { fakePostmarkInBeforeAll, handle } from './fixture';
import type { FakePostmark, FakePostmarkOptions } from './postmark-server';

export { ApiClient, type ApiResponse } from './api-client';

/**
 * The real thing for one test file: the API listening on port 0, a worker on a task queue
 * of its own, both on the Temporal server and database from the global setup.
 */
export interface Stack {
  config: Config;
  db: Database;
  temporal: Client;
  baseUrl: string;
  api: ApiClient;
  /** The worker's `/metrics` (with `workerMetrics: true`). */
  workerMetricsUrl?: string;
  /** The API's `/metrics` on a port of its own, as bin/api.ts serves it on METRICS_PORT (with `apiMetrics: true`). */
  apiMetricsUrl?: string;
  /** A fresh account (tests isolate by account, as tenants are isolated). */
  newAccount(balanceCents?: number): Promise<{
    accountId: string;
    adminKey: string;
    ownerEmail: string;
    as: (key: string) => ApiClient;
  }>;
  newKey(accountId: string, role: ApiKeyRole): Promise<string>;
  startWorker(): Promise<void>;
  stopWorker(): Promise<void>;
  /** Closes everything it started; a second call waits for the first and does nothing more. */
  close(): Promise<void>;
}

export interface StackOptions {
  /** Start without a worker (tests that stop and start it themselves). */
  worker?: boolean;
  env?: Record<string, string>;
  /** The recipient pages' rate limits (default: the production ones). */
  pageLimits?: Partial<PageLimits>;
  /** Activity dependencies to swap (e.g. provider retry timings). */
  activities?: Partial<ActivityDeps>;
  /**
   * The worker's telemetry as worker.ts installs it: the SDK Runtime with the JSON logger and
   * its Prometheus exporter, and a `/metrics` server on a free port (`workerMetricsUrl`).
   */
  workerMetrics?: boolean;
  /** The API's `/metrics` listener, on a free port (`apiMetricsUrl`). */
  apiMetrics?: boolean;
  /** Fault injection: runs right after an activity's transaction commits. */
  afterCommit?: (activity: string) => void | Promise<void>;
}

export async function startStack(options: StackOptions = {}): Promise<Stack> {
  const config = loadConfig({ ...process.env, TEMPORAL_TASK_QUEUE: `test-${randomUUID()}`, ...options.env });
  const db = await Database.open(config.database);
  const temporal = await connectClient(config.temporal);
  const server: Server = hardenHttpServer(
    createApp({
      db,
      temporal,
      config,
      pageLimits: options.pageLimits,
      email: createEmailPort(config, db, () => undefined), // the outbox's log lines are noise here
    }).listen(0, '127.0.0.1'),
  );
  await new Promise<void>((resolve) => server.once('listening', resolve));
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const accounts = new AccountService(db);

  let telemetry: WorkerTelemetry | undefined;
  if (options.workerMetrics) {
    // The setup file's quiet Runtime is idle (nothing connected yet): replace it with the worker's own.
    await Runtime._instance?.shutdown();
    telemetry = await startWorkerTelemetry({ metricsPort: 0, host: '127.0.0.1' });
  }

  const apiMetrics = options.apiMetrics
    ? await serveMetrics({ port: 0, host: '127.0.0.1', source: campaignSeries(db) })
    : undefined;

  let running: { worker: Worker; connection: NativeConnection; done: Promise<void> } | undefined;
  const startWorker = async () => {
    const connection = await connectWorker(config.temporal);
    const worker = await createWorker({
      connection,
      config,
      db,
      workflowBundle: { codePath: process.env.HERALD_TEST_WORKFLOW_BUNDLE! },
      overrides: {
        email: createEmailPort(config, db, () => undefined), // the outbox's log lines are noise here
        providerRetryDelaysMs: [50, 100],
        settleAfterMs: 0,
        ...options.activities,
        ...(options.afterCommit ? { afterCommit: options.afterCommit } : {}),
      },
    });
    running = { worker, connection, done: worker.run() };
  };
  const stopWorker = async () => {
    if (!running) return;
    const { worker, connection, done } = running;
    running = undefined;
    worker.shutdown();
    await done;
    await connection.close();
  };
  if (options.worker !== false) await startWorker();

  // Once: a test that closes its stack itself (to stop what it runs on) leaves the fixture's
  // afterAll nothing to do.
  let closing: Promise<void> | undefined;
  const close = async () => {
    // Each step timed: a close that runs long says which step held it (seen once under load:
    // a file's afterAll over 60 s, with nothing to say why).
    const steps: string[] = [];
    const started = Date.now();
    const step = async (name: string, work: () => Promise<unknown>) => {
      const at = Date.now();
      await work();
      steps.push(`${name} ${Date.now() - at} ms`);
    };
    await step('worker', stopWorker);
    await step('metrics', async () => {
      await telemetry?.close();
      await apiMetrics?.close();
    });
    await step('api', async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      // Every test is over: a client's kept-alive socket must not hold the close open.
      server.closeAllConnections();
      await closed;
    });
    await step('temporal client', () => temporal.connection.close());
    await step('database', () => db.close());
    if (Date.now() - started > 10_000) process.stderr.write(`stack: slow close: ${steps.join(', ')}\n`);
    const mismatches = takeContractMismatches();
    if (mismatches.length > 0)
      throw new Error(`${mismatches.length} responses did not match openapi.json:\n${mismatches.join('\n')}`);
  };

  return {
    config,
    db,
    temporal,
    baseUrl,
    api: new ApiClient(baseUrl),
    workerMetricsUrl: telemetry?.metricsUrl,
    apiMetricsUrl: apiMetrics?.url,
    async newAccount(balanceCents = 100_000) {
      const ownerEmail = `owner-${randomUUID()}@example.com`;
      const { accountId, adminKey } = await accounts.createAccount({
        name: 'Test account',
        ownerEmail,
        balanceCents,
      });
      return { accountId, adminKey, ownerEmail, as: (key: string) => new ApiClient(baseUrl, key) };
    },
    async newKey(accountId, role) {
      return (await accounts.createApiKey(accountId, role)).key;
    },
    startWorker,
    stopWorker,
    close: () => (closing ??= close()),
  };
}

type Lazy<T, A extends unknown[] = []> = T | ((...args: A) => T);
const resolve = <T, A extends unknown[]>(value: Lazy<T, A>, ...args: A): T =>
  typeof value === 'function' ? (value as (...args: A) => T)(...args) : value;

/**
 * One stack for the test file, or for the `describe` it is called in: started in a `beforeAll`
 * registered where it is called, closed in an `afterAll` (which fails the file on answers that
 * did not match openapi.json). A file whose tests run `it.concurrent` calls it at the top level:
 * Jest starts concurrent tests after the top-level hooks only. `options` may be a function,
 * read when the stack starts (e.g. from something an earlier `beforeAll` started).
 */
export function useStack(options: Lazy<StackOptions> = {}): Stack {
  let stack: Stack | undefined;
  beforeAll(async () => {
    stack = await startStack(resolve(options));
  });
  afterAll(async () => {
    const started = stack;
    stack = undefined;
    await started?.close();
  });
  return handle('The stack', () => stack);
}

/**
 * The local Postmark server and a stack sending through it (`postmarkEnv`, then `options.env`),
 * for one file or `describe`; `options` may be a function of the server. The stack closes
 * first, so its worker never sends to a server that is gone.
 */
export function usePostmarkStack(
  options: Lazy<StackOptions, [FakePostmark]> = {},
  postmark: FakePostmarkOptions = {},
): { stack: Stack; fake: FakePostmark } {
  const fake = fakePostmarkInBeforeAll(postmark);
  const stack = useStack(() => {
    const own = resolve(options, fake.handle);
    return { ...own, env: { ...postmarkEnv(fake.handle), ...own.env } };
  });
  afterAll(fake.close);
  return { stack, fake: fake.handle };
}

/** A test's account, made in `beforeAll` on a stack from `useStack`. */
export interface TestAccount {
  readonly accountId: string;
  readonly adminKey: string;
  /** Where the account's own emails go (summaries, alerts). */
  readonly ownerEmail: string;
  /** The account's admin: a client usable at once, whose key is read at each request. */
  readonly api: ApiClient;
  /** A support key's client (with `support: true`). */
  readonly support: ApiClient;
}

/**
 * A fresh account with `balanceCents` (and a support key with `support: true`), made in a
 * `beforeAll` registered where this is called, after the stack's.
 */
export function useAccount(
  stack: Stack,
  balanceCents?: number,
  options: { support?: boolean } = {},
): TestAccount {
  let made: { accountId: string; adminKey: string; ownerEmail: string; supportKey?: string } | undefined;
  beforeAll(async () => {
    const { accountId, adminKey, ownerEmail } = await stack.newAccount(balanceCents);
    made = { accountId, adminKey, ownerEmail };
    if (options.support) made.supportKey = await stack.newKey(accountId, 'support');
  });
  const current = () => {
    if (!made)
      throw new Error(
        'The account is not made yet: it is made in beforeAll, so use it in a test or a later hook',
      );
    return made;
  };
  return {
    get accountId() {
      return current().accountId;
    },
    get adminKey() {
      return current().adminKey;
    },
    get ownerEmail() {
      return current().ownerEmail;
    },
    api: new ApiClient(
      () => stack.baseUrl,
      () => current().adminKey,
    ),
    support: new ApiClient(
      () => stack.baseUrl,
      () => {
        const { supportKey } = current();
        if (!supportKey) throw new Error('useAccount: ask for { support: true } to get a support key');
        return supportKey;
      },
    ),
  };
}

/** A stack for the length of `body` only (a test that needs its own settings), closed whatever happens. */
export async function withStack<T>(options: StackOptions, body: (stack: Stack) => Promise<T>): Promise<T> {
  const stack = await startStack(options);
  try {
    return await body(stack);
  } finally {
    await stack.close();
  }
}

/** Polls until `check` returns a value (not undefined) or the time runs out. */
export async function eventually<T>(
  check: () => Promise<T | undefined>,
  { timeoutMs = 15_000, intervalMs = 100 } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline)
      throw new Error(
        `condition not met in ${timeoutMs} ms${last instanceof Error ? `: ${last.message}` : ''}`,
      );
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}
