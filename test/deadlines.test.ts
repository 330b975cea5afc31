import { workflowIdFor } from '../domain/campaign';
import { draft, inSeconds, query, recordHistory, untilInstant, untilStatus } from './support/campaigns';
import { untilCampaignIdle, untilCampaignPast, untilTaskWaits } from './support/idle';
import { eventually, useAccount, useStack } from './support/stack';

const DAY_S = 86_400;
/** reminderDaysBefore for "this many seconds before the expiry". */
const secondsBefore = (s: number) => s / DAY_S;

// Each test waits seconds for its own campaign's timers, so all but the last run side by side
// (it.concurrent); the last stops the worker and runs alone, after them. Jest starts concurrent
// tests right after the file's top-level beforeAll, before any describe's own, so the stack is
// set up here.
const stack = useStack();
const api = useAccount(stack, 10_000_000).api;

describe('Invite expirations and reminders, one timer per campaign', () => {
  /** Reminder emails recorded for a campaign (their notification records, kept exactly once). */
  const reminders = async (campaignId: string): Promise<{ inviteId: string; sentAt: Date }[]> =>
    (
      await stack.db.dataSource.query(
        "SELECT inviteId, sentAt FROM notifications WHERE campaignId = ? AND kind = 'reminder' AND state = 'sent'",
        [campaignId],
      )
    ).map((r: { inviteId: string; sentAt: string | Date }) => ({
      inviteId: r.inviteId,
      sentAt: new Date(r.sentAt instanceof Date ? r.sentAt : `${String(r.sentAt).replace(' ', 'T')}Z`),
    }));

  async function liveCampaign(invites: Record<string, unknown>[], campaign: Record<string, unknown> = {}) {
    const id = await draft(api, { name: 'Deadlines', ...campaign });
    const created = [];
    for (const [k, body] of invites.entries())
      created.push(
        (await api.post(`/v1/campaigns/${id}/invites`, { email: `p${k}-${Date.now()}@example.com`, ...body }))
          .body,
      );
    expect((await api.post(`/v1/campaigns/${id}/launch`)).status).toBe(200);
    await untilStatus(api, id, 'active');
    return { id, invites: created as { id: string; url: string; reminderAt: string; expiresAt: string }[] };
  }

  it.concurrent(
    'when an invite has a reminder, then it goes once, at its moment, and the workflow keeps one timer for it',
    async () => {
      const { id, invites } = await liveCampaign([
        { expiresIn: inSeconds(30), reminderDaysBefore: secondsBefore(22) },
      ]);
      const reminderAt = Date.parse(invites[0].reminderAt);
      const armed = await eventually(
        async () => (await query(stack.temporal, id)).nextInviteDeadlineAt ?? undefined,
      );
      expect(armed).toBe(invites[0].reminderAt);
      expect(await reminders(id)).toEqual([]);

      const [sent] = await eventually(
        async () => ((await reminders(id)).length ? reminders(id) : undefined),
        {
          timeoutMs: 15_000,
        },
      );
      expect(sent.inviteId).toBe(invites[0].id);
      expect(sent.sentAt.getTime()).toBeGreaterThanOrEqual(reminderAt);
      expect(sent.sentAt.getTime() - reminderAt).toBeLessThan(5_000);
      const next = await eventually(async () => {
        const at = (await query(stack.temporal, id)).nextInviteDeadlineAt;
        return at !== invites[0].reminderAt ? at : undefined;
      });
      expect(next).toBe(invites[0].expiresAt); // re-armed on the next deadline: its expiry
      // Idle on that timer: nothing of the reminder's step is still running to send another.
      await untilCampaignIdle(stack.temporal, id);
      expect((await query(stack.temporal, id)).nextTimerAt).toBe(invites[0].expiresAt);
      expect(await reminders(id)).toHaveLength(1);
      await recordHistory(stack.temporal, id, 'reminder-sent-once');
    },
  );

  it.concurrent(
    'when an invite is used or reset before its reminder, then no reminder goes to it',
    async () => {
      const { id, invites } = await liveCampaign([
        { expiresIn: inSeconds(30), reminderDaysBefore: secondsBefore(22) },
        { expiresIn: inSeconds(30), reminderDaysBefore: secondsBefore(22) },
      ]);
      const [used, reset] = invites;
      const token = new URL(used.url).pathname.split('/').pop()!;
      const done = await fetch(`${stack.baseUrl}/i/${token}/complete`, {
        method: 'POST',
        redirect: 'manual',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: 'order=X1',
      });
      expect(done.status).toBe(303);
      const replaced = await api.post(`/v1/invites/${reset.id}/reset`);
      expect(replaced.status).toBe(200);

      await untilCampaignPast(stack.temporal, id, used.reminderAt);
      const sent = await reminders(id);
      expect(sent.map((r) => r.inviteId)).not.toContain(used.id);
      expect(sent.map((r) => r.inviteId)).not.toContain(reset.id);
    },
  );

  it.concurrent(
    "when the campaign expires before an invite's own expiry, then the campaign's wins: everything stops at once",
    async () => {
      const { id, invites } = await liveCampaign(
        [{ expiresIn: inSeconds(120), reminderDaysBefore: secondsBefore(60) }],
        { expiresAt: inSeconds(6) },
      );
      expect((await query(stack.temporal, id)).nextTimerAt).toBe(
        (await api.get(`/v1/campaigns/${id}`)).body.expiresAt,
      );
      await untilStatus(api, id, 'expired', 20_000);
      const page = await fetch(`${stack.baseUrl}${new URL(invites[0].url).pathname}`);
      expect(page.status).toBe(410);
      expect(await reminders(id)).toEqual([]);
    },
  );

  it.concurrent(
    "when an invite expires by its own date, then it is marked expired, and extending the campaign's expiry does not revive it",
    async () => {
      const { id, invites } = await liveCampaign([{ expiresIn: inSeconds(4) }, { expiresIn: '30d' }], {
        expiresAt: inSeconds(60),
      });
      // The workflow's deadline sweep marks it (the API counts it expired from its date alone).
      await eventually(
        async () => {
          const rows: { expiredAt: unknown }[] = await stack.db.dataSource.query(
            'SELECT expiredAt FROM invites WHERE id = ?',
            [invites[0].id],
          );
          return rows[0].expiredAt ? true : undefined;
        },
        { timeoutMs: 15_000 },
      );
      expect((await api.get(`/v1/campaigns/${id}`)).body.progress.expired).toBe(1);

      expect((await api.patch(`/v1/campaigns/${id}`, { expiresAt: inSeconds(3600) })).status).toBe(200);
      expect((await fetch(`${stack.baseUrl}${new URL(invites[0].url).pathname}`)).status).toBe(410);
      expect((await fetch(`${stack.baseUrl}${new URL(invites[1].url).pathname}`)).status).toBe(200);
      const table = (await api.get(`/v1/campaigns/${id}/invites`)).body.data;
      expect(table.find((i) => i.id === invites[0].id)!.linkState).toBe('expired');
    },
  );

  it.concurrent(
    'when a reminder falls due while the campaign is paused, then it waits, and goes out on resume',
    async () => {
      const { id, invites } = await liveCampaign([
        { expiresIn: inSeconds(30), reminderDaysBefore: secondsBefore(22) },
      ]);
      await api.post(`/v1/campaigns/${id}/pause`);
      await untilCampaignPast(stack.temporal, id, invites[0].reminderAt);
      expect(await reminders(id)).toEqual([]);
      await api.post(`/v1/campaigns/${id}/resume`);
      const sent = await eventually(async () => ((await reminders(id)).length ? reminders(id) : undefined), {
        timeoutMs: 10_000,
      });
      expect(sent.map((r) => r.inviteId)).toEqual([invites[0].id]);
    },
  );

  it('when a deadline passes while no worker runs, then it fires as soon as one is back', async () => {
    const { id, invites } = await liveCampaign([
      { expiresIn: inSeconds(30), reminderDaysBefore: secondsBefore(22) },
    ]);
    await stack.stopWorker();
    // The reminder instant passes with nobody to act on it: its timer fired, its task waits.
    await untilInstant(invites[0].reminderAt);
    await untilTaskWaits(stack.temporal, workflowIdFor(id));
    expect(await reminders(id)).toEqual([]);
    const restarted = Date.now();
    await stack.startWorker();
    const sent = await eventually(async () => ((await reminders(id)).length ? reminders(id) : undefined), {
      timeoutMs: 20_000,
    });
    expect(sent.map((r) => r.inviteId)).toEqual([invites[0].id]);
    expect(sent[0].sentAt.getTime()).toBeGreaterThanOrEqual(restarted);
  });
});
