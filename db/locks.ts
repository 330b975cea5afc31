import type { EntityManager, ObjectLiteral, SelectQueryBuilder } from 'typeorm';
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
  return forUpdate(
    em
      .createQueryBuilder(Campaign, 'c')
      .where('c.id = :campaignId AND c.accountId = :accountId', { campaignId, accountId }),
  ).getOne();
}

export async function lockAccount(em: EntityManager, accountId: string): Promise<void> {
  if (!isMysql(em)) return; // nothing to lock, so not even a read
  await forUpdate(em.createQueryBuilder(Account, 'a').where('a.id = :accountId', { accountId })).getOne();
}

/**
 * The query as a locking read on MySQL. Besides locking, it reads the latest committed rows:
 * a plain SELECT in a REPEATABLE READ transaction reads the snapshot taken at the
 * transaction's first read, which may predate a lock the transaction waited for since.
 */
export function forUpdate<Q extends SelectQueryBuilder<ObjectLiteral>>(query: Q): Q {
  if (isMysql(query)) query.setLock('pessimistic_write');
  return query;
}

const isMysql = (on: { connection: EntityManager['connection'] }): boolean =>
  on.connection.options.type === 'mysql';
