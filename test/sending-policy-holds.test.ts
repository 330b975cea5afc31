import { PostmarkEmail } from '../email/postmark';
import { type SendWindow, DAYS } from '../domain/send-window';
import { draft, inSeconds, query, recordHistory, untilInstant, untilStatus } from './support/campaigns';
import { draftWithRecipients } from './support/delivery';
import type { SentMessage } from './support/postmark-server';
import { type ApiClient, eventually, usePostmarkStack } from './support/stack';

/*
 * What else keeps to the account's sending policy besides the invitations: reminders wait
 * for the window (and move the campaign's one deadline timer), expiries do not; support's
 * resend goes first when a slot frees, and counts.
 */

const DAY_S = 86_400;
const secondsBefore = (s: number) => s / DAY_S;

/** A London window opening at the next minute boundary at least `lead` s away, for an hour. */
function windowOpeningSoon(lead = 15): { window: SendWindow; opensAt: number } {
  const opensAt = Math.ceil((Date.now() + lead * 1000) / 60_000) * 60_000;
  // December: London's clock is UTC.
  const hhmm = (t: number) => new Date(t).toISOString().slice(11, 16);
  const to = hhmm(opensAt + 3600_000);
  return {
    window: {
      timeZone: 'Europe/London',
      days: [...DAYS],
      from: hhmm(opensAt),
      to: to === '00:00' ? '24:00' : to,
    },
    opensAt,
  };
}

// The reminder test waits up to 75 s for a minute boundary; it runs in the background
// (it.concurrent, an account of its own) while the others run one after the other. Jest starts
// concurrent tests right after the file's top-level beforeAll, before any describe's own, so
// the stack is set up here.
const { stack, fake } = usePostmarkStack((postmark) => ({
  activities: { email: new PostmarkEmail({ apiUrl: postmark.url, rateLimitBackoffSeconds: 2 }) },
}));

describe("Reminders and resends keep to the account's sending policy", () => {
  const ofKind = (campaignId: string, kind: string): SentMessage[] =>
    fake.sent.filter((m) => m.Metadata.campaignId === campaignId && m.Metadata.kind === kind);

  async function freshAdmin(): Promise<ApiClient> {
    const account = await stack.newAccount(10_000_000);
    return account.as(account.adminKey);
  }

  it('when support resends while the campaign has used up the limit, then the resend goes first as a slot frees, and counts: no window ever holds more than the limit', async () => {
    const api = await freshAdmin();
    const limit = { max: 4, windowSeconds: 6 };
    expect((await api.put('/v1/account/sending-policy', { limits: [limit], window: null })).status).toBe(200);
    const { id } = await draftWithRecipients(api, 12, { batch: { size: null, gapMinutes: 0 } });
    const launchedAt = Date.now();
    await api.post(`/v1/campaigns/${id}/launch`);
    const waiting = await eventually(
      async () => (await api.get(`/v1/campaigns/${id}`)).body.waiting ?? undefined,
    );
    expect(waiting.reason).toBe('sending_limit');
    expect(ofKind(id, 'invitation')).toHaveLength(4);

    const first = (await api.get(`/v1/campaigns/${id}/invites?limit=100`)).body.data.find(
      (i: { sentAt: string | null }) => i.sentAt !== null,
    );
    const resend = await api.post(`/v1/invites/${first!.id}/send`);
    expect(resend.status).toBe(200);
    await untilStatus(api, id, 'active', 40_000);

    const resends = ofKind(id, 'resend');
    expect(resends).toHaveLength(1);
    const invitations = ofKind(id, 'invitation');
    expect(invitations).toHaveLength(12);
    expect(new Set(invitations.map((m) => m.To)).size).toBe(12);
    // Counted: every sliding window of the account's sends holds at most `max`.
    const times = [...invitations, ...resends].map((m) => m.receivedAt.getTime()).sort((a, b) => a - b);
    for (const start of times)
      expect(
        times.filter((t) => t >= start && t < start + limit.windowSeconds * 1000).length,
      ).toBeLessThanOrEqual(limit.max);
    // First: it went in the second window, ahead of the invitations still waiting then.
    const secondWindow = invitations.map((m) => m.receivedAt.getTime()).sort((a, b) => a - b)[4];
    expect(resends[0].receivedAt.getTime()).toBeLessThanOrEqual(secondWindow + 500);
    expect(resends[0].receivedAt.getTime() - launchedAt).toBeLessThan(3 * limit.windowSeconds * 1000);
    await recordHistory(stack.temporal, id, 'limit-share-wait');
  });

  it('when the owner lifts the window while a campaign waits hours for it, then the campaign sends at once instead of sleeping until the old opening', async () => {
    const api = await freshAdmin();
    const { window, opensAt } = windowOpeningSoon(2 * 3600);
    expect((await api.put('/v1/account/sending-policy', { limits: [], window })).status).toBe(200);
    const { id } = await draftWithRecipients(api, 5, { batch: { size: null, gapMinutes: 0 } });
    await api.post(`/v1/campaigns/${id}/launch`);
    const waiting = await eventually(
      async () => (await api.get(`/v1/campaigns/${id}`)).body.waiting ?? undefined,
    );
    expect(waiting).toEqual({ reason: 'send_window', until: new Date(opensAt).toISOString() });
    expect((await query(stack.temporal, id)).nextTimerAt).toBe(new Date(opensAt).toISOString());

    const lifted = Date.now();
    expect((await api.put('/v1/account/sending-policy', { limits: [], window: null })).status).toBe(200);
    await untilStatus(api, id, 'active', 15_000);
    const sent = ofKind(id, 'invitation');
    expect(sent).toHaveLength(5);
    expect(Math.max(...sent.map((m) => m.receivedAt.getTime())) - lifted).toBeLessThan(10_000);
    expect((await api.get(`/v1/campaigns/${id}`)).body.waiting).toBeNull();
  });

  it.concurrent(
    'when a reminder falls due outside the window, then it waits on the deadline timer until the window opens, while an expiry due meanwhile happens on time',
    async () => {
      const api = await freshAdmin();
      const { window, opensAt } = windowOpeningSoon();
      const toOpen = (opensAt - Date.now()) / 1000;
      const id = await draft(api, { name: 'Held reminders', costPerInviteCents: 1 });
      const addReminded = await api.post(`/v1/campaigns/${id}/invites`, {
        email: `reminded-${Date.now()}@example.com`,
        expiresIn: inSeconds(toOpen + 20),
        reminderDaysBefore: secondsBefore(toOpen + 20 - 6), // due ~6 s from now, long before the window opens
      });
      expect(addReminded.status).toBe(201);
      const reminded = addReminded.body;
      const addExpiring = await api.post(`/v1/campaigns/${id}/invites`, {
        email: `expiring-${Date.now()}@example.com`,
        expiresIn: inSeconds(10),
      });
      expect(addExpiring.status).toBe(201);
      const expiring = addExpiring.body;
      expect((await api.post(`/v1/campaigns/${id}/launch`)).status).toBe(200);
      await untilStatus(api, id, 'active');
      expect(ofKind(id, 'invitation')).toHaveLength(2); // no window yet: the invitations went at once

      const put = await api.put('/v1/account/sending-policy', { limits: [], window });
      expect(put.status).toBe(200);

      // The reminder falls due and is held: once its instant has passed, the workflow's one deadline
      // timer is past it (had the due pass sent it, it would have done so before re-arming), and
      // then moves to the opening.
      const dueAt = Date.parse(reminded.reminderAt!);
      await untilInstant(dueAt);
      await eventually(async () => {
        const { nextTimerAt } = await query(stack.temporal, id);
        return nextTimerAt && Date.parse(nextTimerAt) > dueAt ? true : undefined;
      });
      expect(ofKind(id, 'reminder')).toHaveLength(0);
      const held = await eventually(async () => {
        const view = await query(stack.temporal, id);
        return view.nextTimerAt && Date.parse(view.nextTimerAt) === opensAt ? view : undefined;
      });
      expect(held.phase).toBe('active');

      // The expiry did not wait for the window: the invite was marked expired at its own date.
      const expiredAt = await eventually(
        async () => {
          const [row] = await stack.db.dataSource.query('SELECT expiredAt FROM invites WHERE id = ?', [
            expiring.id,
          ]);
          return row?.expiredAt
            ? new Date(
                row.expiredAt instanceof Date ? row.expiredAt : `${String(row.expiredAt).replace(' ', 'T')}Z`,
              )
            : undefined;
        },
        { timeoutMs: 15_000 },
      );
      expect(expiredAt.getTime()).toBeLessThan(opensAt);
      expect(expiredAt.getTime() - Date.parse(expiring.expiresAt!)).toBeLessThan(5_000);

      const [reminder] = await eventually(
        async () => (ofKind(id, 'reminder').length ? ofKind(id, 'reminder') : undefined),
        {
          timeoutMs: Math.max(0, opensAt - Date.now()) + 15_000,
        },
      );
      expect(reminder.receivedAt.getTime()).toBeGreaterThanOrEqual(opensAt);
      expect(reminder.receivedAt.getTime() - opensAt).toBeLessThan(5_000);
      expect(reminder.To).toBe(reminded.email);
      // Once the opening's pass is over (the timer moves on, to the reminded invite's expiry), it sent one.
      await eventually(async () => {
        const { nextTimerAt } = await query(stack.temporal, id);
        return nextTimerAt !== null && Date.parse(nextTimerAt) > opensAt ? true : undefined;
      });
      expect(ofKind(id, 'reminder')).toHaveLength(1);
    },
    150_000,
  ); // the window opens at the next minute boundary 15–75 s ahead, then up to 15 s for the reminder
});
