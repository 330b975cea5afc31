import { type Server, STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import * as zlib from 'node:zlib';
import type { ErrorRequestHandler, Request, RequestHandler } from 'express';
import { describeError } from '../db/safe-logging';
import { log } from '../ops/log';
import { routeOf } from '../ops/metrics';

/** Typed domain errors; one middleware turns them into RFC 9457 problem+json. */
export interface FieldError {
  field: string;
  message: string;
}

export abstract class AppError extends Error {
  abstract readonly status: number;
  abstract readonly code: string;
  abstract readonly title: string;
  extra(): Record<string, unknown> {
    return {};
  }
}

export class ValidationError extends AppError {
  readonly status = 400;
  readonly code = 'validation_failed';
  readonly title = 'The request is not valid';
  constructor(readonly errors: FieldError[]) {
    super(errors.map((e) => `${e.field}: ${e.message}`).join('; '));
  }
  override extra() {
    return { errors: this.errors };
  }
}

export class UnauthorizedError extends AppError {
  readonly status = 401;
  readonly code = 'unauthorized';
  readonly title = 'Authentication required';
}

export class ForbiddenError extends AppError {
  readonly status = 403;
  readonly code = 'forbidden';
  readonly title = 'Not allowed for this API key';
}

export class NotFoundError extends AppError {
  readonly status = 404;
  readonly code = 'not_found';
  readonly title = 'Not found';
  constructor(what: string) {
    super(`${what} was not found`);
  }
}

export class InsufficientBalanceError extends AppError {
  readonly status = 402;
  readonly code = 'insufficient_balance';
  readonly title = 'Insufficient balance';
  constructor(
    readonly requiredCents: number,
    readonly availableCents: number,
  ) {
    super(
      `Launching needs ${requiredCents} cents but only ${availableCents} are available: add funds and launch again`,
    );
  }
  override extra() {
    return { requiredCents: this.requiredCents, availableCents: this.availableCents };
  }
}

export class InvalidStateError extends AppError {
  readonly status = 409;
  readonly code = 'invalid_state';
  readonly title = 'Not allowed in the current status';
  constructor(
    readonly command: string,
    readonly currentStatus: string,
    /** What to do instead, where there is something better to say than the status. */
    detail = `Cannot ${command} a campaign that is ${currentStatus}`,
  ) {
    super(detail);
  }
  override extra() {
    return { currentStatus: this.currentStatus };
  }
}

/** A journey step (links API) on a link that is not open: completed, expired or not open yet. */
export class LinkStateError extends AppError {
  readonly status = 409;
  readonly code = 'invalid_state';
  readonly title = 'Not allowed in the current status';
  constructor(
    readonly step: 'start' | 'complete',
    readonly linkState: string,
  ) {
    super(`Cannot ${step} a link that is ${linkState.replace('_', ' ')}`);
  }
  override extra() {
    return { currentStatus: this.linkState };
  }
}

export class ConflictError extends AppError {
  readonly status = 409;
  readonly code = 'conflict';
  readonly title = 'Conflict';
}

/** Copy link on an invite that Reset & resend voided: its link is dead; here is the live one. */
export class InviteResetError extends AppError {
  readonly status = 410;
  readonly code = 'invite_reset';
  readonly title = 'This invite was reset';
  constructor(
    inviteId: string,
    readonly replacementId: string | null,
    readonly replacementUrl: string | null,
  ) {
    super(
      replacementId
        ? `Invite ${inviteId} was reset and its link no longer works; invite ${replacementId} replaces it`
        : `Invite ${inviteId} was reset and its link no longer works`,
    );
  }
  override extra() {
    return { replacementId: this.replacementId, replacementUrl: this.replacementUrl };
  }
}

/** An invite whose recipient was erased (api/usecases/erasure.ts): nothing of it may be used again. */
export class InviteErasedError extends AppError {
  readonly status = 410;
  readonly code = 'invite_erased';
  readonly title = 'This invite was erased';
  constructor(inviteId: string) {
    super(
      `Invite ${inviteId} was erased: its recipient's name and address were removed, so its link no longer works and it cannot be sent or reset; if the person asks again, invite them anew`,
    );
  }
}

/** Sending an invite whose own expiry passed would email a dead link: only a reset starts it over. */
export class InviteExpiredError extends AppError {
  readonly status = 409;
  readonly code = 'invite_expired';
  readonly title = 'This invite has expired';
  constructor(inviteId: string, expiresAt: Date) {
    super(
      `Invite ${inviteId} expired at ${expiresAt.toISOString()}, so sending it again would email a dead link: use Reset & resend (POST /v1/invites/${inviteId}/reset), which issues a new link with a fresh expiry`,
    );
  }
}

/** A reset or resend in a campaign that is over: its links no longer work, whatever the invite's own expiry. */
export class CampaignEndedError extends InvalidStateError {
  constructor(action: string, campaignId: string, currentStatus: string) {
    super(
      action,
      currentStatus,
      `Cannot ${action}: campaign ${campaignId} has ended (${currentStatus}), so every link of it is dead and the email would carry one; ` +
        (currentStatus === 'cancelled'
          ? 'a cancelled campaign cannot come back: invite the recipient to another campaign'
          : `extend the campaign's expiry (PATCH /v1/campaigns/${campaignId} with a later expiresAt, while its grace lasts) and try again, or invite the recipient to another campaign`),
    );
  }
}

export class RateLimitedError extends AppError {
  readonly status = 429;
  readonly code = 'rate_limited';
  readonly title = 'Too many requests';
  constructor(readonly retryAfterSeconds: number) {
    super(`Slow down: retry after ${retryAfterSeconds} seconds`);
  }
}

/** A body that could not be read at all (bad compression, cut short): nothing was parsed. */
export class InvalidBodyError extends AppError {
  readonly status = 400;
  readonly code = 'invalid_body';
  readonly title = 'The request body could not be read';
}

export class PayloadTooLargeError extends AppError {
  readonly status = 413;
  readonly code = 'payload_too_large';
  readonly title = 'The request body is too large';
  constructor(
    message: string,
    readonly limitBytes?: number,
  ) {
    super(message);
  }
  /** A body over the parser's limit for this endpoint. */
  static overLimit(limitBytes: number): PayloadTooLargeError {
    return new PayloadTooLargeError(
      `The body is over the limit for this endpoint: the limit is ${limitBytes} bytes (${humanBytes(limitBytes)}), after decompression`,
      limitBytes,
    );
  }
  override extra() {
    return this.limitBytes === undefined ? {} : { limitBytes: this.limitBytes };
  }
}

export class UnsupportedMediaTypeError extends AppError {
  readonly status = 415;
  readonly title = 'The request body is in a form the API does not read';
  constructor(
    readonly code: 'unsupported_encoding' | 'unsupported_charset',
    message: string,
  ) {
    super(message);
  }
}

export class ServiceUnavailableError extends AppError {
  readonly status = 503;
  readonly code = 'unavailable';
  readonly title = 'A dependency is unavailable';
}

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

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

export const notFoundRoute: RequestHandler = (req) => {
  throw new NotFoundError(`${req.method} ${req.path}`);
};

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

function humanBytes(bytes: number): string {
  if (bytes >= 1024 * 1024 && bytes % (1024 * 1024) === 0) return `${bytes / (1024 * 1024)} MiB`;
  if (bytes >= 1024 && bytes % 1024 === 0) return `${bytes / 1024} KiB`;
  return `${bytes} bytes`;
}

/**
 * The HTTP server's own edges. Requests Node refuses before Express sees them get a
 * problem+json answer where the client can act on it (a 2,000-id export URL is told to use
 * the POST form), Node's bare answers otherwise. Idle connections stay open longer than
 * clients (undici: 4 s) and load balancers (60 s) keep theirs, so the client always closes
 * an idle connection first and a request never lands on one the server is closing.
 */
/** The path of a request refused while its head was read (the query may be what was too long). */
function requestPathOf(err: NodeJS.ErrnoException & { rawPacket?: Buffer }): string {
  const line = /^[A-Z]+ ([^ ?\r\n]{1,2000})/.exec(err.rawPacket?.subarray(0, 2100).toString('latin1') ?? '');
  return line?.[1] ?? '/';
}

export function hardenHttpServer(server: Server): Server {
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  server.on('clientError', (err: NodeJS.ErrnoException, socket: Duplex) => {
    if (err.code === 'ECONNRESET' || !socket.writable) return socket.destroy();
    if (err.code === 'ERR_HTTP_REQUEST_TIMEOUT')
      return socket.end('HTTP/1.1 408 Request Timeout\r\nConnection: close\r\n\r\n');
    if (err.code !== 'HPE_HEADER_OVERFLOW')
      return socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
    const body = JSON.stringify({
      type: 'urn:herald:problem:headers_too_large',
      title: 'The request line or headers are too large',
      status: 431,
      code: 'headers_too_large',
      instance: requestPathOf(err),
      detail:
        'The URL or headers are over the server limit: send long lists in a request body (e.g. POST …/invites/export {"ids": […]})',
    });
    socket.end(
      'HTTP/1.1 431 Request Header Fields Too Large\r\n' +
        `Content-Type: ${PROBLEM_CONTENT_TYPE}\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  });
  return server;
}

/**
 * URLs whose percent-encoding is not UTF-8 (`%ff`, a link cut short at `%E0%A4%A`, a lone
 * `%`) are the client's mistake: they get a 400 that says how to encode, never a 500, and
 * never a value read with U+FFFD in place of what the client meant.
 */
const HOW =
  'each % must be followed by two hex digits that together spell UTF-8 (é is %C3%A9); send a literal % as %25';

export function malformedUrlError(where: 'path' | 'query'): ValidationError {
  return new ValidationError([{ field: `(${where})`, message: `is not valid percent-encoding: ${HOW}` }]);
}

/** Express's router failing to decode a path parameter: a URIError it marks 400. */
export function isPathDecodeError(err: unknown): boolean {
  return err instanceof URIError && (err as { status?: unknown }).status === 400;
}
