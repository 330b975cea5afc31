import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/** The Temporal CLI version we build and test against (later tags refuse `go install`). */
export const TEMPORAL_CLI_VERSION = 'v1.5.1';

const ROOT = path.resolve(__dirname, '..');
const TOOLS_BIN = path.join(ROOT, '.tools', 'bin');
const CACHE_DIR = path.join(
  process.env.XDG_CACHE_HOME ?? path.join(os.homedir(), '.cache'),
  'herald',
  'temporal-cli',
  TEMPORAL_CLI_VERSION,
);

type Log = (line: string) => void;

function onPath(): string | undefined {
  const found = spawnSync('sh', ['-c', 'command -v temporal'], { encoding: 'utf8' });
  return found.status === 0 ? found.stdout.trim() || undefined : undefined;
}

const executable = (file: string) => {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
};

function copyInto(from: string, dir: string): string {
  fs.mkdirSync(dir, { recursive: true });
  const to = path.join(dir, 'temporal');
  fs.copyFileSync(from, `${to}.tmp`);
  fs.chmodSync(`${to}.tmp`, 0o755);
  fs.renameSync(`${to}.tmp`, to); // atomic: a concurrent reader never sees half a binary
  return to;
}

/**
 * Finds the `temporal` CLI: TEMPORAL_CLI_PATH; on the PATH; else in the git-ignored `.tools/bin`;
 * else in the per-user cache (so fresh clones skip the build); else built once with
 * `go install`; else downloaded. `allowBuild: false` only looks.
 */
export function resolveTemporalCli({
  allowBuild = true,
  log = (l: string) => console.log(l),
}: { allowBuild?: boolean; log?: Log } = {}): string {
  const fromEnv = process.env.TEMPORAL_CLI_PATH;
  if (fromEnv && executable(fromEnv)) return fromEnv;
  const system = onPath();
  if (system) return system;
  const local = path.join(TOOLS_BIN, 'temporal');
  if (executable(local)) return local;
  const cached = path.join(CACHE_DIR, 'temporal');
  if (executable(cached)) return copyInto(cached, TOOLS_BIN);
  if (!allowBuild)
    throw new Error(
      'The Temporal CLI is not installed: run `npm run temporal` once, or put `temporal` on the PATH',
    );

  if (spawnSync('go', ['version']).status === 0) {
    log(`temporal: building the Temporal CLI ${TEMPORAL_CLI_VERSION} with go install (a few minutes, once)…`);
    const started = Date.now();
    execFileSync('go', ['install', `github.com/temporalio/cli/cmd/temporal@${TEMPORAL_CLI_VERSION}`], {
      env: { ...process.env, GOBIN: CACHE_DIR },
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    log(`temporal: built in ${Math.round((Date.now() - started) / 1000)} s, cached in ${CACHE_DIR}`);
    return copyInto(cached, TOOLS_BIN);
  }
  return download(log);
}

function download(log: Log): string {
  const platform = process.platform === 'darwin' ? 'darwin' : 'linux';
  const arch = process.arch === 'arm64' ? 'arm64' : 'amd64';
  const url = `https://temporal.download/cli/archive/${TEMPORAL_CLI_VERSION}?platform=${platform}&arch=${arch}`;
  log(`temporal: no Go toolchain; downloading the Temporal CLI ${TEMPORAL_CLI_VERSION}…`);
  fs.mkdirSync(CACHE_DIR, { recursive: true });
  const archive = path.join(CACHE_DIR, 'temporal.tar.gz');
  const fetched = spawnSync('curl', ['-fsSL', '-o', archive, url], { stdio: 'inherit' });
  if (fetched.status !== 0) {
    throw new Error(
      `Could not get the Temporal CLI: install Go (then rerun) or put \`temporal\` on the PATH (download from ${url} failed)`,
    );
  }
  execFileSync('tar', ['-xzf', archive, '-C', CACHE_DIR, 'temporal']);
  return copyInto(path.join(CACHE_DIR, 'temporal'), TOOLS_BIN);
}

if (require.main === module) console.log(resolveTemporalCli());
