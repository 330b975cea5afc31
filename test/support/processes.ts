import { type ChildProcess, spawn } from 'node:child_process';
import * as path from 'node:path';
import { postmarkEnv } from './delivery';
import type { FakePostmark } from './postmark-server';
import { eventually, type Stack } from './stack';
import { type Entry, entryNodeArgs } from '../../bin/node-args';

const ROOT = path.resolve(__dirname, '..', '..');

export interface EntryProcess {
  child: ChildProcess;
  /** Everything it printed so far, stdout and stderr. */
  output: () => string;
}

/**
 * An entry point as production runs it: its own process, tsx as a loader rather than its CLI
 * (which forks), so a signal (SIGKILL included) reaches the entry point itself.
 */
export function spawnEntry(entry: Entry, env: Record<string, string>): EntryProcess {
  const child = spawn(process.execPath, entryNodeArgs(entry), {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  return { child, output: () => output };
}

/** Resolves once the process has printed `line`. */
export const printed = (output: () => string, line: string, timeoutMs = 60_000) =>
  eventually(async () => (output().includes(line) ? true : undefined), { timeoutMs });

/**
 * `npm run worker` beside a stack started with `worker: false`: same database, Temporal and
 * task queue, the local Postmark server; resolves once it polls. Collected in `into`, so
 * afterAll can kill what is left (`killLeft`).
 */
export async function startWorkerProcess(
  stack: Stack,
  fake: FakePostmark,
  into: ChildProcess[],
  env: Record<string, string> = {},
): Promise<ChildProcess> {
  const worker = spawnEntry('worker.ts', {
    ...postmarkEnv(fake),
    ...env,
    TEMPORAL_TASK_QUEUE: stack.config.temporal.taskQueue,
    TEMPORAL_ADDRESS: stack.config.temporal.address,
  });
  into.push(worker.child);
  await printed(worker.output, 'worker: polling');
  return worker.child;
}

/** SIGKILLs those still running (a test's afterAll). */
export function killLeft(children: ChildProcess[]): void {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
}
