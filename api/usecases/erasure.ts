import { type EntityManager, In } from 'typeorm';
import type { Database } from '../../db/database';
import { appendAudit, oneOffAuditKey } from '../../audit/log';
import { newId } from '../../db/ids';
import type { SecretBox } from '../../security/secrets';
import { AuditEntry } from '../../entities/AuditEntry';
import { Contact } from '../../entities/Contact';
import { IdempotencyKey } from '../../entities/IdempotencyKey';
import { Invite } from '../../entities/Invite';
import { Notification } from '../../entities/Notification';
import { DevInboxEmail } from '../../entities/DevInboxEmail';
import { Suppression } from '../../entities/Suppression';
import { WebhookEvent } from '../../entities/WebhookEvent';
import { normaliseEmail } from '../../recipients/email-address';
import { erasedAddress } from '../../recipients/suppressions';
import type { Caller } from '../auth';
import { NotFoundError } from '../errors';
import type { ErasureReport } from '../schemas';
import { redactEverywhere, rowsQuoting, textColumns } from './erasure-sweep';

/**
 * The right to erasure: a person's name and address leave every row of the account that
 * held them, and everything Herald will still send, in one transaction:
 * - contacts with the address are deleted;
 * - their invites keep their place in the campaign (counts, charges) but lose name, address
 *   and order reference, and are voided, so their links answer 410 and nothing more is sent;
 *   their `invite.completed` events lose the order too;
 * - notifications keep their outcome with `erasedAddress` as recipient; the dev outbox's
 *   copies of emails to or about them, and stored idempotent answers that quote them, are
 *   deleted (copies: nothing else needs them);
 * - a suppression keeps working as `erasedAddress` (recipients/suppressions.ts matches it);
 * - anywhere else the address stands in free text (pause reasons in the audit log and in
 *   webhook events, queued or delivered, order references, delivery errors, a campaign's
 *   texts), it is replaced by that reference (erasure-sweep.ts). Webhook events are rewritten,
 *   not dropped: receivers still learn of the pause or the completion, and a delivery or a
 *   retry after the commit reads the rewritten event (activities/webhooks.ts);
 * - an audit entry per campaign they were in (and one for the account) records the erasure
 *   with that same non-reversible reference, never the address.
 */
export class ErasureService {
  constructor(
    private readonly db: Database,
    private readonly secrets: SecretBox,
  ) {}

  async eraseContact(caller: Caller, contactId: string): Promise<ErasureReport> {
    const contact = await this.db.manager.findOneBy(Contact, { id: contactId, accountId: caller.accountId });
    if (!contact) throw new NotFoundError(`Contact ${contactId}`);
    return this.eraseAddress(caller, contact.email);
  }

  /**
   * Names go with the address they were given with (contacts, invites, emails to them); a
   * bare name elsewhere, on a link-only invite, cannot be told apart from a namesake's.
   */
  async eraseAddress(caller: Caller, rawEmail: string): Promise<ErasureReport> {
    const { accountId } = caller;
    const email = normaliseEmail(rawEmail);
    const reference = erasedAddress(this.secrets, accountId, email);

    return this.db.transaction(async (em) => {
      const contacts = await em.findBy(Contact, { accountId, email });
      if (contacts.length) await em.delete(Contact, { id: In(contacts.map((c) => c.id)) });

      const invites = await em.find(Invite, {
        where: { accountId, email },
        select: { id: true, campaignId: true, voidedAt: true },
      });
      const now = new Date();
      for (const i of invites)
        await em.update(
          Invite,
          { id: i.id },
          { email: null, name: null, phone: null, orderRef: null, voidedAt: i.voidedAt ?? now },
        );
      const orders = await this.forgetOrders(
        em,
        invites.map((i) => i.id),
      );

      const notifications = await em.findBy(Notification, { accountId, recipient: email });
      if (notifications.length)
        await em.update(Notification, { id: In(notifications.map((n) => n.id)) }, { recipient: reference });

      const outboxEmails = await this.deleteQuoting(em, DevInboxEmail, accountId, email);
      const idempotentAnswers = await this.deleteQuoting(em, IdempotencyKey, accountId, email);
      const suppressions = await this.eraseSuppression(em, accountId, email, reference);

      const redacted = await redactEverywhere(em, accountId, email, reference);
      const idsIn = (entity: object) =>
        [...redacted].flatMap(([meta, ids]) => (meta.target === entity ? ids : []));
      const webhookEvents = new Set([...orders, ...idsIn(WebhookEvent)]).size;
      const auditEntries = idsIn(AuditEntry).length;
      const freeText = [...redacted.values()].flat().length - auditEntries - idsIn(WebhookEvent).length;

      const erased = {
        contacts: contacts.length,
        invites: invites.length,
        notifications: notifications.length,
        outboxEmails,
        suppressions,
        idempotentAnswers,
        auditEntries,
        webhookEvents,
        freeText,
      };
      const erasureId = newId();
      const campaigns = [...new Set(invites.map((i) => i.campaignId))];
      for (const campaignId of [null, ...campaigns]) {
        await appendAudit(em, oneOffAuditKey('erasure', erasureId, campaignId ?? 'account'), {
          accountId,
          campaignId,
          at: now,
          actor: caller.keyId,
          action: 'recipient_erased',
          reason: 'a person was erased: their name and address are no longer kept',
          details: {
            reference,
            invites: campaignId ? invites.filter((i) => i.campaignId === campaignId).length : invites.length,
          },
        });
      }
      return { reference, erased };
    });
  }

  /**
   * The order reference was given for the person (at their link, or by the customer's
   * system for them): it goes with them from the `invite.completed` events of their invites,
   * delivered or still queued. The event stays (the completion happened), with `order: null`.
   */
  private async forgetOrders(em: EntityManager, inviteIds: string[]): Promise<string[]> {
    if (!inviteIds.length) return [];
    // recordEvents keys each event `type:key`; a completion's key is its invite's id.
    const events = await em.findBy(WebhookEvent, {
      dedupeKey: In(inviteIds.map((id) => `invite.completed:${id}`)),
    });
    for (const e of events) {
      const body = JSON.parse(e.payload) as { data: Record<string, unknown> };
      body.data.order = null;
      await em.update(WebhookEvent, { id: e.id }, { payload: JSON.stringify(body) });
    }
    return events.map((e) => e.id);
  }

  /** Copies that exist for no one else: a row with the address in any of its text goes whole. */
  private async deleteQuoting(
    em: EntityManager,
    entity: typeof DevInboxEmail | typeof IdempotencyKey,
    accountId: string,
    email: string,
  ): Promise<number> {
    const meta = em.connection.getMetadata(entity);
    const rows = await rowsQuoting<{ id: string }>(em, meta, textColumns(meta), accountId, email);
    if (rows.length) await em.delete(entity, { id: In(rows.map((r) => r.id)) });
    return rows.length;
  }

  /** The row keeps working under the reference; if one is there already, the clear row goes. */
  private async eraseSuppression(
    em: EntityManager,
    accountId: string,
    email: string,
    reference: string,
  ): Promise<number> {
    const clear = await em.findOneBy(Suppression, { accountId, email });
    if (!clear) return 0;
    if (await em.existsBy(Suppression, { accountId, email: reference }))
      await em.delete(Suppression, { id: clear.id });
    else await em.update(Suppression, { id: clear.id }, { email: reference });
    return 1;
  }
}
