import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import { createRequire } from 'node:module';

/** What `resolveChromium` needs from the machine; tests pass fakes to check the order. */
export interface ChromiumProbes {
  /** The CHROMIUM_PATH environment variable, if set. */
  envPath(): string | undefined;
  /** `command -v <name>`. */
  onPath(name: string): string | undefined;
  executable(file: string): boolean;
  /** Root with apt-get: allowed to install Debian's package for everyone on the machine. */
  canAptInstall(): boolean;
  /** Installs Debian's `chromium`; throws with apt's reason when it fails. */
  aptInstall(): void;
  /** A Chromium already downloaded by an installed npm package (playwright, puppeteer), if any. */
  fromNpmPackage(): string | undefined;
}

type Log = (line: string) => void;

/** Names Chromium and Chrome go by on the PATH, most specific first. */
export const PATH_NAMES = ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable', 'chrome'];

/** The one line a developer sees when no browser can be found or installed. */
export const INSTALL_HINT =
  'No Chromium for the browser tests: install one (Debian/Ubuntu: `sudo apt-get install chromium`; ' +
  'macOS: `brew install --cask chromium`), or set CHROMIUM_PATH to a Chrome or Chromium executable';

/** Thrown with a single line (no stack worth reading): what to install, or what is wrong. */
export class ChromiumUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ChromiumUnavailableError';
    this.stack = message;
  }
}

/**
 * Finds a Chromium for the browser tests: CHROMIUM_PATH; else on the PATH; else, as root with
 * apt-get, installs Debian's `chromium` (once per machine); else one an installed npm package
 * already downloaded (never downloads anything itself); else stops with one line saying what
 * to install. `allowInstall: false` only looks.
 */
export function resolveChromium({
  allowInstall = true,
  log = (l: string) => process.stderr.write(`${l}\n`),
  probes = machineProbes,
}: { allowInstall?: boolean; log?: Log; probes?: ChromiumProbes } = {}): string {
  const fromEnv = probes.envPath();
  if (fromEnv) {
    if (probes.executable(fromEnv)) return fromEnv;
    throw new ChromiumUnavailableError(`CHROMIUM_PATH=${fromEnv} is not an executable file: fix or unset it`);
  }
  const found = firstOnPath(probes);
  if (found) return found;

  let aptFailure: string | undefined;
  if (allowInstall && probes.canAptInstall()) {
    log(
      "chromium: none found; installing Debian's chromium with apt-get (once per machine, a minute or two)…",
    );
    const started = Date.now();
    try {
      probes.aptInstall();
      const installed = firstOnPath(probes);
      if (installed) {
        log(`chromium: installed ${installed} in ${Math.round((Date.now() - started) / 1000)} s`);
        return installed;
      }
      aptFailure = 'apt-get installed chromium but it is not on the PATH';
    } catch (err) {
      aptFailure = `apt-get install chromium failed: ${(err as Error).message}`;
    }
  }

  const bundled = probes.fromNpmPackage();
  if (bundled) return bundled;
  throw new ChromiumUnavailableError(aptFailure ? `${INSTALL_HINT} (${aptFailure})` : INSTALL_HINT);
}

function firstOnPath(probes: ChromiumProbes): string | undefined {
  for (const name of PATH_NAMES) {
    const file = probes.onPath(name);
    if (file && probes.executable(file)) return file;
  }
  return undefined;
}

const executable = (file: string) => {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
};

function run(command: string, args: string[]): void {
  const result = spawnSync(command, args, {
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    stdio: ['ignore', 'ignore', 'pipe'],
    encoding: 'utf8',
  });
  if (result.status !== 0) {
    const reason = result.error?.message ?? result.stderr.trim().split('\n').pop() ?? `exit ${result.status}`;
    throw new Error(`${command} ${args.join(' ')}: ${reason}`);
  }
}

/** Each package only reports where its own downloaded browser would be; we check it exists. */
function npmPackageBrowser(): string | undefined {
  // Optional packages: loaded only if this checkout has them, never installed for this.
  const load = createRequire(__filename);
  const candidates: Array<() => string | undefined> = [
    () => (load('playwright-core') as { chromium: { executablePath(): string } }).chromium.executablePath(),
    () => (load('puppeteer') as { executablePath(): string }).executablePath(),
  ];
  for (const candidate of candidates) {
    try {
      const file = candidate();
      if (file && executable(file)) return file;
    } catch {
      // the package is not installed, or has no browser for this platform
    }
  }
  return undefined;
}

export const machineProbes: ChromiumProbes = {
  envPath: () => process.env.CHROMIUM_PATH || undefined,
  onPath: (name) => {
    const found = spawnSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' });
    return found.status === 0 ? found.stdout.trim() || undefined : undefined;
  },
  executable,
  canAptInstall: () =>
    process.platform === 'linux' &&
    process.getuid?.() === 0 &&
    spawnSync('sh', ['-c', 'command -v apt-get']).status === 0,
  aptInstall: () => {
    // Wait for another apt/dpkg (another checkout's tests, unattended upgrades) rather than fail.
    const lock = ['-o', 'DPkg::Lock::Timeout=300'];
    run('apt-get', [...lock, 'update', '-qq']);
    run('apt-get', [...lock, 'install', '-y', '-qq', 'chromium']);
  },
  fromNpmPackage: npmPackageBrowser,
};

if (require.main === module) {
  try {
    console.log(resolveChromium());
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n`);
    process.exitCode = 1;
  }
}
