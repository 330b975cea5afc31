import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { type Entry, entryNodeArgs, HEAP_MB } from '../bin/node-args';

const ROOT = path.resolve(__dirname, '..');
const scripts = (
  JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
    scripts: Record<string, string>;
  }
).scripts;

/** The V8 heap limit a package.json script's flags give, in MB, with `env` set. */
function heapLimitMb(script: string, env: Record<string, string> = {}): number {
  const flags = script.replace(/^node /, '').replace(/ \S+\.ts$/, '');
  const probe = `node ${flags} -e "console.log(require('v8').getHeapStatistics().heap_size_limit)"`;
  const out = execFileSync('sh', ['-c', probe], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    encoding: 'utf8',
  });
  return Number(out.trim()) / 2 ** 20;
}

describe('Entry points, as npm runs them and as tests, benchmarks and the rehearsal start them', () => {
  it.each([
    ['api', 'bin/api.ts'],
    ['worker', 'worker.ts'],
    ['start', 'bin/start.ts'],
  ] as [string, Entry][])(
    'when `npm run %s` starts, then it is Node with the same flags as every spawned %s: tsx’s require hook and its heap budget',
    (script, entry) => {
      expect(scripts[script]).toBe(
        `node --require tsx/cjs --max-old-space-size=\${HERALD_HEAP_MB:-${HEAP_MB[entry]}} ${entry}`,
      );
      expect(entryNodeArgs(entry)).toEqual([
        '--require',
        'tsx/cjs',
        `--max-old-space-size=${HEAP_MB[entry]}`,
        entry,
      ]);
    },
  );

  it('when HERALD_HEAP_MB is set, then the budget is that one; unset, the entry point’s own', () => {
    // V8 adds its young generation to the old-space budget: the limit is the budget plus a few MB.
    const own = heapLimitMb(scripts.worker);
    expect(own).toBeGreaterThanOrEqual(HEAP_MB['worker.ts']);
    expect(own).toBeLessThan(HEAP_MB['worker.ts'] + 64);
    const raised = heapLimitMb(scripts.worker, { HERALD_HEAP_MB: '512' });
    expect(raised).toBeGreaterThanOrEqual(512);
    expect(raised).toBeLessThan(512 + 64);
  });
});
