import * as http from 'node:http';
import * as https from 'node:https';
import { type TargetRules, WebhookTargetError, checkTargetUrl, guardedLookup } from './target-guard';

/**
 * Keep-alive connections for one delivery pass to one endpoint, at most `sockets` at once:
 * each connection is opened through the request's guarded lookup (the address checked as it
 * resolves), and the caller destroys the agent when the pass ends, so none outlives the check.
 */
export function newAgent(url: string, sockets: number): http.Agent {
  const options = { keepAlive: true, maxSockets: sockets, maxFreeSockets: sockets };
  return url.startsWith('https:') ? new https.Agent(options) : new http.Agent(options);
}

/** What a receiver answered to one attempt. */
export interface PostResult {
  ok: boolean;
  /** null: no HTTP answer (refused, timed out, blocked address). */
  status: number | null;
  latencyMs: number;
  error: string | null;
}

/** How much of a receiver's answer is read (for the delivery log): the rest is dropped unread. */
export const RESPONSE_BODY_CAP = 4096;

/** A refusal by the target guard, for the delivery log: nothing reached the receiver. */
const refusal = (err: WebhookTargetError) => `not sent: ${err.message}`.slice(0, 300);

/**
 * One POST to a receiver: the connection goes only to an address the target guard accepts
 * (an IP literal checked before connecting, a name's addresses as it resolves), redirects are not followed (a 3xx is a failure:
 * following one would let a public URL point Herald at a private one), the whole exchange
 * has a deadline, and at most `RESPONSE_BODY_CAP` bytes of the answer are read.
 */
export function postWebhook(
  url: string,
  headers: Record<string, string>,
  body: string,
  {
    rules,
    timeoutMs,
    agent,
  }: {
    rules: TargetRules;
    timeoutMs: number;
    /** Keep-alive connections to reuse (newAgent); absent: a connection of its own. */
    agent?: http.Agent;
  },
): Promise<PostResult> {
  const started = Date.now();
  let target: URL;
  try {
    // The rules of today, not the ones the endpoint was created under (ALLOW_HTTP_WEBHOOKS).
    target = checkTargetUrl(url, rules);
  } catch (err) {
    if (!(err instanceof WebhookTargetError)) throw err;
    return Promise.resolve({ ok: false, status: null, error: refusal(err), latencyMs: Date.now() - started });
  }
  const transport = target.protocol === 'https:' ? https : http;
  return new Promise<PostResult>((resolve) => {
    let settled = false;
    const finish = (result: Omit<PostResult, 'latencyMs'>) => {
      if (settled) return;
      settled = true;
      clearTimeout(deadline);
      resolve({ ...result, latencyMs: Date.now() - started });
    };
    const req = transport.request(
      target,
      {
        method: 'POST',
        headers: {
          ...headers,
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
          'user-agent': 'Herald-Webhooks/1',
        },
        lookup: guardedLookup(rules, target.protocol),
        agent: agent ?? false,
      },
      (res) => {
        const status = res.statusCode ?? 0;
        let read = 0;
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => {
          if (read < RESPONSE_BODY_CAP) chunks.push(chunk.subarray(0, RESPONSE_BODY_CAP - read));
          read += chunk.length;
          if (read >= RESPONSE_BODY_CAP) res.destroy(); // enough: the rest is never read
        });
        const done = () => {
          const ok = status >= 200 && status < 300;
          const text = Buffer.concat(chunks).toString('utf8').replace(/\s+/g, ' ').trim();
          finish({ ok, status, error: ok ? null : `HTTP ${status}${text ? `: ${text}` : ''}`.slice(0, 300) });
        };
        res.on('end', done);
        res.on('close', done);
        res.on('error', done);
      },
    );
    const deadline = setTimeout(() => {
      req.destroy();
      finish({ ok: false, status: null, error: `no answer within ${timeoutMs} ms` });
    }, timeoutMs);
    req.on('error', (err) =>
      finish({
        ok: false,
        status: null,
        error: err instanceof WebhookTargetError ? refusal(err) : (err.message || String(err)).slice(0, 300),
      }),
    );
    req.end(body);
  });
}
