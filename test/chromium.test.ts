import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import {
  type ChromiumProbes,
  ChromiumUnavailableError,
  INSTALL_HINT,
  resolveChromium,
} from '../scripts/chromium';

/** A machine described by what it has; records what the resolver asked of it. */
function machine(
  has: {
    env?: string;
    path?: Record<string, string>;
    files?: string[];
    root?: boolean;
    aptInstalls?: string | Error;
    npm?: string;
  } = {},
) {
  const calls: string[] = [];
  const files = new Set([...(has.files ?? []), ...Object.values(has.path ?? {})]);
  const onPath = new Map(Object.entries(has.path ?? {}));
  const probes: ChromiumProbes = {
    envPath: () => has.env,
    onPath: (name) => onPath.get(name),
    executable: (file) => files.has(file),
    canAptInstall: () => has.root ?? false,
    aptInstall: () => {
      calls.push('apt');
      if (has.aptInstalls instanceof Error) throw has.aptInstalls;
      if (has.aptInstalls) {
        onPath.set('chromium', has.aptInstalls);
        files.add(has.aptInstalls);
      }
    },
    fromNpmPackage: () => {
      calls.push('npm');
      return has.npm;
    },
  };
  const lines: string[] = [];
  const resolve = (opts: { allowInstall?: boolean } = {}) =>
    resolveChromium({ ...opts, probes, log: (l) => lines.push(l) });
  return { resolve, calls, lines };
}

describe('Finding a Chromium for the browser tests', () => {
  it('when CHROMIUM_PATH names an executable, then it wins over the PATH and nothing is installed', () => {
    const m = machine({
      env: '/opt/chrome/chrome',
      files: ['/opt/chrome/chrome'],
      path: { chromium: '/usr/bin/chromium' },
      root: true,
    });
    expect(m.resolve()).toBe('/opt/chrome/chrome');
    expect(m.calls).toEqual([]);
  });

  it('when CHROMIUM_PATH names nothing runnable, then it stops with one line naming the variable', () => {
    const m = machine({ env: '/nope/chrome', path: { chromium: '/usr/bin/chromium' } });
    expect(() => m.resolve()).toThrow(
      /^CHROMIUM_PATH=\/nope\/chrome is not an executable file: fix or unset it$/,
    );
  });

  it('when a browser is on the PATH, then the most specific name is used and nothing is installed', () => {
    const m = machine({
      path: { 'google-chrome': '/usr/bin/google-chrome', 'chromium-browser': '/snap/bin/chromium-browser' },
      root: true,
      npm: '/home/me/.cache/ms-playwright/chrome',
    });
    expect(m.resolve()).toBe('/snap/bin/chromium-browser');
    expect(m.calls).toEqual([]);
  });

  it('when none is found and we are root with apt-get, then Debian chromium is installed with a progress line, before any npm package is consulted', () => {
    const m = machine({
      root: true,
      aptInstalls: '/usr/bin/chromium',
      npm: '/home/me/.cache/ms-playwright/chrome',
    });
    expect(m.resolve()).toBe('/usr/bin/chromium');
    expect(m.calls).toEqual(['apt']);
    expect(m.lines[0]).toMatch(/^chromium: none found; installing Debian's chromium with apt-get/);
    expect(m.lines[1]).toMatch(/^chromium: installed \/usr\/bin\/chromium in \d+ s$/);
  });

  it('when only looking (allowInstall: false), then apt is never run', () => {
    const m = machine({ root: true, aptInstalls: '/usr/bin/chromium', npm: '/npm/chrome' });
    expect(m.resolve({ allowInstall: false })).toBe('/npm/chrome');
    expect(m.calls).toEqual(['npm']);
  });

  it('when not root (or no apt-get), then a browser an installed npm package downloaded is used', () => {
    const m = machine({ root: false, npm: '/home/me/.cache/ms-playwright/chromium-1/chrome-linux/chrome' });
    expect(m.resolve()).toBe('/home/me/.cache/ms-playwright/chromium-1/chrome-linux/chrome');
    expect(m.calls).toEqual(['npm']);
  });

  it('when apt fails, then an npm package browser still rescues the run', () => {
    const m = machine({
      root: true,
      aptInstalls: new Error('E: Unable to locate package chromium'),
      npm: '/npm/chrome',
    });
    expect(m.resolve()).toBe('/npm/chrome');
    expect(m.calls).toEqual(['apt', 'npm']);
  });

  it('when nothing is found and nothing can be installed, then it stops with exactly one line saying what to install', () => {
    const m = machine({ root: false });
    let error: unknown;
    try {
      m.resolve();
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ChromiumUnavailableError);
    const message = (error as Error).message;
    expect(message).toBe(INSTALL_HINT);
    expect(message).toContain('apt-get install chromium');
    expect(message).toContain('CHROMIUM_PATH');
    expect(message.split('\n')).toHaveLength(1);
    expect((error as Error).stack).toBe(message);
  });

  it('when apt fails and no npm package has a browser, then the one line also says why apt failed', () => {
    const m = machine({
      root: true,
      aptInstalls: new Error('apt-get update -qq: Temporary failure resolving deb.debian.org'),
    });
    expect(() => m.resolve()).toThrow(
      `${INSTALL_HINT} (apt-get install chromium failed: apt-get update -qq: Temporary failure resolving deb.debian.org)`,
    );
  });

  it('when run as a script on a machine with nothing and no way to install, then it prints that one line and exits non-zero', () => {
    // The real probes on a bare machine: no PATH (so no browser and no apt-get), no
    // CHROMIUM_PATH, and a HOME where no npm package has downloaded a browser.
    const tsx = path.resolve(__dirname, '../node_modules/.bin/tsx');
    const script = path.resolve(__dirname, '../scripts/chromium.ts');
    const run = spawnSync(process.execPath, [tsx, script], {
      cwd: '/',
      env: { PATH: '/nonexistent', HOME: '/nonexistent', NODE_PATH: '' },
      encoding: 'utf8',
    });
    expect(run.status).not.toBe(0);
    expect(run.stdout).toBe('');
    expect(run.stderr.trim().split('\n')).toEqual([INSTALL_HINT]);
  });
});
