import 'reflect-metadata';
import type { Server } from 'node:http';
import { loadConfig } from '../config/config';
import { Database } from '../db/database';
import { runMain } from './run-main';
import { connectClient } from '../temporal/connect';
import { createApp } from '../api/app';
import { hardenHttpServer } from '../api/http-server';
import { Drain } from '../ops/shutdown';
import { configureLogs, log } from '../ops/log';
import { campaignSeries } from '../ops/metrics';
import { serveMetrics } from '../ops/metrics-server';

/** `npm run api`: the HTTP API alone. */
export async function main(): Promise<void> {
  const config = loadConfig();
  configureLogs({ level: config.logLevel });
  const db = await Database.open(config.database);
  const temporal = await connectClient(config.temporal);
  const drain = new Drain();
  const stopped = drain.signalled(); // before listening: a SIGTERM during start-up drains too
  const server: Server = hardenHttpServer(createApp({ db, temporal, config, drain }).listen(config.port));
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', (err: NodeJS.ErrnoException) =>
      reject(
        err.code === 'EADDRINUSE'
          ? new Error(`PORT: ${config.port} is already in use; set PORT to a free port`)
          : err,
      ),
    );
  });
  // Never on the public port: on METRICS_PORT, or not at all.
  const metrics =
    config.metricsPort === null
      ? undefined
      : await serveMetrics({ port: config.metricsPort, source: campaignSeries(db) });
  log.info('api: listening', {
    url: config.publicBaseUrl,
    docs: `${config.publicBaseUrl}/docs`,
    metrics: metrics?.url ?? 'off',
  });
  const signal = await stopped;
  log.info(`api: ${signal}: draining`, { graceSeconds: config.shutdownGraceMs / 1000 });
  const { cut } = await drain.closeServer(server, config.shutdownGraceMs);
  if (cut) log.warn('api: grace period over; cut connections in flight', { cut });
  else log.info('api: drained');
  await metrics?.close();
  await temporal.connection.close();
  await db.close();
}

if (require.main === module) runMain(main);
