import { type EntityManager, EntityNotFoundError } from 'typeorm';
import { newId } from '../db/ids';
import { lockCampaign } from '../db/locks';
import { Account } from '../entities/Account';
import { Campaign } from '../entities/Campaign';
import { LedgerEntry, type LedgerKind } from '../entities/LedgerEntry';

/*
 * Where money moves: nowhere else writes a ledger entry or changes an account's balance or
 * reservation. Each movement is one ledger row and the matching change to the account (and
 * to the campaign's hold), inside the caller's transaction, and each is idempotent by its
 * key: the ledger's unique index refuses a second row with it, so a retry moves nothing.
 *
 * The account obeys balance ≥ reserved ≥ 0. Every change is one conditional UPDATE that
 * matches only if the figures after it still obey that, so concurrent movements cannot
 * break it: the UPDATE's row lock orders them and each re-reads the row it changes.
 */

/** How each kind moves the account's balance and reservation (a campaign's hold moves with the reservation). */
const MOVES: Record<LedgerKind, { balance: number; reserved: number }> = {
  fund: { balance: +1, reserved: 0 },
  reserve: { balance: 0, reserved: +1 },
  charge: { balance: -1, reserved: -1 },
  release: { balance: 0, reserved: -1 },
};

interface Movement {
  kind: LedgerKind;
  accountId: string;
  campaignId: string | null;
  amountCents: number;
  key: string;
}

/** A movement the invariant forbids where nothing should have asked for one: the figures are wrong somewhere. */
export class LedgerRefusedError extends Error {
  constructor({ kind, amountCents, accountId }: Movement) {
    super(
      `ledger: a ${kind} of ${amountCents} cents would leave account ${accountId} with reserved > balance or reserved < 0 (or the account does not exist)`,
    );
    this.name = 'LedgerRefusedError';
  }
}

/** Writes the movement, or nothing and false when the account would break balance ≥ reserved ≥ 0. */
async function post(em: EntityManager, move: Movement, at = new Date()): Promise<boolean> {
  if (!Number.isSafeInteger(move.amountCents) || move.amountCents < 0)
    throw new RangeError(`ledger: ${move.amountCents} is not a number of cents to move`);
  const balance = MOVES[move.kind].balance * move.amountCents;
  const reserved = MOVES[move.kind].reserved * move.amountCents;
  const moved = await em
    .createQueryBuilder()
    .update(Account)
    .set({
      balanceCents: () => 'balanceCents + :balance',
      reservedCents: () => 'reservedCents + :reserved',
    })
    .where(
      'id = :accountId AND balanceCents + :balance >= reservedCents + :reserved AND reservedCents + :reserved >= 0',
      { accountId: move.accountId, balance, reserved },
    )
    .execute();
  if (!moved.affected) return false;
  await em.insert(LedgerEntry, {
    id: newId(),
    accountId: move.accountId,
    campaignId: move.campaignId,
    kind: move.kind,
    amountCents: move.amountCents,
    idempotencyKey: move.key,
    createdAt: at,
  });
  if (move.campaignId && reserved !== 0)
    await em
      .createQueryBuilder()
      .update(Campaign)
      .set({ reservedCents: () => 'reservedCents + :reserved' })
      .where('id = :campaignId', { campaignId: move.campaignId, reserved })
      .execute();
  return true;
}

async function mustPost(em: EntityManager, move: Movement, at?: Date): Promise<void> {
  if (!(await post(em, move, at))) throw new LedgerRefusedError(move);
}

const earlier = (em: EntityManager, key: string) => em.findOneBy(LedgerEntry, { idempotencyKey: key });

/** Money arrives in the account. */
export async function fund(
  em: EntityManager,
  { accountId, amountCents, key }: { accountId: string; amountCents: number; key: string },
): Promise<void> {
  if (await earlier(em, key)) return;
  await mustPost(em, { kind: 'fund', accountId, campaignId: null, amountCents, key });
}

export type HoldResult =
  { ok: true; heldCents: number } | { ok: false; requiredCents: number; availableCents: number };

/** Holds `amountCents` of the account's balance for a campaign, or says why not: only what balance − reserved covers. */
export async function holdFunds(
  em: EntityManager,
  {
    accountId,
    campaignId,
    amountCents,
    key,
  }: { accountId: string; campaignId: string; amountCents: number; key: string },
): Promise<HoldResult> {
  const done = await earlier(em, key);
  if (done) return { ok: true, heldCents: done.amountCents };
  if (await post(em, { kind: 'reserve', accountId, campaignId, amountCents, key }))
    return { ok: true, heldCents: amountCents };
  const account = await em.findOneByOrFail(Account, { id: accountId });
  return {
    ok: false,
    requiredCents: amountCents,
    availableCents: account.balanceCents - account.reservedCents,
  };
}

export interface Settlement {
  chargedCents: number;
  releasedCents: number;
}

/**
 * Ends a campaign's hold (expiry, cancel): charges what it owes beyond its earlier charges,
 * never more than it holds, and releases the rest. `owedCents` says what the campaign owes
 * in all; it is asked only when the key has not settled yet, with the campaign locked.
 * The key posts `<key>:charge` and `<key>:release`; a repeat answers what they moved.
 */
export async function settleHold(
  em: EntityManager,
  { accountId, campaignId, key }: { accountId: string; campaignId: string; key: string },
  owedCents: (campaign: Campaign) => Promise<number>,
): Promise<Settlement> {
  const done = await em.findBy(LedgerEntry, [
    { idempotencyKey: `${key}:charge` },
    { idempotencyKey: `${key}:release` },
  ]);
  if (done.length) return { chargedCents: total(done, 'charge'), releasedCents: total(done, 'release') };
  // Locked, so the hold read here is the hold this zeroes: a hold added meanwhile waits.
  const campaign = await lockCampaign(em, campaignId, accountId);
  if (!campaign) throw new EntityNotFoundError(Campaign, { id: campaignId, accountId });
  const held = campaign.reservedCents;
  const chargedBefore = total(await em.findBy(LedgerEntry, { campaignId, kind: 'charge' }), 'charge');
  const charged = Math.max(0, Math.min(held, (await owedCents(campaign)) - chargedBefore));
  const at = new Date();
  const movement = { accountId, campaignId };
  await mustPost(em, { ...movement, kind: 'charge', amountCents: charged, key: `${key}:charge` }, at);
  await mustPost(
    em,
    { ...movement, kind: 'release', amountCents: held - charged, key: `${key}:release` },
    at,
  );
  return { chargedCents: charged, releasedCents: held - charged };
}

const total = (entries: LedgerEntry[], kind: LedgerKind): number =>
  entries.filter((e) => e.kind === kind).reduce((t, e) => t + e.amountCents, 0);
