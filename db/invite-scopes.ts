import { type FindOptionsWhere, IsNull } from 'typeorm';
import type { Invite } from '../entities/Invite';

/*
 * Which invites a query is about, named once. Here rather than in domain/ because a scope is
 * a TypeORM `where` fragment, and domain/ stays free of TypeORM (workflow code imports it).
 */

/**
 * The invites that count: not voided. A reset voids the old invite (its replacement counts in
 * its place) and an erasure voids its recipient's; both stay for the audit log only. Spread it
 * into a `where`: `{ campaignId, ...liveInvite }`.
 */
export const liveInvite = { voidedAt: IsNull() } satisfies FindOptionsWhere<Invite>;

/** `liveInvite` in a query builder's SQL, for the invite table under `alias`. */
export const liveInviteSql = (alias: string): string => `${alias}.voidedAt IS NULL`;
