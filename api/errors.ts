/**
 * Typed domain errors: each is one problem type (status, stable `code`, title, and what else
 * the client may act on). api/problem-json.ts writes them as RFC 9457 problem+json.
 */
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
  constructor(inviteId: string, expiresAt: Date, why = 'sending it again would email a dead link') {
    super(
      `Invite ${inviteId} expired at ${expiresAt.toISOString()}, so ${why}: use Reset & resend (POST /v1/invites/${inviteId}/reset), which issues a new link with a fresh expiry`,
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
  constructor(
    readonly retryAfterSeconds: number,
    detail = `Slow down: retry after ${retryAfterSeconds} seconds`,
  ) {
    super(detail);
  }
}

/**
 * The account's sender cannot send: its token is refused by the provider, or it has no from
 * address. Nothing was done; the detail says what to fix.
 */
export class SenderNotReadyError extends AppError {
  readonly status = 409;
  readonly code = 'sender_not_ready';
  readonly title = 'The sender is not ready';
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

function humanBytes(bytes: number): string {
  if (bytes >= 1024 * 1024 && bytes % (1024 * 1024) === 0) return `${bytes / (1024 * 1024)} MiB`;
  if (bytes >= 1024 && bytes % 1024 === 0) return `${bytes / 1024} KiB`;
  return `${bytes} bytes`;
}
