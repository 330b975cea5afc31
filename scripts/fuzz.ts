import { spawnSync } from 'node:child_process';
import { randomInt } from 'node:crypto';
import { parseArgs } from 'node:util';

/**
 * `npm run fuzz -- --runs N [--seed S] [--shrink]`: the API fuzzer (test/api-fuzz.test.ts) at
 * the size you ask for. A fresh seed each time unless given, printed first, so a failure
 * reproduces with `--seed S --runs N`.
 */
const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '2000' },
    seed: { type: 'string' },
    shrink: { type: 'boolean', default: false },
  },
});
const runs = Number(values.runs);
const seed = values.seed === undefined ? randomInt(2 ** 31) : Number(values.seed);
if (!Number.isInteger(runs) || runs < 1 || !Number.isInteger(seed)) {
  console.error('usage: npm run fuzz -- --runs <requests, at least 1> [--seed <integer>] [--shrink]');
  process.exit(2);
}
console.log(
  `fuzz: FUZZ_SEED=${seed} FUZZ_RUNS=${runs} (reproduce: npm run fuzz -- --seed ${seed} --runs ${runs})`,
);
const result = spawnSync('npx', ['jest', 'test/api-fuzz.test.ts'], {
  stdio: 'inherit',
  env: {
    ...process.env,
    FUZZ_SEED: String(seed),
    FUZZ_RUNS: String(runs),
    ...(values.shrink ? { FUZZ_SHRINK: '1' } : {}),
  },
});
console.log(`fuzz: FUZZ_SEED=${seed} FUZZ_RUNS=${runs} ${result.status === 0 ? 'passed' : 'FAILED'}`);
process.exit(result.status ?? 1);
