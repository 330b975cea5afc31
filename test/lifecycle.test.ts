import { draft, inSeconds, query, recordHistory, statusOf, untilStatus } from './support/campaigns';
import { untilCampaignIdle, untilCampaignPast } from './support/idle';
import { eventually, useAccount, useStack } from './support/stack';

// Each test drives campaigns of its own and waits seconds on their timers, so they run side by
// side (it.concurrent; the one that reads account totals has an account of its own). Jest
// starts concurrent tests right after the file's top-level beforeAll, before any describe's
// own, so the stack is set up here.
const stack = useStack();
const api = useAccount(stack, 1_000_000).api;

describe('The campaign lifecycle, driven through the API', () => {
  /** The row says cancelled/expired, and the answer comes back, a moment before the workflow closes. */
  const untilClosed = (id: string) =>
    eventually(async () =>
      (await stack.temporal.workflow.getHandle(`campaign-${id}`).describe()).status.name === 'COMPLETED'
        ? true
        : undefined,
    );

  it.concurrent(
    'when a draft without a start date is launched, then it goes out (launching) and becomes active; pause and resume return to active; cancel ends it',
    async () => {
      const id = await draft(api, {}, 3);
      const launched = await api.post(`/v1/campaigns/${id}/launch`);
      expect(launched.status).toBe(200);
      expect(['launching', 'active']).toContain(launched.body.status);
      expect(launched.body.reservedCents).toBe(30);
      await untilStatus(api, id, 'active');

      const paused = await api.post(`/v1/campaigns/${id}/pause`, { reason: 'waiting for legal' });
      expect(paused.status).toBe(200);
      expect(paused.body).toMatchObject({ status: 'paused', pausedReason: 'manual' });

      const resumed = await api.post(`/v1/campaigns/${id}/resume`);
      expect(resumed.body).toMatchObject({ status: 'active', pausedReason: null });

      const cancelled = await api.post(`/v1/campaigns/${id}/cancel`);
      expect(cancelled.body).toMatchObject({ status: 'cancelled', reservedCents: 0 });
      await untilClosed(id);
      await recordHistory(stack.temporal, id, 'launch-pause-resume-cancel');

      const audit = (await api.get(`/v1/campaigns/${id}/audit`)).body.data;
      expect(audit.filter((e) => e.action === 'status_changed').map((e) => e.toStatus)).toEqual([
        'launching',
        'active',
        'paused',
        'active',
        'cancelled',
      ]);
      expect(audit.find((e) => e.toStatus === 'paused')).toMatchObject({
        reason: 'waiting for legal',
        actor: expect.any(String),
      });
    },
  );

  it.each([
    ['resume', 'draft'],
    ['pause', 'draft'],
    ['cancel', 'cancelled'],
    ['launch', 'cancelled'],
    ['resume', 'cancelled'],
  ] as const)(
    'when %s is sent to a %s campaign, then 409 invalid_state with the current status, recorded in the audit log',
    async (command, status) => {
      const id = await draft(api);
      if (status === 'cancelled') await api.post(`/v1/campaigns/${id}/cancel`);
      const res = await api.post(`/v1/campaigns/${id}/${command}`);
      expect(res.status).toBe(409);
      expect(res.headers.get('content-type')).toMatch(/problem\+json/);
      expect(res.body).toMatchObject({ code: 'invalid_state', currentStatus: status });
      expect(await statusOf(api, id)).toBe(status);
      const audit = (await api.get(`/v1/campaigns/${id}/audit`)).body.data;
      expect(audit.at(-1)).toMatchObject({
        action: `refused:${command}`,
        reason: `invalid_state: cannot ${command} when ${status}`,
      });
    },
  );

  it.concurrent(
    'when a command reaches a campaign whose workflow has ended, then 409 invalid_state, logged as the workflow logs its refusals',
    async () => {
      const id = await draft(api);
      await api.post(`/v1/campaigns/${id}/cancel`);
      await untilClosed(id);
      const res = await api.post(`/v1/campaigns/${id}/resume`);
      expect(res.status).toBe(409);
      expect(res.body).toMatchObject({ code: 'invalid_state', currentStatus: 'cancelled' });
      const audit: { action: string; toStatus: string | null; actor: string }[] = (
        await api.get(`/v1/campaigns/${id}/audit`)
      ).body.data;
      expect(audit.at(-1)).toMatchObject({
        action: 'refused:resume',
        fromStatus: 'cancelled',
        reason: 'invalid_state: cannot resume when cancelled',
        actor: audit.find((e) => e.toStatus === 'cancelled')!.actor,
      });
    },
  );

  it.concurrent(
    'when an active campaign is launched again or a paused one paused again, then 409 and nothing changes',
    async () => {
      const id = await draft(api, {}, 1);
      await api.post(`/v1/campaigns/${id}/launch`);
      await untilStatus(api, id, 'active');
      expect((await api.post(`/v1/campaigns/${id}/launch`)).body).toMatchObject({
        code: 'invalid_state',
        currentStatus: 'active',
      });
      await api.post(`/v1/campaigns/${id}/pause`);
      expect((await api.post(`/v1/campaigns/${id}/pause`)).body).toMatchObject({
        code: 'invalid_state',
        currentStatus: 'paused',
      });
      expect((await api.get(`/v1/campaigns/${id}`)).body.reservedCents).toBe(10);
    },
  );

  it.concurrent(
    'when the start date is in the future, then launch schedules it and nothing happens before it; rescheduling earlier fires earlier',
    async () => {
      const startAt = inSeconds(120);
      const id = await draft(api, { startAt }, 2);
      const launched = await api.post(`/v1/campaigns/${id}/launch`);
      expect(launched.body.status).toBe('scheduled');
      expect((await query(stack.temporal, id)).nextTimerAt).toBe(startAt);

      // Idle on that one timer: nothing runs before the start date.
      expect(await untilCampaignIdle(stack.temporal, id)).toMatchObject({ closed: false });
      expect(await query(stack.temporal, id)).toMatchObject({ phase: 'scheduled', nextTimerAt: startAt });
      expect(await statusOf(api, id)).toBe('scheduled');

      const earlier = inSeconds(2);
      const moved = await api.patch(`/v1/campaigns/${id}`, { startAt: earlier });
      expect(moved.status).toBe(200);
      expect(moved.body).toMatchObject({ status: 'scheduled', startAt: earlier });
      expect((await query(stack.temporal, id)).nextTimerAt).toBe(earlier);
      await untilStatus(api, id, 'active', 10_000);
      const audit = (await api.get(`/v1/campaigns/${id}/audit`)).body.data;
      const launching = audit.find((e) => e.toStatus === 'launching');
      expect(launching).toMatchObject({ actor: 'system', reason: 'start date reached' });
      expect(Date.parse(launching!.at)).toBeGreaterThanOrEqual(Date.parse(earlier));
      await recordHistory(stack.temporal, id, 'scheduled-rescheduled-earlier');
    },
  );

  it.concurrent(
    'when a start date in the past is set on a scheduled campaign, then it starts now',
    async () => {
      const id = await draft(api, { startAt: inSeconds(300) }, 1);
      await api.post(`/v1/campaigns/${id}/launch`);
      const moved = await api.patch(`/v1/campaigns/${id}`, {
        startAt: new Date(Date.now() - 60_000).toISOString(),
      });
      expect(['launching', 'active']).toContain(moved.body.status);
      await untilStatus(api, id, 'active');
    },
  );

  it.concurrent(
    'when a scheduled campaign is paused past its start date, then nothing starts until resume, and it launches on resume',
    async () => {
      const startAt = inSeconds(4); // room for a loaded machine to launch and pause before it
      const id = await draft(api, { startAt }, 1);
      expect((await api.post(`/v1/campaigns/${id}/launch`)).body.status).toBe('scheduled');
      expect((await api.post(`/v1/campaigns/${id}/pause`)).body.status).toBe('paused');
      await untilCampaignPast(stack.temporal, id, startAt);
      expect(await statusOf(api, id)).toBe('paused');

      const resumed = await api.post(`/v1/campaigns/${id}/resume`);
      expect(['scheduled', 'launching', 'active']).toContain(resumed.body.status);
      await untilStatus(api, id, 'active');
      const changes = (await api.get(`/v1/campaigns/${id}/audit`)).body.data.filter(
        (e) => e.action === 'status_changed',
      );
      expect(changes.map((e) => e.toStatus)).toEqual([
        'scheduled',
        'paused',
        'scheduled',
        'launching',
        'active',
      ]);
      await recordHistory(stack.temporal, id, 'paused-past-start-then-resumed');
    },
  );

  it.concurrent(
    'when the expiry arrives, then the campaign expires, its workflow ends and the unused reservation is released',
    async () => {
      const account = await stack.newAccount(1_000);
      const mine = account.as(account.adminKey);
      const id = await draft(mine, { expiresAt: inSeconds(6) }, 5);
      expect((await mine.post(`/v1/campaigns/${id}/launch`)).body.reservedCents).toBe(50);
      expect((await mine.get('/v1/account')).body).toMatchObject({
        balanceCents: 1000,
        reservedCents: 50,
        availableCents: 950,
      });

      await untilStatus(mine, id, 'expired', 20_000);
      expect((await mine.get(`/v1/campaigns/${id}`)).body.reservedCents).toBe(0);
      expect((await mine.get('/v1/account')).body).toMatchObject({
        balanceCents: 1000,
        reservedCents: 0,
        availableCents: 1000,
      });
      const usage = (await mine.get('/v1/account/usage')).body;
      expect(usage.data).toEqual([
        {
          campaignId: id,
          campaignName: 'Lifecycle',
          reservedCents: 50,
          chargedCents: 0,
          releasedCents: 50,
          heldCents: 0,
        },
      ]);
      await untilClosed(id);
      expect((await mine.post(`/v1/campaigns/${id}/resume`)).body).toMatchObject({
        code: 'invalid_state',
        currentStatus: 'expired',
      });
      await recordHistory(stack.temporal, id, 'expired-and-released');
    },
  );

  it.concurrent(
    'when the expiry is extended before it arrives, then the timer moves and the campaign stays active',
    async () => {
      const first = inSeconds(5);
      const id = await draft(api, { expiresAt: first }, 1);
      await api.post(`/v1/campaigns/${id}/launch`);
      const later = inSeconds(120);
      const extended = await api.patch(`/v1/campaigns/${id}`, { expiresAt: later });
      expect(extended.body.expiresAt).toBe(later);
      expect((await query(stack.temporal, id)).nextTimerAt).toBe(later);
      await untilCampaignPast(stack.temporal, id, first);
      expect(await statusOf(api, id)).toBe('active');
      const audit = (await api.get(`/v1/campaigns/${id}/audit`)).body.data;
      expect(audit.find((e) => e.action === 'expiry_changed')).toMatchObject({
        details: { field: 'expiresAt', to: later },
      });
    },
  );

  it.concurrent(
    'when an expiry in the past or a malformed date is sent, then 400 and the timer is unchanged',
    async () => {
      const expiresAt = inSeconds(600);
      const id = await draft(api, { expiresAt }, 1);
      const past = await api.patch(`/v1/campaigns/${id}`, {
        expiresAt: new Date(Date.now() - 1000).toISOString(),
      });
      expect(past.status).toBe(400);
      expect(past.body.errors).toEqual([{ field: 'expiresAt', message: 'expiresAt must be in the future' }]);
      expect((await api.patch(`/v1/campaigns/${id}`, { expiresAt: 'soon' })).status).toBe(400);
      // The API refuses both itself: the workflow may still be reading its row, so wait for it.
      expect(await eventually(async () => (await query(stack.temporal, id)).expiresAt ?? undefined)).toBe(
        expiresAt,
      );
    },
  );

  it.concurrent('when draft fields are edited, then only a draft accepts them', async () => {
    const id = await draft(api, {}, 1);
    const edited = await api.patch(`/v1/campaigns/${id}`, {
      name: 'Renamed',
      batch: { size: 10, gapMinutes: 1 },
    });
    expect(edited.body).toMatchObject({ name: 'Renamed', batch: { size: 10, gapMinutes: 1 } });
    await api.post(`/v1/campaigns/${id}/launch`);
    const refused = await api.patch(`/v1/campaigns/${id}`, { name: 'Too late' });
    expect(refused.status).toBe(409);
    expect(refused.body.code).toBe('invalid_state');
    expect((await api.patch(`/v1/campaigns/${id}`, {})).status).toBe(400);
    expect((await api.request('PATCH', `/v1/campaigns/${id}`, { status: 'active' })).body.errors[0]).toEqual({
      field: 'status',
      message: 'unknown field',
    });
  });
});
