import type { EntityManager } from 'typeorm';
import { Account } from '../entities/Account';
import { Campaign } from '../entities/Campaign';
import { LedgerEntry } from '../entities/LedgerEntry';
import { newId } from '../db/ids';

export type HoldResult =
  { ok: true; heldCents: number } | { ok: false; requiredCents: number; availableCents: number };

/**
 * Holds `amountCents` of the account's balance for a campaign, inside the caller's
 * transaction. Idempotent by `key` (the ledger refuses a second row with it), and race-free:
 * one conditional UPDATE succeeds only while balance − reserved covers the amount.
 */
export async function holdFunds(
  em: EntityManager,
  {
    accountId,
    campaignId,
    amountCents,
    key,
  }: { accountId: string; campaignId: string; amountCents: number; key: string },
): Promise<HoldResult> {
  const done = await em.findOneBy(LedgerEntry, { idempotencyKey: key });
  if (done) return { ok: true, heldCents: done.amountCents };
  const held = await em
    .createQueryBuilder()
    .update(Account)
    .set({ reservedCents: () => 'reservedCents + :amountCents' })
    .where('id = :accountId AND balanceCents - reservedCents >= :amountCents', { accountId, amountCents })
    .execute();
  if (!held.affected) {
    const account = await em.findOneByOrFail(Account, { id: accountId });
    return {
      ok: false,
      requiredCents: amountCents,
      availableCents: account.balanceCents - account.reservedCents,
    };
  }
  await em.insert(LedgerEntry, {
    id: newId(),
    accountId,
    campaignId,
    kind: 'reserve',
    amountCents,
    idempotencyKey: key,
    createdAt: new Date(),
  });
  await em
    .createQueryBuilder()
    .update(Campaign)
    .set({ reservedCents: () => 'reservedCents + :amountCents' })
    .where('id = :campaignId', { campaignId, amountCents })
    .execute();
  return { ok: true, heldCents: amountCents };
}
