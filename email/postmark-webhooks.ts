import type { SuppressionReason } from '../entities/Suppression';
import type { DeliveryEvent } from './port';

/** The fields of Postmark's webhook payloads that Herald reads (anything else is ignored). */
export interface PostmarkEvent {
  RecordType?: unknown;
  MessageID?: unknown;
  Type?: unknown;
  Description?: unknown;
  /** Delivery, Open, Click, SubscriptionChange: the address. */
  Recipient?: unknown;
  /** Bounce, SpamComplaint: the address. */
  Email?: unknown;
  /** SubscriptionChange: true when the address was suppressed, false when reactivated. */
  SuppressSending?: unknown;
  /** SubscriptionChange: HardBounce, SpamComplaint or ManualSuppression (an unsubscribe). */
  SuppressionReason?: unknown;
  /** Open, Click: who fetched the pixel or followed the link. */
  UserAgent?: unknown;
}

const SIMPLE: Record<string, 'delivered' | 'opened' | 'clicked' | 'spam_complaint'> = {
  Delivery: 'delivered',
  Open: 'opened',
  Click: 'clicked',
  SpamComplaint: 'spam_complaint',
};
/** Bounce types after which the address is not worth another try. */
const HARD_BOUNCE = /HardBounce|BadEmailAddress|ManuallyDeactivated|SpamNotification/;
const REASON_OF_CHANGE: Record<string, SuppressionReason> = {
  HardBounce: 'hard_bounce',
  SpamComplaint: 'spam_complaint',
};

const text = (v: unknown): string => (typeof v === 'string' ? v : '');

/**
 * A Postmark webhook payload in Herald's terms, or null for one Herald does not act on (another
 * record type, no MessageID or address, a SubscriptionChange that says neither way). Only
 * what Postmark says: whether Herald sent that message to that address is the caller's check.
 */
export function fromPostmarkWebhook(payload: PostmarkEvent): DeliveryEvent | null {
  const record = text(payload.RecordType);
  const messageId = text(payload.MessageID);
  const address = text(record === 'Bounce' || record === 'SpamComplaint' ? payload.Email : payload.Recipient);
  if (!messageId || !address) return null;
  const detail = (text(payload.Description) || text(payload.Type)).slice(0, 250);
  const about = { messageId, address, detail };
  if (record === 'Open' || record === 'Click')
    return { ...about, type: SIMPLE[record], userAgent: text(payload.UserAgent).slice(0, 500) || null };
  if (Object.hasOwn(SIMPLE, record)) return { ...about, type: SIMPLE[record] };
  if (record === 'Bounce')
    return { ...about, type: HARD_BOUNCE.test(text(payload.Type)) ? 'hard_bounce' : 'soft_bounce' };
  if (record === 'SubscriptionChange') {
    if (payload.SuppressSending === true)
      return {
        ...about,
        type: 'suppressed',
        reason: REASON_OF_CHANGE[text(payload.SuppressionReason)] ?? 'unsubscribed',
      };
    if (payload.SuppressSending === false) return { ...about, type: 'reactivated' };
  }
  return null;
}
