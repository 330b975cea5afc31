import 'reflect-metadata';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { loadConfig } from '../../config/config';
import { Database } from '../../db/database';
import { resolveTemporalCli } from '../../scripts/temporal-cli';
import { bundleWorkflows } from '../../temporal/worker';
import { SEARCH_ATTRIBUTES } from '../../workflows/search-attributes';

/**
 * Once per `npm test`: a real Temporal dev server (the pinned CLI), the database migrated
 * (DATABASE_URL, else a fresh embedded SQLite file), and the workflow bundle built. Test
 * files find them through the environment variables set here.
 */
export default async function globalSetup(): Promise<void> {
  const started = Date.now();
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'herald-test-'));
  process.env.HERALD_TEST_TMP = tmp;
  process.env.DATA_DIR = tmp;
  process.env.EMAIL_PROVIDER ??= 'outbox';

  const cli = resolveTemporalCli({ log: (line) => process.stderr.write(`${line}\n`) });
  const env = await TestWorkflowEnvironment.createLocal({
    server: {
      executable: { type: 'existing-path', path: cli },
      searchAttributes: SEARCH_ATTRIBUTES,
      ip: '127.0.0.1',
      extraArgs: ['--log-level', 'error'],
    },
  });
  (globalThis as { heraldTestEnv?: TestWorkflowEnvironment }).heraldTestEnv = env;
  const address = env.address;
  process.env.TEMPORAL_ADDRESS = address;
  process.env.HERALD_TEMPORAL_CLI = cli;

  const config = loadConfig();
  const db = await Database.open(config.database, { migrate: true });
  await db.close();

  const bundle = await bundleWorkflows();
  const bundlePath = path.join(tmp, 'workflow-bundle.js');
  fs.writeFileSync(bundlePath, bundle.code);
  process.env.HERALD_TEST_WORKFLOW_BUNDLE = bundlePath;

  const where =
    config.database.type === 'mysql' ? 'MySQL (DATABASE_URL)' : `embedded SQLite ${config.database.path}`;
  process.stderr.write(`\ntest stack: Temporal ${address}, ${where}, ready in ${Date.now() - started} ms\n`);
}
