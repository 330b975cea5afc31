import { Brackets, type EntityManager, In, IsNull, LessThan } from 'typeorm';
import { newId } from '../db/ids';
import { forUpdate, lockAccount } from '../db/locks';
import { SendDemand, type SendPriority } from '../entities/SendDemand';
import { SendGrant } from '../entities/SendGrant';
import type { SendLimit } from '../domain/send-limit';

/*
 * An account's sending limits, enforced where every worker and API process meets: the
 * database. A sender asks for slots inside its transaction (the account's row locked first on
 * MySQL, so the asks of one account run one at a time; SQLite runs writers one at a time
 * anyway), sends, then completes the grant with the number it used.
 *
 * A window of w seconds at `now` counts every grant still in flight and every grant completed
 * at or after now − w, each for its slots. Why no window of the provider's received times then
 * holds more than max: a message is received between its grant and that grant's completion
 * (g ≤ r ≤ c). Take a window [s, s + w] and, of the grants with a message received in it, the
 * one asked for last (the lock orders them), at g* ≤ r* ≤ s + w. Every other one was granted
 * before it and, if completed by then, at c ≥ r ≥ s ≥ g* − w: the ask at g* counted it, for
 * at least the slots it went on to use, and granted only what kept the count ≤ max.
 * This needs `now` no later than the real time of the ask, the completion's `at` no earlier
 * than the provider's answer, and clocks that agree (NTP; a skew needs a margin on max).
 */

export type { SendLimit };

export type { SendPriority };

/** Who asks: the account, and the campaign sending (null: an email of the account outside any). */
export interface Requester {
  accountId: string;
  campaignId: string | null;
  /** 'resend': support's deliberate resend, served before the campaigns' batches and not capped by a share. */
  priority?: SendPriority;
}

export interface SlotRequest extends Requester {
  want: number;
  /** The account's limits; none: everything is granted (and still recorded). */
  limits: readonly SendLimit[];
  /** The caller's clock when it asks (see the proof above). */
  now: Date;
}

export interface Slots {
  /** The grant to complete after sending; null when nothing was granted. */
  grantId: string | null;
  granted: number;
  /**
   * When fewer than wanted were granted: the earliest instant worth asking again, when a slot
   * leaves every binding window. Slots in flight leave no window before now + w (they complete
   * at now or later), so it never sends the caller back early for them; it does not foresee
   * slots a sender gives back unused. nextSlotAt, asked after the caller's own completion,
   * counts that completion at its real time.
   */
  retryAt: Date | null;
}

export interface LimiterTuning {
  /**
   * A grant in flight this long is taken as completed at grantedAt + this (its sender died).
   * Must exceed the longest time from an ask to the end of its provider call: the sending
   * activities' 5 min (three attempts of 60 s, activities/notifications.ts) with room to spare.
   */
  abandonAfterMs: number;
  /** How long past its retry time a waiting requester keeps its share before it counts as gone. */
  demandGraceMs: number;
  /**
   * Completed grants are kept this long, or the longest window if longer: a window added to
   * the policy later (a daily one, say) then finds the sends it must count.
   */
  keepMs: number;
  /** At most this many old grants pruned, and abandoned ones completed, per ask: the ask stays cheap. */
  tidyPerAsk: number;
}

export const LIMITER_DEFAULTS: LimiterTuning = {
  abandonAfterMs: 10 * 60_000,
  demandGraceMs: 15_000,
  keepMs: 24 * 3600_000,
  tidyPerAsk: 100,
};

/**
 * Up to `want` slots under every limit, inside the caller's transaction (which must also
 * write what it sends with them, or complete the grant with 0). Fair share: a campaign gets
 * at most max / n per window, n the campaigns waiting on the account (it included; a launching
 * campaign counts from its launch, announceDemand), the max mod n odd slots going to the least
 * served over the last FAIRNESS_LOOKBACK_WINDOWS windows; a resend is not capped and the
 * campaigns leave room for waiting resends.
 */
export async function acquireSlots(
  em: EntityManager,
  request: SlotRequest,
  tuning: LimiterTuning = LIMITER_DEFAULTS,
): Promise<Slots> {
  const { accountId, campaignId, want, limits, now } = request;
  if (!Number.isSafeInteger(want) || want < 0) throw new RangeError(`limits: cannot ask for ${want} slots`);
  for (const l of limits) {
    if (
      !Number.isSafeInteger(l.max) ||
      l.max < 1 ||
      !(l.windowSeconds >= 1) ||
      !Number.isFinite(l.windowSeconds)
    )
      throw new RangeError(`limits: ${JSON.stringify(l)} is not a limit`);
  }
  if (want === 0) return { grantId: null, granted: 0, retryAt: null };
  await lockAccount(em, accountId);
  await tidy(em, accountId, limits, now, tuning);

  const rooms = await roomFor(em, request, true);
  const granted = Math.max(0, Math.min(want, ...rooms.map((r) => Math.min(r.free, r.share))));
  let grantId: string | null = null;
  if (granted > 0) {
    grantId = newId();
    await em.insert(SendGrant, {
      id: grantId,
      accountId,
      campaignId,
      slots: granted,
      grantedAt: now,
      completedAt: null,
      reapedAt: null,
    });
  }
  const key = demandKey(request);
  await em.delete(SendDemand, key);
  if (granted === want) return { grantId, granted, retryAt: null };

  const retryAt = await firstFreeAt(em, request, rooms, granted);
  await em.insert(SendDemand, {
    ...key,
    unmet: want - granted,
    askedAt: now,
    heldUntil: new Date(retryAt.getTime() + tuning.demandGraceMs),
  });
  return { grantId, granted, retryAt };
}

/**
 * The sender is done: the grant counts from `at` with the slots it `used` (the rest free at
 * once). Idempotent: a repeat changes nothing and answers false. A sender that outlived
 * abandonAfterMs still completes its reaped grant, with its real, later time.
 */
export async function completeSlots(
  em: EntityManager,
  grantId: string,
  used: number,
  at: Date,
): Promise<boolean> {
  const grant = await em.findOneBy(SendGrant, { id: grantId });
  if (!grant) return false; // completed and pruned long ago
  if (!Number.isSafeInteger(used) || used < 0 || used > grant.slots)
    throw new RangeError(`limits: grant ${grantId} holds ${grant.slots} slots, cannot have used ${used}`);
  // The account before the grant, as an ask takes them: the two never wait on each other.
  await lockAccount(em, grant.accountId);
  const done = await em
    .createQueryBuilder()
    .update(SendGrant)
    .set({ completedAt: at, slots: used, reapedAt: null })
    .where('id = :grantId AND (completedAt IS NULL OR reapedAt IS NOT NULL)', { grantId })
    .execute();
  return (done.affected ?? 0) > 0;
}

/**
 * When the requester could next be granted a slot, reading only (no lock, nothing written):
 * `now` if it could be at once. After completing its grant, a sender that got fewer than it
 * wanted asks this for the time to sleep until, which counts its completion exactly.
 */
export async function nextSlotAt(
  em: EntityManager,
  who: Requester & { limits: readonly SendLimit[]; now: Date },
): Promise<Date> {
  return firstFreeAt(em, who, await roomFor(em, who, false), 0);
}

/**
 * The campaign is about to send (it starts launching): it counts as waiting from now, so
 * campaigns launched together split the first window instead of the first to ask taking it
 * whole. Held like a refused ask's demand; its first ask replaces it.
 */
export async function announceDemand(
  em: EntityManager,
  accountId: string,
  campaignId: string,
  now: Date,
  tuning: LimiterTuning = LIMITER_DEFAULTS,
): Promise<void> {
  await lockAccount(em, accountId);
  const key = demandKey({ accountId, campaignId });
  await em.delete(SendDemand, key);
  await em.insert(SendDemand, {
    ...key,
    unmet: 1,
    askedAt: now,
    heldUntil: new Date(now.getTime() + tuning.demandGraceMs),
  });
}

/** The campaign waits no more (it finished, paused or was cancelled): its share goes back to the others. */
export async function forgetDemand(
  em: EntityManager,
  accountId: string,
  campaignId: string | null,
): Promise<void> {
  await em.delete(SendDemand, { accountId, requester: campaignId ?? '' });
}

/** What one limit leaves the requester: free slots in the window, and what its fair share still allows. */
interface Room {
  limit: SendLimit;
  free: number;
  share: number;
}

async function roomFor(
  em: EntityManager,
  who: Requester & { limits: readonly SendLimit[]; now: Date },
  lock: boolean,
): Promise<Room[]> {
  const { accountId, limits, now } = who;
  if (!limits.length) return [];
  const resend = who.priority === 'resend';
  const locking = <Q extends Parameters<typeof forUpdate>[0]>(q: Q): Q => (lock ? forUpdate(q) : q);

  const live = (i: number) => `(g.completedAt IS NULL OR g.completedAt >= :since${i})`;
  const own = who.campaignId === null ? 'g.campaignId IS NULL' : 'g.campaignId = :campaignId';
  const usage = em
    .createQueryBuilder(SendGrant, 'g')
    .select('COUNT(*)', 'grants') // a first column for the sums below to add to
    .where(`g.accountId = :accountId AND ${live(limits.length)}`, { accountId, campaignId: who.campaignId })
    .setParameter(`since${limits.length}`, windowStart(now, Math.max(...limits.map((l) => l.windowSeconds))));
  limits.forEach((l, i) => {
    usage
      .addSelect(`SUM(CASE WHEN ${live(i)} THEN g.slots ELSE 0 END)`, `used${i}`)
      .addSelect(`SUM(CASE WHEN ${own} AND ${live(i)} THEN g.slots ELSE 0 END)`, `own${i}`)
      .setParameter(`since${i}`, windowStart(now, l.windowSeconds));
  });
  const counted: Record<string, string | number | null> = (await locking(usage).getRawOne()) ?? {};

  const waiting = await locking(
    em
      .createQueryBuilder(SendDemand, 'd')
      .where('d.accountId = :accountId AND d.heldUntil >= :now AND d.unmet > 0', { accountId, now }),
  ).getMany();
  const mine = demandKey(who);
  const others = waiting.filter((d) => d.requester !== mine.requester || d.priority !== mine.priority);
  const reserved = resend
    ? 0
    : others.filter((d) => d.priority === 'resend').reduce((sum, d) => sum + d.unmet, 0);
  const rivals = others.filter((d) => d.priority === 'normal');
  const campaigns = 1 + rivals.length;
  // Who gets the odd slots when max does not divide by n: the max mod n least served over the
  // last windows (ties by id), so the remainder rotates instead of always missing the last to ask.
  const rank = resend || !rivals.length ? null : await servedRank(em, who, limits, rivals, now);

  return limits.map((limit, i) => {
    const base = Math.floor(limit.max / campaigns);
    const odd = rank === null || rank[i] < limit.max % campaigns ? 1 : 0;
    return {
      limit,
      free: limit.max - Number(counted[`used${i}`] ?? 0) - reserved,
      share: resend ? Infinity : base + odd - Number(counted[`own${i}`] ?? 0),
    };
  });
}

/** Per limit: the asker's place among it and its waiting rivals, least served over the lookback first (ties by id). */
async function servedRank(
  em: EntityManager,
  who: Requester,
  limits: readonly SendLimit[],
  rivals: SendDemand[],
  now: Date,
): Promise<number[]> {
  const mine = demandKey(who).requester;
  const requesters = [mine, ...rivals.map((d) => d.requester)];
  const campaignIds = requesters.filter((r) => r !== '');
  const query = em
    .createQueryBuilder(SendGrant, 'g')
    .select('g.campaignId', 'campaignId')
    .where('g.accountId = :accountId', { accountId: who.accountId })
    .andWhere(
      new Brackets((q) => {
        if (campaignIds.length) q.orWhere('g.campaignId IN (:...campaignIds)', { campaignIds });
        if (requesters.includes('')) q.orWhere('g.campaignId IS NULL');
      }),
    )
    .groupBy('g.campaignId');
  limits.forEach((l, i) => {
    query
      .addSelect(
        `SUM(CASE WHEN g.completedAt IS NULL OR g.completedAt >= :back${i} THEN g.slots ELSE 0 END)`,
        `s${i}`,
      )
      .setParameter(`back${i}`, windowStart(now, l.windowSeconds * FAIRNESS_LOOKBACK_WINDOWS));
  });
  const served = new Map(
    (await query.getRawMany<Record<string, string | number | null>>()).map((r) => [
      String(r.campaignId ?? ''),
      limits.map((_, i) => Number(r[`s${i}`] ?? 0)),
    ]),
  );
  const of = (requester: string, i: number) => served.get(requester)?.[i] ?? 0;
  const before = (a: string, b: string, i: number) => of(a, i) < of(b, i) || (of(a, i) === of(b, i) && a < b);
  return limits.map((_, i) => rivals.filter((d) => before(d.requester, mine, i)).length);
}

/** How many windows back "least served" looks, to decide who gets a window's odd slots. */
export const FAIRNESS_LOOKBACK_WINDOWS = 3;

/** The earliest instant at which, after `granted` more, every limit has a slot free for the requester. */
async function firstFreeAt(
  em: EntityManager,
  who: Requester & { now: Date },
  rooms: Room[],
  granted: number,
): Promise<Date> {
  let at = who.now.getTime();
  for (const { limit, free, share } of rooms) {
    if (free - granted < 1)
      at = Math.max(at, await leftBy(em, who.accountId, undefined, limit, 1 - (free - granted), who.now));
    if (share - granted < 1)
      at = Math.max(
        at,
        await leftBy(em, who.accountId, who.campaignId, limit, 1 - (share - granted), who.now),
      );
  }
  return new Date(at);
}

const PAGE = 200;

/**
 * When `slots` of those counted in the limit's window (the account's, or one campaign's) have
 * left it: completed grants leave in the order they completed, just after w (a grant counts
 * at the window's very start); grants in flight complete at now or later, so leave just after
 * now + w at the earliest.
 */
async function leftBy(
  em: EntityManager,
  accountId: string,
  campaignId: string | null | undefined,
  limit: SendLimit,
  slots: number,
  now: Date,
): Promise<number> {
  const windowMs = limit.windowSeconds * 1000;
  let freed = 0;
  for (let offset = 0; ; offset += PAGE) {
    const query = em
      .createQueryBuilder(SendGrant, 'g')
      .where('g.accountId = :accountId AND g.completedAt >= :since AND g.slots > 0', {
        accountId,
        since: windowStart(now, limit.windowSeconds),
      });
    if (campaignId === null) query.andWhere('g.campaignId IS NULL');
    else if (campaignId !== undefined) query.andWhere('g.campaignId = :campaignId', { campaignId });
    const page = await query
      .orderBy('g.completedAt', 'ASC')
      .addOrderBy('g.id', 'ASC')
      .offset(offset)
      .limit(PAGE)
      .getMany();
    for (const grant of page) {
      freed += grant.slots;
      if (freed >= slots) return grant.completedAt!.getTime() + windowMs + 1;
    }
    if (page.length < PAGE) return now.getTime() + windowMs + 1;
  }
}

/**
 * Housekeeping on the account's ask, bounded: grants whose sender died are completed at
 * grantedAt + abandonAfterMs (no message of theirs can have been received later); grants
 * older than every window, and demand past its hold, are deleted.
 */
async function tidy(
  em: EntityManager,
  accountId: string,
  limits: readonly SendLimit[],
  now: Date,
  tuning: LimiterTuning,
): Promise<void> {
  const abandoned = await em
    .createQueryBuilder(SendGrant, 'g')
    .where('g.accountId = :accountId AND g.completedAt IS NULL AND g.grantedAt < :before', {
      accountId,
      before: new Date(now.getTime() - tuning.abandonAfterMs),
    })
    .limit(tuning.tidyPerAsk)
    .getMany();
  for (const grant of abandoned) {
    // Only if still in flight: the read above may predate a completion (not a locking read).
    await em.update(
      SendGrant,
      { id: grant.id, completedAt: IsNull() },
      { completedAt: new Date(grant.grantedAt.getTime() + tuning.abandonAfterMs), reapedAt: now },
    );
  }
  const keepMs = Math.max(tuning.keepMs, ...limits.map((l) => l.windowSeconds * 1000));
  const old: { id: string }[] = await em
    .createQueryBuilder(SendGrant, 'g')
    .select('g.id', 'id')
    .where('g.accountId = :accountId AND g.completedAt < :before', {
      accountId,
      before: new Date(now.getTime() - keepMs),
    })
    .limit(tuning.tidyPerAsk)
    .getRawMany();
  if (old.length) await em.delete(SendGrant, { id: In(old.map((r) => r.id)) });
  await em.delete(SendDemand, { accountId, heldUntil: LessThan(now) });
}

const windowStart = (now: Date, windowSeconds: number): Date =>
  new Date(now.getTime() - windowSeconds * 1000);

const demandKey = (who: Requester) => ({
  accountId: who.accountId,
  requester: who.campaignId ?? '',
  priority: who.priority ?? 'normal',
});
