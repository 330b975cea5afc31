/**
 * A local stand-in for the Postmark API, speaking its documented contract closely enough
 * that the real `postmark` client cannot tell the difference: same paths, header, status
 * codes and `{ErrorCode, Message}` bodies. Tests drive failures through its controls.
 */
import { randomUUID } from 'node:crypto';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

/** Used when `startFakePostmark` is given no tokens. */
export const FAKE_POSTMARK_TOKEN = 'fake-postmark-server-token';

export interface SentMessage {
  To: string;
  From: string;
  Subject: string;
  HtmlBody?: string;
  TextBody?: string;
  MessageStream: string;
  Metadata: Record<string, string>;
  Attachments: { Name: string; Content: string; ContentType: string }[];
  Headers: { Name: string; Value: string }[];
  /** As the message asked (absent when it did not). */
  TrackOpens?: boolean;
  TrackLinks?: string;
  MessageID: string;
  token: string;
  receivedAt: Date;
}

export interface FakePostmarkCall {
  path: string;
  token: string | null;
  /** Messages carried (0 for searches). */
  count: number;
  at: Date;
}

export interface FakePostmark {
  url: string;
  sent: SentMessage[];
  calls: FakePostmarkCall[];
  close(): Promise<void>;
  /**
   * A token the server accepts from now on. Each token is its own Postmark server (searches see
   * only that server's messages) unless `sameServerAs` names an earlier token: then it is a new
   * token of that server, as when an owner rotates a leaked or revoked one, and sees its messages.
   */
  addToken(token: string, options?: { sameServerAs?: string }): void;
  /** Later calls with it answer 401 / ErrorCode 10. */
  revokeToken(token: string): void;
  /**
   * The next `count` calls answer `status` before anything else is looked at. With
   * `campaignId`, only sends carrying that campaign's metadata count, so another test's
   * late owner alert or settle search cannot use up the injected failures.
   */
  failNext(count: number, status: number, only?: { campaignId: string }): void;
  failAll(status: number | null): void;
  /** Requests are still processed at once; only the response waits (so a client timeout is ambiguous). */
  delayMs(ms: number): void;
  rejectRecipient(email: string, errorCode: 300 | 406): void;
  /** Back to the state `startFakePostmark` returned: initial tokens, nothing sent, no failures. */
  reset(): void;
}

const MAX_BATCH = 500;

interface Reply {
  status: number;
  body: unknown;
}

interface MessageResult {
  ErrorCode: number;
  Message: string;
  MessageID?: string;
  SubmittedAt?: string;
  To?: string;
}

const error = (status: number, ErrorCode: number, Message: string): Reply => ({
  status,
  body: { ErrorCode, Message },
});

const TOKEN_INVALID = error(
  401,
  10,
  'The Server Token you provided in the X-Postmark-Server-Token request header was invalid. ' +
    'Please verify that you are using a valid token.',
);

function injectedFailure(status: number): Reply {
  if (status === 401) return TOKEN_INVALID;
  if (status === 429) return error(429, 429, 'Rate limit exceeded');
  if (status === 500) return error(500, 500, 'Internal server error');
  return error(status, status, http.STATUS_CODES[status] ?? 'Error');
}

/** `"Name" <addr>` or `addr` → the address, lower-cased (Postmark matches case-insensitively). */
function addressOf(to: string): string {
  const angled = /<([^>]*)>/.exec(to);
  return (angled ? angled[1] : to).trim().toLowerCase();
}

function nameOf(to: string): string {
  const angled = /^(.*)<[^>]*>\s*$/.exec(to);
  return angled ? angled[1].trim().replace(/^"(.*)"$/, '$1') : '';
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export interface FakePostmarkOptions {
  tokens?: string[];
  /**
   * false: accepted messages are not kept in `sent` (a million would not fit in memory);
   * `onSent` sees each instead, and searches find nothing. Default true.
   */
  keepSent?: boolean;
  onSent?: (message: SentMessage) => void;
}

export async function startFakePostmark(opts: FakePostmarkOptions = {}): Promise<FakePostmark> {
  const initialTokens = opts.tokens ?? [FAKE_POSTMARK_TOKEN];
  const tokens = new Set(initialTokens);
  /** token → the server it belongs to (by default, itself). */
  const servers = new Map<string, string>();
  const serverOf = (token: string) => servers.get(token) ?? token;
  const rejected = new Map<string, 300 | 406>();
  let failures: { remaining: number; status: number; campaignId?: string } | null = null;
  let failAllStatus: number | null = null;
  let delay = 0;
  const pending = new Set<NodeJS.Timeout>();

  const fake: FakePostmark = {
    url: '',
    sent: [],
    calls: [],
    close,
    addToken: (t, options) => {
      tokens.add(t);
      if (options?.sameServerAs) servers.set(t, serverOf(options.sameServerAs));
    },
    revokeToken: (t) => void tokens.delete(t),
    failNext: (count, status, only) => {
      failures = count > 0 ? { remaining: count, status, campaignId: only?.campaignId } : null;
    },
    failAll: (status) => {
      failAllStatus = status;
    },
    delayMs: (ms) => {
      delay = ms;
    },
    rejectRecipient: (email, code) => void rejected.set(email.trim().toLowerCase(), code),
    reset: () => {
      tokens.clear();
      servers.clear();
      initialTokens.forEach((t) => tokens.add(t));
      rejected.clear();
      failures = null;
      failAllStatus = null;
      delay = 0;
      fake.sent.length = 0;
      fake.calls.length = 0;
    },
  };

  /** Validates one message and, if Postmark would accept it, records it as sent. */
  function accept(raw: unknown, token: string): MessageResult {
    const m = isRecord(raw) ? raw : {};
    const to = typeof m.To === 'string' ? m.To : '';
    if (!to.includes('@')) return { ErrorCode: 300, Message: "Invalid 'To' address", To: to };
    if (typeof m.From !== 'string' || !m.From.includes('@')) {
      return { ErrorCode: 300, Message: "Invalid 'From' address", To: to };
    }
    if (!m.HtmlBody && !m.TextBody) {
      return { ErrorCode: 300, Message: 'Provide either email TextBody or HtmlBody or both.', To: to };
    }
    const refusal = rejected.get(addressOf(to));
    if (refusal === 406) {
      return {
        ErrorCode: 406,
        Message:
          `You tried to send to recipient(s) that have been marked as inactive. Found inactive addresses: ${addressOf(to)}. ` +
          'Inactive recipients are ones that have generated a hard bounce, a spam complaint, or a manual suppression.',
        To: to,
      };
    }
    if (refusal === 300) {
      return { ErrorCode: 300, Message: `Error parsing 'To': Illegal email address '${to}'.`, To: to };
    }
    const receivedAt = new Date();
    const MessageID = randomUUID();
    const message: SentMessage = {
      To: to,
      From: m.From,
      Subject: typeof m.Subject === 'string' ? m.Subject : '',
      HtmlBody: typeof m.HtmlBody === 'string' ? m.HtmlBody : undefined,
      TextBody: typeof m.TextBody === 'string' ? m.TextBody : undefined,
      MessageStream: typeof m.MessageStream === 'string' ? m.MessageStream : 'outbound',
      Metadata: isRecord(m.Metadata) ? (m.Metadata as Record<string, string>) : {},
      Attachments: Array.isArray(m.Attachments) ? (m.Attachments as SentMessage['Attachments']) : [],
      Headers: Array.isArray(m.Headers) ? (m.Headers as SentMessage['Headers']) : [],
      ...(typeof m.TrackOpens === 'boolean' ? { TrackOpens: m.TrackOpens } : {}),
      ...(typeof m.TrackLinks === 'string' ? { TrackLinks: m.TrackLinks } : {}),
      MessageID,
      token,
      receivedAt,
    };
    if (opts.keepSent !== false) fake.sent.push(message);
    opts.onSent?.(message);
    return { ErrorCode: 0, Message: 'OK', MessageID, SubmittedAt: receivedAt.toISOString(), To: to };
  }

  function search(query: URLSearchParams, token: string): Reply {
    const count = Number(query.get('count'));
    const offset = Number(query.get('offset'));
    if (!Number.isInteger(count) || count < 1 || count > 500 || !Number.isInteger(offset) || offset < 0) {
      return error(422, 300, 'count (1-500) and offset (>= 0) are required.');
    }
    // Documented: "Count + Offset cannot exceed 10,000 messages."
    if (count + offset > 10_000) return error(422, 300, 'Count + Offset cannot exceed 10,000 messages.');
    const recipient = query.get('recipient')?.toLowerCase();
    const metadata = [...query].filter(([k]) => k.startsWith('metadata_')).map(([k, v]) => [k.slice(9), v]);
    // Searches only see the messages of the server the token belongs to.
    const server = serverOf(token);
    const matches = fake.sent
      .filter((s) => serverOf(s.token) === server)
      .filter((s) => !recipient || addressOf(s.To) === recipient)
      .filter((s) => metadata.every(([k, v]) => s.Metadata[k] === v))
      .reverse(); // newest first, as Postmark lists them
    return {
      status: 200,
      body: {
        TotalCount: matches.length,
        Messages: matches.slice(offset, offset + count).map((s) => ({
          MessageID: s.MessageID,
          To: [{ Email: addressOf(s.To), Name: nameOf(s.To) }],
          Recipients: [addressOf(s.To)],
          From: s.From,
          Subject: s.Subject,
          MessageStream: s.MessageStream,
          Metadata: s.Metadata,
          Status: 'Sent',
          ReceivedAt: s.receivedAt.toISOString(),
        })),
      },
    };
  }

  /**
   * `GET /server` (Postmark's Server API, with X-Postmark-Server-Token): the server the token
   * belongs to, in the fields Postmark documents for it.
   */
  function serverInfo(token: string) {
    const server = serverOf(token);
    return {
      ID: [...server].reduce((h, c) => (h * 31 + c.charCodeAt(0)) % 1_000_000, 7),
      Name: `Fake server ${server.slice(0, 12)}`,
      ApiTokens: [...tokens].filter((t) => serverOf(t) === server),
      Color: 'blue',
      SmtpApiActivated: true,
      RawEmailEnabled: false,
      DeliveryType: 'Live',
      ServerLink: 'https://account.postmarkapp.com/servers/1/streams',
      InboundAddress: 'fake@inbound.postmarkapp.com',
      InboundHookUrl: '',
      BounceHookUrl: '',
      OpenHookUrl: '',
      DeliveryHookUrl: '',
      PostFirstOpenOnly: false,
      InboundDomain: '',
      InboundHash: 'fake',
      InboundSpamThreshold: 0,
      TrackOpens: false,
      TrackLinks: 'None',
      IncludeBounceContentInHook: true,
      ClickHookUrl: '',
      EnableSmtpApiErrorHooks: false,
    };
  }

  function route(method: string, url: URL, body: unknown, token: string): Reply {
    const key = `${method} ${url.pathname.replace(/\/+$/, '')}`;
    if (key === 'POST /email') {
      if (!isRecord(body)) return error(422, 402, 'Received invalid JSON input.');
      const result = accept(body, token);
      return result.ErrorCode === 0
        ? { status: 200, body: result }
        : error(422, result.ErrorCode, result.Message);
    }
    if (key === 'POST /email/batch') {
      if (!Array.isArray(body)) return error(422, 402, 'Received invalid JSON input.');
      // Postmark documents ErrorCode 410 "Too many batch messages" for this.
      if (body.length > MAX_BATCH) {
        return error(422, 410, `Too many batch messages: ${body.length} (max ${MAX_BATCH}).`);
      }
      return { status: 200, body: body.map((m) => accept(m, token)) };
    }
    if (key === 'GET /messages/outbound') return search(url.searchParams, token);
    if (key === 'GET /server') return { status: 200, body: serverInfo(token) };
    return error(404, 404, `No such endpoint: ${method} ${url.pathname}`);
  }

  function handle(req: http.IncomingMessage, raw: string): Reply {
    const url = new URL(req.url ?? '/', 'http://fake-postmark');
    const header = req.headers['x-postmark-server-token'];
    const token = typeof header === 'string' ? header : null;
    let body: unknown = undefined;
    let parsed = true;
    if (raw) {
      try {
        body = JSON.parse(raw);
      } catch {
        parsed = false;
      }
    }
    fake.calls.push({ path: url.pathname, token, count: countOf(url.pathname, body), at: new Date() });

    if (failures && (!failures.campaignId || carriesCampaign(body, failures.campaignId))) {
      const status = failures.status;
      if (--failures.remaining <= 0) failures = null;
      return injectedFailure(status);
    }
    if (failAllStatus !== null) return injectedFailure(failAllStatus);
    if (token === null || !tokens.has(token)) return TOKEN_INVALID;
    if (!parsed) return error(422, 402, 'Received invalid JSON input.');
    return route(req.method ?? 'GET', url, body, token);
  }

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const reply = handle(req, Buffer.concat(chunks).toString('utf8'));
      const send = () => {
        if (res.destroyed) return; // the client gave up (timeout)
        res.writeHead(reply.status, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify(reply.body));
      };
      if (delay <= 0) return send();
      const timer = setTimeout(() => {
        pending.delete(timer);
        send();
      }, delay);
      pending.add(timer);
    });
  });

  async function close(): Promise<void> {
    pending.forEach(clearTimeout);
    pending.clear();
    server.closeAllConnections();
    await new Promise<void>((resolve, reject) => server.close((err) => (err ? reject(err) : resolve())));
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  fake.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return fake;
}

function carriesCampaign(body: unknown, campaignId: string): boolean {
  const messages = Array.isArray(body) ? body : [body];
  return messages.some((m) => isRecord(m) && isRecord(m.Metadata) && m.Metadata.campaignId === campaignId);
}

function countOf(path: string, body: unknown): number {
  if (Array.isArray(body)) return body.length;
  return path.startsWith('/email') && isRecord(body) ? 1 : 0;
}
