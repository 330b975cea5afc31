import type { LogLevel, LogMetadata, Logger } from '@temporalio/common';
import { describeError } from '../db/safe-logging';

/**
 * Herald's logs: one JSON object per line (`time`, `level`, `msg`, then the ids known where
 * it was written: `campaignId`, `inviteId`, `workflowId`…), from the API and from the worker
 * (the Temporal SDK's and the activities' `log` go through `TemporalJsonLogger`).
 *
 * What must never be in them — invite tokens, API keys, secrets, provider tokens, email
 * bodies — is kept out where the fields are chosen (no caller passes a message or a token);
 * errors are described by `describeError` (a failed query without its values). As a net
 * under that, each line is scrubbed of what a token or a key looks like in a path or text.
 */

export type Level = 'debug' | 'info' | 'warn' | 'error';
export const LOG_LEVELS: readonly Level[] = ['debug', 'info', 'warn', 'error'];
const RANK: Record<Level, number> = { debug: 10, info: 20, warn: 30, error: 40 };

/** The default destination: standard output, one line each. */
export const toStdout = (line: string): void => {
  process.stdout.write(`${line}\n`);
};

let minimum: Level = 'info';
let write: (line: string) => void = toStdout;

/** Entry points set the level from LOG_LEVEL; tests also catch the lines instead of printing them. */
export function configureLogs(options: { level?: Level; write?: (line: string) => void }): void {
  if (options.level) minimum = options.level;
  if (options.write) write = options.write;
}

/**
 * A recipient's link (`/i/<token>`, `/v1/links/<token>`), their unsubscribe link (`/u/<token>`)
 * and an API key (`hk_…`), wherever they appear.
 */
const SECRET_PATTERNS: Array<[RegExp, string]> = [
  [/\/i\/[A-Za-z0-9_~.%-]+/g, '/i/:token'],
  [/\/u\/[A-Za-z0-9_~.%-]+/g, '/u/:token'],
  [/\/v1\/links\/[A-Za-z0-9_~.%-]+/g, '/v1/links/:token'],
  [/\bhk_[A-Za-z0-9_-]{8,}/g, 'hk_…'],
];

export function scrub(text: string): string {
  let out = text;
  for (const [pattern, name] of SECRET_PATTERNS) out = out.replace(pattern, name);
  return out;
}

/** A workflow id names its campaign (`campaign-<id>`): the line carries the campaign's id too. */
const CAMPAIGN_WORKFLOW = /^campaign-(.+)$/;

/** Fields never written: an activity's task token (the SDK's metadata has it) completes the activity. */
const DROPPED = new Set(['time', 'level', 'msg', 'taskToken']);

function fieldValue(value: unknown): unknown {
  if (value instanceof Error) return describeError(value);
  if (typeof value === 'bigint') return value.toString();
  return value;
}

export function emit(level: Level, msg: string, fields: Record<string, unknown> = {}): void {
  if (RANK[level] < RANK[minimum]) return;
  const entry: Record<string, unknown> = { time: new Date().toISOString(), level, msg };
  for (const [key, value] of Object.entries(fields)) {
    if (value === undefined || DROPPED.has(key)) continue;
    entry[key] = fieldValue(value);
  }
  const workflowId = entry.workflowId;
  if (entry.campaignId === undefined && typeof workflowId === 'string') {
    const match = CAMPAIGN_WORKFLOW.exec(workflowId);
    if (match) entry.campaignId = match[1];
  }
  let line: string;
  try {
    line = JSON.stringify(entry);
  } catch {
    line = JSON.stringify({ time: entry.time, level, msg, note: 'fields not serialisable' });
  }
  write(scrub(line));
}

/** The process's logger: `log.info('campaign launched', { campaignId })`. */
export const log = {
  debug: (msg: string, fields?: Record<string, unknown>) => emit('debug', msg, fields),
  info: (msg: string, fields?: Record<string, unknown>) => emit('info', msg, fields),
  warn: (msg: string, fields?: Record<string, unknown>) => emit('warn', msg, fields),
  error: (msg: string, fields?: Record<string, unknown>) => emit('error', msg, fields),
};

const FROM_SDK: Record<LogLevel, Level> = {
  TRACE: 'debug',
  DEBUG: 'debug',
  INFO: 'info',
  WARN: 'warn',
  ERROR: 'error',
};

/**
 * The Temporal Runtime's logger (`Runtime.install({ logger })`): the SDK's own lines (worker
 * state, "Activity failed"), and `log` from @temporalio/activity and @temporalio/workflow,
 * whose metadata carries `workflowId`, `activityType`, `attempt`… — as JSON lines.
 */
export class TemporalJsonLogger implements Logger {
  log(level: LogLevel, message: string, meta?: LogMetadata): void {
    emit(FROM_SDK[level] ?? 'info', message, meta);
  }
  trace(message: string, meta?: LogMetadata): void {
    this.log('TRACE', message, meta);
  }
  debug(message: string, meta?: LogMetadata): void {
    this.log('DEBUG', message, meta);
  }
  info(message: string, meta?: LogMetadata): void {
    this.log('INFO', message, meta);
  }
  warn(message: string, meta?: LogMetadata): void {
    this.log('WARN', message, meta);
  }
  error(message: string, meta?: LogMetadata): void {
    this.log('ERROR', message, meta);
  }
}
