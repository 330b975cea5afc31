import type { EntityManager } from 'typeorm';
import type { Database } from '../../db/database';
import { lockCampaign } from '../../db/locks';
import { Campaign } from '../../entities/Campaign';
import { Invite } from '../../entities/Invite';
import type { Caller } from '../auth';
import { NotFoundError } from '../errors';

/** The caller's campaign: another account's is indistinguishable from one that does not exist. */
export async function ownedCampaign(db: Database, caller: Caller, id: string): Promise<Campaign> {
  const campaign = await db.manager.findOneBy(Campaign, { id, accountId: caller.accountId });
  if (!campaign) throw new NotFoundError(`Campaign ${id}`);
  return campaign;
}

/** The caller's invite, by the same rule. */
export async function ownedInvite(db: Database, caller: Caller, id: string): Promise<Invite> {
  const invite = await db.manager.findOneBy(Invite, { id, accountId: caller.accountId });
  if (!invite) throw new NotFoundError(`Invite ${id}`);
  return invite;
}

/** The caller's campaign, locked for the rest of this transaction (db/locks.ts). */
export async function lockOwnedCampaign(em: EntityManager, caller: Caller, id: string): Promise<Campaign> {
  const campaign = await lockCampaign(em, id, caller.accountId);
  if (!campaign) throw new NotFoundError(`Campaign ${id}`);
  return campaign;
}
