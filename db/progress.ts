import { type EntityManager, In } from 'typeorm';
import { emptyProgress, type Progress } from '../domain/campaign';
import { type DeliveryStatus, Invite } from '../entities/Invite';
import { liveInviteSql } from './invite-scopes';

/**
 * The one definition of a campaign's progress counters. The API's campaign view, the owner's
 * summary email and the workflow's `status` query (through an activity) all read it here.
 *
 * Over the invites that are not voided (a reset's old invite counts only as `voided`):
 * - `failed`: the invitation will not reach them — refused by the provider (bad address or
 *   otherwise), bounced, or never sent because the address is suppressed;
 * - `sent`: emailed and not failed (a later bounce moves it to failed);
 * - `pending`: neither (not emailed yet, held, or link-only) — so total = pending + sent + failed;
 * - `used` and `expired` (unused past its own expiry) cut across those three.
 */
export const FAILED_DELIVERY: readonly DeliveryStatus[] = ['failed', 'bounced', 'suppressed'];

const FAILED_SQL = `i.deliveryStatus IN (${FAILED_DELIVERY.map((s) => `'${s}'`).join(', ')})`;
const LIVE = liveInviteSql('i');
const COUNTERS: Record<keyof Progress, string> = {
  total: LIVE,
  pending: `${LIVE} AND i.sentAt IS NULL AND (i.deliveryStatus IS NULL OR NOT ${FAILED_SQL})`,
  sent: `${LIVE} AND i.sentAt IS NOT NULL AND (i.deliveryStatus IS NULL OR NOT ${FAILED_SQL})`,
  failed: `${LIVE} AND ${FAILED_SQL}`,
  used: `${LIVE} AND i.status = 'used'`,
  expired: `${LIVE} AND i.status = 'unused' AND i.expiresAt <= :now`,
  voided: 'i.voidedAt IS NOT NULL',
};

/** Counters per campaign, in one grouped query for a whole page; campaigns without invites are absent. */
export async function progressOf(
  em: EntityManager,
  campaignIds: string[],
  now = new Date(),
): Promise<Map<string, Progress>> {
  const result = new Map<string, Progress>();
  if (!campaignIds.length) return result;
  const query = em
    .createQueryBuilder(Invite, 'i')
    .select('i.campaignId', 'campaignId')
    .where({ campaignId: In(campaignIds) })
    .setParameter('now', now)
    .groupBy('i.campaignId');
  for (const [name, predicate] of Object.entries(COUNTERS))
    query.addSelect(`SUM(CASE WHEN ${predicate} THEN 1 ELSE 0 END)`, name);
  const rows: Record<string, string | number | null>[] = await query.getRawMany();
  for (const r of rows) {
    const n = (k: keyof Progress) => Number(r[k] ?? 0);
    result.set(String(r.campaignId), {
      total: n('total'),
      pending: n('pending'),
      sent: n('sent'),
      failed: n('failed'),
      used: n('used'),
      expired: n('expired'),
      voided: n('voided'),
    });
  }
  return result;
}

/** One campaign's counters (all zero before it has invites). */
export async function progressOfCampaign(em: EntityManager, campaignId: string): Promise<Progress> {
  return (await progressOf(em, [campaignId])).get(campaignId) ?? emptyProgress();
}

/** A count may take this share of the time between two counts, at most. */
const COUNT_SHARE = 0.1;

/**
 * The counters, read again only when the last reading is old for what it cost: counting
 * reads every invite of the campaign, and sending asks after every chunk. At 1/COUNT_SHARE
 * times its own duration apart, counting takes at most a tenth of the time; a small campaign's
 * count (milliseconds) still happens after every chunk. Undefined when skipped; `now` reads
 * them regardless. One per process: readings are per campaign.
 */
export function sampledProgress(db: { manager: EntityManager }, clock: () => number = Date.now) {
  const last = new Map<string, { at: number; tookMs: number }>();
  return async (campaignId: string, opts: { now?: boolean } = {}): Promise<Progress | undefined> => {
    const before = last.get(campaignId);
    const started = clock();
    if (!opts.now && before && started - before.at < before.tookMs / COUNT_SHARE) return undefined;
    const progress = await progressOfCampaign(db.manager, campaignId);
    const ended = clock();
    // After the last word (its sending is over, or starts again later), the next reading counts.
    if (opts.now) last.delete(campaignId);
    else last.set(campaignId, { at: ended, tookMs: ended - started });
    return progress;
  };
}
