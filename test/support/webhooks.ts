import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A stack's environment for webhook tests: receivers on loopback over http allowed (development
 * and tests only), and retry timings in seconds short enough for a test to wait them out.
 */
export function webhookEnv(retry: {
  firstSeconds: number;
  maxSeconds: number;
  periodSeconds: number;
  timeoutSeconds?: number;
}): Record<string, string> {
  return {
    ALLOW_HTTP_WEBHOOKS: 'true',
    WEBHOOK_RETRY_FIRST_SECONDS: String(retry.firstSeconds),
    WEBHOOK_RETRY_MAX_SECONDS: String(retry.maxSeconds),
    WEBHOOK_RETRY_PERIOD_SECONDS: String(retry.periodSeconds),
    ...(retry.timeoutSeconds === undefined ? {} : { WEBHOOK_TIMEOUT_SECONDS: String(retry.timeoutSeconds) }),
  };
}

/** A customer's receiver on a port of its own: it answers what `answer` says and keeps every request. */
export interface Receiver {
  url: string;
  /** The requests answered so far. */
  requests: { headers: IncomingHttpHeaders; body: string; status: number; at: number }[];
  /** How many requests came in, answered or not. */
  arrived(): number;
  close(): Promise<void>;
}

/** `hold`, if given, is awaited before each answer: a slow receiver, for as long as the test says. */
export async function startReceiver(answer: () => number, hold?: () => Promise<void>): Promise<Receiver> {
  const requests: Receiver['requests'] = [];
  let arrived = 0;
  const server: Server = createServer((req, res) => {
    arrived++;
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => {
      void (hold ? hold() : Promise.resolve()).then(() => {
        const status = answer();
        requests.push({ headers: req.headers, body, status, at: Date.now() });
        res.writeHead(status, { 'content-type': 'text/plain' }).end(status === 200 ? 'ok' : 'down for now');
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/herald`,
    requests,
    arrived: () => arrived,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
