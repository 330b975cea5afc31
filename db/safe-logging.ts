import { inspect } from 'node:util';
import { AbstractLogger, type LogLevel, type LogMessage, QueryFailedError } from 'typeorm';

/**
 * Query errors carry the bound values (invite tokens, API-key hashes, idempotent response
 * bodies) in `parameters`, and MySQL's also in `sql` and in the message ("Duplicate entry
 * 'tok…' for key …"). Whatever prints one — the API's error log, the Temporal worker's
 * "Activity failed" line, TypeORM's own logger — prints only what is safe here: the reason
 * with quoted values masked, the driver's code, and the SQL with its placeholders.
 */

/** Values the driver quotes in its message: `entry '…'`, `value: '…'`, `value '…'`. */
const QUOTED_VALUE = /\b(entry|value:?)\s+'(?:[^'\\]|\\.|'')*'/gi;

export function redactDriverMessage(message: string): string {
  return message.replace(QUOTED_VALUE, "$1 '…'");
}

const codeOf = (err: unknown): string | undefined => {
  const { code, driverError } = err as { code?: unknown; driverError?: { code?: unknown } };
  const found = driverError?.code ?? code;
  return typeof found === 'string' ? found : undefined;
};

/** Duck-typed: a native driver's errors may come from another realm (jest), failing instanceof. */
const isErrorLike = (v: unknown): v is Error =>
  typeof v === 'object' && v !== null && typeof (v as { message?: unknown }).message === 'string';

const oneLine = (sql: string) => sql.replace(/\s+/g, ' ').trim();

/** The safe description of a failed query: reason, code, SQL without values, stack frames. */
export function describeQueryError(err: QueryFailedError): string {
  const code = codeOf(err);
  const count = Array.isArray(err.parameters) ? err.parameters.length : 0;
  const frames = (err.stack ?? '').split('\n').filter((line) => /^\s+at /.test(line));
  return [
    `${err.name}: ${redactDriverMessage(err.message)}${code ? ` [${code}]` : ''}`,
    `    SQL: ${oneLine(err.query ?? '')}${count ? ` (${count} parameters, values not logged)` : ''}`,
    ...frames,
  ].join('\n');
}

/** A driver's own error (as TypeORM's logger receives it): reason and code only, never its `sql`. */
function describeDriverError(err: Error): string {
  const code = codeOf(err);
  return `${err.name}: ${redactDriverMessage(err.message)}${code ? ` [${code}]` : ''}`;
}

/**
 * How the API logs an unexpected error: query and driver errors by the rules above; any
 * other error as usual (stack, own properties, cause).
 */
export function describeError(err: unknown): string {
  if (err instanceof QueryFailedError) return describeQueryError(err);
  if (isErrorLike(err) && ('sql' in err || 'sqlMessage' in err)) {
    const frames = (err.stack ?? '').split('\n').filter((line) => /^\s+at /.test(line));
    return [describeDriverError(err), ...frames].join('\n');
  }
  return inspect(err);
}

// Installed once, where every process opens its database: console.error(err), util.format
// and JSON.stringify then show the safe description, whoever logs the error.
Object.defineProperties(QueryFailedError.prototype, {
  [inspect.custom]: {
    configurable: true,
    value(this: QueryFailedError) {
      return describeQueryError(this);
    },
  },
  toJSON: {
    configurable: true,
    value(this: QueryFailedError) {
      return {
        name: this.name,
        message: redactDriverMessage(this.message),
        code: codeOf(this),
        query: this.query,
      };
    },
  },
});

/**
 * TypeORM's logger (used when `logging` is switched on): SQL with placeholders, never the
 * parameter values; driver errors by reason and code.
 */
export class SafeQueryLogger extends AbstractLogger {
  protected writeLog(
    level: LogLevel,
    logMessage: LogMessage | string | number | (LogMessage | string | number)[],
  ) {
    const messages = this.prepareLogMessages(logMessage, {
      appendParameterAsComment: false,
      highlightSql: false,
    });
    for (const { prefix, message, format, parameters } of messages) {
      const raw = message as unknown;
      let text =
        raw instanceof QueryFailedError
          ? describeQueryError(raw)
          : isErrorLike(raw)
            ? describeDriverError(raw)
            : String(raw);
      if (format === 'sql') {
        text = oneLine(text);
        if (parameters?.length) text += ` (${parameters.length} parameters, values not logged)`;
      }
      const line = `typeorm: ${prefix ? `${prefix} ` : ''}${text}`;
      if (level === 'warn' || level === 'error') console.warn(line);
      else console.log(line);
    }
  }
}
