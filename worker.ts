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
      // The SDK's Runtime owns SIGINT/SIGTERM (it calls worker.shutdown(): temporal/worker.ts);
      // this listener only says so. A second signal ends the process at once.
      const draining = (signal: NodeJS.Signals) => {
        process.off('SIGINT', draining).off('SIGTERM', draining);
        log.info(`worker: ${signal}: stopped polling; running activities finish or are handed back`, {
          graceSeconds: config.shutdownGraceMs / 1000,
        });
      };
      process.once('SIGINT', draining).once('SIGTERM', draining);
      await worker.run(); // until SIGINT/SIGTERM, once the activities in flight are done or handed back
      log.info('worker: drained');
    } finally {
      await connection.close();
    }
  } finally {
    await db.close();
    await telemetry.close();
  }
}

if (require.main === module)
  runMain(async () => {
    await main();
    // Done and closed. A provider call cancelled at the end of the grace was abandoned, not
    // aborted (its claims are settled by the retry): its socket must not hold the process
    // until the provider answers.
    process.exit(0);
  });
