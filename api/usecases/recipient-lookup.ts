import type { Database } from '../../db/database';
import { Campaign } from '../../entities/Campaign';
import { Contact } from '../../entities/Contact';
import { Invite } from '../../entities/Invite';
import { Suppression } from '../../entities/Suppression';
import type { Caller } from '../auth';
import type { RecipientLookup } from '../schemas';

/**
 * Where one person's address stands in the account, before an erasure or to answer them: the
 * same rows erasure.ts clears (contacts, invites, the suppression list), matched the same way,
 * exactly on the stored (normalised) address. The address is never logged: it arrives in the
 * query string, which the request log leaves out (api/request-log.ts logs the route pattern).
 */
export class RecipientLookupService {
  constructor(private readonly db: Database) {}

  async find(caller: Caller, email: string): Promise<RecipientLookup> {
    const { accountId } = caller;
    const contacts = await this.db.manager.find(Contact, {
      where: { accountId, email },
      order: { id: 'ASC' },
    });
    const perCampaign: { campaignId: string; invites: string | number }[] = await this.db.manager
      .createQueryBuilder(Invite, 'i')
      .select('i.campaignId', 'campaignId')
      .addSelect('COUNT(*)', 'invites')
      .where('i.accountId = :accountId AND i.email = :email', { accountId, email })
      .groupBy('i.campaignId')
      .orderBy('i.campaignId', 'DESC')
      .getRawMany();
    const names = new Map(
      (perCampaign.length
        ? await this.db.manager.find(Campaign, {
            where: perCampaign.map((c) => ({ id: c.campaignId, accountId })),
            select: { id: true, name: true },
          })
        : []
      ).map((c) => [c.id, c.name]),
    );
    const suppression = await this.db.manager.findOneBy(Suppression, { accountId, email });
    return {
      email,
      contacts: contacts.map((c) => ({ id: c.id, name: c.name, createdAt: c.createdAt.toISOString() })),
      campaigns: perCampaign.map((c) => ({
        campaignId: c.campaignId,
        campaignName: names.get(c.campaignId) ?? '',
        invites: Number(c.invites),
      })),
      suppression: suppression
        ? { reason: suppression.reason, createdAt: suppression.createdAt.toISOString() }
        : null,
    };
  }
}
