import * as fs from 'node:fs';
import type { TestWorkflowEnvironment } from '@temporalio/testing';

export default async function globalTeardown(): Promise<void> {
  await (globalThis as { heraldTestEnv?: TestWorkflowEnvironment }).heraldTestEnv?.teardown();
  const tmp = process.env.HERALD_TEST_TMP;
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
}
