/**
 * How Herald's entry points run, here and in package.json (`npm run api`, `worker`, `start`;
 * test/entry-points.test.ts holds the two to the same flags):
 * - Node with tsx's require hook: not tsx's CLI, which forks a second Node process, nor
 *   `--import tsx`, whose ESM loader runs in a thread of its own (~30 MB more per process).
 *   Herald is CommonJS throughout.
 * - A heap budget per process. Left alone on a big machine, V8 lets garbage pile up to
 *   gigabytes before a full collection, though importing or sending a million rows keeps
 *   only ~50 MB of live heap (bench/million, BENCHMARKS.md). Requests and activities work in
 *   bounded chunks, so a budget of about twice the live heap costs little time. `HERALD_HEAP_MB` overrides it in package.json.
 */
export const HEAP_MB = { 'bin/api.ts': 96, 'worker.ts': 128, 'bin/start.ts': 192 } as const;

export type Entry = keyof typeof HEAP_MB;

export function entryNodeArgs(entry: Entry): string[] {
  return ['--require', 'tsx/cjs', `--max-old-space-size=${HEAP_MB[entry]}`, entry];
}
