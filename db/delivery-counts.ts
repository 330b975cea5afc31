import { type EntityManager, In } from 'typeorm';
import type { DeliveryCounts } from '../domain/deliverability-guards';
import { type DeliveryStatus, Invite } from '../entities/Invite';

/** What a sent invite's delivery status may be once the provider reports on it. */
const SENT: readonly DeliveryStatus[] = ['sent', 'bounced', 'complained'];

/**
 * A campaign's sent, delivered, complained and hard-bounced invites, for its complaint and
 * bounce guards (domain/deliverability-guards.ts): one grouped query that reads only the index
 * on (campaignId, deliveryStatus). Per invite, whatever it was sent (invitation, reminder,
 * resend): a person complains or bounces once. Voided invites count: they were emailed.
 * Delivered is "sent and not hard-bounced", so it needs no Delivery webhook.
 */
export async function deliveryCountsOf(em: EntityManager, campaignId: string): Promise<DeliveryCounts> {
  const rows: { status: DeliveryStatus; n: string | number }[] = await em
    .createQueryBuilder(Invite, 'i')
    .select('i.deliveryStatus', 'status')
    .addSelect('COUNT(*)', 'n')
    .where({ campaignId, deliveryStatus: In([...SENT]) })
    .groupBy('i.deliveryStatus')
    .getRawMany();
  const count = (status: DeliveryStatus) => Number(rows.find((r) => r.status === status)?.n ?? 0);
  const sent = count('sent') + count('bounced') + count('complained');
  return {
    sent,
    delivered: sent - count('bounced'),
    complaints: count('complained'),
    hardBounces: count('bounced'),
  };
}
