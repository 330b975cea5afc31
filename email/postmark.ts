import { Errors, Models, ServerClient } from 'postmark';
import type { Message } from 'postmark';
import {
  EmailRateLimitedError,
  EmailTemporarilyUnavailableError,
  EmailTokenInvalidError,
  type EmailCredentials,
  type EmailMessage,
  type EmailPort,
  type MessageOutcome,
  type SentRef,
} from './port';

export interface PostmarkEmailOptions {
  /** e.g. `https://api.postmarkapp.com`, or a local fake in tests. */
  apiUrl: string;
  /**
   * Per-request timeout. The client's own default is 180 s, far longer than an activity
   * should hang; a timed-out batch is settled afterwards with `findSent`.
   */
  timeoutSeconds?: number;
  /**
   * How long to wait after a 429 before sending again. Postmark documents no `Retry-After`
   * (nor any rate-limit header) and its client drops the response headers anyway, so the
   * wait is ours to choose: 30 s by default, seconds in tests.
   */
  rateLimitBackoffSeconds?: number;
}

const DEFAULT_RATE_LIMIT_BACKOFF_SECONDS = 30;

/**
 * Postmark's per-message codes that mean "this address", not "this sender": 300 invalid email
 * request, 406 inactive recipient. Nothing outside this adapter knows them.
 */
const BAD_ADDRESS_CODES = new Set([300, 406]);
/** ErrorCode 10: bad or missing server token (sent with HTTP 401). */
const TOKEN_INVALID_CODE = 10;
/** Outbound message search: at most 500 per page, and count + offset at most 10,000. */
const SEARCH_PAGE = 500;
const SEARCH_WINDOW = 10_000;

export class PostmarkEmail implements EmailPort {
  readonly maxBatchSize = 500;
  private readonly clientOptions: { useHttps: boolean; requestHost: string; timeout: number };
  private readonly clients = new Map<string, ServerClient>();
  private readonly rateLimitBackoffMs: number;

  constructor(options: PostmarkEmailOptions) {
    const url = new URL(options.apiUrl);
    if (url.protocol !== 'https:' && url.protocol !== 'http:') {
      throw new Error(`Postmark API url must be http(s), got ${options.apiUrl}`);
    }
    // The client builds its base URL as `${scheme}://${requestHost}`, so a path prefix would be
    // dropped silently; host includes the port.
    if (url.pathname !== '/' && url.pathname !== '') {
      throw new Error(`Postmark API url must not have a path, got ${options.apiUrl}`);
    }
    this.rateLimitBackoffMs = (options.rateLimitBackoffSeconds ?? DEFAULT_RATE_LIMIT_BACKOFF_SECONDS) * 1000;
    this.clientOptions = {
      useHttps: url.protocol === 'https:',
      requestHost: url.host,
      // The client treats 0 as "use the default", hence the floor.
      timeout: Math.max(options.timeoutSeconds ?? 60, 0.001),
    };
  }

  async sendBatch(credentials: EmailCredentials, messages: EmailMessage[]): Promise<MessageOutcome[]> {
    if (messages.length === 0) return [];
    if (messages.length > this.maxBatchSize) {
      throw new Error(`Postmark batch of ${messages.length} exceeds ${this.maxBatchSize} messages`);
    }
    const client = this.clientFor(credentials);
    let results: unknown;
    try {
      results = await client.sendEmailBatch(messages.map(toPostmarkMessage));
    } catch (err) {
      throw translateError(err, 'send batch', this.rateLimitBackoffMs);
    }
    // The client resolves with whatever 2xx body it got; per-message failures are inside it.
    if (!Array.isArray(results) || results.length !== messages.length) {
      throw new Error(
        `Postmark send batch: expected ${messages.length} results, got ${JSON.stringify(results)?.slice(0, 200)}`,
      );
    }
    return (results as Models.MessageSendingResponse[]).map(toOutcome);
  }

  async findSent(
    credentials: EmailCredentials,
    metadataKey: string,
    metadataValue: string,
  ): Promise<string | null> {
    const client = this.clientFor(credentials);
    try {
      // The filter type has an index signature for exactly these `metadata_<key>` parameters.
      const found = await client.getOutboundMessages({
        count: 1,
        offset: 0,
        [`metadata_${metadataKey}`]: metadataValue,
      });
      return found.Messages?.[0]?.MessageID ?? null;
    } catch (err) {
      throw translateError(err, 'search outbound messages', this.rateLimitBackoffMs);
    }
  }

  async findAllSent(
    credentials: EmailCredentials,
    metadataKey: string,
    metadataValue: string,
  ): Promise<SentRef[]> {
    const client = this.clientFor(credentials);
    const found: SentRef[] = [];
    // Postmark pages at most 500 per call, and count + offset may not pass 10,000.
    for (let offset = 0; offset + SEARCH_PAGE <= SEARCH_WINDOW; offset += SEARCH_PAGE) {
      let page: Models.OutboundMessages;
      try {
        page = await client.getOutboundMessages({
          count: SEARCH_PAGE,
          offset,
          [`metadata_${metadataKey}`]: metadataValue,
        });
      } catch (err) {
        throw translateError(err, 'search outbound messages', this.rateLimitBackoffMs);
      }
      const messages = page.Messages ?? [];
      for (const m of messages) found.push({ messageId: m.MessageID, metadata: m.Metadata ?? {} });
      if (messages.length < SEARCH_PAGE || offset + SEARCH_PAGE >= Number(page.TotalCount ?? 0)) return found;
    }
    throw new Error(`Postmark search for ${metadataKey}=${metadataValue} matched more than ${SEARCH_WINDOW}`);
  }

  isBadAddress(errorCode: number): boolean {
    return BAD_ADDRESS_CODES.has(errorCode);
  }

  /** `GET /server` with the server token: Postmark's cheapest read, and one that sends nothing. */
  async checkCredentials(credentials: EmailCredentials): Promise<void> {
    const client = this.clientFor(credentials);
    try {
      await client.getServer();
    } catch (err) {
      throw translateError(err, 'read the server', this.rateLimitBackoffMs);
    }
  }

  private clientFor({ serverToken }: EmailCredentials): ServerClient {
    // The client constructor throws a bare PostmarkError for a blank token; that is the same
    // situation as Postmark refusing it.
    if (!serverToken?.trim()) throw new EmailTokenInvalidError('Postmark server token is empty');
    let client = this.clients.get(serverToken);
    if (!client) {
      client = new ServerClient(serverToken, this.clientOptions);
      this.clients.set(serverToken, client);
    }
    return client;
  }
}

function toPostmarkMessage(m: EmailMessage): Message {
  return {
    From: m.from,
    To: m.to,
    Subject: m.subject,
    HtmlBody: m.html,
    TextBody: m.text,
    MessageStream: m.messageStream,
    Metadata: m.metadata,
    Attachments: m.attachments?.map((a) => ({
      Name: a.name,
      Content: a.content,
      ContentType: a.contentType,
      ContentID: null,
    })),
    Headers: m.headers ? Object.entries(m.headers).map(([Name, Value]) => ({ Name, Value })) : undefined,
    // Only when asked: a message without them leaves the server's own settings to decide.
    ...(m.track?.opens ? { TrackOpens: true } : {}),
    ...(m.track?.links ? { TrackLinks: Models.LinkTrackingOptions.HtmlAndText } : {}),
  };
}

function toOutcome(result: Models.MessageSendingResponse): MessageOutcome {
  if (result.ErrorCode === 0) return { ok: true, messageId: result.MessageID };
  return {
    ok: false,
    errorCode: result.ErrorCode,
    message: result.Message,
    badAddress: BAD_ADDRESS_CODES.has(result.ErrorCode),
  };
}

/**
 * The client turns every failure into a PostmarkError subclass: HTTP errors carry
 * `statusCode` and Postmark's `code`; network errors and timeouts arrive as a bare
 * PostmarkError with both 0 and only axios's message (e.g. "timeout of 500ms exceeded").
 */
function translateError(err: unknown, what: string, rateLimitBackoffMs: number): Error {
  if (!(err instanceof Errors.PostmarkError)) {
    const reason = err instanceof Error ? err.message : String(err);
    return new Error(`Postmark ${what} failed: ${reason}`, { cause: err });
  }
  const status = err.statusCode;
  if (err instanceof Errors.InvalidAPIKeyError || err.code === TOKEN_INVALID_CODE) {
    return new EmailTokenInvalidError(`Postmark rejected the server token: ${err.message}`);
  }
  if (status === 0) {
    return new EmailTemporarilyUnavailableError(
      `Postmark ${what}: no response (${err.message || 'network error'})`,
    );
  }
  if (status === 429) {
    return new EmailRateLimitedError(
      `Postmark ${what}: rate limited (HTTP 429, ErrorCode ${err.code}: ${err.message})`,
      status,
      rateLimitBackoffMs,
    );
  }
  if (status >= 500) {
    return new EmailTemporarilyUnavailableError(
      `Postmark ${what}: HTTP ${status} (ErrorCode ${err.code}: ${err.message})`,
      status,
    );
  }
  return new Error(`Postmark ${what} refused: HTTP ${status} (ErrorCode ${err.code}: ${err.message})`, {
    cause: err,
  });
}
