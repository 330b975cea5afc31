import 'reflect-metadata';
import type { EntityManager } from 'typeorm';
import { AccountService } from '../api/usecases/accounts';
import { loadConfig } from '../config/config';
import { Database } from '../db/database';
import { newId } from '../db/ids';
import { Account } from '../entities/Account';
import { Campaign } from '../entities/Campaign';
import { LedgerEntry, type LedgerKind } from '../entities/LedgerEntry';
import { fund, holdFunds, settleHold } from '../money/ledger';

/** The ledger on the test database (DATABASE_URL, else the embedded SQLite), without servers. */
describe('The ledger: every balance change, and balance ≥ reserved ≥ 0 under concurrency', () => {
  let db: Database;

  beforeAll(async () => {
    db = await Database.open(loadConfig().database);
  });
  afterAll(() => db.close());

  const newAccount = async (balanceCents = 0) =>
    (
      await new AccountService(db).createAccount({
        name: 'Ledger',
        ownerEmail: 'owner@example.com',
        balanceCents,
      })
    ).accountId;

  const newCampaign = async (accountId: string) => {
    const id = newId();
    const now = new Date();
    const row = { id, accountId, name: 'Ledger', status: 'active' as const, batchGapMinutes: 0 };
    await db.transaction((em) =>
      em.insert(Campaign, { ...row, costPerInviteCents: 1, createdAt: now, updatedAt: now }),
    );
    return id;
  };

  /**
   * As an activity's retry does: a repeat that ran beside the first and lost the race on the
   * key's unique index (MySQL; SQLite runs them one after the other) runs again, and finds it written.
   */
  const run = async <T>(work: (em: EntityManager) => Promise<T>): Promise<T> => {
    for (let attempt = 1; ; attempt++) {
      try {
        return await db.transaction(work);
      } catch (err) {
        const code = (err as { driverError?: { code?: string } }).driverError?.code ?? '';
        if (attempt >= 3 || !/^(ER_DUP_ENTRY|SQLITE_CONSTRAINT_UNIQUE)/.test(code)) throw err;
      }
    }
  };

  const figures = async (accountId: string) => {
    const account = await db.manager.findOneByOrFail(Account, { id: accountId });
    const entries = await db.manager.find(LedgerEntry, { where: { accountId }, order: { id: 'ASC' } });
    const sum = (kind: LedgerKind, campaignId?: string) =>
      entries
        .filter((e) => e.kind === kind && (campaignId === undefined || e.campaignId === campaignId))
        .reduce((t, e) => t + e.amountCents, 0);
    const heldBy = (campaignId: string) =>
      sum('reserve', campaignId) - sum('charge', campaignId) - sum('release', campaignId);
    return { account, entries, sum, heldBy };
  };

  const expectInvariant = (a: Account) => {
    expect(a.balanceCents).toBeGreaterThanOrEqual(a.reservedCents);
    expect(a.reservedCents).toBeGreaterThanOrEqual(0);
  };

  it('when dozens of funds, holds and settlements race on one account, some of them twice, then after every round balance ≥ reserved ≥ 0, the ledger adds up to the account and its campaigns, and each key moved money once', async () => {
    const accountId = await newAccount(0);
    let seed = 11;
    const cents = (max: number) => (seed = (seed * 48271) % 2147483647) % max;
    const times = <T>(n: number, op: () => Promise<T>) => Promise.all(Array.from({ length: n }, op));
    const deposited = new Map<string, number>();
    let open: string[] = [];
    let refused = 0;

    for (let round = 0; round < 8; round++) {
      const fresh = [await newCampaign(accountId), await newCampaign(accountId)];
      // Funds arrive at about half the rate holds ask for them: some holds are refused.
      const funds = Array.from({ length: 4 }, (_, i) => ({
        key: `r${round}f${i}:${accountId}`,
        amountCents: 10 + cents(90),
        repeats: 1 + (i % 2),
      }));
      const holds = fresh.flatMap((campaignId) =>
        Array.from({ length: 3 }, (_, i) => ({
          campaignId,
          key: `r${round}h${i}:${campaignId}`,
          amountCents: 20 + cents(100),
          repeats: i === 0 ? 2 : 1,
        })),
      );
      // Last round's campaigns end: each owes up to about what it holds.
      const settles = open.map((campaignId) => ({
        campaignId,
        key: `settle:${campaignId}`,
        owedCents: cents(150),
      }));
      for (const f of funds) deposited.set(f.key, f.amountCents);

      const [, holdings, settlings] = await Promise.all([
        Promise.all(funds.map((f) => times(f.repeats, () => run((em) => fund(em, { accountId, ...f }))))),
        Promise.all(
          holds.map((h) => times(h.repeats, () => run((em) => holdFunds(em, { accountId, ...h })))),
        ),
        Promise.all(
          settles.map(({ campaignId, key, owedCents }) =>
            times(2, () =>
              run((em) => settleHold(em, { accountId, campaignId, key }, async () => owedCents)),
            ),
          ),
        ),
        // Readers look at the account between the movements: never outside the invariant.
        times(4, async () => {
          for (let i = 0; i < 5; i++) {
            expectInvariant(await db.manager.findOneByOrFail(Account, { id: accountId }));
            await new Promise((r) => setTimeout(r, 2)); // spreads the reads among the movements: not a wait
          }
        }),
      ]);

      const { account, entries, sum, heldBy } = await figures(accountId);
      expectInvariant(account);
      expect(account.balanceCents).toBe(sum('fund') - sum('charge'));
      expect(account.reservedCents).toBe(sum('reserve') - sum('charge') - sum('release'));
      // Once per key: one entry each, and the deposits counted once however often they were sent.
      expect(new Set(entries.map((e) => e.idempotencyKey)).size).toBe(entries.length);
      expect(sum('fund')).toBe([...deposited.values()].reduce((t, v) => t + v, 0));
      holds.forEach((h, i) => {
        const held = holdings[i].some((answer) => answer.ok);
        expect(entries.filter((e) => e.idempotencyKey === h.key)).toHaveLength(held ? 1 : 0);
        for (const answer of holdings[i]) if (answer.ok) expect(answer.heldCents).toBe(h.amountCents);
      });
      settles.forEach((s, i) => {
        const [first, again] = settlings[i];
        expect(again).toEqual(first);
        const reserved = sum('reserve', s.campaignId);
        const charged = Math.min(reserved, s.owedCents);
        expect(first).toEqual({ chargedCents: charged, releasedCents: reserved - charged });
      });
      for (const campaignId of [...fresh, ...open]) {
        const { reservedCents } = await db.manager.findOneByOrFail(Campaign, { id: campaignId });
        expect(reservedCents).toBe(heldBy(campaignId));
        expect(reservedCents).toBe(open.includes(campaignId) ? 0 : sum('reserve', campaignId));
      }
      refused += holdings.flat().filter((answer) => !answer.ok).length;
      open = fresh;
    }
    const { sum } = await figures(accountId);
    expect(sum('charge')).toBeGreaterThan(0);
    expect(sum('release')).toBeGreaterThan(0);
    expect(refused).toBeGreaterThan(0);
  });

  it('when a movement is repeated with its key, then money moves once and the repeat answers what the first did', async () => {
    const accountId = await newAccount(0);
    const campaignId = await newCampaign(accountId);
    const key = `repeat:${campaignId}`;
    for (let i = 0; i < 2; i++)
      await run((em) => fund(em, { accountId, amountCents: 500, key: `${key}:fund` }));
    for (let i = 0; i < 2; i++)
      expect(
        await run((em) => holdFunds(em, { accountId, campaignId, amountCents: 120, key: `${key}:hold` })),
      ).toEqual({
        ok: true,
        heldCents: 120,
      });
    // The repeat is not asked what is owed: it answers from the ledger.
    const owed = [50, 999];
    for (let i = 0; i < 2; i++)
      expect(await run((em) => settleHold(em, { accountId, campaignId, key }, async () => owed[i]))).toEqual({
        chargedCents: 50,
        releasedCents: 70,
      });

    const { account, entries } = await figures(accountId);
    expect(account).toMatchObject({ balanceCents: 450, reservedCents: 0 });
    expect(entries.map((e) => [e.kind, e.amountCents])).toEqual([
      ['fund', 500],
      ['reserve', 120],
      ['charge', 50],
      ['release', 70],
    ]);
  });

  it('when an account opens with money, then the opening balance is a deposit in the ledger, and the ledger adds up to the balance', async () => {
    const accountId = await newAccount(250);
    const { account, entries, sum } = await figures(accountId);
    expect(entries.map((e) => [e.kind, e.amountCents])).toEqual([['fund', 250]]);
    expect(account.balanceCents).toBe(sum('fund') - sum('charge'));
  });

  it('when a hold asks for more than balance − reserved, then it is refused with what is available, writes nothing, and the same key may hold once funds arrive', async () => {
    const accountId = await newAccount(100);
    const [first, second] = [await newCampaign(accountId), await newCampaign(accountId)];
    await run((em) => holdFunds(em, { accountId, campaignId: first, amountCents: 60, key: `hold:${first}` }));
    const ask = () =>
      run((em) => holdFunds(em, { accountId, campaignId: second, amountCents: 50, key: `hold:${second}` }));

    expect(await ask()).toEqual({ ok: false, requiredCents: 50, availableCents: 40 });
    expect((await figures(accountId)).entries.map((e) => e.kind)).toEqual(['fund', 'reserve']);
    expect((await db.manager.findOneByOrFail(Campaign, { id: second })).reservedCents).toBe(0);

    await run((em) => fund(em, { accountId, amountCents: 10, key: `fund:${accountId}` }));
    expect(await ask()).toEqual({ ok: true, heldCents: 50 });
    expect((await figures(accountId)).account).toMatchObject({ balanceCents: 110, reservedCents: 110 });
  });
});
