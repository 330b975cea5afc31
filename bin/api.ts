import 'reflect-metadata';
import type { Server } from 'node:http';
import { loadConfig } from '../config/config';
import { Database } from '../db/database';
import { runMain } from './run-main';
import { connectClient } from '../temporal/connect';
import { createApp } from '../api/app';
import { hardenHttpServer } from '../api/errors';
import { Drain } from '../ops/shutdown';

/** `npm run api`: the HTTP API alone. */
export async function main(): Promise<void> {
  const config = loadConfig();
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
  console.log(`api: listening on ${config.publicBaseUrl} (docs at ${config.publicBaseUrl}/docs)`);
  const signal = await stopped;
  console.log(`api: ${signal}: draining (up to ${config.shutdownGraceMs / 1000} s for requests in flight)…`);
  const { cut } = await drain.closeServer(server, config.shutdownGraceMs);
  console.log(cut ? `api: grace period over; cut ${cut} connection(s)` : 'api: drained');
  await temporal.connection.close();
  await db.close();
}

if (require.main === module) runMain(main);
