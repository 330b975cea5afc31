import 'reflect-metadata';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { type Config, loadConfig } from '../config/config';
import { Database } from '../db/database';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { resolveTemporalCli } from '../scripts/temporal-cli';
import { Worker } from '@temporalio/worker';
import { createActivities } from '../activities';
import { bundleWorkflows } from '../temporal/bundle';
import { activityDeps } from '../temporal/worker';
import {
  FAKE_POSTMARK_TOKEN,
  type FakePostmarkOptions,
  startFakePostmark,
} from '../test/support/postmark-server';
import { SEARCH_ATTRIBUTES } from '../workflows/search-attributes';
import { DEV_SERVER_DYNAMIC_CONFIG } from '../bin/temporal';
import { AccountService } from '../api/usecases/accounts';
import { CampaignService } from '../api/usecases/campaigns';
import { InviteService } from '../api/usecases/invites';
import { SecretBox } from '../security/secrets';

/** A database for a benchmark: DATABASE_URL if set, else a fresh SQLite file (removed after). */
export async function benchDatabase(): Promise<{
  config: Config;
  db: Database;
  cleanup: () => Promise<void>;
}> {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'herald-bench-'));
  const config = loadConfig({ ...process.env, DATA_DIR: process.env.DATABASE_URL ? tmp : tmp });
  const db = await Database.open(config.database, { migrate: true });
  return {
    config,
    db,
    cleanup: async () => {
      await db.close();
      fs.rmSync(tmp, { recursive: true, force: true });
    },
  };
}

/** Samples resident memory while `work` runs; returns the peak above the starting point. */
export async function measure<T>(
  work: () => Promise<T>,
): Promise<{ result: T; ms: number; peakRssMb: number; startRssMb: number }> {
  global.gc?.();
  const startRss = process.memoryUsage().rss;
  let peak = startRss;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
  const started = performance.now();
  try {
    const result = await work();
    peak = Math.max(peak, process.memoryUsage().rss);
    return {
      result,
      ms: performance.now() - started,
      peakRssMb: (peak - startRss) / 2 ** 20,
      startRssMb: startRss / 2 ** 20,
    };
  } finally {
    clearInterval(timer);
  }
}

export const progress = (line: string) => process.stderr.write(`bench: ${line}\n`);
export const fmt = (n: number, digits = 1) => n.toFixed(digits);

/**
 * The real stack a delivery benchmark runs on: a Temporal dev server (the pinned CLI), a
 * database, the local Postmark server, and the activities' dependencies pointed at them.
 * `serverArgs` go to `temporal server start-dev` (a dynamic config value a bench compares, say).
 */
export async function benchStack(
  taskQueue: string,
  opts: { serverArgs?: string[]; postmark?: FakePostmarkOptions } = {},
) {
  const fake = await startFakePostmark(opts.postmark);
  progress('starting a Temporal dev server…');
  const env = await TestWorkflowEnvironment.createLocal({
    server: {
      executable: { type: 'existing-path', path: resolveTemporalCli({ log: progress }) },
      searchAttributes: SEARCH_ATTRIBUTES,
      extraArgs: ['--log-level', 'error', ...DEV_SERVER_DYNAMIC_CONFIG, ...(opts.serverArgs ?? [])],
    },
  });
  const { db, cleanup } = await benchDatabase();
  const config = loadConfig({
    ...process.env,
    TEMPORAL_ADDRESS: env.address,
    TEMPORAL_TASK_QUEUE: taskQueue,
    EMAIL_PROVIDER: 'postmark',
    POSTMARK_API_URL: fake.url,
    POSTMARK_SERVER_TOKEN: FAKE_POSTMARK_TOKEN,
    EMAIL_FROM: 'bench@herald.test',
  });
  const deps = activityDeps(config, db);
  /** A worker in this process on the stack's task queue; answers the function that stops it. */
  const startWorker = async (): Promise<() => Promise<void>> => {
    progress('bundling workflows, starting the worker…');
    const worker = await Worker.create({
      connection: env.nativeConnection,
      taskQueue: config.temporal.taskQueue,
      activities: createActivities(deps),
      workflowBundle: await bundleWorkflows(),
    });
    const running = worker.run();
    return async () => {
      worker.shutdown();
      await running;
    };
  };
  return {
    fake,
    env,
    db,
    config,
    deps,
    startWorker,
    close: async () => {
      await cleanup();
      await env.teardown();
      await fake.close();
    },
  };
}

export type BenchCaller = { accountId: string; keyId: string; role: 'admin' };

/**
 * Accounts and draft campaigns made as a client makes them, through the API's use cases: a
 * campaign's invites are added 1,000 to a bulk call (addressed `<name>-<n>@bench.test`).
 */
export function benchCampaigns({
  db,
  env,
  config,
}: Pick<Awaited<ReturnType<typeof benchStack>>, 'db' | 'env' | 'config'>) {
  const campaigns = new CampaignService({ db, temporal: env.client, taskQueue: config.temporal.taskQueue });
  const invites = new InviteService({
    db,
    temporal: env.client,
    publicBaseUrl: config.publicBaseUrl,
    secrets: SecretBox.fromConfig(config),
  });
  return {
    campaigns,
    /** An account with a balance no bench runs out of, and its admin as a caller. */
    async account(name: string): Promise<BenchCaller> {
      const { accountId, adminKey } = await new AccountService(db).createAccount({
        name,
        ownerEmail: `owner-${name}@bench.test`,
        balanceCents: 1e10,
      });
      return { accountId, keyId: adminKey.slice(0, 8), role: 'admin' };
    },
    async draft(
      caller: BenchCaller,
      name: string,
      {
        invites: count,
        batchSize = null,
        names = false,
      }: { invites: number; batchSize?: number | null; names?: boolean },
    ): Promise<string> {
      const c = await campaigns.create(caller, {
        name,
        batch: { size: batchSize, gapMinutes: 0 },
        costPerInviteCents: 1,
      });
      for (let i = 0; i < count; i += 1000) {
        await invites.addBulk(caller, c.id, {
          recipients: Array.from({ length: Math.min(1000, count - i) }, (_, k) => ({
            email: `${name}-${i + k}@bench.test`,
            ...(names ? { name: `R${i + k}` } : {}),
          })),
        });
        if ((i / 1000) % 20 === 19) progress(`${name}: ${i + 1000} / ${count} invites added`);
      }
      return c.id;
    },
  };
}
