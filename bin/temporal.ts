import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadConfig } from '../config/config';
import { SEARCH_ATTRIBUTES } from '../workflows/search-attributes';
import { runMain } from './run-main';
import { resolveTemporalCli } from '../scripts/temporal-cli';

/** Herald's Temporal server settings (eager activity execution): docker compose mounts this file. */
export const SERVER_SETTINGS_FILE = path.join(__dirname, '..', 'ops', 'temporal-dynamic-config.yaml');

/**
 * Those settings as `temporal server start-dev` takes them. The file holds only `key:` /
 * `- value: v` pairs.
 */
export const DEV_SERVER_DYNAMIC_CONFIG: string[] = [
  ...fs.readFileSync(SERVER_SETTINGS_FILE, 'utf8').matchAll(/^([\w.]+):\s*\n\s*- value: (.+)$/gm),
].flatMap(([, key, value]) => ['--dynamic-config-value', `${key}=${value.trim()}`]);

/** Arguments for `temporal server start-dev` serving Herald: its port, UI port, data and search attributes. */
export function devServerArgs({
  address,
  uiPort,
  namespace,
  dbFile,
}: {
  address: string;
  uiPort: number;
  namespace: string;
  dbFile?: string;
}): string[] {
  const [ip, port] = address.split(':');
  return [
    'server',
    'start-dev',
    '--ip',
    ip === 'localhost' ? '127.0.0.1' : ip,
    '--port',
    port,
    '--ui-port',
    String(uiPort),
    '--namespace',
    namespace,
    ...(dbFile ? ['--db-filename', dbFile] : []),
    '--log-level',
    'error',
    ...DEV_SERVER_DYNAMIC_CONFIG,
    ...SEARCH_ATTRIBUTES.flatMap((key) => ['--search-attribute', `${key.name}=Keyword`]),
  ];
}

/** `npm run temporal`: the Temporal dev server alone, with the UI, data kept under DATA_DIR. */
async function main(): Promise<void> {
  const config = loadConfig();
  const cli = resolveTemporalCli();
  fs.mkdirSync(config.dataDir, { recursive: true });
  const args = devServerArgs({ ...config.temporal, dbFile: path.join(config.dataDir, 'temporal.db') });
  console.log(`temporal: ${config.temporal.address}, UI on http://localhost:${config.temporal.uiPort}`);
  const child = spawn(cli, args, { stdio: 'inherit' });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => child.kill(signal));
  const code = await new Promise<number>((resolve) => child.once('exit', (c) => resolve(c ?? 0)));
  process.exit(code);
}

if (require.main === module) runMain(main);
