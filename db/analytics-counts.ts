import type { EntityManager } from 'typeorm';
import { JOURNEY, type Journey } from '../domain/link';
import { Invite } from '../entities/Invite';

/**
 * The one writer of the analytics counters (entities/AnalyticsCount.ts). Every count is added
 * in the transaction of the change it counts, by one atomic upsert (`n = n + k`), so
 * concurrent events never lose one and a rolled-back change counts nothing.
 */

export const HOUR_MS = 3_600_000;
export const hourOf = (at: Date): Date => new Date(Math.floor(at.getTime() / HOUR_MS) * HOUR_MS);

/** The stages people reach, counted once per invite (the funnel's rows). */
export const FUNNEL_STAGES = JOURNEY.slice(1) as Exclude<Journey, 'created'>[];
export type MachineMetric = 'machine_opened' | 'machine_clicked' | 'machine_viewed';

/** Completion times are counted in buckets 5% wide: the median is read to within that. */
const BUCKET_GROWTH = 1.05;
export const completionBucket = (seconds: number): number =>
  Math.floor(Math.log(Math.max(0, seconds) + 1) / Math.log(BUCKET_GROWTH));
/** The middle of a bucket, in seconds. */
export const bucketSeconds = (bucket: number): number =>
  Math.round((BUCKET_GROWTH ** bucket + BUCKET_GROWTH ** (bucket + 1)) / 2 - 1);
export const COMPLETED_IN = 'completed_in:';

/** DATETIME(3) in UTC as both dialects store it. */
const sqlInstant = (d: Date) => d.toISOString().replace('T', ' ').replace('Z', '');

export async function addCount(
  em: EntityManager,
  at: { accountId: string; campaignId: string },
  metric: string,
  when: Date,
  n = 1,
): Promise<void> {
  if (n <= 0) return;
  const mysql = em.connection.options.type === 'mysql';
  const values = [at.campaignId, metric, sqlInstant(hourOf(when)), at.accountId, n];
  await em.query(
    mysql
      ? 'INSERT INTO analytics_counts (campaignId, metric, hour, accountId, n) VALUES (?, ?, ?, ?, ?) ON DUPLICATE KEY UPDATE n = n + VALUES(n)'
      : 'INSERT INTO analytics_counts (campaignId, metric, hour, accountId, n) VALUES (?, ?, ?, ?, ?) ON CONFLICT (campaignId, metric, hour) DO UPDATE SET n = n + excluded.n',
    values,
  );
}

/** Counts an invite's move from one stage to a later one: it reached every stage in between. */
export async function countReached(
  em: EntityManager,
  at: { accountId: string; campaignId: string },
  from: Journey,
  to: Journey,
  when: Date,
  n = 1,
): Promise<void> {
  for (const stage of JOURNEY.slice(JOURNEY.indexOf(from) + 1, JOURNEY.indexOf(to) + 1))
    await addCount(em, at, stage, when, n);
}

export interface JourneyMove {
  from: Journey;
  invite: Invite;
}

/**
 * Moves one invite's journey forward to `to` (never back), with `set` and only while `where`
 * holds, and counts the stages it reached. The row is read under its lock (MySQL; SQLite's
 * writers take turns), so of two concurrent moves each counts only what it moved. Null when
 * nothing moved.
 */
export async function moveJourney(
  em: EntityManager,
  ids: { id: string; accountId?: string },
  to: Journey,
  when: Date,
  opts: { set?: Partial<Invite>; where?: Partial<Pick<Invite, 'status'>> } = {},
): Promise<JourneyMove | null> {
  const query = em
    .createQueryBuilder(Invite, 'i')
    .where('i.id = :id', { id: ids.id })
    .andWhere(ids.accountId ? 'i.accountId = :accountId' : '1 = 1', { accountId: ids.accountId });
  if (em.connection.options.type === 'mysql') query.setLock('pessimistic_write');
  const invite = await query.getOne();
  if (!invite || JOURNEY.indexOf(invite.journey) >= JOURNEY.indexOf(to)) return null;
  if (opts.where?.status && invite.status !== opts.where.status) return null;
  const done = await em.update(
    Invite,
    { id: invite.id, journey: invite.journey, ...opts.where },
    { journey: to, journeyAt: when, ...opts.set },
  );
  if (!done.affected) return null;
  await countReached(em, invite, invite.journey, to, when);
  return { from: invite.journey, invite };
}
