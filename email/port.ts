/**
 * The email port: what Herald needs from an email provider. Two adapters implement it:
 * Postmark (email/postmark.ts) and the development inbox (email/dev-inbox.ts).
 */
import type { SuppressionReason } from '../entities/Suppression';

export interface EmailAttachment {
  name: string;
  contentType: string;
  /** base64 */
  content: string;
}

export interface EmailMessage {
  /** `"Display Name" <address>` or a bare address. */
  from: string;
  to: string;
  subject: string;
  html: string;
  text: string;
  /** Postmark message stream, e.g. `outbound` (transactional) or `broadcast`. */
  messageStream: string;
  /** Carried to the provider and searchable there: at least `idempotencyKey`; `inviteId`, `kind` for invites. */
  metadata: Record<string, string>;
  attachments?: EmailAttachment[];
  /** Extra headers (e.g. List-Unsubscribe). */
  headers?: Record<string, string>;
  /** Ask the provider to track opens and link clicks (a campaign's `tracking`); absent = neither. */
  track?: { opens: boolean; links: boolean };
}

/** Per-message outcome of a batch. */
export type MessageOutcome =
  | { ok: true; messageId: string }
  /**
   * The provider refused this message and retrying will not help (e.g. Postmark 300
   * invalid email request, 406 inactive recipient). `badAddress` tells a bad address from
   * any other refusal (it does not count towards the failure-rate pause).
   */
  | { ok: false; errorCode: number; message: string; badAddress: boolean };

/** Credentials for one send: the account's own token, or the platform's (owner alerts). */
export interface EmailCredentials {
  serverToken: string;
}

/** The provider rejected the token (Postmark HTTP 401 / ErrorCode 10): retrying cannot help. */
export class EmailTokenInvalidError extends Error {
  override readonly name = 'EmailTokenInvalidError';
}

/** 5xx, network (and 429, see below): the whole call may be retried later (with backoff). */
export class EmailTemporarilyUnavailableError extends Error {
  override readonly name: string = 'EmailTemporarilyUnavailableError';
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
  }
}

/**
 * The provider is rate-limiting the sender (Postmark: HTTP 429): nothing of the call was
 * accepted, and it asks to come back after `retryAfterMs`. A subclass of the temporary
 * failure, so a caller that does not wait for it retries it like any other.
 */
export class EmailRateLimitedError extends EmailTemporarilyUnavailableError {
  override readonly name = 'EmailRateLimitedError';
  constructor(
    message: string,
    status: number,
    readonly retryAfterMs: number,
  ) {
    super(message, status);
  }
}

export interface EmailPort {
  /** Max messages one `sendBatch` call may carry (Postmark: 500). */
  readonly maxBatchSize: number;
  /**
   * Sends up to `maxBatchSize` messages in one provider call; outcomes are in input order.
   * Throws EmailTokenInvalidError, EmailRateLimitedError or EmailTemporarilyUnavailableError
   * for whole-call failures.
   */
  sendBatch(credentials: EmailCredentials, messages: EmailMessage[]): Promise<MessageOutcome[]>;
  /**
   * Settles an ambiguous send (crash between the provider call and our commit): the
   * provider's message id if a message with this metadata value was accepted, else null.
   */
  findSent(credentials: EmailCredentials, metadataKey: string, metadataValue: string): Promise<string | null>;
  /**
   * Settles a whole batch at once: every accepted message carrying this metadata value (a
   * batch-level one, e.g. `sendBatch`), with its metadata, in as few provider calls as the
   * provider's page size allows (Postmark: 500 per call).
   */
  findAllSent(credentials: EmailCredentials, metadataKey: string, metadataValue: string): Promise<SentRef[]>;
  /**
   * The rule behind `badAddress`, for a failure read back later: whether this per-message
   * error code (an outcome's `errorCode`, as a failed notification records it) means the
   * address is at fault. Only the adapter knows its provider's codes.
   */
  isBadAddress(errorCode: number): boolean;
  /**
   * Whether the provider accepts these credentials, by a cheap read that sends nothing
   * (Postmark: `GET /server`). Resolves when it does; throws EmailTokenInvalidError when it
   * refuses them, EmailTemporarilyUnavailableError when it did not answer. Launch asks it
   * first (api/usecases/sender-check.ts), so a dead token is named before anything changes.
   */
  checkCredentials(credentials: EmailCredentials): Promise<void>;
}

/** An accepted message, as a search returns it. */
export interface SentRef {
  messageId: string;
  metadata: Record<string, string>;
}

/**
 * What a provider reports (by webhook) about a message it accepted, in Herald's terms. Each
 * adapter's webhook module translates its own payloads into these.
 */
export type DeliveryEvent = {
  /** The provider's id of the message, as `MessageOutcome.messageId` gave it. */
  messageId: string;
  /** The address the event is about, as the provider wrote it. */
  address: string;
  /** The provider's own words about it, for a delivery error (at most 250 characters). */
  detail: string;
  /** Opens and clicks: the User-Agent that fetched the pixel or followed the link, as the provider saw it. */
  userAgent?: string | null;
} & (
  | { type: 'delivered' | 'opened' | 'clicked' | 'soft_bounce' | 'hard_bounce' | 'spam_complaint' }
  /** The provider stopped sending to the address (an unsubscribe, unless it says otherwise). */
  | { type: 'suppressed'; reason: SuppressionReason }
  /** The provider sends to the address again. */
  | { type: 'reactivated' }
);
