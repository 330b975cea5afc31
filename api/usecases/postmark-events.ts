import type { EntityManager } from 'typeorm';
import type { Database } from '../../db/database';
import { newId } from '../../db/ids';
import { addCount, moveJourney } from '../../db/analytics-counts';
import { type Audience, classifyTouch } from '../../domain/engagement';
import { JOURNEY, type Journey } from '../../domain/link';
import { Invite } from '../../entities/Invite';
import { Notification } from '../../entities/Notification';
import { Suppression, type SuppressionReason } from '../../entities/Suppression';
import type { DeliveryEvent } from '../../email/port';
import { normaliseEmail } from '../../recipients/email-address';
import { recordUnsubscribe } from '../../recipients/unsubscribe';
import { type WebhookEventType, recordEvents } from '../../webhooks/events';

const JOURNEY_OF: Partial<Record<DeliveryEvent['type'], Journey>> = {
  delivered: 'delivered',
  opened: 'opened',
  clicked: 'clicked',
};

/** The provider's events the customer's endpoints hear about (SPEC "Outgoing webhooks"). */
const CUSTOMER_EVENT: Partial<Record<DeliveryEvent['type'], WebhookEventType>> = {
  delivered: 'invite.delivered',
  opened: 'invite.opened',
  clicked: 'invite.clicked',
  hard_bounce: 'invite.bounced',
};

const sameAddress = (a: string, b: string) => normaliseEmail(a) === normaliseEmail(b);

/**
 * Delivery, bounce, spam complaint, open, click and subscription change, as the provider's
 * webhook module translated them (email/postmark-webhooks.ts). An event counts only when it
 * names a message Herald sent (the provider's message id we recorded) and the address we sent
 * it to: the payload's own Metadata is never trusted. Anything else is `{handled: false}`.
 */
export class PostmarkEventService {
  constructor(
    private readonly db: Database,
    /** After a commit that recorded events for the customer's endpoints (webhooks/nudges.ts). */
    private readonly nudge: () => void = () => undefined,
    /**
     * After a hard bounce or a spam complaint on a campaign's email is recorded: the campaign's
     * complaint and bounce guards (deliverability-guards.ts). A failure fails the webhook, so
     * Postmark sends it again.
     */
    private readonly afterComplaintOrBounce: (accountId: string, campaignId: string) => Promise<void> = () =>
      Promise.resolve(),
    /** PREFETCH_WINDOW_SECONDS: an open or click this soon after delivery, before any person, is a machine's. */
    private readonly prefetchWindowSeconds?: number,
  ) {}

  async handle(event: DeliveryEvent): Promise<{ handled: boolean }> {
    const sent = await this.messageOf(event);
    if (!sent) return { handled: false };
    const { accountId, inviteId, recipient, campaignId } = sent;
    const address = normaliseEmail(recipient);
    const { detail } = event;

    await this.db.transaction(async (em) => {
      const journey = JOURNEY_OF[event.type];
      // An open or a click a machine made (domain/engagement.ts) is counted apart and moves nothing.
      const audience =
        inviteId && (event.type === 'opened' || event.type === 'clicked')
          ? await audienceOf(em, accountId, inviteId, event, this.prefetchWindowSeconds)
          : 'people';
      if (audience === 'machines') {
        if (campaignId)
          await addCount(
            em,
            { accountId, campaignId },
            event.type === 'opened' ? 'machine_opened' : 'machine_clicked',
            new Date(),
          );
        return;
      }
      if (journey && inviteId) await moveJourney(em, { id: inviteId, accountId }, journey, new Date());

      if (event.type === 'soft_bounce' && inviteId) {
        await em.update(Invite, { id: inviteId, accountId }, { deliveryError: `soft bounce: ${detail}` });
      }
      if (event.type === 'hard_bounce' || event.type === 'spam_complaint') {
        const hardBounce = event.type === 'hard_bounce';
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
      // An unsubscribe the provider took (its own link, a mail client's): as Herald's own one-click.
      if (event.type === 'suppressed' && event.reason === 'unsubscribed')
        await recordUnsubscribe(em, { accountId, campaignId, inviteId, email: address, source: 'provider' });
      else if (event.type === 'suppressed') await suppress(em, accountId, address, event.reason);
      if (event.type === 'reactivated')
        await em.delete(Suppression, { accountId, email: address, reason: 'unsubscribed' });
      const type = CUSTOMER_EVENT[event.type];
      // An invite's email only (owner mail is not the customer's business); once per message.
      if (type && inviteId && (sent.kind === 'invitation' || sent.kind === 'resend'))
        await recordEvents(em, [
          {
            accountId,
            campaignId,
            type,
            key: `${sent.id}`,
            data: {
              inviteId,
              campaignId,
              notificationId: sent.id,
              ...(type === 'invite.bounced' ? { detail } : {}),
            },
          },
        ]);
    });
    this.nudge();
    if ((event.type === 'hard_bounce' || event.type === 'spam_complaint') && inviteId && campaignId)
      await this.afterComplaintOrBounce(accountId, campaignId);
    return { handled: true };
  }

  /** The notification Herald recorded under this message id, if it went to this event's address. */
  private async messageOf(event: DeliveryEvent): Promise<Notification | null> {
    const sent = await this.db.manager.findOneBy(Notification, { providerMessageId: event.messageId });
    return sent && sameAddress(sent.recipient, event.address) ? sent : null;
  }
}

/**
 * Whether a person or a machine opened or clicked (domain/engagement.ts): by the User-Agent
 * the provider reports, and by how soon after delivery it came when no person was seen yet.
 */
async function audienceOf(
  em: EntityManager,
  accountId: string,
  inviteId: string,
  event: DeliveryEvent,
  prefetchWindowSeconds?: number,
): Promise<Audience> {
  const invite = await em.findOne(Invite, {
    where: { id: inviteId, accountId },
    select: { id: true, journey: true, journeyAt: true },
  });
  const stage = invite ? JOURNEY.indexOf(invite.journey) : 0;
  const delivered = JOURNEY.indexOf('delivered');
  const since =
    invite?.journeyAt && stage >= JOURNEY.indexOf('sent') && stage <= delivered
      ? (Date.now() - invite.journeyAt.getTime()) / 1000
      : null;
  return classifyTouch({
    kind: event.type === 'opened' ? 'open' : 'click',
    userAgent: event.userAgent,
    secondsSinceDelivery: since,
    humanSeen: stage > delivered,
    prefetchWindowSeconds,
  }).audience;
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
