/**
 * The complaint and bounce guards (docs/delivery.md "Complaint and bounce guards"): whether a
 * campaign's spam complaints or hard bounces are over what its account allows, so it pauses
 * itself before the mailbox providers act on the sender's reputation. Pure: the API's Postmark
 * webhook use case asks it after each complaint or hard bounce, and the tests ask it directly.
 */

/** The thresholds, part of the account's sending policy (GET/PUT /v1/account/sending-policy). */
export interface DeliverabilityGuards {
  /** Pause when spam complaints are more than this share of what was delivered (0.001 = 0.1 %). */
  complaintRate: number;
  /** …but only once at least this many emails were delivered: one complaint in ten is noise. */
  complaintMinDelivered: number;
  /** Pause when hard bounces are more than this share of what was sent (0.05 = 5 %). */
  bounceRate: number;
  /** …but only once at least this many were sent. */
  bounceMinSent: number;
}

/**
 * Gmail and Yahoo ask bulk senders to stay under 0.3 % complaints (and to aim for 0.1 %);
 * Postmark reviews servers well before that. A bounce rate over 5 % means a stale or bought list.
 */
export const DEFAULT_GUARDS: DeliverabilityGuards = Object.freeze({
  complaintRate: 0.001,
  complaintMinDelivered: 1000,
  bounceRate: 0.05,
  bounceMinSent: 100,
});

/** A minimum sample's upper bound: larger than any campaign, so it is a typo, not a wish. */
export const MAX_GUARD_SAMPLE = 100_000_000;

/** A campaign's emails as the provider reported them, one per invite (db/delivery-counts.ts). */
export interface DeliveryCounts {
  /** Accepted by the provider (bounced and complained ones included). */
  sent: number;
  /** Sent and not hard-bounced. */
  delivered: number;
  complaints: number;
  hardBounces: number;
}

export type GuardReason = 'complaint_rate' | 'bounce_rate';
export interface GuardTrip {
  reason: GuardReason;
  /** For the owner, the audit log and the Temporal UI: the counts and the threshold. */
  detail: string;
}

/** A share as a percentage in words, without float noise: 0.07 → `7%`, 0.001 → `0.1%`. */
export const percent = (share: number): string => `${Number((share * 100).toFixed(4))}%`;

/**
 * The one rule: over the threshold means strictly more than it (exactly at the threshold is
 * allowed), and only once the minimum sample is reached; nothing delivered or sent is never
 * over. Complaints are looked at first: they hurt the sender most.
 */
export function guardTripped(counts: DeliveryCounts, guards: DeliverabilityGuards): GuardTrip | null {
  const { delivered, complaints, sent, hardBounces } = counts;
  if (
    delivered > 0 &&
    delivered >= guards.complaintMinDelivered &&
    complaints / delivered > guards.complaintRate
  )
    return {
      reason: 'complaint_rate',
      detail: `${complaints} spam complaints of ${delivered} emails delivered (${percent(complaints / delivered)}, more than the ${percent(guards.complaintRate)} the sending policy allows)`,
    };
  if (sent > 0 && sent >= guards.bounceMinSent && hardBounces / sent > guards.bounceRate)
    return {
      reason: 'bounce_rate',
      detail: `${hardBounces} hard bounces of ${sent} emails sent (${percent(hardBounces / sent)}, more than the ${percent(guards.bounceRate)} the sending policy allows)`,
    };
  return null;
}

/** The account's stored guards over the defaults (null, or a field missing: its default). */
export function guardsOr(stored: Partial<DeliverabilityGuards> | null | undefined): DeliverabilityGuards {
  return {
    complaintRate: stored?.complaintRate ?? DEFAULT_GUARDS.complaintRate,
    complaintMinDelivered: stored?.complaintMinDelivered ?? DEFAULT_GUARDS.complaintMinDelivered,
    bounceRate: stored?.bounceRate ?? DEFAULT_GUARDS.bounceRate,
    bounceMinSent: stored?.bounceMinSent ?? DEFAULT_GUARDS.bounceMinSent,
  };
}
