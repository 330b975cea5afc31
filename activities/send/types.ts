import type { Database } from '../../db/database';
import type { Progress, Waiting } from '../../domain/campaign';
import type { EmailMessage, EmailPort } from '../../email/port';
import type { Invite } from '../../entities/Invite';
import type { Notification } from '../../entities/Notification';
import type { SecretBox } from '../../security/secrets';

export interface DeliveryDeps {
  db: Database;
  email: EmailPort;
  secrets: SecretBox;
  /** The platform's own sender: owner alerts and summaries, and accounts without a token. */
  platform: { serverToken: string; from: string };
  publicBaseUrl: string;
  /** Waits between in-activity retries of a 429/5xx answer; after the last, the batch counts as failed. */
  providerRetryDelaysMs?: number[];
  /** A claim the provider does not know yet may still be in flight there: wait this long before resending it. */
  settleAfterMs?: number;
}

/** One email to send exactly once: its notification row and its message. */
export interface Claimed {
  notification: Notification;
  message: EmailMessage;
  invite?: Invite;
}

/** A claimed email to one recipient, for their invite. */
export type InviteClaim = Claimed & { invite: Invite };

/**
 * What one send step did — an invitation chunk, a reminder chunk, a resend, a chunk of a
 * calendar update or cancellation pass: the one answer every kind of send gives
 * (send/pipeline.ts), and the one the workflow reads.
 */
export interface SendOutcome {
  /** Claimed and handed to the provider (a rate-limited call released its claims: none). */
  attempted: number;
  sent: number;
  /** Refused for reasons other than the address: these count towards the failure-rate pause. */
  failed: number;
  /** Refused for the address itself (the provider's rule). */
  badAddresses: number;
  /** Set apart without an email: the account may not email the address (recipients/suppressions.ts). */
  suppressed: number;
  /**
   * Nothing more of this send goes before then: the account's sending limit or the provider's
   * (`sending_limit`), or every recipient's send window is closed (`send_window`). The same
   * hold is the campaign's row (`waitingReason/Since/Until`), for the API and the deadlines.
   */
  held: Waiting | null;
  /** The provider refused the account's token: nothing went, the claims wait, the campaign pauses. */
  tokenInvalid: boolean;
  /**
   * What is left: for the invitations, how many can still be sent, counted up to a chunk; for
   * a pass through the invited (calendar updates and cancellations), 0 once it is through.
   */
  remaining: number;
  /** A pass: the last invite it is through (ids are time-ordered); the next chunk starts after it. */
  cursor: string | null;
  /**
   * The campaign's counters after the step (db/progress.ts), so the workflow needs no second
   * activity per chunk; absent when the last count is recent for what a count costs.
   */
  progress?: Progress;
}
