import 'reflect-metadata';
import { type ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import type { Server } from 'node:http';
import * as path from 'node:path';
import { AccountService } from '../api/usecases/accounts';
import { createApp } from '../api/app';
import { hardenHttpServer } from '../api/http-server';
import { type Config, loadConfig } from '../config/config';
import { Database } from '../db/database';
import { connectClient, connectWorker } from '../temporal/connect';
import { createWorker } from '../temporal/worker';
import { runMain } from './run-main';
import { Drain } from '../ops/shutdown';
import { campaignSeries } from '../ops/metrics';
import { serveMetrics } from '../ops/metrics-server';
import { resolveTemporalCli } from '../scripts/temporal-cli';
import { devServerArgs } from './temporal';

const step = (line: string) => console.log(`dev: ${line}`);

/**
 * `npm run dev`: the whole stack on embedded defaults. Supervises the Temporal dev server
 * (child process), migrates, then runs the worker and the API in this process. Ctrl-C
 * stops all of it; data stays under DATA_DIR for the next run.
 */
async function main(): Promise<void> {
  const config = loadConfig();
  fs.mkdirSync(config.dataDir, { recursive: true });

  step('finding the Temporal CLI…');
  const cli = resolveTemporalCli({ log: step });
  step(`starting the Temporal dev server on ${config.temporal.address}…`);
  const temporalServer = spawn(
    cli,
    devServerArgs({ ...config.temporal, dbFile: path.join(config.dataDir, 'temporal.db') }),
    {
      stdio: ['ignore', 'inherit', 'inherit'],
    },
  );
  const serverExited = new Promise<number>((resolve) =>
    temporalServer.once('exit', (code) => resolve(code ?? 0)),
  );

  let server: Server | undefined;
  try {
    const temporal = await waitFor(
      () => connectClient(config.temporal),
      serverExited,
      'the Temporal dev server',
    );
    step(
      `database: ${config.database.type === 'sqlite' ? config.database.path : 'DATABASE_URL'}; applying migrations…`,
    );
    const db = await Database.open(config.database, { migrate: true });
    const adminKey = await ensureDevAccount(db, config);

    const connection = await connectWorker(config.temporal);
    const worker = await createWorker({ connection, config, db });
    const workerDone = worker.run(); // stops on SIGINT/SIGTERM
    const drain = new Drain();
    server = hardenHttpServer(createApp({ db, temporal, config, drain }).listen(config.port));
    await new Promise<void>((resolve, reject) => server!.once('listening', resolve).once('error', reject));
    // The API drains while the worker does (the SDK stops it on the same signal).
    const listening = server;
    const apiDrained = drain.signalled().then(() => drain.closeServer(listening, config.shutdownGraceMs));
    // Off the public port: on METRICS_PORT when it is set.
    const metrics =
      config.metricsPort === null
        ? undefined
        : await serveMetrics({ port: config.metricsPort, source: campaignSeries(db) });

    console.log(`
  Herald is running. Ctrl-C stops everything; data is kept in ${config.dataDir}.

  Console      ${config.publicBaseUrl}/console  (sign in with the admin key below)
  API          ${config.publicBaseUrl}
  API docs     ${config.publicBaseUrl}/docs
  Metrics      ${metrics?.url ?? 'off (set METRICS_PORT)'}
  Temporal UI  http://localhost:${config.temporal.uiPort}
  Admin key    ${adminKey}

  Try: curl -s -X POST ${config.publicBaseUrl}/v1/campaigns -H "Authorization: Bearer ${adminKey}" \\
         -H 'Content-Type: application/json' -d '{"name":"Spring launch"}'
`);
    await Promise.race([
      workerDone,
      serverExited.then((code) => Promise.reject(new Error(`the Temporal dev server exited (${code})`))),
    ]);
    step('stopping…');
    await apiDrained;
    await metrics?.close();
    await connection.close();
    await temporal.connection.close();
    await db.close();
  } finally {
    await stop(temporalServer);
  }
}

/** The first run makes an account; DEV_ADMIN_KEY (or the key saved on that run) is printed on every run. */
async function ensureDevAccount(db: Database, config: Config): Promise<string> {
  const saved = path.join(config.dataDir, 'dev-admin-key');
  const accounts = new AccountService(db);
  const known =
    config.dev.adminKey ?? (fs.existsSync(saved) ? fs.readFileSync(saved, 'utf8').trim() : undefined);
  if (known && (await accounts.findAccountByKey(known))) return known;
  const { adminKey, accountId } = await accounts.createAccount({
    name: 'Dev account',
    ownerEmail: 'owner@example.com',
    balanceCents: config.dev.balanceCents,
    adminKey: config.dev.adminKey,
  });
  fs.writeFileSync(saved, `${adminKey}\n`, { mode: 0o600 });
  step(`created account ${accountId} with ${config.dev.balanceCents} cents`);
  return adminKey;
}

async function waitFor<T>(attempt: () => Promise<T>, exited: Promise<number>, what: string): Promise<T> {
  let gaveUp = false;
  void exited.then(() => (gaveUp = true));
  for (let tries = 0; ; tries++) {
    try {
      return await attempt();
    } catch (err) {
      if (gaveUp || tries > 60) throw new Error(`${what} did not come up: ${(err as Error).message}`);
      await new Promise((r) => setTimeout(r, 500));
    }
  }
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

runMain(main);
