import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';
import { TEMPORAL_SERVER_VERSION } from '../scripts/temporal-server';

/**
 * No Docker engine runs where the tests run, so the production topology is checked as data: the
 * services, their images, what each waits for and how the app is wired to MySQL and Temporal.
 */

type Condition = 'service_started' | 'service_healthy' | 'service_completed_successfully';

interface Service {
  image?: string;
  build?: string;
  command?: string | string[];
  entrypoint?: string | string[];
  environment?: Record<string, string>;
  ports?: string[];
  volumes?: string[];
  depends_on?: Record<string, { condition: Condition }>;
  healthcheck?: { test: string[] };
  deploy?: { replicas?: number };
  container_name?: string;
  stop_grace_period?: string;
}

interface Compose {
  services: Record<string, Service>;
  volumes: Record<string, unknown>;
}

const root = path.join(__dirname, '..');
const compose = parse(fs.readFileSync(path.join(root, 'docker-compose.yml'), 'utf8'), {
  merge: true,
}) as Compose;
const { services } = compose;
const appServices = ['migrate', 'api', 'worker'] as const;

function service(name: string): Service {
  const found = services[name];
  if (!found) throw new Error(`docker-compose.yml has no service named ${name}`);
  return found;
}

function env(name: string): Record<string, string> {
  return service(name).environment ?? {};
}

/** The shell a one-shot service runs, entrypoint and command joined. */
function script(name: string): string {
  const { entrypoint = [], command = [] } = service(name);
  return [entrypoint, command].flat().join(' ').replace(/\s+/g, ' ');
}

describe('docker-compose.yml, the production topology', () => {
  it('runs MySQL 8 with a health check and a persistent volume', () => {
    const mysql = service('mysql');
    expect(mysql.image).toBe('mysql:8.0');
    expect(mysql.environment).toEqual({
      MYSQL_ROOT_PASSWORD: expect.any(String),
      MYSQL_DATABASE: 'herald',
      MYSQL_USER: 'herald',
      MYSQL_PASSWORD: '${MYSQL_PASSWORD:-herald}',
    });
    expect(mysql.healthcheck?.test).toEqual(['CMD', 'mysqladmin', 'ping', '-h', '127.0.0.1', '--silent']);

    const dataVolume = (mysql.volumes ?? []).find((v) => v.endsWith(':/var/lib/mysql'));
    expect(dataVolume).toBe('mysql-data:/var/lib/mysql');
    expect(Object.keys(compose.volumes)).toContain('mysql-data');
    expect(mysql.ports).toBeUndefined();
  });

  it('runs PostgreSQL for Temporal alone, with a health check and a persistent volume', () => {
    const postgres = service('temporal-postgresql');
    expect(postgres.image).toBe('postgres:15');
    expect(postgres.environment).toEqual({
      POSTGRES_USER: 'temporal',
      POSTGRES_PASSWORD: '${TEMPORAL_POSTGRES_PASSWORD:-temporal}',
    });
    expect(postgres.healthcheck?.test).toEqual(['CMD', 'pg_isready', '-U', 'temporal', '-h', '127.0.0.1']);
    expect(postgres.volumes).toEqual(['temporal-postgresql-data:/var/lib/postgresql/data']);
    expect(Object.keys(compose.volumes)).toContain('temporal-postgresql-data');
    expect(postgres.ports).toBeUndefined();
  });

  it('sets up Temporal as scripts/temporal-server.ts proves it here: same version, PostgreSQL, 4 shards, and registers the search attributes ops filter on', () => {
    const temporal = service('temporal');
    expect(temporal.image).toBe(`temporalio/auto-setup:${TEMPORAL_SERVER_VERSION.slice(1)}`);
    expect(temporal.environment).toEqual({
      DB: 'postgres12',
      DB_PORT: '5432',
      POSTGRES_USER: env('temporal-postgresql').POSTGRES_USER,
      POSTGRES_PWD: env('temporal-postgresql').POSTGRES_PASSWORD,
      POSTGRES_SEEDS: 'temporal-postgresql',
      NUM_HISTORY_SHARDS: '4',
      DEFAULT_NAMESPACE: 'default',
      DYNAMIC_CONFIG_FILE_PATH: '/etc/temporal/config/dynamicconfig/herald.yaml',
    });
    // Herald's server settings: the file scripts/temporal-server.ts runs its server with.
    expect(temporal.volumes).toEqual([
      './ops/temporal-dynamic-config.yaml:/etc/temporal/config/dynamicconfig/herald.yaml:ro',
    ]);
    expect(temporal.depends_on).toEqual({ 'temporal-postgresql': { condition: 'service_healthy' } });
    expect(temporal.ports).toEqual(['7233:7233']);
    expect(temporal.healthcheck?.test.slice(0, 2)).toEqual(['CMD', 'temporal']);
    expect(temporal.healthcheck?.test.join(' ')).toContain('--address temporal:7233');
    expect(temporal.healthcheck?.test.join(' ')).toContain('--namespace default');

    const attributes = service('temporal-search-attributes');
    expect(attributes.image).toBe('temporalio/admin-tools:1.29.1');
    expect(attributes.depends_on).toEqual({ temporal: { condition: 'service_healthy' } });
    const sh = script('temporal-search-attributes');
    expect(sh).toMatch(/^\/bin\/sh -c /);
    expect(sh).toContain(
      'temporal operator search-attribute create --address temporal:7233 --namespace default',
    );
    for (const name of ['CampaignId', 'AccountId', 'CampaignStatus']) {
      expect(sh).toContain(`--name ${name} --type Keyword`);
    }
    expect(sh).toMatch(/already/i);
  });

  it('serves the Temporal UI on 8233', () => {
    const ui = service('temporal-ui');
    expect(ui.image).toBe('temporalio/ui:2.42.1');
    expect(ui.environment?.TEMPORAL_ADDRESS).toBe('temporal:7233');
    expect(ui.ports).toEqual(['8233:8080']);
    expect(Object.keys(ui.depends_on ?? {})).toEqual(['temporal']);
  });

  it('runs migrations once, from the app image, as soon as MySQL is healthy', () => {
    const migrate = service('migrate');
    expect(migrate.build).toBe('.');
    expect(migrate.command).toBe('npm run migrate');
    expect(migrate.depends_on).toEqual({ mysql: { condition: 'service_healthy' } });
    expect(migrate.ports).toBeUndefined();
  });

  it('starts the API only after the database, Temporal and migrations are ready', () => {
    const api = service('api');
    expect(api.build).toBe('.');
    expect(api.command).toBe('npm run api');
    expect(api.ports).toEqual(['3000:3000']);
    expect(api.depends_on).toEqual({
      mysql: { condition: 'service_healthy' },
      temporal: { condition: 'service_healthy' },
      'temporal-search-attributes': { condition: 'service_completed_successfully' },
      migrate: { condition: 'service_completed_successfully' },
    });

    const check = api.healthcheck?.test ?? [];
    expect(check.slice(0, 3)).toEqual(['CMD', 'node', '-e']);
    expect(check[3]).toContain("fetch('http://localhost:3000/readyz')");
    expect(check[3]).toContain('process.exit(r.ok?0:1)');
  });

  it('runs workers that publish no ports, so they scale out, each with its /metrics for Prometheus to scrape', () => {
    const worker = service('worker');
    expect(worker.environment).toMatchObject({ METRICS_PORT: '9464' });
    expect(worker.build).toBe('.');
    expect(worker.command).toBe('npm run worker');
    expect(worker.deploy?.replicas).toBe(2);
    expect(worker).not.toHaveProperty('ports');
    expect(worker).not.toHaveProperty('container_name');
    // Longer than SHUTDOWN_GRACE_SECONDS (30 by default): a stopped worker drains before docker's SIGKILL.
    expect(worker.stop_grace_period).toBe('60s');
    expect(service('api').stop_grace_period).toBe('40s');
    expect(worker.depends_on).toEqual(service('api').depends_on);
  });

  it('wires every service of the app to the same database and Temporal', () => {
    const mysql = env('mysql');
    for (const name of appServices) {
      expect(env(name)).toMatchObject({
        DATABASE_URL: 'mysql://herald:${MYSQL_PASSWORD:-herald}@mysql:3306/herald',
        TEMPORAL_ADDRESS: 'temporal:7233',
        TEMPORAL_NAMESPACE: 'default',
        TEMPORAL_TASK_QUEUE: 'campaigns',
        PUBLIC_BASE_URL: '${PUBLIC_BASE_URL:-http://localhost:3000}',
        EMAIL_PROVIDER: 'postmark',
        POSTMARK_SERVER_TOKEN: '${POSTMARK_SERVER_TOKEN:?set POSTMARK_SERVER_TOKEN}',
        POSTMARK_API_URL: 'https://api.postmarkapp.com',
        EMAIL_FROM: '${EMAIL_FROM:?set EMAIL_FROM}',
        POSTMARK_WEBHOOK_USER: expect.stringMatching(/^\$\{POSTMARK_WEBHOOK_USER:\?.+\}$/),
        POSTMARK_WEBHOOK_PASSWORD: expect.stringMatching(/^\$\{POSTMARK_WEBHOOK_PASSWORD:\?.+\}$/),
        PORT: '3000',
      });
      // One shared block (the x-herald-env anchor), not three copies drifting apart.
      expect(env(name)).toEqual(env('api'));
    }

    // The URL names the mysql service, its database, its user and the same password expression.
    const url = env('api').DATABASE_URL;
    expect(url).toBe(
      `mysql://${mysql.MYSQL_USER}:${mysql.MYSQL_PASSWORD}@mysql:3306/${mysql.MYSQL_DATABASE}`,
    );
    // Everything that talks to Temporal agrees on the address and namespace.
    expect(env('temporal-ui').TEMPORAL_ADDRESS).toBe(env('api').TEMPORAL_ADDRESS);
    expect(script('temporal-search-attributes')).toContain(`--address ${env('api').TEMPORAL_ADDRESS}`);
    expect(script('temporal-search-attributes')).toContain(`--namespace ${env('api').TEMPORAL_NAMESPACE}`);
    expect(env('temporal').DEFAULT_NAMESPACE).toBe(env('api').TEMPORAL_NAMESPACE);
  });

  it('runs commands the package defines, from an image the repository builds', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as {
      scripts: Record<string, string>;
    };
    for (const name of appServices) {
      const [npm, run, scriptName] = String(service(name).command).split(' ');
      expect([npm, run]).toEqual(['npm', 'run']);
      expect(pkg.scripts).toHaveProperty(scriptName);
    }

    const dockerfile = fs.readFileSync(path.join(root, 'Dockerfile'), 'utf8');
    expect(dockerfile).toMatch(/^FROM node:20-bookworm-slim$/m);
    expect(dockerfile).toMatch(/python3 make g\+\+/);
    expect(dockerfile).toMatch(/^RUN npm ci\b/m);
    expect(dockerfile).toMatch(/^USER node$/m);
    expect(dockerfile).toMatch(/^CMD \["npm", "start"\]$/m);
    // Workers start from a bundle built into the image, not by bundling at start.
    expect(dockerfile).toMatch(/^RUN npm run build:workflows -- (\S+)$/m);
    const bundle = /^RUN npm run build:workflows -- (\S+)$/m.exec(dockerfile)![1];
    expect(dockerfile).toContain(`ENV WORKFLOW_BUNDLE=${bundle}`);

    const ignored = fs.readFileSync(path.join(root, '.dockerignore'), 'utf8').split('\n');
    expect(ignored).toEqual(expect.arrayContaining(['node_modules', '.data', '.tools', '.git']));
  });
});
