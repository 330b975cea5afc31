import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { bundleWorkflowCode, type WorkflowBundle } from '@temporalio/worker';

export const WORKFLOWS_PATH = require.resolve('../workflows');

/** Bundling takes seconds: tests and benchmarks build it once and share it. */
export async function bundleWorkflows(): Promise<WorkflowBundle> {
  return bundleWorkflowCode({ workflowsPath: WORKFLOWS_PATH, logger: quietBundlerLogger });
}

const quietBundlerLogger = {
  trace: () => undefined,
  debug: () => undefined,
  info: () => undefined,
  warn: (message: string) => console.warn(message),
  error: (message: string) => console.error(message),
  log: () => undefined,
};

const BUNDLER = path.resolve(__dirname, '..', 'scripts', 'bundle-workflows.ts');

/**
 * The workflows' code for a worker that was given no prebuilt bundle (`WORKFLOW_BUNDLE`):
 * bundled by webpack in a child process, so the worker never holds webpack's heap, which it
 * would keep for the rest of its life (BENCHMARKS.md, bench/million). Built from
 * the sources at every start, so it is never older than they are. `remove` deletes the
 * file once the worker has read it.
 */
export async function bundleInChildProcess(): Promise<{ codePath: string; remove: () => void }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'herald-workflows-'));
  const codePath = path.join(dir, 'workflows.js');
  const remove = () => fs.rmSync(dir, { recursive: true, force: true });
  try {
    await runBundler(codePath);
    return { codePath, remove };
  } catch (err) {
    remove();
    throw err;
  }
}

function runBundler(out: string): Promise<void> {
  return new Promise((resolve, reject) => {
    // tsx's require hook, as the entry points run (bin/node-args.ts); webpack gets the heap it wants.
    const child = spawn(process.execPath, ['--require', 'tsx/cjs', BUNDLER, out], {
      stdio: ['ignore', 'inherit', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.once('error', reject);
    child.once('exit', (code, signal) =>
      code === 0
        ? resolve()
        : reject(
            new Error(
              `bundling the workflows failed (${signal ?? `exit ${code}`}); run \`npm run build:workflows\` to see why:\n${stderr.slice(-2000)}`,
            ),
          ),
    );
  });
}
