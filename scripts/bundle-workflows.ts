import * as fs from 'node:fs';
import * as path from 'node:path';
import { bundleWorkflows } from '../temporal/bundle';
import { runMain } from '../bin/run-main';

/**
 * `npm run build:workflows [file]`: the workflows bundled by webpack, as a worker loads them.
 * A worker given `WORKFLOW_BUNDLE=<file>` starts without bundling (the Docker image does); a
 * worker without it runs this in a child process at start (temporal/bundle.ts).
 */
async function main(): Promise<void> {
  const out = path.resolve(process.argv[2] ?? path.join('.build', 'workflows.js'));
  const { code } = await bundleWorkflows();
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(out, code);
}

if (require.main === module) runMain(main);
