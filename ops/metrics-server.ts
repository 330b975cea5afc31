import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { log } from './log';
import { registry } from './metrics';

/**
 * `GET /metrics` on a listener of its own (METRICS_PORT), never on the API's public port: the
 * series are aggregates, but they say how busy each route and campaign status is, which is no
 * one's business on the internet. A scrape answers the process's shared series (ops/metrics.ts
 * `registry`) once, then what each part of the process adds (the API: campaigns by status; a
 * worker: the Temporal SDK's series).
 *
 * `npm start` runs the API and a worker in one process with one METRICS_PORT: the second part
 * to ask for a port already open in this process joins that listener instead of failing with
 * EADDRINUSE, so the process is one scrape target. Port 0 (tests) always opens a new one.
 */

/** Text in the Prometheus exposition format, appended after the shared series. */
export type MetricsSource = () => Promise<string>;

export interface MetricsListener {
  /** Where `GET /metrics` answers. */
  url: string;
  /** Stops serving this part's series; the listener closes with its last part. */
  close(): Promise<void>;
}

interface Shared {
  sources: Set<MetricsSource>;
  server: Promise<http.Server>;
}

const byPort = new Map<number, Shared>();

export async function serveMetrics({
  port,
  host,
  source,
}: {
  port: number;
  host?: string;
  source: MetricsSource;
}): Promise<MetricsListener> {
  let shared = port === 0 ? undefined : byPort.get(port);
  if (!shared) {
    const sources = new Set<MetricsSource>();
    shared = { sources, server: listen(port, host, sources) };
    if (port !== 0) byPort.set(port, shared);
    // A failed listen must not leave a dead entry for the next caller to join.
    shared.server.catch(() => byPort.delete(port));
  }
  const { sources, server: listening } = shared;
  sources.add(source);
  let server: http.Server;
  try {
    server = await listening;
  } catch (err) {
    sources.delete(source);
    throw err;
  }
  const { port: bound } = server.address() as AddressInfo;
  let closed = false;
  return {
    url: `http://${host ?? '127.0.0.1'}:${bound}/metrics`,
    async close() {
      if (closed) return;
      closed = true;
      sources.delete(source);
      if (sources.size > 0) return;
      if (byPort.get(port) === shared) byPort.delete(port);
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function listen(port: number, host: string | undefined, sources: Set<MetricsSource>): Promise<http.Server> {
  const server = http.createServer((req, res) => {
    if (req.method !== 'GET' || (req.url ?? '').split('?')[0] !== '/metrics') {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found: GET /metrics\n');
      return;
    }
    void (async () => {
      const parts = await Promise.all([registry.metrics(), ...[...sources].map((s) => s())]);
      res.writeHead(200, { 'content-type': registry.contentType }).end(parts.join('\n'));
    })().catch((err: unknown) => {
      log.error('metrics: scrape failed', { error: err });
      if (!res.headersSent) res.writeHead(500).end();
    });
  });
  return new Promise<http.Server>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) =>
      reject(
        err.code === 'EADDRINUSE'
          ? new Error(`METRICS_PORT: ${port} is already in use; set METRICS_PORT to a free port`)
          : err,
      ),
    );
    server.listen(port, host, () => resolve(server));
  });
}
