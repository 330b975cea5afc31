import 'reflect-metadata';
import { loadConfig } from './config/config';
import { Database } from './db/database';
import { connectWorker } from './temporal/connect';
import { createWorker } from './temporal/worker';
import { runMain } from './bin/run-main';
import { configureLogs, log } from './ops/log';
import { startWorkerTelemetry } from './ops/worker-telemetry';

/** The Temporal worker: runs campaign workflows and their activities. Scale out by running more. */
export async function main(): Promise<void> {
  const config = loadConfig();
  configureLogs({ level: config.logLevel });
  // Before the first connection: the SDK's Runtime takes its logger and metrics exporter once.
  const telemetry = await startWorkerTelemetry({ metricsPort: config.metricsPort });
  const db = await Database.open(config.database);
  try {
    const connection = await connectWorker(config.temporal);
    try {
      const worker = await createWorker({ connection, config, db });
      log.info('worker: polling', {
        taskQueue: config.temporal.taskQueue,
        temporalAddress: config.temporal.address,
        metrics: telemetry.metricsUrl ?? 'off',
      });
      await worker.run(); // until SIGINT/SIGTERM: the SDK drains in-flight tasks first
    } finally {
      await connection.close();
    }
  } finally {
    await db.close();
    await telemetry.close();
  }
}

if (require.main === module) runMain(main);
