import 'reflect-metadata';
import { loadConfig } from './config/config';
import { Database } from './db/database';
import { connectWorker } from './temporal/connect';
import { createWorker } from './temporal/worker';
import { runMain } from './bin/run-main';

/** The Temporal worker: runs campaign workflows and their activities. Scale out by running more. */
export async function main(): Promise<void> {
  const config = loadConfig();
  const db = await Database.open(config.database);
  try {
    const connection = await connectWorker(config.temporal);
    try {
      const worker = await createWorker({ connection, config, db });
      console.log(`worker: polling task queue "${config.temporal.taskQueue}" on ${config.temporal.address}`);
      await worker.run(); // until SIGINT/SIGTERM: the SDK drains in-flight tasks first
    } finally {
      await connection.close();
    }
  } finally {
    await db.close();
  }
}

if (require.main === module) runMain(main);
