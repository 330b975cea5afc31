import type { ChildProcess } from 'node:child_process';
import { DAYS, isOpenAt, nextOpening, type SendWindow } from '../domain/send-window';
import { query, sleep, untilInstant, untilQueryMatches, untilStatus } from './support/campaigns';
import { untilTaskWaits } from './support/idle';
import { allInvites, draftWithRecipients, invitationsOf, perRecipient } from './support/delivery';
import type { SentMessage } from './support/postmark-server';
import { In } from 'typeorm';
import { AuditEntry } from '../entities/AuditEntry';
import { SendGrant } from '../entities/SendGrant';
import { type ApiClient, eventually, usePostmarkStack } from './support/stack';
import { killLeft, startWorkerProcess } from './support/processes';

/*
 * Issue 12's "done when", on the real stack: the account's sending limits and send window
 * seen from the provider's side (the fake Postmark's receivedAt per message), with the API
 * and the workflow's status query showing each wait while it lasts.
 */

/** The most messages any closed window [r, r + windowMs] holds, r each message's receivedAt. */
function busiest(messages: SentMessage[], windowMs: number): number {
  const t = messages.map((m) => m.receivedAt.getTime()).sort((a, b) => a - b);
  let most = 0;
  for (let i = 0; i < t.length; i++) {
    let n = 0;
    for (let j = i; j < t.length && t[j] - t[i] <= windowMs; j++) n++;
    most = Math.max(most, n);
  }
  return most;
}

const lastReceipt = (messages: SentMessage[]) => Math.max(...messages.map((m) => m.receivedAt.getTime()));

/** Every recipient of `emails` got exactly one invitation, and nobody else got one. */
function expectExactlyOnce(messages: SentMessage[], emails: string[]): void {
  const counts = perRecipient(messages);
  expect([...counts.keys()].sort()).toEqual(emails.map((e) => e.toLowerCase()).sort());
  expect([...counts.entries()].filter(([, n]) => n !== 1)).toEqual([]);
}

/** The account's sending policy, as an admin puts it. */
async function putPolicy(
  api: ApiClient,
  policy: { limits: { max: number; windowSeconds: number }[]; window: SendWindow | null },
) {
  const put = await api.put('/v1/account/sending-policy', policy);
  if (put.status !== 200) throw new Error(JSON.stringify(put.body));
}

/** Polls every campaign's view until `done`, keeping each wait it showed. */
function watchWaits(api: ApiClient, ids: string[]) {
  const seen: { id: string; reason: string; until: string }[] = [];
  let stopped = false;
  const running = (async () => {
    while (!stopped) {
      for (const id of ids) {
        const waiting = (await api.get(`/v1/campaigns/${id}`)).body.waiting;
        if (waiting) seen.push({ id, ...waiting });
      }
      await sleep(150); // the sampling interval of a watcher, not a wait for a result
    }
  })();
  return {
    seen,
    async stop() {
      stopped = true;
      await running;
    },
  };
}

/**
 * A window on London's clock, every day, from F (a minute boundary 20–80 s after `now`) for
 * 65 min: London is closed now and opens at F, Berlin (an hour ahead) is inside it now, and
 * Athens (two hours ahead) is past it until tomorrow. London's offset is whole hours, so its
 * minutes start with UTC's. The clock formats `to` modulo 24 h: near midnight it spans it.
 */
function londonWindowOpeningSoon(now: number): { opensAt: number; window: SendWindow } {
  let opensAt = Math.ceil(now / 60_000) * 60_000;
  if (opensAt - now < 20_000) opensAt += 60_000;
  const london = (at: number) =>
    new Intl.DateTimeFormat('en-GB', {
      timeZone: 'Europe/London',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    }).format(at);
  return {
    opensAt,
    window: {
      timeZone: 'Europe/London',
      days: [...DAYS],
      from: london(opensAt),
      to: london(opensAt + 65 * 60_000),
    },
  };
}

// The two window tests and the crash test run side by side (it.concurrent), each on an account
// of its own, so the window tests wait for the same minute boundary and the crash test's waits
// overlap theirs. Jest starts concurrent tests right after the file's top-level beforeAll,
// before any describe's own, so every stack is set up at the top level. The limit test comes after them
// and runs alone, because its fair-share count needs the worker to itself (beside the window
// tests it once saw 6 left, not 5); the crash test comes first in the file, so the limit test
// waits for it too.
const workers: ChildProcess[] = [];
/**
 * A dead worker's workflow tasks go to another worker after HEARTBEAT_TIMEOUT_SECONDS rather
 * than 10 s (its sticky queue); a webhook request must then time out sooner (config's rule).
 */
const soonerAfterDeath = { HEARTBEAT_TIMEOUT_SECONDS: '5', WEBHOOK_TIMEOUT_SECONDS: '2' };
// Declared before the stacks, so it runs before their closes: the worker processes die first.
afterAll(() => killLeft(workers));
const { stack, fake } = usePostmarkStack();
/** The crash test's: no worker in this process, only the worker processes it starts and kills. */
const apart = usePostmarkStack({ worker: false, env: soonerAfterDeath });

describe('The sending limit, with the worker in a process of its own', () => {
  // The global setup's bundle: a worker bundling its own would spend ~10 s of CPU at each start.
  const prebuilt = { WORKFLOW_BUNDLE: process.env.HERALD_TEST_WORKFLOW_BUNDLE! };
  const startWorker = () =>
    startWorkerProcess(apart.stack, apart.fake, workers, { ...soonerAfterDeath, ...prebuilt });

  it.concurrent(
    'when the worker is SIGKILLed while the campaign waits on a limit of 10 per 8 s, and a new one starts after the wait is over, then all 30 invites arrive exactly once, in the order they were added, and no 8 s window holds more than 10',
    async () => {
      const { stack, fake } = apart;
      const first = await startWorker();
      const { as, adminKey } = await stack.newAccount(1_000_000);
      const api = as(adminKey);
      await putPolicy(api, { limits: [{ max: 10, windowSeconds: 8 }], window: null });
      const { id, emails } = await draftWithRecipients(api, 30, { batch: { size: null, gapMinutes: 0 } });
      expect((await api.post(`/v1/campaigns/${id}/launch`)).status).toBe(200);

      // The workflow itself holds the wait (not only the row the API reads): its timer is armed.
      const waiting = await eventually(
        async () => {
          const { waiting } = await query(stack.temporal, id);
          return waiting?.reason === 'sending_limit' ? waiting : undefined;
        },
        { timeoutMs: 30_000 },
      );
      expect((await api.get(`/v1/campaigns/${id}`)).body.waiting).toEqual(waiting);
      expect(invitationsOf(fake, id)).toHaveLength(10);
      first.kill('SIGKILL');
      await new Promise((resolve) => first.once('exit', resolve));
      const killedAt = Date.now();

      // The limit's timer has fired and its task waits for a worker: only the worker is missing.
      await untilInstant(waiting.until);
      await untilTaskWaits(stack.temporal, `campaign-${id}`);
      expect(invitationsOf(fake, id)).toHaveLength(10); // nobody sent while no worker ran
      const restartedAt = Date.now();
      await startWorker();
      await untilStatus(api, id, 'active', 90_000);

      const messages = invitationsOf(fake, id);
      expectExactlyOnce(messages, emails);
      // fake.sent is in the order the provider received them; ids are time-ordered (UUIDv7).
      const idOf = new Map((await allInvites(api, id)).map((i) => [i.email!.toLowerCase(), i.id]));
      const receivedOrder = messages.map((m) => idOf.get(m.To.toLowerCase())!);
      expect(receivedOrder).toEqual([...receivedOrder].sort());
      expect(messages.map((m) => m.To)).toEqual(emails); // and that is the order they were added in
      const times = messages.map((m) => m.receivedAt.getTime());
      expect(times).toEqual([...times].sort((a, b) => a - b));
      const most = busiest(messages, 8_000);
      expect(most).toBeLessThanOrEqual(10);
      expect(times[10]).toBeGreaterThanOrEqual(restartedAt);
      process.stderr.write(
        `crash: busiest 8 s window ${most}, killed ${killedAt - times[9]} ms after the 10th, ` +
          `11th ${times[10] - restartedAt} ms after the restart, last ${times[29] - times[10]} ms after the 11th\n`,
      );
    },
    240_000,
  );
});

describe('The sending limit and the send window, with the worker in the test process', () => {
  it.concurrent(
    "when the account's window opens in under a minute on London's clock, then Berlin's recipients (an hour ahead, inside it) get theirs at once, London's and those without a zone at the opening, Athens' not today, and a campaign with its own window in Berlin's zone sends its zone-less recipients at once",
    async () => {
      const { as, adminKey } = await stack.newAccount(1_000_000);
      const api = as(adminKey);

      const now = Date.now();
      const { opensAt, window: accountWindow } = londonWindowOpeningSoon(now);
      // The campaign's own window: the same hours, read in Berlin for recipients without a zone.
      const berlinWindow: SendWindow = { ...accountWindow, timeZone: 'Europe/Berlin' };
      const athensOpens = nextOpening(accountWindow, opensAt, 'Europe/Athens');
      // What the test stands on, read from the module the claim step uses.
      expect(isOpenAt(accountWindow, now, 'Europe/London')).toBe(false);
      expect(nextOpening(accountWindow, now, 'Europe/London')).toBe(opensAt);
      expect(isOpenAt(accountWindow, now, 'Europe/Berlin')).toBe(true);
      expect(isOpenAt(accountWindow, opensAt + 4 * 60_000, 'Europe/Berlin')).toBe(true); // till F + 5 min
      expect(isOpenAt(accountWindow, now, 'Europe/Athens')).toBe(false);
      // Tomorrow, two hours before London (22 h later; 21 or 23 across a change of the clocks).
      expect(athensOpens - opensAt).toBeGreaterThanOrEqual(21 * 3600_000);

      await putPolicy(api, { limits: [], window: accountWindow });
      const zones: Record<string, string | undefined> = {};
      const draft = async (
        name: string,
        sendWindow: SendWindow | null,
        groups: [zone: string | undefined, count: number][],
      ) => {
        const created = await api.post('/v1/campaigns', {
          name,
          costPerInviteCents: 1,
          batch: { size: null, gapMinutes: 0 },
          sendWindow,
        });
        expect(created.status).toBe(201);
        const recipients = groups.flatMap(([zone, count]) =>
          Array.from({ length: count }, (_, i) => {
            const email = `${(zone ?? 'nozone').replace('/', '-').toLowerCase()}${i}@${name}${now}.example.com`;
            zones[email] = zone;
            return { email, ...(zone ? { timeZone: zone } : {}) };
          }),
        );
        const added = await api.post(`/v1/campaigns/${created.body.id}/invites/bulk`, { recipients });
        expect(added.status).toBe(201);
        return { id: created.body.id, emails: recipients.map((r) => r.email) };
      };
      // Account's window (sendWindow null): each zone, and recipients without one (London's clock).
      const onAccount = await draft('account', null, [
        ['Europe/London', 4],
        [undefined, 4],
        ['Europe/Berlin', 4],
        ['Europe/Athens', 4],
      ]);
      // Its own window in Berlin's zone: zone-less recipients are open now; a London one still is not.
      const ownWindow = await draft('own', berlinWindow, [
        [undefined, 3],
        ['Europe/London', 3],
      ]);
      const zoneOf = (m: SentMessage) => zones[m.To.toLowerCase()];
      const windowOf = (m: SentMessage) =>
        m.Metadata.campaignId === ownWindow.id ? berlinWindow : accountWindow;

      for (const { id } of [onAccount, ownWindow])
        expect((await api.post(`/v1/campaigns/${id}/launch`)).status).toBe(200);
      expect(Date.now()).toBeLessThan(opensAt - 10_000); // time to see the wait before it ends

      // Before the opening: those open now got theirs, and both campaigns wait for London's opening.
      const opening = { reason: 'send_window', until: new Date(opensAt).toISOString() };
      for (const [{ id }, openNow] of [
        [onAccount, 4],
        [ownWindow, 3],
      ] as const) {
        const shown = await eventually(
          async () => {
            const view = (await api.get(`/v1/campaigns/${id}`)).body;
            return invitationsOf(fake, id).length === openNow && view.waiting ? view : undefined;
          },
          { timeoutMs: opensAt - Date.now() - 1_000 },
        );
        expect(shown).toMatchObject({ status: 'launching', waiting: opening });
        // The row is written by the send step, the workflow's own state a moment later, when it
        // reads the step's outcome: wait for the workflow too.
        await eventually(async () => {
          expect((await query(stack.temporal, id)).waiting).toEqual(opening);
          return true;
        });
      }
      expect(Date.now()).toBeLessThan(opensAt);

      // After it: London's and the zone-less ones went; only Athens' wait, until tomorrow.
      await untilStatus(api, ownWindow.id, 'active', opensAt - Date.now() + 30_000);
      const afterwards = { reason: 'send_window', until: new Date(athensOpens).toISOString() };
      const waitingForAthens = await eventually(
        async () => {
          const view = (await api.get(`/v1/campaigns/${onAccount.id}`)).body;
          return view.waiting?.until === afterwards.until ? view : undefined;
        },
        { timeoutMs: 30_000 },
      );
      expect(waitingForAthens).toMatchObject({
        status: 'launching',
        waiting: afterwards,
        progress: { total: 16, sent: 12, pending: 4 },
      });
      // The row is written by the send step, the workflow's own state a moment later, when it
      // reads the step's outcome: wait for the workflow too.
      await eventually(async () => {
        expect((await query(stack.temporal, onAccount.id)).waiting).toEqual(afterwards);
        return true;
      });

      const received = [...invitationsOf(fake, onAccount.id), ...invitationsOf(fake, ownWindow.id)];
      const early = received.filter((m) => m.receivedAt.getTime() < opensAt);
      const late = received.filter((m) => m.receivedAt.getTime() >= opensAt);
      expect(early.map((m) => m.To).sort()).toEqual(
        [
          ...onAccount.emails.filter((e) => zones[e] === 'Europe/Berlin'),
          ...ownWindow.emails.filter((e) => zones[e] === undefined),
        ].sort(),
      );
      expect(late.map((m) => m.To).sort()).toEqual(
        [
          ...onAccount.emails.filter((e) => zones[e] === 'Europe/London' || zones[e] === undefined),
          ...ownWindow.emails.filter((e) => zones[e] === 'Europe/London'),
        ].sort(),
      );
      expect(received.filter((m) => zoneOf(m) === 'Europe/Athens')).toEqual([]);
      expectExactlyOnce(
        received,
        [...onAccount.emails, ...ownWindow.emails].filter((e) => zones[e] !== 'Europe/Athens'),
      );
      const outside = received.filter((m) => !isOpenAt(windowOf(m), m.receivedAt.getTime(), zoneOf(m)));
      expect(outside).toEqual([]);
      process.stderr.write(
        `window: opened ${new Date(opensAt).toISOString()}, first after it ${
          Math.min(...late.map((m) => m.receivedAt.getTime())) - opensAt
        } ms late, last before it ${opensAt - Math.max(...early.map((m) => m.receivedAt.getTime()))} ms early\n`,
      );
    },
    240_000,
  );

  it.concurrent(
    "when every invite waiting for the window has expired by the time it opens, then at the opening the campaign sends nothing, not even another campaign's unsent invites, and becomes active",
    async () => {
      // Another account's draft: unsent invites nobody launched.
      const other = await stack.newAccount(1_000_000);
      const bystander = await draftWithRecipients(
        other.as(other.adminKey),
        5,
        { batch: { size: null, gapMinutes: 0 } },
        `bystander${Date.now()}.example.com`,
      );
      const { as, adminKey } = await stack.newAccount(1_000_000);
      const api = as(adminKey);
      const { opensAt, window } = londonWindowOpeningSoon(Date.now());
      await putPolicy(api, { limits: [], window });
      const created = await api.post('/v1/campaigns', {
        name: 'Expiring',
        costPerInviteCents: 1,
        batch: { size: null, gapMinutes: 0 },
      });
      const { id } = created.body;
      // Expiring 8 s before the opening: expiries do not wait for the window (SPEC), sending does.
      const emails = [0, 1, 2].map((i) => `expiring${i}@x${opensAt}.example.com`);
      const added = await api.post(`/v1/campaigns/${id}/invites/bulk`, {
        recipients: emails.map((email) => ({ email, timeZone: 'Europe/London' })),
        expiresIn: new Date(opensAt - 8_000).toISOString(),
      });
      expect(added.status).toBe(201);
      expect((await api.post(`/v1/campaigns/${id}/launch`)).status).toBe(200);

      const opening = { reason: 'send_window', until: new Date(opensAt).toISOString() };
      await eventually(async () =>
        (await api.get(`/v1/campaigns/${id}`)).body.waiting?.until === opening.until ? true : undefined,
      );
      // The row is written by the send step, the workflow's own state a moment later, when it
      // reads the step's outcome: wait for the workflow too.
      await eventually(async () => {
        expect((await query(stack.temporal, id)).waiting).toEqual(opening);
        return true;
      });

      await untilStatus(api, id, 'active', opensAt - Date.now() + 30_000);
      expect(Date.now()).toBeGreaterThanOrEqual(opensAt);
      expect(invitationsOf(fake, id)).toEqual([]);
      const receivedByBystanders = fake.sent.filter((m) => bystander.emails.includes(m.To.toLowerCase()));
      expect(receivedByBystanders).toEqual([]);
      expect((await allInvites(other.as(other.adminKey), bystander.id)).every((i) => !i.sentAt)).toBe(true);
      const view = (await api.get(`/v1/campaigns/${id}`)).body;
      expect(view).toMatchObject({ waiting: null, progress: { total: 3, sent: 0, expired: 3 } });
    },
    240_000,
  );

  it('when three campaigns of 30 invites launch together under a limit of 10 per 5 s, then no 5 s window of receipts holds more than 10, all 90 arrive exactly once, none is granted more than its share of a window while all wait nor starves, they finish within three windows of each other, and a campaign shows waiting on the sending limit meanwhile', async () => {
    const { as, adminKey, accountId } = await stack.newAccount(1_000_000);
    const api = as(adminKey);
    await putPolicy(api, { limits: [{ max: 10, windowSeconds: 5 }], window: null });
    const stamp = Date.now();
    const campaigns = await Promise.all(
      ['a', 'b', 'c'].map((name) =>
        draftWithRecipients(api, 30, { batch: { size: null, gapMinutes: 0 } }, `${name}${stamp}.example.com`),
      ),
    );
    const ids = campaigns.map((c) => c.id);
    const watch = watchWaits(api, ids);
    const launchedAt = Date.now();
    const launched = await Promise.all(ids.map((id) => api.post(`/v1/campaigns/${id}/launch`)));
    expect(launched.map((r) => r.status)).toEqual([200, 200, 200]);

    // 90 at 10 per 5 s: at least 8 windows after the first, so about 40 s.
    await Promise.all(ids.map((id) => untilStatus(api, id, 'active', 120_000)));
    await watch.stop();
    const took = Date.now() - launchedAt;

    const all = ids.flatMap((id) => invitationsOf(fake, id));
    expect(all).toHaveLength(90);
    campaigns.forEach(({ id, emails }) => expectExactlyOnce(invitationsOf(fake, id), emails));
    const most = busiest(all, 5_000);
    expect(most).toBeLessThanOrEqual(10);
    // Ten a window at most, so the last of 90 cannot arrive before 8 windows have passed.
    expect(lastReceipt(all) - Math.min(...all.map((m) => m.receivedAt.getTime()))).toBeGreaterThan(40_000);

    // Fair share: campaigns waiting together split each window (none takes it whole for being
    // first to ask), and a window's odd slots go to the least served. Said in the limiter's own grants (kept a day), in the order it made
    // them, which a loaded machine cannot blur as it blurs receipt times (a wave's provider calls
    // straggle). "Together" starts when the last of the three started launching (its demand is
    // announced in that transition): the three launch requests run concurrently, and on a loaded
    // machine one campaign's first ask can come before another's launch is through (seen in CI:
    // 7 left). Slots granted before then are a head start the limiter rightly did not share.
    const launchedTogetherAt = Math.max(
      ...(
        await stack.db.manager.findBy(AuditEntry, {
          campaignId: In(ids),
          action: 'status_changed',
          toStatus: 'launching',
        })
      ).map((e) => e.at.getTime()),
    );
    const grants = (await stack.db.manager.findBy(SendGrant, { accountId })).sort((a, b) =>
      a.id < b.id ? -1 : 1,
    );
    expect(grants.every((g) => g.completedAt !== null)).toBe(true);
    const slotsOf = (from: number, upTo: number) =>
      ids.map((id) =>
        grants
          .filter(
            (g) => g.campaignId === id && g.grantedAt.getTime() >= from && g.grantedAt.getTime() <= upTo,
          )
          .reduce((sum, g) => sum + g.slots, 0),
      );
    expect(slotsOf(-Infinity, Infinity)).toEqual([30, 30, 30]);
    const headStart = slotsOf(-Infinity, launchedTogetherAt - 1);
    const completing = grants.find((_, k) =>
      ids.some(
        (id) => grants.slice(0, k + 1).reduce((n, g) => n + (g.campaignId === id ? g.slots : 0), 0) >= 30,
      ),
    )!;
    // While all three wait (from the last launch to the grant that completes the first), the
    // limiter grants none more than its share of a window: 10 / 3, the odd slot included, so at
    // most 4 slots granted to one campaign within any 5 s (each grant is counted against its
    // campaign from when it is made until 5 s after it completes). And none starves: each is
    // granted slots again within 3 windows.
    const sharedUntil = completing.grantedAt.getTime();
    const mostInAWindow = ids.map((id) => {
      const own = grants.filter(
        (g) =>
          g.campaignId === id &&
          g.grantedAt.getTime() >= launchedTogetherAt + 5_000 &&
          g.grantedAt.getTime() <= sharedUntil,
      );
      return Math.max(
        0,
        ...own.map((g) =>
          grants
            .filter(
              (o) =>
                o.campaignId === id &&
                o.grantedAt.getTime() > g.grantedAt.getTime() - 5_000 &&
                o.grantedAt.getTime() <= g.grantedAt.getTime(),
            )
            .reduce((sum, o) => sum + o.slots, 0),
        ),
      );
    });
    expect(Math.max(...mostInAWindow)).toBeLessThanOrEqual(4);
    const longestWait = ids.map((id) => {
      const times = [
        launchedTogetherAt,
        ...grants
          .filter((g) => g.campaignId === id && g.grantedAt.getTime() <= sharedUntil)
          .map((g) => g.grantedAt.getTime()),
      ].sort((a, b) => a - b);
      return Math.max(0, ...times.slice(1).map((t, k) => t - times[k]));
    });
    expect(Math.max(...longestWait)).toBeLessThanOrEqual(3 * 5_000);
    // Shares are per window, not a running account: a campaign whose grants split around a
    // window's odd slot (its 1, then its 2 a moment later) counts against its next window later,
    // and a loaded machine's retries come late, so campaigns drift apart over many windows (seen
    // in CI: 8 slots, two windows' shares, behind the first to finish). Receipts come in
    // window-sized steps, so they finish within 3 windows plus the timers' jitter; a head start of
    // h slots finishes up to h / 3 windows sooner (each waiting campaign gets 3 or 4 of 10).
    const finished = ids.map((id) => lastReceipt(invitationsOf(fake, id)));
    const firstDone = Math.min(...finished);
    const spread = Math.max(...finished) - firstDone;
    const headStartWindows = Math.ceil((Math.max(...headStart) - Math.min(...headStart)) / 3);
    expect(spread).toBeLessThanOrEqual((3 + headStartWindows) * 5_000 + 1_500);
    const together = slotsOf(launchedTogetherAt, sharedUntil + 5_000 / 2);
    const behindFirst = together.map((n) => together[ids.indexOf(completing.campaignId!)] - n);

    expect(watch.seen.some((w) => w.reason === 'sending_limit')).toBe(true);
    for (const id of ids) {
      expect((await api.get(`/v1/campaigns/${id}`)).body.waiting).toBeNull();
      await untilQueryMatches(stack.temporal, id, { waiting: null });
    }
    process.stderr.write(
      `limits: busiest 5 s window ${most}, finish spread ${spread} ms, head starts ${headStart.join('/')}, behind the first when it finished ${behindFirst.join('/')}, most in a window ${mostInAWindow.join('/')}, longest wait ${longestWait.join('/')} ms, ` +
        `campaigns' own finishes ${finished.map((f) => f - launchedAt).join('/')} ms, all done in ${took} ms\n`,
    );
  }, 180_000);
});
