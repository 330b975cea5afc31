import { type EntityManager, In, type ObjectLiteral, type EntityTarget } from 'typeorm';
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
import { normaliseEmail } from '../../recipients/email-address';
import { erasedAddress } from '../../recipients/suppressions';
import type { Caller } from '../auth';
import { NotFoundError } from '../errors';
import type { ErasureReport } from '../schemas';

/**
 * The right to erasure: a person's name and address leave every row of the account that
 * held them, in one transaction:
 * - contacts with the address are deleted;
 * - their invites keep their place in the campaign (counts, charges) but lose name, address
 *   and delivery error, and are voided, so their links answer 410 and nothing more is sent;
 * - notifications keep their outcome with `erasedAddress` as recipient; the dev outbox's
 *   copies of emails to or about them are deleted;
 * - a suppression keeps working as `erasedAddress` (recipients/suppressions.ts matches it);
 * - stored idempotent answers that quote them are dropped, and earlier audit entries that
 *   named them now carry the reference instead;
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
    const scrub = (text: string | null) => (text === null ? null : replaceAll(text, email, reference));

    return this.db.transaction(async (em) => {
      const contacts = await em.findBy(Contact, { accountId, email });
      if (contacts.length) await em.delete(Contact, { id: In(contacts.map((c) => c.id)) });

      const invites = await em.find(Invite, {
        where: { accountId, email },
        select: { id: true, campaignId: true, voidedAt: true, deliveryError: true },
      });
      const now = new Date();
      for (const i of invites) {
        await em.update(
          Invite,
          { id: i.id },
          {
            email: null,
            name: null,
            deliveryError: scrub(i.deliveryError),
            voidedAt: i.voidedAt ?? now,
          },
        );
      }

      const notifications = await em.findBy(Notification, { accountId, recipient: email });
      for (const n of notifications)
        await em.update(Notification, { id: n.id }, { recipient: reference, error: scrub(n.error) });

      const outbox = await em
        .createQueryBuilder(DevInboxEmail, 'o')
        .select('o.id', 'id')
        .where('o.accountId = :accountId', { accountId })
        .andWhere(
          `(o.toAddress = :email OR o.textBody LIKE :needle ESCAPE '!' OR o.html LIKE :needle ESCAPE '!')`,
          { email, needle: containing(email) },
        )
        .getRawMany<{ id: string }>();
      if (outbox.length) await em.delete(DevInboxEmail, { id: In(outbox.map((o) => o.id)) });

      const suppressions = await this.eraseSuppression(em, accountId, email, reference);

      const answers = await idsContaining(em, IdempotencyKey, 'responseBody', accountId, jsonText(email));
      if (answers.length) await em.delete(IdempotencyKey, { id: In(answers) });

      let auditEntries = 0;
      for (const id of [
        ...(await idsContaining(em, AuditEntry, 'details', accountId, jsonText(email))),
        ...(await idsContaining(em, AuditEntry, 'reason', accountId, email)),
      ]) {
        const e = await em.findOneByOrFail(AuditEntry, { id });
        await em.update(AuditEntry, { id }, { details: scrub(e.details), reason: scrub(e.reason) });
        auditEntries++;
      }

      const erased = {
        contacts: contacts.length,
        invites: invites.length,
        notifications: notifications.length,
        outboxEmails: outbox.length,
        suppressions,
        idempotentAnswers: answers.length,
        auditEntries,
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

/** `LIKE` pattern for "contains", with `!` as the escape character (the same on both dialects). */
const containing = (text: string) => `%${text.replace(/[!%_]/g, (c) => `!${c}`)}%`;

/** How the text appears inside stored JSON. */
const jsonText = (text: string) => JSON.stringify(text).slice(1, -1);

const replaceAll = (text: string, find: string, by: string) => text.split(find).join(by);

async function idsContaining<T extends ObjectLiteral>(
  em: EntityManager,
  entity: EntityTarget<T>,
  column: string,
  accountId: string,
  text: string,
): Promise<string[]> {
  const rows = await em
    .createQueryBuilder(entity, 'x')
    .select('x.id', 'id')
    .where('x.accountId = :accountId', { accountId })
    .andWhere(`x.${column} LIKE :needle ESCAPE '!'`, { needle: containing(text) })
    .getRawMany<{ id: string }>();
  return rows.map((r) => r.id);
}
