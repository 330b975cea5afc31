import * as net from 'node:net';
import type { AddressInfo } from 'node:net';
import { Runtime } from '@temporalio/worker';
import { TemporalJsonLogger } from './log';
import { serveMetrics } from './metrics-server';

/**
 * A worker process's telemetry: the Temporal SDK Runtime (installed once, before the first
 * connection) with Herald's JSON logger, and `/metrics` on METRICS_PORT (ops/metrics-server.ts)
 * serving Herald's series (ops/metrics.ts) followed by the SDK's own (`temporal_*`), which its
 * Runtime exports on a loopback port of its own. Apart from ops/metrics.ts so that the API does not
 * load the SDK's native worker runtime.
 */

/** A free loopback port for the SDK's exporter (it takes an address, not port 0). */
async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export interface WorkerTelemetry {
  /** Where the worker's `/metrics` answers (undefined when metrics are off). */
  metricsUrl?: string;
  close(): Promise<void>;
}

/**
 * For a worker process, before its first connection to Temporal: installs the SDK Runtime
 * with the JSON logger (ops/log.ts) and, when `metricsPort` is a number (0 = any free port),
 * the SDK's Prometheus exporter on a loopback port plus Herald's `/metrics` server on
 * `metricsPort` serving both. `null` = metrics off (the logger is installed all the same).
 */
export async function startWorkerTelemetry({
  metricsPort,
  host,
}: {
  metricsPort: number | null;
  host?: string;
}): Promise<WorkerTelemetry> {
  const logger = new TemporalJsonLogger();
  // Core's own lines (connection trouble, polling errors) go to the same logger, WARN and up.
  const logging = { filter: { core: 'WARN' as const, other: 'ERROR' as const }, forward: {} };
  if (metricsPort === null) {
    Runtime.install({ logger, telemetryOptions: { logging } });
    return { close: async () => undefined };
  }
  const sdkAddress = `127.0.0.1:${await freePort()}`;
  Runtime.install({
    logger,
    telemetryOptions: { logging, metrics: { prometheus: { bindAddress: sdkAddress } } },
  });
  // The SDK's exporter answers once the Runtime has a connection; before that, Herald's alone.
  const sdkSeries = () =>
    fetch(`http://${sdkAddress}/metrics`, { signal: AbortSignal.timeout(2_000) })
      .then((r) => (r.ok ? r.text() : ''))
      .catch(() => '');
  const metrics = await serveMetrics({ port: metricsPort, host, source: sdkSeries });
  return { metricsUrl: metrics.url, close: () => metrics.close() };
}
