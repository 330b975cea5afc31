import type { ErrorRequestHandler, RequestHandler } from 'express';

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
  ) {
    super(`Cannot ${command} a campaign that is ${currentStatus}`);
  }
  override extra() {
    return { currentStatus: this.currentStatus };
  }
}

export class ConflictError extends AppError {
  readonly status = 409;
  readonly code = 'conflict';
  readonly title = 'Conflict';
}

export class PayloadTooLargeError extends AppError {
  readonly status = 413;
  readonly code = 'payload_too_large';
  readonly title = 'The request body is too large';
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

export class RateLimitedError extends AppError {
  readonly status = 429;
  readonly code = 'rate_limited';
  readonly title = 'Too many requests';
  constructor(readonly retryAfterSeconds: number) {
    super(`Slow down: retry after ${retryAfterSeconds} seconds`);
  }
}

export class ServiceUnavailableError extends AppError {
  readonly status = 503;
  readonly code = 'unavailable';
  readonly title = 'A dependency is unavailable';
}

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

export const notFoundRoute: RequestHandler = (req) => {
  throw new NotFoundError(`${req.method} ${req.path}`);
};

export const problemHandler: ErrorRequestHandler = (err: unknown, req, res, next) => {
  if (res.headersSent) return next(err);
  let problem: AppError;
  if (err instanceof AppError) problem = err;
  else if (isBodyParserError(err)) {
    problem =
      err.type === 'entity.too.large'
        ? new PayloadTooLargeError('the body is too large')
        : new ValidationError([{ field: '(body)', message: 'the body is not valid JSON' }]);
  } else {
    console.error(`${req.method} ${req.originalUrl} failed:`, err);
    problem = new (class extends AppError {
      readonly status = 500;
      readonly code = 'internal';
      readonly title = 'Internal error';
    })('Something went wrong on our side; the error is logged. Retry, and report it if it persists.');
  }
  if (problem instanceof UnauthorizedError) res.setHeader('WWW-Authenticate', 'Bearer');
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

function isBodyParserError(err: unknown): err is { type: string; status: number } {
  return (
    typeof err === 'object' &&
    err !== null &&
    typeof (err as { type?: unknown }).type === 'string' &&
    'status' in err
  );
}
