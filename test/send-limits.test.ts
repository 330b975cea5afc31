import 'reflect-metadata';
import { AccountService } from '../api/usecases/accounts';
import { loadConfig } from '../config/config';
import { Database } from '../db/database';
import { newId } from '../db/ids';
import { SendGrant } from '../entities/SendGrant';
import {
  acquireSlots,
  completeSlots,
  LIMITER_DEFAULTS,
  type LimiterTuning,
  nextSlotAt,
  type SendLimit,
  type SendPriority,
  type Slots,
} from '../sending/limits';

/** The limiter on the test database (DATABASE_URL, else the embedded SQLite), without servers. */
describe('Sending limits: sliding windows per account, enforced by the database, shared fairly', () => {
  let db: Database;

  beforeAll(async () => {
    db = await Database.open(loadConfig().database);
  });
  afterAll(() => db.close());

  const newAccount = async () =>
    (
      await new AccountService(db).createAccount({
        name: 'Limits',
        ownerEmail: 'owner@example.com',
        balanceCents: 0,
      })
    ).accountId;

  const sleep = (ms: number) => new Promise((r) => setTimeout(r, Math.max(0, ms)));

  /** The most of these instants (ms) that any closed window of `windowMs` holds. */
  const busiest = (instants: number[], windowMs: number): number => {
    const t = [...instants].sort((a, b) => a - b);
    let most = 0;
    for (let i = 0, j = 0; i < t.length; i++) {
      while (t[i] - t[j] > windowMs) j++;
      most = Math.max(most, i - j + 1);
    }
    return most;
  };

  const grantsOf = (accountId: string) => db.manager.find(SendGrant, { where: { accountId } });

  /**
   * Senders on a clock of their own (ms), one ask at a time, as the campaign workflow will:
   * ask for a batch, "send" it 10 ms later, complete 20 ms after asking, then ask for the
   * next batch at once if this one was granted whole, else sleep until nextSlotAt says.
   */
  function simulation(accountId: string, limits: SendLimit[], tuning: LimiterTuning = LIMITER_DEFAULTS) {
    const sent: { who: string; at: number }[] = [];
    const senders: {
      who: string;
      campaignId: string;
      priority: SendPriority;
      left: number;
      batch: number;
      next: number;
    }[] = [];
    return {
      sent,
      add(who: string, start: number, invites: number, batch = 50, priority: SendPriority = 'normal') {
        senders.push({ who, campaignId: newId(), priority, left: invites, batch, next: start });
      },
      /** Runs turns in clock order (on a tie, the sender added first goes first) until `done`. */
      async run(done: () => boolean, maxTurns = 500): Promise<void> {
        for (let turn = 0; turn < maxTurns && !done(); turn++) {
          const s = senders.filter((x) => x.left > 0).sort((a, b) => a.next - b.next)[0];
          if (!s) return;
          const t = s.next;
          const request = { accountId, campaignId: s.campaignId, priority: s.priority, limits };
          const want = Math.min(s.batch, s.left);
          const got = await db.transaction((em) =>
            acquireSlots(em, { ...request, want, now: new Date(t) }, tuning),
          );
          if (got.grantId) {
            for (let i = 0; i < got.granted; i++) sent.push({ who: s.who, at: t + 10 });
            await db.transaction((em) => completeSlots(em, got.grantId!, got.granted, new Date(t + 20)));
            s.left -= got.granted;
          }
          s.next =
            got.granted === want
              ? t + 20
              : Math.max(
                  t + 20,
                  (await nextSlotAt(db.manager, { ...request, now: new Date(t + 20) })).getTime(),
                );
        }
      },
    };
  }

  it('when dozens of senders of three campaigns ask at once under 10 per 2 s and 25 per 5 s, then no window of the send times holds more than its max, and every slot completed as used was sent', async () => {
    const accountId = await newAccount();
    const limits = [
      { max: 10, windowSeconds: 2 },
      { max: 25, windowSeconds: 5 },
    ];
    const campaigns = [newId(), newId(), newId()];
    const sends: number[] = [];
    let cutShort = 0;
    const until = Date.now() + 6_000;
    const sender = async (campaignId: string) => {
      while (Date.now() < until) {
        const want = 1 + Math.floor(Math.random() * 4);
        const slots: Slots = await db.transaction((em) =>
          acquireSlots(em, { accountId, campaignId, want, limits, now: new Date() }),
        );
        if (slots.granted < want) cutShort += 1;
        if (slots.grantId) {
          await sleep(Math.random() * 50);
          const used = slots.granted - (Math.random() < 0.25 ? 1 : 0);
          for (let i = 0; i < used; i++) sends.push(Date.now());
          await sleep(Math.random() * 50);
          await db.transaction((em) => completeSlots(em, slots.grantId!, used, new Date()));
        }
        if (slots.retryAt)
          await sleep(Math.min(slots.retryAt.getTime(), until) - Date.now() + Math.random() * 20);
      }
    };
    await Promise.all(Array.from({ length: 30 }, (_, i) => sender(campaigns[i % 3])));

    expect(busiest(sends, 2_000)).toBeLessThanOrEqual(10);
    expect(busiest(sends, 5_000)).toBeLessThanOrEqual(25);
    // The limits bound, not merely respected by sending little: the limiter cut asks short.
    // (A count of sends per window would depend on the machine's speed.)
    expect(cutShort).toBeGreaterThan(0);
    const grants = await grantsOf(accountId);
    expect(grants.every((g) => g.completedAt !== null)).toBe(true);
    expect(grants.reduce((sum, g) => sum + g.slots, 0)).toBe(sends.length);
  });

  it('when a 100-invite campaign starts while a 100,000-invite one has the limit to itself, then the two share each window and the small one finishes in about twice the time it would alone', async () => {
    const accountId = await newAccount();
    const t0 = Date.now();
    const sim = simulation(accountId, [{ max: 10, windowSeconds: 1 }]);
    sim.add('big', t0, 100_000);
    sim.add('small', t0 + 3_000, 100);
    const ofSmall = () => sim.sent.filter((s) => s.who === 'small');
    await sim.run(() => ofSmall().length === 100);

    expect(ofSmall()).toHaveLength(100);
    const smallEnd = Math.max(...ofSmall().map((s) => s.at));
    // Alone: 10 windows; sharing with the big one: 20 (its turn to ask first on every tie).
    expect(smallEnd - (t0 + 3_000)).toBeLessThan(21_500);
    const meanwhile = sim.sent.filter((s) => s.at > t0 + 3_000);
    expect(meanwhile.filter((s) => s.who === 'big').length).toBeGreaterThanOrEqual(90);
    // Work-conserving: the window's 10 were used throughout.
    expect(meanwhile.length).toBeGreaterThanOrEqual(((smallEnd - t0 - 3_000) / 1_000) * 10 * 0.9);
    expect(
      busiest(
        sim.sent.map((s) => s.at),
        1_000,
      ),
    ).toBeLessThanOrEqual(10);
  });

  it('when a resend asks while the window is full, then it is served before the campaign as soon as a slot frees, and it counts against the limit', async () => {
    const accountId = await newAccount();
    const limits = [{ max: 5, windowSeconds: 1 }];
    const campaignId = newId();
    const t0 = Date.now();
    const ask = (want: number, at: number, priority: SendPriority = 'normal') =>
      db.transaction((em) =>
        acquireSlots(em, { accountId, campaignId, want, limits, now: new Date(t0 + at), priority }),
      );

    const batch = await ask(50, 0);
    expect(batch.granted).toBe(5);
    await db.transaction((em) => completeSlots(em, batch.grantId!, 5, new Date(t0 + 20)));

    const resend = await ask(1, 100, 'resend');
    expect(resend).toMatchObject({ granted: 0, retryAt: new Date(t0 + 1_021) });
    // The campaign's batch asks first when the slots free, and leaves the resend its slot.
    expect((await ask(50, 1_021)).granted).toBe(4);
    expect((await ask(1, 1_021, 'resend')).granted).toBe(1);
    expect((await ask(50, 1_022)).granted).toBe(0);
  });

  it('when a grant is completed twice, then the second changes nothing, and the slots it did not use are free at once', async () => {
    const accountId = await newAccount();
    const limits = [{ max: 10, windowSeconds: 60 }];
    const now = new Date();
    const ask = () =>
      db.transaction((em) => acquireSlots(em, { accountId, campaignId: null, want: 10, limits, now }));
    const complete = (grantId: string, used: number) =>
      db.transaction((em) => completeSlots(em, grantId, used, now));

    const first = await ask();
    expect(first.granted).toBe(10);
    await expect(complete(first.grantId!, 11)).rejects.toThrow(RangeError);
    expect(await complete(first.grantId!, 4)).toBe(true);
    expect(await complete(first.grantId!, 2)).toBe(false);
    expect((await grantsOf(accountId))[0].slots).toBe(4);
    expect(await complete(newId(), 1)).toBe(false);

    const second = await ask();
    expect(second.granted).toBe(6);
    expect(second.retryAt!.getTime()).toBe(now.getTime() + 60_001);
  });

  it('when a sender dies holding its slots, then its grant blocks them until abandonAfterMs, then counts as completed at that bound for the window, and the sender may still complete it late', async () => {
    const accountId = await newAccount();
    const limits = [{ max: 5, windowSeconds: 10 }];
    const tuning = { ...LIMITER_DEFAULTS, abandonAfterMs: 60_000 };
    const t0 = Date.now();
    const ask = (at: number) =>
      db.transaction((em) =>
        acquireSlots(em, { accountId, campaignId: null, want: 5, limits, now: new Date(t0 + at) }, tuning),
      );

    const held = await ask(0);
    expect(held.granted).toBe(5);
    expect(await ask(59_000)).toMatchObject({ granted: 0, retryAt: new Date(t0 + 69_001) });
    // Reaped at the bound: it counts as completed at t0 + 60 s, so for 10 s more.
    expect(await ask(61_000)).toMatchObject({ granted: 0, retryAt: new Date(t0 + 70_001) });
    const reaped = (await grantsOf(accountId)).find((g) => g.id === held.grantId)!;
    expect(reaped.completedAt).toEqual(new Date(t0 + 60_000));
    expect((await ask(70_001)).granted).toBe(5);

    expect(await db.transaction((em) => completeSlots(em, held.grantId!, 5, new Date(t0 + 70_500)))).toBe(
      true,
    );
    expect(await db.transaction((em) => completeSlots(em, held.grantId!, 5, new Date(t0 + 70_600)))).toBe(
      false,
    );
    const late = (await grantsOf(accountId)).find((g) => g.id === held.grantId)!;
    expect(late).toMatchObject({ completedAt: new Date(t0 + 70_500), reapedAt: null });
  });

  it('when an account sends for far longer than its windows, then each ask prunes a bounded number of old grants and the table stays small', async () => {
    const accountId = await newAccount();
    const limits = [{ max: 3, windowSeconds: 1 }];
    const tuning = { ...LIMITER_DEFAULTS, keepMs: 0, tidyPerAsk: 5 };
    const t0 = Date.now();
    const sendAt = async (at: number) => {
      const now = new Date(t0 + at);
      const got = await db.transaction((em) =>
        acquireSlots(em, { accountId, campaignId: null, want: 1, limits, now }, tuning),
      );
      if (got.grantId) await db.transaction((em) => completeSlots(em, got.grantId!, 1, now));
    };
    for (let i = 0; i < 3; i++) await sendAt(i);
    for (let i = 0; i < 12; i++) await sendAt(1_001 + i * 400);
    // Never more than the window's grants plus one ask's worth waiting to be pruned.
    const rows = (await grantsOf(accountId)).length;
    expect(rows).toBeLessThanOrEqual(3 + 5);

    const backlog = Array.from({ length: 12 }, (_, i) => ({
      id: newId(),
      accountId,
      campaignId: null,
      slots: 1,
      grantedAt: new Date(t0 - 60_000 + i),
      completedAt: new Date(t0 - 60_000 + i),
      reapedAt: null,
    }));
    await db.transaction((em) => em.insert(SendGrant, backlog));
    const before = (await grantsOf(accountId)).length;
    await sendAt(20_000);
    expect((await grantsOf(accountId)).length).toBe(before - 5 + 1);
    for (let i = 1; i <= 5; i++) await sendAt(20_000 + i * 2_000);
    expect((await grantsOf(accountId)).length).toBeLessThanOrEqual(2);
  });
});
