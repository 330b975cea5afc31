import * as fs from 'node:fs';
import { isIP } from 'node:net';
import * as path from 'node:path';
import { z } from 'zod';
import { LOG_LEVELS, type Level } from '../ops/log';
import { checkEmail } from '../recipients/email-address';

/**
 * Every setting Herald reads, validated once at start-up. A bad value stops the process
 * with one line naming the variable and what it expects (see `loadConfigOrExit`).
 */
const port = (fallback: number) =>
  z
    .string()
    .default(String(fallback))
    .refine((v) => /^\d+$/.test(v) && Number(v) <= 65535, 'expected a port number from 0 to 65535')
    .transform(Number);

const httpUrl = z
  .string()
  .refine((v) => /^https?:\/\/[^\s/]+/.test(v) && URL.canParse(v), 'expected an http(s) URL')
  .transform((v) => v.replace(/\/+$/, ''));

/** Express's names for address ranges, and a single address or a CIDR subnet. */
const PROXY_NAMES = new Set(['loopback', 'linklocal', 'uniquelocal']);
const proxyEntry = (v: string) => {
  const [address, bits, extra] = v.split('/');
  if (PROXY_NAMES.has(v)) return true;
  const family = isIP(address);
  if (!family || extra !== undefined) return false;
  return bits === undefined || (/^\d+$/.test(bits) && Number(bits) <= (family === 4 ? 32 : 128));
};
const trustProxy = z
  .string()
  .refine(
    (v) => /^\d+$/.test(v) || v.split(',').every((part) => proxyEntry(part.trim())),
    'expected a hop count (e.g. 1) or the proxies to trust (e.g. loopback, 10.0.0.0/8)',
  )
  .transform((v) => (/^\d+$/.test(v) ? Number(v) : v.split(',').map((part) => part.trim())));

/** The one address check (recipients/email-address.ts), as for every other address Herald takes. */
const email = z.string().superRefine((value, ctx) => {
  const check = checkEmail(value);
  if (!check.ok)
    ctx.addIssue({ code: z.ZodIssueCode.custom, message: `expected an email address (${check.reason})` });
});
/** A duration in seconds, decimals allowed (tests shrink 24 h to seconds). */
const seconds = (fallback: number) =>
  z
    .string()
    .default(String(fallback))
    .refine((v) => /^\d+(\.\d+)?$/.test(v) && Number(v) > 0, 'expected a number of seconds above 0')
    .transform((v) => Math.round(Number(v) * 1000));

/**
 * One CSV import's limits: 1,000,000 typical rows are ~50 MB; 160 MiB leaves room for long
 * names without inviting abuse. Tests set them low to see a refusal without a million rows.
 */
export const DEFAULT_IMPORT_LIMITS = { maxRows: 1_000_000, maxBytes: 160 * 1024 * 1024 } as const;

/** A whole number above 0. */
const count = (fallback: number) =>
  z
    .string()
    .default(String(fallback))
    .refine((v) => /^\d+$/.test(v) && Number(v) > 0, 'expected a whole number above 0')
    .transform(Number);

const optional = <T extends z.ZodTypeAny>(schema: T) =>
  z.preprocess((v) => (v === '' ? undefined : v), schema.optional());

const envSchema = z
  .object({
    NODE_ENV: z.string().default('development'),
    PORT: port(3000),
    METRICS_PORT: optional(port(0)),
    LOG_LEVEL: z.enum(LOG_LEVELS as [Level, ...Level[]]).default('info'),
    PUBLIC_BASE_URL: optional(httpUrl),
    DATABASE_URL: optional(
      z
        .string()
        .refine(
          (v) => /^(mysql|mariadb):\/\/[^/]+\/[^/?]+/.test(v) && URL.canParse(v),
          'expected mysql://user:password@host:3306/database (leave unset for the embedded SQLite default)',
        ),
    ),
    DATA_DIR: z.string().default('.data'),
    TEMPORAL_ADDRESS: z
      .string()
      .default('localhost:7233')
      .refine((v) => /^[^\s:/]+:\d+$/.test(v), 'expected host:port, e.g. localhost:7233'),
    TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
    TEMPORAL_TASK_QUEUE: z.string().min(1).default('campaigns'),
    TEMPORAL_UI_PORT: port(8233),
    HEARTBEAT_TIMEOUT_SECONDS: optional(seconds(20)), // unset: each workflow's own
    WORKFLOW_BUNDLE: optional(
      z
        .string()
        .min(1)
        .refine((v) => fs.existsSync(v), 'expected a file written by `npm run build:workflows`'),
    ),
    EMAIL_PROVIDER: z.enum(['postmark', 'outbox']).default('outbox'),
    POSTMARK_SERVER_TOKEN: optional(z.string().min(1)),
    POSTMARK_API_URL: httpUrl.default('https://api.postmarkapp.com'),
    EMAIL_FROM: optional(email),
    POSTMARK_WEBHOOK_USER: optional(z.string().min(1)),
    POSTMARK_WEBHOOK_PASSWORD: optional(z.string().min(1)),
    DEV_ADMIN_KEY: optional(
      z.string().regex(/^hk_[A-Za-z0-9_-]{20,}$/, 'expected hk_ followed by 20+ url-safe characters'),
    ),
    SECRET_KEY: optional(
      z
        .string()
        .regex(
          /^[0-9a-fA-F]{64}$/,
          'expected 64 hex characters (32 random bytes), e.g. from `openssl rand -hex 32`',
        ),
    ),
    TRUST_PROXY: optional(trustProxy),
    ALLOW_HTTP_WEBHOOKS: z.enum(['true', 'false']).default('false'),
    WEBHOOK_TIMEOUT_SECONDS: seconds(10),
    WEBHOOK_RETRY_FIRST_SECONDS: seconds(5),
    WEBHOOK_RETRY_MAX_SECONDS: seconds(3600),
    WEBHOOK_RETRY_PERIOD_SECONDS: seconds(86400),
    WEBHOOK_CONCURRENCY: count(16),
    PREFETCH_WINDOW_SECONDS: z
      .string()
      .default('30')
      .refine((v) => /^\d+$/.test(v), 'expected a whole number of seconds (0 turns the rule off)')
      .transform(Number),
    SHUTDOWN_GRACE_SECONDS: seconds(30),
    IMPORT_MAX_ROWS: count(DEFAULT_IMPORT_LIMITS.maxRows),
    IMPORT_MAX_BYTES: count(DEFAULT_IMPORT_LIMITS.maxBytes),
    DEV_BALANCE_CENTS: z
      .string()
      .default('100000')
      .refine((v) => /^\d+$/.test(v), 'expected a whole number of cents')
      .transform(Number),
  })
  .superRefine((env, ctx) => {
    // The delivery activity heartbeats between requests, every 30 s at the latest (workflows/webhooks/),
    // or within HEARTBEAT_TIMEOUT_SECONDS when that is set.
    if (env.WEBHOOK_TIMEOUT_SECONDS > 25_000)
      ctx.addIssue({
        code: 'custom',
        path: ['WEBHOOK_TIMEOUT_SECONDS'],
        message: 'expected at most 25 seconds',
      });
    if (
      env.HEARTBEAT_TIMEOUT_SECONDS !== undefined &&
      env.WEBHOOK_TIMEOUT_SECONDS >= env.HEARTBEAT_TIMEOUT_SECONDS
    )
      ctx.addIssue({
        code: 'custom',
        path: ['WEBHOOK_TIMEOUT_SECONDS'],
        message:
          'expected less than HEARTBEAT_TIMEOUT_SECONDS (a webhook request runs between two heartbeats)',
      });
    if (env.ALLOW_HTTP_WEBHOOKS === 'true' && env.NODE_ENV === 'production')
      ctx.addIssue({
        code: 'custom',
        path: ['ALLOW_HTTP_WEBHOOKS'],
        message: 'must not be true when NODE_ENV=production: webhooks go to public https:// URLs only',
      });
    if (env.EMAIL_PROVIDER === 'postmark') {
      for (const key of ['POSTMARK_SERVER_TOKEN', 'EMAIL_FROM'] as const) {
        if (!env[key])
          ctx.addIssue({ code: 'custom', path: [key], message: 'required when EMAIL_PROVIDER=postmark' });
      }
    }
  });

export type Config = Readonly<{
  env: string;
  port: number;
  /** Where the API and a worker serve `/metrics` (ops/metrics-server.ts), never on `port`; null = none (METRICS_PORT unset or 0). */
  metricsPort: number | null;
  /** The lowest level written to the JSON log lines (ops/log.ts). */
  logLevel: Level;
  publicBaseUrl: string;
  database: { type: 'mysql'; url: string } | { type: 'sqlite'; path: string };
  dataDir: string;
  temporal: {
    address: string;
    namespace: string;
    taskQueue: string;
    uiPort: number;
    /** A prebuilt workflow bundle (`npm run build:workflows`); unset = the worker bundles at start. */
    workflowBundle?: string;
    /**
     * How soon a dead worker's work moves on: how long a heartbeating activity (a send, a page of
     * webhooks) may go silent before Temporal retries it elsewhere, given to each workflow as it
     * starts (unset = the workflows' own: 20 s for sends, 30 s for webhook pages); and, if
     * shorter than 10 s, how long a workflow's next task waits for the worker that cached it.
     */
    heartbeatTimeoutMs?: number;
  };
  email: {
    provider: 'postmark' | 'outbox';
    postmarkServerToken?: string;
    postmarkApiUrl: string;
    from?: string;
    webhookUser?: string;
    webhookPassword?: string;
  };
  /**
   * Which proxies in front of the API to believe about the client's address (Express's
   * `trust proxy`): the recipient pages' rate limits key on it. False = the socket's peer.
   */
  trustProxy: number | string[] | false;
  /** Seals stored credentials (security/secrets.ts); unset in development = a key file in DATA_DIR. */
  secretKey?: string;
  dev: { adminKey?: string; balanceCents: number };
  /** Outgoing webhooks (webhooks/): where they may go, how long a receiver may take, and the retry schedule. */
  webhooks: {
    /** `http://` and loopback targets: development and tests only (refused with NODE_ENV=production). */
    allowHttp: boolean;
    timeoutMs: number;
    /** The first wait after a failure; each next one doubles, up to `retryMaxMs`. */
    retryFirstMs: number;
    retryMaxMs: number;
    /** An endpoint failing this long without a success is disabled and its owner emailed. */
    retryPeriodMs: number;
    /** Requests in flight at once to one endpoint (one invite's events still go one at a time). */
    concurrency: number;
  };
  /**
   * After SIGTERM: how long the API lets requests in flight finish, and a worker its
   * activities (then they are cancelled and retried elsewhere). Keep it under the process
   * manager's own grace (docker compose: `stop_grace_period`).
   */
  shutdownGraceMs: number;
  analytics: { prefetchWindowSeconds: number };
  /** One CSV import's limits: over either, it is refused whole (413). */
  imports: { maxRows: number; maxBytes: number };
}>;

export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    readonly expected: string,
    readonly got: string | undefined,
  ) {
    super(`${variable}: ${expected}${got === undefined ? '' : `, got ${JSON.stringify(got)}`}`);
    this.name = 'ConfigError';
  }
}

const SECRET = /TOKEN|PASSWORD|KEY|SECRET/;

export function loadConfig(source: NodeJS.ProcessEnv = process.env): Config {
  const parsed = envSchema.safeParse(source);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const variable = String(issue.path[0]);
    const raw = source[variable];
    throw new ConfigError(
      `Invalid configuration: ${variable}`,
      issue.code === 'invalid_enum_value' ? `expected one of ${issue.options.join(', ')}` : issue.message,
      raw === undefined || SECRET.test(variable) ? undefined : raw,
    );
  }
  const e = parsed.data;
  const dataDir = path.resolve(e.DATA_DIR);
  return {
    env: e.NODE_ENV,
    port: e.PORT,
    metricsPort: e.METRICS_PORT ? e.METRICS_PORT : null,
    logLevel: e.LOG_LEVEL,
    publicBaseUrl: e.PUBLIC_BASE_URL ?? `http://localhost:${e.PORT}`,
    database: e.DATABASE_URL
      ? { type: 'mysql', url: e.DATABASE_URL }
      : { type: 'sqlite', path: path.join(dataDir, 'herald.sqlite') },
    dataDir,
    temporal: {
      address: e.TEMPORAL_ADDRESS,
      namespace: e.TEMPORAL_NAMESPACE,
      taskQueue: e.TEMPORAL_TASK_QUEUE,
      uiPort: e.TEMPORAL_UI_PORT,
      workflowBundle: e.WORKFLOW_BUNDLE,
      heartbeatTimeoutMs: e.HEARTBEAT_TIMEOUT_SECONDS,
    },
    email: {
      provider: e.EMAIL_PROVIDER,
      postmarkServerToken: e.POSTMARK_SERVER_TOKEN,
      postmarkApiUrl: e.POSTMARK_API_URL,
      from: e.EMAIL_FROM,
      webhookUser: e.POSTMARK_WEBHOOK_USER,
      webhookPassword: e.POSTMARK_WEBHOOK_PASSWORD,
    },
    trustProxy: e.TRUST_PROXY ?? false,
    secretKey: e.SECRET_KEY,
    dev: { adminKey: e.DEV_ADMIN_KEY, balanceCents: e.DEV_BALANCE_CENTS },
    webhooks: {
      allowHttp: e.ALLOW_HTTP_WEBHOOKS === 'true',
      timeoutMs: e.WEBHOOK_TIMEOUT_SECONDS,
      retryFirstMs: e.WEBHOOK_RETRY_FIRST_SECONDS,
      retryMaxMs: e.WEBHOOK_RETRY_MAX_SECONDS,
      retryPeriodMs: e.WEBHOOK_RETRY_PERIOD_SECONDS,
      concurrency: e.WEBHOOK_CONCURRENCY,
    },
    /** Opens, clicks and page visits this soon after delivery, before any person, are machines' (domain/engagement.ts). */
    analytics: { prefetchWindowSeconds: e.PREFETCH_WINDOW_SECONDS },
    shutdownGraceMs: e.SHUTDOWN_GRACE_SECONDS,
    imports: { maxRows: e.IMPORT_MAX_ROWS, maxBytes: e.IMPORT_MAX_BYTES },
  };
}

/** For entry points: one clear line and exit code 78 (EX_CONFIG) instead of a stack trace. */
export function loadConfigOrExit(source: NodeJS.ProcessEnv = process.env): Config {
  try {
    return loadConfig(source);
  } catch (err) {
    if (err instanceof ConfigError) exitWithConfigError(err);
    throw err;
  }
}

export function exitWithConfigError(err: ConfigError): never {
  process.stderr.write(`${err.message}\n`);
  process.exit(78);
}

/** A database URL fit for logs: the password replaced. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '<unparseable URL>';
  }
}
