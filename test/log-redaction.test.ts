import express from 'express';
import * as fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { format } from 'node:util';
import { QueryFailedError } from 'typeorm';
import { problemHandler } from '../api/problem-json';
import { SafeQueryLogger } from '../db/safe-logging';
import { Invite } from '../entities/Invite';
import { configureLogs, toStdout } from '../ops/log';
import { draft } from './support/campaigns';
import { useAccount, useStack, withStack } from './support/stack';

/**
 * Everything logged while `work` runs: console.* as the console would print it, and
 * Herald's JSON lines (ops/log.ts) both raw and as their fields' text (quotes unescaped).
 */
async function captureConsole(work: () => Promise<void>): Promise<string> {
  const lines: string[] = [];
  const spies = (['error', 'warn', 'log', 'info'] as const).map((method) =>
    jest.spyOn(console, method).mockImplementation((...args: unknown[]) => {
      lines.push(format(...args));
    }),
  );
  configureLogs({
    write: (line) => {
      lines.push(line, Object.values(JSON.parse(line) as Record<string, unknown>).join('\n'));
    },
  });
  try {
    await work();
  } finally {
    for (const spy of spies) spy.mockRestore();
    configureLogs({ write: toStdout });
  }
  return lines.join('\n');
}

describe('Logs never carry tokens, keys or secrets', () => {
  const stack = useStack({ worker: false });
  const admin = useAccount(stack).api;

  it('when the database fails while a recipient opens their link, then the logged error has the SQL and the reason but neither the token nor the URL holding it', async () => {
    // A database of its own whose `invites` fails when read (SQLite raises integer overflow
    // evaluating the view), so the real page route's lookup fails with the token bound.
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'herald-broken-db-'));
    const token = 'SECRET-TOKEN-h1-4f1c9a7e2b';
    try {
      await withStack({ worker: false, env: { DATABASE_URL: '', DATA_DIR: dataDir } }, async (broken) => {
        const columns = broken.db.dataSource.getMetadata(Invite).columns.map((c) => c.databaseName);
        await broken.db.manager.query(
          `CREATE VIEW invites AS SELECT ${columns.map((c) => `abs(-9223372036854775807 - 1) AS "${c}"`).join(', ')}`,
        );
        let status = 0;
        const logged = await captureConsole(async () => {
          status = (await fetch(`${broken.baseUrl}/i/${token}`)).status;
        });
        expect(status).toBe(500);
        expect(logged).toMatch(/integer overflow/); // the reason is still there for whoever debugs it
        expect(logged).toMatch(/values not logged/);
        expect(logged).toMatch(/SQL: SELECT .*FROM "invites"/);
        expect(logged).toMatch(/GET \/i\/:token failed/);
        expect(logged).not.toContain(token);
      });
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });

  describe('when a query fails on a unique token (values quoted in the driver message on MySQL)', () => {
    let error: QueryFailedError;
    let token: string;

    beforeAll(async () => {
      const campaignId = await draft(admin, {}, 2);
      const [a, b] = await stack.db.manager.find(Invite, { where: { campaignId } });
      token = a.token;
      error = await stack.db.manager.update(Invite, { id: b.id }, { token }).then(
        () => {
          throw new Error('expected a unique violation');
        },
        (err: unknown) => err as QueryFailedError,
      );
      expect(error).toBeInstanceOf(QueryFailedError);
      expect(error.parameters).toContain(token); // what used to be printed
    });

    it('then an API request that hits it logs the code and the SQL, without the token', async () => {
      const app = express();
      app.get('/v1/thing', () => {
        throw error;
      });
      app.use(problemHandler);
      const server = app.listen(0, '127.0.0.1');
      await new Promise<void>((resolve) => server.once('listening', resolve));
      try {
        let status = 0;
        const logged = await captureConsole(async () => {
          status = (await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/thing`))
            .status;
        });
        expect(status).toBe(500);
        expect(logged).toMatch(/ER_DUP_ENTRY|SQLITE_CONSTRAINT/);
        expect(logged).toMatch(/SQL: UPDATE .*invites/);
        expect(logged).toMatch(/values not logged/);
        expect(logged).not.toContain(token);
      } finally {
        await new Promise<void>((resolve) => server.close(() => resolve()));
      }
    });

    it('then an activity failing with it is logged by the worker (util.format of {error}) without the token', () => {
      // The Temporal worker's default logger prints `Activity failed ${format(meta)}`.
      const logged = format('Activity failed', { error, durationMs: 3 });
      expect(logged).toMatch(/ER_DUP_ENTRY|SQLITE_CONSTRAINT/);
      expect(logged).not.toContain(token);
      expect(JSON.stringify({ error })).not.toContain(token);
    });

    it('then TypeORM, with every log switched on, logs the failed query without its parameters', async () => {
      const logger = new SafeQueryLogger('all');
      const logged = await captureConsole(async () => {
        // The drivers pass their own Error object (with MySQL's `sql`), though it is typed string.
        logger.logQueryError(error.driverError as unknown as string, error.query, error.parameters);
        logger.logQuery(error.query, error.parameters);
        logger.logQuerySlow(5_000, error.query, error.parameters);
      });
      expect(logged).toMatch(/query failed: UPDATE/);
      expect(logged).toMatch(/ER_DUP_ENTRY|SQLITE_CONSTRAINT/);
      expect(logged).toMatch(/query is slow: UPDATE/);
      expect(logged).not.toContain(token);
    });

    it('then the database handle in every process uses that logger', () => {
      expect(stack.db.dataSource.logger).toBeInstanceOf(SafeQueryLogger);
    });
  });
});
