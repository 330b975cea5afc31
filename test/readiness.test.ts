import 'reflect-metadata';
import type { AddressInfo } from 'node:net';
import { Client, Connection } from '@temporalio/client';
import { createApp } from '../api/app';
import { loadConfig } from '../config/config';
import { Database } from '../db/database';
import { checkedFetch } from './support/openapi-check';

describe('Readiness when a dependency is down', () => {
  it('when Temporal cannot be reached or the database is closed, then /readyz is 503 and says which', async () => {
    const config = loadConfig();
    const db = await Database.open(config.database);
    const temporal = new Client({
      // No retry interceptor: its backoff timers for UNAVAILABLE would outlive this
      // connection and fire in whichever test file this jest worker runs next.
      connection: Connection.lazy({ address: '127.0.0.1:1', connectTimeout: '300ms', interceptors: [] }),
    });
    const server = createApp({ db, temporal, config }).listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/readyz`;
    try {
      const down = await checkedFetch(url);
      expect(down.status).toBe(503);
      const body = (await down.json()) as { status: string; checks: Record<string, string> };
      expect(body.status).toBe('unavailable');
      expect(body.checks.database).toBe('ok');
      expect(body.checks.temporal).not.toBe('ok');

      await db.close();
      const both = (await (await checkedFetch(url)).json()) as { checks: Record<string, string> };
      expect(both.checks.database).not.toBe('ok');
      expect((await checkedFetch(url.replace('/readyz', '/healthz'))).status).toBe(200);
    } finally {
      await new Promise((resolve) => server.close(resolve));
      await db.close();
      await temporal.connection.close();
    }
  });
});
