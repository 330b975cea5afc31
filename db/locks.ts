import type { EntityManager } from 'typeorm';
import { Account } from '../entities/Account';
import { Campaign } from '../entities/Campaign';

/*
 * Row locks held until the caller's transaction ends. Only MySQL has them (SELECT … FOR
 * UPDATE); SQLite has none and needs none, its write transactions run one at a time
 * (db/database.ts). Where both are taken, the campaign is locked before its account (the
 * ledger's UPDATE takes the account's), so two transactions never wait on each other.
 */

export function lockCampaign(
  em: EntityManager,
  campaignId: string,
  accountId: string,
): Promise<Campaign | null> {
  const query = em
    .createQueryBuilder(Campaign, 'c')
    .where('c.id = :campaignId AND c.accountId = :accountId', { campaignId, accountId });
  if (isMysql(em)) query.setLock('pessimistic_write');
  return query.getOne();
}

export async function lockAccount(em: EntityManager, accountId: string): Promise<void> {
  if (!isMysql(em)) return;
  await em
    .createQueryBuilder(Account, 'a')
    .setLock('pessimistic_write')
    .where('a.id = :accountId', { accountId })
    .getOne();
}

const isMysql = (em: EntityManager): boolean => em.connection.options.type === 'mysql';
