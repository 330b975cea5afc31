import type { EntityManager } from 'typeorm';
import { In } from 'typeorm';
import type { Database } from '../../db/database';
import { newId } from '../../db/ids';
import { JOURNEY, type Journey } from '../../domain/link';
import { Invite } from '../../entities/Invite';
import { Notification } from '../../entities/Notification';
import { Suppression, type SuppressionReason } from '../../entities/Suppression';

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
}

const JOURNEY_OF: Record<string, Journey> = { Delivery: 'delivered', Open: 'opened', Click: 'clicked' };
const HANDLED = new Set(['Delivery', 'Open', 'Click', 'Bounce', 'SpamComplaint', 'SubscriptionChange']);
const HARD_BOUNCE = /HardBounce|BadEmailAddress|ManuallyDeactivated|SpamNotification/;
const REASON_OF_CHANGE: Record<string, SuppressionReason> = {
  HardBounce: 'hard_bounce',
  SpamComplaint: 'spam_complaint',
};

const text = (v: unknown): string => (typeof v === 'string' ? v : '');
const sameAddress = (a: string, b: string) => a.trim().toLowerCase() === b.trim().toLowerCase();

/**
 * Delivery, bounce, spam complaint, open, click and subscription change. An event counts only
 * when it names a message Herald sent (the provider's MessageID we recorded) and the address
 * we sent it to: the payload's own Metadata is never trusted. Anything else is answered
 * `{handled: false}` with a 200, so Postmark does not retry it.
 */
export class WebhookService {
  constructor(private readonly db: Database) {}

  async handlePostmark(event: PostmarkEvent): Promise<{ handled: boolean }> {
    const type = text(event.RecordType);
    if (!HANDLED.has(type)) return { handled: false };
    const sent = await this.messageOf(event, type);
    if (!sent) return { handled: false };
    if (type === 'SubscriptionChange' && typeof event.SuppressSending !== 'boolean')
      return { handled: false };
    const { accountId, inviteId, recipient } = sent;
    const address = recipient.trim().toLowerCase();
    const detail = (text(event.Description) || text(event.Type)).slice(0, 250);

    await this.db.transaction(async (em) => {
      const journey = JOURNEY_OF[type];
      if (journey && inviteId) await advanceJourney(em, accountId, inviteId, journey);

      const hardBounce = type === 'Bounce' && HARD_BOUNCE.test(text(event.Type));
      if (type === 'Bounce' && !hardBounce && inviteId) {
        await em.update(Invite, { id: inviteId, accountId }, { deliveryError: `soft bounce: ${detail}` });
      }
      if (hardBounce || type === 'SpamComplaint') {
        await suppress(em, accountId, address, hardBounce ? 'hard_bounce' : 'spam_complaint');
        if (inviteId)
          await em.update(
            Invite,
            { id: inviteId, accountId },
            hardBounce
              ? { deliveryStatus: 'bounced', deliveryError: `hard bounce: ${detail}` }
              : { deliveryStatus: 'complained', deliveryError: 'spam complaint' },
          );
      }
      if (type === 'SubscriptionChange') {
        if (event.SuppressSending === true)
          await suppress(
            em,
            accountId,
            address,
            REASON_OF_CHANGE[text(event.SuppressionReason)] ?? 'unsubscribed',
          );
        else await em.delete(Suppression, { accountId, email: address, reason: 'unsubscribed' });
      }
    });
    return { handled: true };
  }

  /** The notification Herald recorded under this MessageID, if it went to this event's address. */
  private async messageOf(event: PostmarkEvent, type: string): Promise<Notification | null> {
    const messageId = text(event.MessageID);
    const address = text(type === 'Bounce' || type === 'SpamComplaint' ? event.Email : event.Recipient);
    if (!messageId || !address) return null;
    const sent = await this.db.manager.findOneBy(Notification, { providerMessageId: messageId });
    return sent && sameAddress(sent.recipient, address) ? sent : null;
  }
}

/** One conditional UPDATE: it moves only from an earlier stage, so concurrent events never move it back. */
async function advanceJourney(em: EntityManager, accountId: string, inviteId: string, to: Journey) {
  const earlier = JOURNEY.slice(0, JOURNEY.indexOf(to));
  await em.update(
    Invite,
    { id: inviteId, accountId, journey: In(earlier) },
    { journey: to, journeyAt: new Date() },
  );
}

/**
 * Inserts unless present (no read-then-write race between two webhooks). A bounce or a
 * complaint outranks an unsubscribe, so a later reactivation cannot lift it.
 */
async function suppress(em: EntityManager, accountId: string, email: string, reason: SuppressionReason) {
  await em
    .createQueryBuilder()
    .insert()
    .into(Suppression)
    .values({ id: newId(), accountId, email, reason, createdAt: new Date() })
    .orIgnore()
    .execute();
  if (reason !== 'unsubscribed')
    await em.update(Suppression, { accountId, email, reason: 'unsubscribed' }, { reason });
}
