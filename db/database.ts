import * as fs from 'node:fs';
import * as path from 'node:path';
import { DataSource, type EntityManager } from 'typeorm';
import type { Config } from '../config/config';
import { redactUrl } from '../config/config';
import { entities } from '../entities';
import { migrations } from './migrations';
import { SafeQueryLogger } from './safe-logging';

export type DatabaseConfig = Config['database'];

export function createDataSource(config: DatabaseConfig): DataSource {
  // Off by default; if ever switched on, SQL is logged without the bound values (tokens, keys).
  const logger = new SafeQueryLogger(false);
  if (config.type === 'mysql') {
    return new DataSource({
      type: 'mysql',
      url: config.url,
      entities,
      migrations,
      timezone: 'Z',
      charset: 'utf8mb4_unicode_ci',
      supportBigNumbers: true,
      bigNumberStrings: false,
      extra: { connectionLimit: 10 },
      logger,
    });
  }
  fs.mkdirSync(path.dirname(config.path), { recursive: true });
  return new DataSource({
    type: 'better-sqlite3',
    database: config.path,
    entities,
    migrations,
    // WAL lets the API and worker processes read while one of them writes; the busy
    // timeout makes a writer wait for the other's lock instead of failing at once.
    enableWAL: true,
    timeout: 10_000,
    logger,
  });
}

export class DatabaseUnavailableError extends Error {
  constructor(what: string, cause: unknown) {
    const reason =
      cause instanceof Error ? ((cause as { code?: string }).code ?? cause.message) : String(cause);
    super(`DATABASE_URL: cannot open ${what} (${reason})`);
    this.name = 'DatabaseUnavailableError';
  }
}

const RETRYABLE = /^(SQLITE_BUSY|ER_LOCK_DEADLOCK|ER_LOCK_WAIT_TIMEOUT)/;

/**
 * The application's handle on the database. All writes go through `transaction`:
 * - on SQLite, TypeORM shares one connection per process, so concurrent transactions would
 *   silently nest; we queue them in-process, and retry when another process holds the lock;
 * - on MySQL, a deadlock victim is retried from the start.
 */
export class Database {
  private queue: Promise<unknown> = Promise.resolve();

  constructor(readonly dataSource: DataSource) {}

  static async open(config: DatabaseConfig, { migrate = false } = {}): Promise<Database> {
    const dataSource = createDataSource(config);
    const what = config.type === 'mysql' ? redactUrl(config.url) : config.path;
    try {
      await dataSource.initialize();
    } catch (err) {
      throw new DatabaseUnavailableError(what, err);
    }
    const db = new Database(dataSource);
    if (migrate) await db.migrate();
    return db;
  }

  get dialect(): 'mysql' | 'sqlite' {
    return this.dataSource.options.type === 'mysql' ? 'mysql' : 'sqlite';
  }

  get manager(): EntityManager {
    return this.dataSource.manager;
  }

  async migrate(): Promise<string[]> {
    const ran = await this.dataSource.runMigrations({ transaction: 'each' });
    return ran.map((m) => m.name);
  }

  async transaction<T>(work: (em: EntityManager) => Promise<T>): Promise<T> {
    if (this.dialect === 'mysql') return this.withRetry(() => this.dataSource.transaction(work));
    const run = () => this.withRetry(() => this.immediateTransaction(work));
    const result = this.queue.then(run, run);
    this.queue = result.catch(() => undefined);
    return result;
  }

  async ping(): Promise<void> {
    await this.dataSource.query('SELECT 1');
  }

  async close(): Promise<void> {
    if (this.dataSource.isInitialized) await this.dataSource.destroy();
  }

  /**
   * SQLite: a transaction that takes the write lock when it begins. TypeORM begins DEFERRED,
   * and a deferred transaction that reads, then writes after another process committed, fails
   * at once with SQLITE_BUSY_SNAPSHOT (the busy timeout cannot help: its snapshot is stale).
   * BEGIN IMMEDIATE waits for the lock (the busy timeout) and then reads the latest data, so
   * the API and worker processes queue for each other instead of failing and retrying.
   */
  private async immediateTransaction<T>(work: (em: EntityManager) => Promise<T>): Promise<T> {
    const runner = this.dataSource.createQueryRunner();
    // Told a transaction is open, so that `save()` and friends inside `work` do not begin one.
    const open = (active: boolean) => Object.assign(runner, { isTransactionActive: active });
    try {
      await runner.query('BEGIN IMMEDIATE');
      open(true);
      try {
        const result = await work(runner.manager);
        await runner.query('COMMIT');
        return result;
      } catch (err) {
        await runner.query('ROLLBACK').catch(() => undefined);
        throw err;
      }
    } finally {
      open(false);
      await runner.release();
    }
  }

  private async withRetry<T>(attempt: () => Promise<T>): Promise<T> {
    for (let tries = 1; ; tries++) {
      try {
        return await attempt();
      } catch (err) {
        const code =
          (err as { code?: string; driverError?: { code?: string } }).driverError?.code ??
          (err as { code?: string }).code;
        if (tries >= 8 || !code || !RETRYABLE.test(code)) throw err;
        await new Promise((r) => setTimeout(r, 5 * 2 ** tries + Math.random() * 20));
      }
    }
  }
}
