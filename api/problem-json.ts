import { STATUS_CODES } from 'node:http';
import * as zlib from 'node:zlib';
import type { ErrorRequestHandler, Request, RequestHandler } from 'express';
import { describeError } from '../db/safe-logging';
import { log } from '../ops/log';
import { routeOf } from '../ops/metrics';
import {
  AppError,
  InvalidBodyError,
  NotFoundError,
  PayloadTooLargeError,
  RateLimitedError,
  UnauthorizedError,
  UnsupportedMediaTypeError,
  ValidationError,
} from './errors';
import { isPathDecodeError, malformedUrlError } from './percent-encoding';

const PROBLEM_CONTENT_TYPE = 'application/problem+json';

export const notFoundRoute: RequestHandler = (req) => {
  throw new NotFoundError(`${req.method} ${req.path}`);
};

/**
 * The one way an error leaves the API: a domain error (api/errors.ts) as it is, what
 * body-parser or another middleware refused as the client's 4xx, anything else as a logged
 * 500; each written as RFC 9457 problem+json.
 */
export const problemHandler: ErrorRequestHandler = (err: unknown, req, res, next) => {
  if (res.headersSent) return next(err);
  let problem: AppError;
  if (err instanceof AppError) problem = err;
  else if (isBodyReadError(err)) problem = bodyReadProblem(err, req.headers['content-encoding']);
  else if (isPathDecodeError(err)) problem = malformedUrlError('path');
  else if (clientStatusOf(err)) {
    // Some other middleware's own 4xx (e.g. serve-static's): still the client's doing, not ours.
    problem = new ClientError(clientStatusOf(err)!, (err as Error).message);
    log.warn(`${req.method} ${loggablePath(req)} refused`, { route: routeOf(req), status: problem.status });
  } else {
    log.error(`${req.method} ${loggablePath(req)} failed`, {
      route: routeOf(req),
      error: describeError(err),
    });
    problem = new (class extends AppError {
      readonly status = 500;
      readonly code = 'internal';
      readonly title = 'Internal error';
    })('Something went wrong on our side; the error is logged. Retry, and report it if it persists.');
  }
  // A route that challenges another scheme (the webhook's Basic) has set its own header.
  if (problem instanceof UnauthorizedError && !res.hasHeader('WWW-Authenticate'))
    res.setHeader('WWW-Authenticate', 'Bearer');
  if (problem instanceof RateLimitedError) res.setHeader('Retry-After', String(problem.retryAfterSeconds));
  res
    .status(problem.status)
    .type(PROBLEM_CONTENT_TYPE)
    .send(
      JSON.stringify({
        type: `urn:herald:problem:${problem.code}`,
        title: problem.title,
        status: problem.status,
        code: problem.code,
        detail: problem.message,
        instance: req.originalUrl,
        ...problem.extra(),
      }),
    );
};

/** A 4xx some middleware raised (it set `status`), passed on with its status and its words. */
class ClientError extends AppError {
  readonly code = 'bad_request';
  readonly title: string;
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.title = STATUS_CODES[status] ?? 'Bad request';
  }
}

function clientStatusOf(err: unknown): number | undefined {
  if (typeof err !== 'object' || err === null) return undefined;
  const { status, statusCode } = err as Record<string, unknown>;
  const value = typeof status === 'number' ? status : statusCode;
  return typeof value === 'number' && value >= 400 && value <= 499 ? value : undefined;
}

/** The recipient's link is the token itself: logs name the route, never the value. */
const SECRET_PATHS: Array<[RegExp, string]> = [
  [/^\/i\/[^/]+/, '/i/:token'],
  [/^\/v1\/links\/[^/]+/, '/v1/links/:token'],
];

/** The request path for a log line: secret segments by name, and no query string. */
function loggablePath(req: Request): string {
  const path = req.originalUrl.split('?')[0];
  for (const [pattern, name] of SECRET_PATHS) if (pattern.test(path)) return path.replace(pattern, name);
  return path;
}

/** What body-parser (and the zlib stream it pipes through) rejects: always the client's doing. */
interface BodyReadError {
  status: number;
  type?: string;
  message: string;
  limit?: number;
  encoding?: string;
  charset?: string;
}

function isBodyReadError(err: unknown): err is BodyReadError {
  if (typeof err !== 'object' || err === null) return false;
  const { status, type, expose, errno } = err as Record<string, unknown>;
  if (typeof status !== 'number' || status < 400 || status > 499) return false;
  // Typed errors are body-parser's own; an untyped one it marked as the client's (expose) with
  // an errno is the zlib stream failing on what the client said was compressed.
  return typeof type === 'string' || (expose === true && typeof errno === 'number');
}

const DECODED_ENCODINGS = ['gzip', 'deflate', 'br', ...('createZstdDecompress' in zlib ? ['zstd'] : [])];

function bodyReadProblem(err: BodyReadError, contentEncoding: string | undefined): AppError {
  switch (err.type) {
    case 'entity.parse.failed':
      return new ValidationError([{ field: '(body)', message: 'the body is not valid JSON' }]);
    case 'entity.too.large':
      return PayloadTooLargeError.overLimit(err.limit ?? 0);
    case 'parameters.too.many':
      return new ValidationError([{ field: '(body)', message: 'the form has too many fields' }]);
    case 'encoding.unsupported':
      return new UnsupportedMediaTypeError(
        'unsupported_encoding',
        `Content-Encoding "${err.encoding}" is not supported: send the body uncompressed or as ${DECODED_ENCODINGS.join(', ')}`,
      );
    case 'charset.unsupported':
      return new UnsupportedMediaTypeError(
        'unsupported_charset',
        `The charset "${String(err.charset).toUpperCase()}" is not supported: send the body as UTF-8`,
      );
    case 'request.aborted':
    case 'request.size.invalid':
      return new InvalidBodyError('The body ended before its Content-Length: send it whole');
  }
  if (contentEncoding && contentEncoding.toLowerCase() !== 'identity')
    return new InvalidBodyError(
      `The body could not be decompressed as Content-Encoding: ${contentEncoding} (${err.message}): send it compressed that way, or drop the header`,
    );
  return new InvalidBodyError(`The body could not be read (${err.message})`);
}
