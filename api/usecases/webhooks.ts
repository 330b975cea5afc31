import type { Database } from '../../db/database';
import { newId } from '../../db/ids';
import { furthest, type Journey } from '../../domain/link';
import { Invite } from '../../entities/Invite';
import { Notification } from '../../entities/Notification';
import { Suppression } from '../../entities/Suppression';

/** The fields of Postmark's webhook payloads that Herald reads. */
export interface PostmarkEvent {
  RecordType?: string;
  MessageID?: string;
  Metadata?: Record<string, string>;
  Type?: string;
  Description?: string;
  Recipient?: string;
  Email?: string;
}

const JOURNEY_OF: Record<string, Journey> = { Delivery: 'delivered', Open: 'opened', Click: 'clicked' };

/**
 * Delivery, bounce, spam complaint, open and click: they move the recipient's journey
 * forward; a hard bounce or a complaint suppresses the address for the account.
 */
export class WebhookService {
  constructor(private readonly db: Database) {}

  async handlePostmark(event: PostmarkEvent): Promise<{ handled: boolean }> {
    const invite = await this.inviteOf(event);
    if (!invite) return { handled: false };
    const type = event.RecordType ?? '';
    await this.db.transaction(async (em) => {
      const journey = JOURNEY_OF[type];
      if (journey && furthest(invite.journey, journey) !== invite.journey) {
        await em.update(Invite, { id: invite.id }, { journey, journeyAt: new Date() });
      }
      const hardBounce =
        type === 'Bounce' &&
        /HardBounce|BadEmailAddress|ManuallyDeactivated|SpamNotification/.test(event.Type ?? '');
      if (type === 'Bounce' && !hardBounce) {
        await em.update(
          Invite,
          { id: invite.id },
          { deliveryError: `soft bounce: ${event.Description ?? event.Type ?? ''}`.slice(0, 300) },
        );
      }
      if (hardBounce || type === 'SpamComplaint') {
        const address = (event.Email ?? event.Recipient ?? invite.email ?? '').toLowerCase();
        const reason = type === 'SpamComplaint' ? 'spam_complaint' : 'hard_bounce';
        if (address && !(await em.existsBy(Suppression, { accountId: invite.accountId, email: address }))) {
          await em.insert(Suppression, {
            id: newId(),
            accountId: invite.accountId,
            email: address,
            reason,
            createdAt: new Date(),
          });
        }
        await em.update(
          Invite,
          { id: invite.id },
          {
            deliveryStatus: type === 'SpamComplaint' ? 'complained' : 'bounced',
            deliveryError: (type === 'SpamComplaint'
              ? 'spam complaint'
              : `hard bounce: ${event.Description ?? event.Type}`
            ).slice(0, 300),
          },
        );
      }
    });
    return { handled: true };
  }

  /** By our metadata when present, else by the provider's message id we recorded. */
  private async inviteOf(event: PostmarkEvent): Promise<Invite | null> {
    const inviteId = event.Metadata?.inviteId;
    if (inviteId) return this.db.manager.findOneBy(Invite, { id: inviteId });
    if (!event.MessageID) return null;
    const n = await this.db.manager.findOneBy(Notification, { providerMessageId: event.MessageID });
    return n?.inviteId ? this.db.manager.findOneBy(Invite, { id: n.inviteId }) : null;
  }
}
