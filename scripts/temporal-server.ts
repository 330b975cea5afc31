import { type ChildProcess, execFile, execFileSync, spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { Connection } from '@temporalio/client';
import { msToTs } from '@temporalio/common/lib/time';
import { SEARCH_ATTRIBUTES } from '../workflows/search-attributes';
import { SERVER_SETTINGS_FILE } from '../bin/temporal';

/**
 * A real Temporal server (not the dev server): the `temporal-server` binary and its SQL schema tool,
 * built from the Go module proxy at the version docker-compose.yml pins, persisting to PostgreSQL
 * with SQL advanced visibility, several history shards, the namespace registered and Herald's search
 * attributes added through the operator API — the topology production runs, on this machine.
 *
 *   npx tsx scripts/temporal-server.ts [--port 7233]     # runs until Ctrl-C; data stays in PostgreSQL
 *   npx tsx scripts/temporal-server.ts --provision       # only finds or builds the binaries (CI)
 *
 * As a module: `startTemporalServer()` returns `{ address, stop(), restart() }`
 * (test/temporal-server.test.ts, and the rehearsal of issue 14, whose chaos loop restarts it).
 */

/** Same tag as `temporalio/auto-setup` in docker-compose.yml (test/temporal-server.test.ts checks). */
export const TEMPORAL_SERVER_VERSION = 'v1.29.1';

const MODULE = 'go.temporal.io/server';
const ROOT = path.resolve(__dirname, '..');
const CACHE_DIR = path.join(
  process.env.XDG_CACHE_HOME ?? path.join(os.homedir(), '.cache'),
  'herald',
  'temporal-server',
  TEMPORAL_SERVER_VERSION,
);

type Log = (line: string) => void;
const defaultLog: Log = (line) => process.stderr.write(`${line}\n`);
const seconds = (since: number) => `${Math.round((Date.now() - since) / 1000)} s`;

export class TemporalServerUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TemporalServerUnavailableError';
  }
}

export interface TemporalServerBinaries {
  /** `go.temporal.io/server/cmd/server` */
  server: string;
  /** `go.temporal.io/server/cmd/tools/sql` (temporal-sql-tool) */
  sqlTool: string;
  /** `schema/postgresql/v12` of the same module version: `temporal/versioned`, `visibility/versioned`. */
  schemaDir: string;
}

const executable = (file: string | undefined): file is string => {
  if (!file) return false;
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
};

function makeWritable(dir: string): void {
  fs.chmodSync(dir, 0o755);
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) makeWritable(file);
    else fs.chmodSync(file, 0o644);
  }
}

const cached = (): TemporalServerBinaries => ({
  server: path.join(CACHE_DIR, 'server'),
  sqlTool: path.join(CACHE_DIR, 'sql'),
  schemaDir: path.join(CACHE_DIR, 'schema', 'postgresql', 'v12'),
});

/**
 * Finds the server, its SQL tool and the schema files: TEMPORAL_SERVER_PATH, TEMPORAL_SQL_TOOL_PATH
 * and TEMPORAL_SCHEMA_DIR (all three, e.g. from a release tarball); else the per-user cache
 * (`~/.cache/herald/temporal-server/<version>/`, so fresh clones skip the build); else built once
 * with `go install` (a few minutes), the schema copied out of the Go module cache next to the
 * binaries; else one line saying what to install. `allowBuild: false` only looks.
 */
export function resolveTemporalServer({
  allowBuild = true,
  log = defaultLog,
}: { allowBuild?: boolean; log?: Log } = {}): TemporalServerBinaries {
  const { TEMPORAL_SERVER_PATH, TEMPORAL_SQL_TOOL_PATH, TEMPORAL_SCHEMA_DIR } = process.env;
  if (executable(TEMPORAL_SERVER_PATH) && executable(TEMPORAL_SQL_TOOL_PATH) && TEMPORAL_SCHEMA_DIR)
    return { server: TEMPORAL_SERVER_PATH, sqlTool: TEMPORAL_SQL_TOOL_PATH, schemaDir: TEMPORAL_SCHEMA_DIR };

  const found = cached();
  const complete = () =>
    executable(found.server) &&
    executable(found.sqlTool) &&
    fs.existsSync(path.join(found.schemaDir, 'visibility', 'versioned'));
  if (complete()) return found;
  if (!allowBuild)
    throw new TemporalServerUnavailableError(
      `The Temporal server ${TEMPORAL_SERVER_VERSION} is not built: run \`npx tsx scripts/temporal-server.ts\` once`,
    );
  if (spawnSync('go', ['version']).status !== 0)
    throw new TemporalServerUnavailableError(
      `Cannot build the Temporal server ${TEMPORAL_SERVER_VERSION}: install Go (1.25 or later) and rerun, or set TEMPORAL_SERVER_PATH, TEMPORAL_SQL_TOOL_PATH and TEMPORAL_SCHEMA_DIR`,
    );

  // Built into a private directory and moved in whole, so a concurrent run never sees half a binary.
  fs.mkdirSync(CACHE_DIR, { recursive: true });
  const staging = fs.mkdtempSync(path.join(CACHE_DIR, '.build-'));
  try {
    for (const [name, pkg] of [
      ['server', `${MODULE}/cmd/server`],
      ['sql', `${MODULE}/cmd/tools/sql`],
    ] as const) {
      if (executable(path.join(CACHE_DIR, name))) continue;
      log(`temporal-server: building ${pkg}@${TEMPORAL_SERVER_VERSION} with go install (minutes, once)…`);
      const started = Date.now();
      const built = spawnSync('go', ['install', `${pkg}@${TEMPORAL_SERVER_VERSION}`], {
        env: { ...process.env, GOBIN: staging },
        stdio: ['ignore', 'inherit', 'inherit'],
      });
      if (built.status !== 0)
        throw new TemporalServerUnavailableError(
          `\`go install ${pkg}@${TEMPORAL_SERVER_VERSION}\` failed (exit ${built.status}); see the lines above`,
        );
      fs.renameSync(path.join(staging, name), path.join(CACHE_DIR, name));
      log(`temporal-server: ${name} built in ${seconds(started)}, cached in ${CACHE_DIR}`);
    }
    if (!fs.existsSync(path.join(found.schemaDir, 'visibility', 'versioned'))) {
      const modCache = execFileSync('go', ['env', 'GOMODCACHE'], { encoding: 'utf8' }).trim();
      const source = path.join(
        modCache,
        `${MODULE}@${TEMPORAL_SERVER_VERSION}`,
        'schema',
        'postgresql',
        'v12',
      );
      const copy = path.join(staging, 'schema');
      fs.cpSync(source, copy, { recursive: true });
      makeWritable(copy); // the module cache is read-only; a copy that is too cannot be deleted
      fs.mkdirSync(path.dirname(found.schemaDir), { recursive: true });
      fs.renameSync(copy, found.schemaDir);
    }
  } finally {
    fs.rmSync(staging, { recursive: true, force: true });
  }
  if (!complete())
    throw new TemporalServerUnavailableError(`The Temporal server build left ${CACHE_DIR} incomplete`);
  return found;
}

export interface PostgresOptions {
  host: string;
  port: number;
  user: string;
  password: string;
}

/** TEMPORAL_POSTGRES_URL (postgres://user:password@host:port), else postgres on 127.0.0.1:5432. */
export function postgresFromEnv(env: NodeJS.ProcessEnv = process.env): PostgresOptions {
  const url = new URL(env.TEMPORAL_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432');
  return {
    host: url.hostname,
    port: Number(url.port || 5432),
    user: decodeURIComponent(url.username || 'postgres'),
    password: decodeURIComponent(url.password),
  };
}

export interface TemporalServerOptions {
  postgres?: PostgresOptions;
  /** The two databases (created if missing): default `herald_temporal` and `<that>_visibility`. */
  database?: string;
  visibilityDatabase?: string;
  /** Drop both databases first: a server with no past. */
  reset?: boolean;
  numHistoryShards?: number;
  /** The frontend's gRPC port (default: a free one). */
  port?: number;
  namespace?: string;
  /** Where the generated config and the server's log go (default: a temp dir). */
  dir?: string;
  log?: Log;
  /** How long to wait for the frontend, namespace and search attributes (default 120 s). */
  readyTimeoutMs?: number;
}

export interface TemporalServer {
  /** host:port of the frontend, for TEMPORAL_ADDRESS. */
  address: string;
  namespace: string;
  /** The server's own log (JSON lines). */
  logFile: string;
  /** From spawn to namespace and search attributes usable. */
  startupMs: number;
  /** SIGTERM, and wait for it to exit (SIGKILL after `graceMs`). */
  stop(graceMs?: number): Promise<void>;
  /** stop(), then the same server again (same ports, same databases); resolves with its start-up ms once ready. */
  restart(graceMs?: number): Promise<number>;
}

/**
 * Free ports below 32768: the PostgreSQL schema keeps cluster membership ports in a SMALLINT, so a
 * port from the kernel's ephemeral range (32768+) makes the server die at start-up with
 * `UpsertClusterMembership … out of range for type smallint`. Tried at random and held until all are found.
 */
async function freePorts(count: number): Promise<number[]> {
  const held: net.Server[] = [];
  const ports: number[] = [];
  for (let tries = 0; ports.length < count; tries++) {
    if (tries > 1000)
      throw new TemporalServerUnavailableError('No free ports below 32768 for the Temporal server');
    const port = 10_000 + Math.floor(Math.random() * 22_000);
    const server = await new Promise<net.Server | undefined>((resolve) => {
      const s = net.createServer();
      s.once('error', () => resolve(undefined));
      s.listen(port, '127.0.0.1', () => resolve(s));
    });
    if (!server) continue;
    held.push(server);
    ports.push(port);
  }
  await Promise.all(held.map((s) => new Promise((r) => s.close(r))));
  return ports;
}

const run = promisify(execFile);

/** Creates the database if missing and brings its schema to the newest version the module ships. */
async function applySchema(
  sqlTool: string,
  pg: PostgresOptions,
  database: string,
  versionedDir: string,
  reset: boolean,
): Promise<void> {
  const base = [
    '--plugin',
    'postgres12',
    '--ep',
    pg.host,
    '--port',
    String(pg.port),
    '--user',
    pg.user,
    ...(pg.password ? ['--password', pg.password] : []),
    '--db',
    database,
  ];
  const tool = async (...args: string[]) => {
    try {
      return await run(sqlTool, [...base, ...args]);
    } catch (err) {
      const e = err as { stderr?: string; stdout?: string; message: string };
      throw new TemporalServerUnavailableError(
        `temporal-sql-tool ${args.join(' ')} on ${database}: ${(e.stderr || e.stdout || e.message).trim().split('\n').pop()}`,
      );
    }
  };
  if (reset) await tool('drop-database', '--force');
  // Both are no-ops on a database already there (create-database ignores "exists"; setup-schema
  // with -v 0.0 only creates the schema_version tables when missing); update-schema then applies
  // whatever versions the database lacks, so a restart or an upgrade goes through the same path.
  await run(sqlTool, [...base, '--quiet', 'create-database']);
  await run(sqlTool, [...base, '--quiet', 'setup-schema', '-v', '0.0']);
  await tool('update-schema', '-d', versionedDir);
}

function serverConfig(o: {
  pg: PostgresOptions;
  database: string;
  visibilityDatabase: string;
  shards: number;
  ports: number[];
  dynamicConfig: string;
}): string {
  const [
    frontend,
    frontendHttp,
    frontendMembership,
    history,
    historyM,
    matching,
    matchingM,
    worker,
    workerM,
  ] = o.ports;
  const store = (database: string, maxConns: number) => `
      sql:
        pluginName: postgres12
        databaseName: ${database}
        connectAddr: "${o.pg.host}:${o.pg.port}"
        connectProtocol: tcp
        user: ${JSON.stringify(o.pg.user)}
        password: ${JSON.stringify(o.pg.password)}
        maxConns: ${maxConns}
        maxIdleConns: ${maxConns}
        maxConnLifetime: 1h`;
  const service = (grpc: number, membership: number, http?: number) => `
    rpc:
      grpcPort: ${grpc}
      membershipPort: ${membership}
      bindOnIP: 127.0.0.1${http ? `\n      httpPort: ${http}` : ''}`;
  return `# Generated by scripts/temporal-server.ts: one process running every service, on PostgreSQL.
log:
  stdout: true
  level: warn
persistence:
  defaultStore: postgres-default
  visibilityStore: postgres-visibility
  numHistoryShards: ${o.shards}
  datastores:
    postgres-default:${store(o.database, 20)}
    postgres-visibility:${store(o.visibilityDatabase, 10)}
global:
  membership:
    maxJoinDuration: 30s
    broadcastAddress: 127.0.0.1
services:
  frontend:${service(frontend, frontendMembership, frontendHttp)}
  history:${service(history, historyM)}
  matching:${service(matching, matchingM)}
  worker:${service(worker, workerM)}
clusterMetadata:
  enableGlobalNamespace: false
  failoverVersionIncrement: 10
  masterClusterName: active
  currentClusterName: active
  clusterInformation:
    active:
      enabled: true
      initialFailoverVersion: 1
      rpcName: frontend
      rpcAddress: 127.0.0.1:${frontend}
      httpAddress: 127.0.0.1:${frontendHttp}
dcRedirectionPolicy:
  policy: noop
dynamicConfigClient:
  filepath: ${JSON.stringify(o.dynamicConfig)}
  pollInterval: 10s
`;
}

// Herald's own server settings (ops/temporal-dynamic-config.yaml, as docker compose mounts them),
// and search attributes that take effect at once rather than after the frontend's cache refresh
// (the dev server does the same), so a campaign created right after start-up can carry them.
const dynamicConfigYaml = () => `${fs.readFileSync(SERVER_SETTINGS_FILE, 'utf8')}
system.forceSearchAttributesCacheRefreshOnRead:
  - value: true
`;

interface WaitOptions {
  deadline: number;
  log: Log;
  /** Why the server is gone, if it is: no use waiting any longer. */
  exited: () => string | undefined;
}

/** Polls `attempt` until it returns true, with a progress line every 10 s. */
async function waitFor(
  what: string,
  attempt: () => Promise<boolean>,
  { deadline, log, exited }: WaitOptions,
): Promise<void> {
  let nextLine = Date.now() + 10_000;
  let last = '';
  for (;;) {
    const gone = exited();
    if (gone) throw new TemporalServerUnavailableError(gone);
    try {
      if (await attempt()) return;
    } catch (err) {
      last = err instanceof Error ? err.message.split('\n')[0] : String(err);
    }
    if (Date.now() > deadline)
      throw new TemporalServerUnavailableError(`Temporal server: ${what} not ready in time (${last})`);
    if (Date.now() > nextLine) {
      log(`temporal-server: waiting for ${what}…${last ? ` (${last})` : ''}`);
      nextLine = Date.now() + 10_000;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** Provisions (see resolveTemporalServer), prepares PostgreSQL, starts the server, registers what Herald needs. */
export async function startTemporalServer(options: TemporalServerOptions = {}): Promise<TemporalServer> {
  const log = options.log ?? defaultLog;
  const bins = resolveTemporalServer({ log });
  const pg = options.postgres ?? postgresFromEnv();
  const database = options.database ?? 'herald_temporal';
  const visibilityDatabase = options.visibilityDatabase ?? `${database}_visibility`;
  const namespace = options.namespace ?? 'default';

  const started = Date.now();
  await applySchema(
    bins.sqlTool,
    pg,
    database,
    path.join(bins.schemaDir, 'temporal', 'versioned'),
    !!options.reset,
  );
  await applySchema(
    bins.sqlTool,
    pg,
    visibilityDatabase,
    path.join(bins.schemaDir, 'visibility', 'versioned'),
    !!options.reset,
  );
  log(`temporal-server: schemas of ${database} and ${visibilityDatabase} up to date (${seconds(started)})`);

  const dir = options.dir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'herald-temporal-server-'));
  fs.mkdirSync(path.join(dir, 'config'), { recursive: true });
  const ports = await freePorts(9);
  if (options.port) ports[0] = options.port;
  const dynamicConfig = path.join(dir, 'dynamicconfig.yaml');
  fs.writeFileSync(dynamicConfig, dynamicConfigYaml());
  fs.writeFileSync(
    path.join(dir, 'config', 'herald.yaml'),
    serverConfig({
      pg,
      database,
      visibilityDatabase,
      shards: options.numHistoryShards ?? 4,
      ports,
      dynamicConfig,
    }),
  );
  const logFile = path.join(dir, 'temporal-server.log');
  const address = `127.0.0.1:${ports[0]}`;

  // One process at a time; restart() spawns the next on the same config, so the same ports and data.
  let current: { child: ChildProcess; exited: Promise<void>; exit?: string } | undefined;
  const stop = async (graceMs = 30_000) => {
    const running = current;
    if (!running || running.exit) return;
    running.child.kill('SIGTERM');
    const timer = setTimeout(() => running.child.kill('SIGKILL'), graceMs);
    await running.exited;
    clearTimeout(timer);
  };
  const launch = async (): Promise<number> => {
    const out = fs.openSync(logFile, 'a'); // appended: a restart keeps the log of the run before
    const started = Date.now();
    const child = spawn(
      bins.server,
      ['--root', dir, '--config', 'config', '--env', 'herald', '--allow-no-auth', 'start'],
      { stdio: ['ignore', out, out] },
    );
    fs.closeSync(out);
    // A parent that exits without stop() (a crash, a failed test run) takes the server with it
    // rather than leaving it holding its ports and PostgreSQL connections.
    const orphanGuard = () => child.kill('SIGKILL');
    process.once('exit', orphanGuard);
    child.once('exit', () => process.removeListener('exit', orphanGuard));
    const running: NonNullable<typeof current> = {
      child,
      exited: new Promise<void>((resolve) =>
        child.once('exit', (code, signal) => {
          running.exit = `the Temporal server exited (${signal ?? `code ${code}`}); its log: ${logFile}`;
          resolve();
        }),
      ),
    };
    current = running;
    log(`temporal-server: ${TEMPORAL_SERVER_VERSION} starting on ${address}, log in ${logFile}`);
    try {
      await untilReady(address, namespace, {
        deadline: Date.now() + (options.readyTimeoutMs ?? 120_000),
        log,
        exited: () => running.exit,
      });
    } catch (err) {
      await stop(5_000);
      throw err;
    }
    const ms = Date.now() - started;
    log(`temporal-server: ready on ${address} in ${Math.round(ms / 100) / 10} s`);
    return ms;
  };

  const startupMs = await launch();
  return {
    address,
    namespace,
    logFile,
    startupMs,
    stop,
    async restart(graceMs?: number) {
      await stop(graceMs);
      return launch();
    },
  };
}

/**
 * Waits for the frontend, then registers the namespace and the search attributes unless there
 * already (a restart finds them in PostgreSQL), and waits until the namespace answers a query on them.
 */
async function untilReady(address: string, namespace: string, waiting: WaitOptions): Promise<void> {
  let connection: Connection | undefined;
  try {
    await waitFor(
      'the frontend',
      async () => {
        connection ??= await Connection.connect({ address, connectTimeout: '2s' });
        await connection.workflowService.getSystemInfo({});
        return true;
      },
      waiting,
    );
    const conn = connection!;
    await waitFor(
      `namespace ${namespace}`,
      async () => {
        try {
          await conn.workflowService.describeNamespace({ namespace });
          return true;
        } catch (err) {
          if ((err as { code?: number }).code !== 5) throw err; // NOT_FOUND: register it
        }
        await conn.workflowService
          .registerNamespace({ namespace, workflowExecutionRetentionPeriod: msToTs('3 days') })
          .catch((err: { code?: number }) => {
            if (err.code !== 6) throw err; // ALREADY_EXISTS: a racing attempt
          });
        return false;
      },
      waiting,
    );
    await waitFor(
      'the search attributes',
      async () => {
        const { customAttributes } = await conn.operatorService.listSearchAttributes({ namespace });
        const missing = SEARCH_ATTRIBUTES.filter((key) => !customAttributes?.[key.name]);
        if (missing.length === 0) return true;
        await conn.operatorService.addSearchAttributes({
          namespace,
          searchAttributes: Object.fromEntries(missing.map((key) => [key.name, 2])), // 2 = KEYWORD
        });
        return false;
      },
      waiting,
    );
    // The frontend's namespace cache refreshes on its own clock: usable once a visibility query
    // filtering on our attribute answers in that namespace.
    await waitFor(
      'the namespace to be usable',
      async () => {
        await conn.workflowService.countWorkflowExecutions({
          namespace,
          query: `${SEARCH_ATTRIBUTES[0].name} = "ready-check"`,
        });
        return true;
      },
      waiting,
    );
  } finally {
    await connection?.close();
  }
}

async function main(): Promise<void> {
  if (process.argv.includes('--provision')) {
    console.log(resolveTemporalServer().server); // CI: build or find it now, start nothing
    return;
  }
  const portArg = process.argv.indexOf('--port');
  const dir = path.join(ROOT, '.data', 'temporal-server');
  const server = await startTemporalServer({
    port: portArg > 0 ? Number(process.argv[portArg + 1]) : undefined,
    dir,
  });
  console.log(`TEMPORAL_ADDRESS=${server.address}`);
  for (const signal of ['SIGINT', 'SIGTERM'] as const)
    process.once(signal, () => {
      void server.stop().then(() => process.exit(0));
    });
}

if (require.main === module)
  main().catch((err: Error) => {
    process.stderr.write(`${err instanceof TemporalServerUnavailableError ? err.message : err.stack}\n`);
    process.exit(1);
  });
