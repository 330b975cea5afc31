/**
 * The provider's side of a send: who it is from, the call itself (heartbeating, retried on a
 * 5xx, its refusals classified), and what the metrics count of it.
 */
import { Context, heartbeat } from '@temporalio/activity';
import type { Account } from '../../entities/Account';
import type { Campaign } from '../../entities/Campaign';
import {
  type EmailCredentials,
  EmailRateLimitedError,
  EmailTemporarilyUnavailableError,
  EmailTokenInvalidError,
  type MessageOutcome,
} from '../../email/port';
import { type EmailOutcome, emails, timeProviderCall } from '../../ops/metrics';
import { senderOf } from '../../sending/sender';
import type { Claimed, DeliveryDeps } from './types';

/**
 * How often an activity waiting on the provider says it is alive (Temporal throttles the
 * beats it forwards). The provider client may wait 60 s for an answer (email/postmark.ts);
 * beating meanwhile lets the activity's heartbeat timeout stay a few beats long, so a dead
 * worker is noticed in seconds, rather than grow to the slowest call.
 */
export const PROVIDER_HEARTBEAT_MS = 5_000;
/** Four beats within the activity's heartbeat timeout at least (HEARTBEAT_TIMEOUT_SECONDS may shorten it). */
const beatEvery = () =>
  Math.min(PROVIDER_HEARTBEAT_MS, (Context.current().info.heartbeatTimeoutMs || Infinity) / 4);

/**
 * The provider call, heartbeating until it answers — or until the activity is cancelled:
 * a worker shutting down cancels what is still running when its grace time is over
 * (temporal/worker.ts). The activity then stops waiting and fails with the cancellation,
 * exactly as if the connection had dropped: the claims stay pending, and the retry (on
 * another worker) settles them with the provider before sending anything again.
 */
export async function heartbeatWhile<T>(call: Promise<T>, everyMs = beatEvery()): Promise<T> {
  const beat = setInterval(() => heartbeat(), everyMs);
  try {
    return await Promise.race([call, Context.current().cancelled]);
  } finally {
    clearInterval(beat);
    call.catch(() => undefined); // abandoned after a cancellation: its late failure is nobody's
  }
}

/** `herald_emails_total` for a chunk: each item under its kind and the outcome given. */
export function count(items: Claimed[], outcomeOf: (k: number) => EmailOutcome): void {
  items.forEach(({ notification }, k) => emails.inc({ kind: notification.kind, outcome: outcomeOf(k) }));
}

/** How a provider call ended, for `herald_provider_request_duration_seconds`. */
function providerResult(err: unknown): string {
  if (err instanceof EmailTokenInvalidError) return 'token_invalid';
  if (err instanceof EmailRateLimitedError) return 'rate_limited';
  if (err instanceof EmailTemporarilyUnavailableError) return 'unavailable';
  return 'error';
}

/**
 * The exactly-once path every email takes: a notification row with a unique key is claimed
 * before the provider call and marked after it; a claim left pending by a crash between the
 * two is settled by asking the provider (outbound search by metadata) before anything is
 * sent again. Each activity that emails goes through here.


/** Who a campaign's email is from, and with whose token (sending/sender.ts); and the platform's own sender. */
export function senders(deps: Pick<DeliveryDeps, 'secrets' | 'platform'>) {
  async function senderFor(
    account: Account,
    campaign: Campaign | null,
  ): Promise<{ credentials: EmailCredentials; from: string; address: string }> {
    const { credentials, from, address } = senderOf(deps.secrets, deps.platform, account, campaign);
    return { credentials, from, address: address || deps.platform.from };
  }

  const platformSender = (): { credentials: EmailCredentials; from: string } => ({
    credentials: { serverToken: deps.platform.serverToken },
    from: `"Herald" <${deps.platform.from}>`,
  });
  return { senderFor, platformSender };
}

/** How a provider call ended, for the caller: answered per message, or refused as a whole. */
export type ProviderCall =
  { outcomes: MessageOutcome[] } | { tokenInvalid: true } | { rateLimitedForMs: number };

/**
 * One provider call for claimed messages, each carrying its claim's `sendBatch` (how a crash's
 * retry finds them). A 5xx is retried here after each of `retryDelaysMs`; if it persists, every
 * message is answered failed (nothing was accepted). A refused token or a rate limit is an
 * answer for the caller. Anything else (a timeout, a dropped connection) is ambiguous and is
 * thrown: the claims stay pending for the activity's retry to settle.
 */
export async function callProvider(
  email: DeliveryDeps['email'],
  credentials: EmailCredentials,
  items: Claimed[],
  retryDelaysMs: number[],
): Promise<ProviderCall> {
  for (let attempt = 0; ; attempt++) {
    try {
      const outcomes = await heartbeatWhile(
        timeProviderCall(
          () =>
            email.sendBatch(
              credentials,
              items.map(({ message, notification: n }) =>
                n.sendBatch
                  ? { ...message, metadata: { ...message.metadata, sendBatch: n.sendBatch } }
                  : message,
              ),
            ),
          providerResult,
        ),
      );
      return { outcomes };
    } catch (err) {
      if (err instanceof EmailTokenInvalidError) return { tokenInvalid: true };
      if (err instanceof EmailRateLimitedError) return { rateLimitedForMs: err.retryAfterMs };
      if (!(err instanceof EmailTemporarilyUnavailableError) || err.status === undefined) throw err;
      if (attempt < retryDelaysMs.length) {
        heartbeat();
        await new Promise((r) => setTimeout(r, retryDelaysMs[attempt]));
        continue;
      }
      const message = `provider unavailable (HTTP ${err.status}): ${err.message}`.slice(0, 300);
      return {
        outcomes: items.map(() => ({ ok: false, errorCode: err.status!, message, badAddress: false })),
      };
    }
  }
}
