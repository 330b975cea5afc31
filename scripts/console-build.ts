import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CONSOLE_DIST } from '../api/routes/console';

const ROOT = path.join(__dirname, '..');

/**
 * Builds the console (`vite build console`) unless dist/index.html is there already. The
 * `prepare` script builds it on every `npm install`; this is the safety net for the tests.
 */
export function ensureConsoleBuilt(log: (line: string) => void): void {
  if (fs.existsSync(path.join(CONSOLE_DIST, 'index.html'))) return;
  log('console: building /console (vite build console)…');
  // The CLI in a child process: Vite is an ES module, the tests' runtime is CommonJS.
  execFileSync(
    process.execPath,
    [
      path.join(path.dirname(require.resolve('vite/package.json')), 'bin', 'vite.js'),
      'build',
      'console',
      '--logLevel',
      'warn',
    ],
    {
      cwd: ROOT,
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  );
}
