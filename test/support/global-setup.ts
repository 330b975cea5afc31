import 'reflect-metadata';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { loadConfig } from '../../config/config';
import { Database } from '../../db/database';
import { ChromiumUnavailableError, resolveChromium } from '../../scripts/chromium';
import { ensureConsoleBuilt } from '../../scripts/console-build';
import { resolveTemporalCli } from '../../scripts/temporal-cli';
import { bundleWorkflows } from '../../temporal/bundle';
import { DEV_SERVER_DYNAMIC_CONFIG } from '../../bin/temporal';
import { SEARCH_ATTRIBUTES } from '../../workflows/search-attributes';

/**
 * Once per `npm test`: a Chromium for the browser tests (found, else installed), a real
 * Temporal dev server (the pinned CLI), the database migrated (DATABASE_URL, else a fresh
 * embedded SQLite file), the console built if it is not, and the workflow bundle built. Test files find them through the
 * environment variables set here.
 */
export default async function globalSetup(): Promise<void> {
  const started = Date.now();
  const log = (line: string) => process.stderr.write(`${line}\n`);
  // First, before anything is started that would need stopping: a newcomer missing a browser
  // reads one line saying what to install, not a stack trace.
  try {
    process.env.HERALD_TEST_CHROMIUM = resolveChromium({ log });
  } catch (err) {
    if (!(err instanceof ChromiumUnavailableError)) throw err;
    log(`\n${err.message}`);
    process.exit(1);
  }

  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'herald-test-'));
  process.env.HERALD_TEST_TMP = tmp;
  process.env.DATA_DIR = tmp;
  process.env.EMAIL_PROVIDER ??= 'outbox';

  const cli = resolveTemporalCli({ log });
  const env = await TestWorkflowEnvironment.createLocal({
    server: {
      executable: { type: 'existing-path', path: cli },
      searchAttributes: SEARCH_ATTRIBUTES,
      ip: '127.0.0.1',
      extraArgs: ['--log-level', 'error', ...DEV_SERVER_DYNAMIC_CONFIG],
    },
  });
  (globalThis as { heraldTestEnv?: TestWorkflowEnvironment }).heraldTestEnv = env;
  const address = env.address;
  process.env.TEMPORAL_ADDRESS = address;
  process.env.HERALD_TEMPORAL_CLI = cli;

  const config = loadConfig();
  const db = await Database.open(config.database, { migrate: true });
  await db.close();

  ensureConsoleBuilt(log);
  const bundle = await bundleWorkflows();
  const bundlePath = path.join(tmp, 'workflow-bundle.js');
  fs.writeFileSync(bundlePath, bundle.code);
  process.env.HERALD_TEST_WORKFLOW_BUNDLE = bundlePath;

  const where =
    config.database.type === 'mysql' ? 'MySQL (DATABASE_URL)' : `embedded SQLite ${config.database.path}`;
  process.stderr.write(
    `\ntest stack: Temporal ${address}, ${where}, Chromium ${process.env.HERALD_TEST_CHROMIUM}, ready in ${Date.now() - started} ms\n`,
  );
}
