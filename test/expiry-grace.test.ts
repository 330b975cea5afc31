import { inSeconds, recordHistory, untilStatus } from './support/campaigns';
import { untilCampaignIdle } from './support/idle';
import { type ApiClient, eventually, useStack } from './support/stack';

/** Seconds as the decimal days the API takes (the SPEC allows decimals so tests can use seconds). */
const days = (seconds: number) => seconds / 86_400;

// Each test waits seconds for its own account's campaign to expire, so they run side by side
// (it.concurrent). Jest starts concurrent tests right after the file's top-level beforeAll,
// before any describe's own, so the stack is set up here.
const stack = useStack();

describe("The account's grace after a campaign expires", () => {
  const account = async (balanceCents: number, graceSeconds: number) => {
    const a = await stack.newAccount(balanceCents);
    const api = a.as(a.adminKey);
    const set = await api.patch('/v1/account', { expiryGraceDays: days(graceSeconds) });
    expect(set.status).toBe(200);
    expect(set.body.expiryGraceDays).toBeCloseTo(days(graceSeconds));
    return { ...a, api };
  };

  /** A launched campaign whose recipients all got their invitation. */
  const launched = async (api: ApiClient, recipients: number, expiresInSeconds: number) => {
    const created = await api.post('/v1/campaigns', {
      name: 'Grace',
      costPerInviteCents: 10,
      expiresAt: inSeconds(expiresInSeconds),
    });
    const id = created.body.id;
    await addRecipients(api, id, recipients, 'first');
    expect((await api.post(`/v1/campaigns/${id}/launch`)).status).toBe(200);
    await untilStatus(api, id, 'active');
    return id;
  };
  const addRecipients = async (api: ApiClient, id: string, n: number, tag: string) => {
    const recipients = Array.from({ length: n }, (_, i) => ({ email: `${tag}-${i}-${id}@example.com` }));
    expect((await api.post(`/v1/campaigns/${id}/invites/bulk`, { recipients })).status).toBe(201);
  };
  const pageStatus = async (api: ApiClient, id: string) => {
    const [invite] = (await api.get(`/v1/campaigns/${id}/invites?limit=1`)).body.data;
    return (await fetch(`${stack.baseUrl}/i/${invite.url.split('/i/')[1]}`)).status;
  };
  const workflowStatus = async (id: string) =>
    (await stack.temporal.workflow.getHandle(`campaign-${id}`).describe()).status.name;

  it.concurrent(
    'when a paused campaign expires and its expiry is extended within the grace, then it comes back paused, its unsent invites are held again, and each invite is charged once in all',
    async () => {
      const { api } = await account(1_000, 60);
      const id = await launched(api, 3, 15);
      await api.post(`/v1/campaigns/${id}/pause`);
      await addRecipients(api, id, 2, 'later'); // held at once, not sent while paused

      await untilStatus(api, id, 'expired', 30_000);
      const expired = (await api.get(`/v1/campaigns/${id}`)).body;
      expect(Date.parse(expired.extendableUntil!)).toBeGreaterThan(Date.now());
      expect(expired.reservedCents).toBe(0);
      expect((await api.get('/v1/account')).body).toMatchObject({ balanceCents: 970, reservedCents: 0 });
      expect(await pageStatus(api, id)).toBe(410);
      expect(await workflowStatus(id)).toBe('RUNNING'); // waiting out the grace on one timer

      const later = inSeconds(120);
      const revived = await api.patch(`/v1/campaigns/${id}`, { expiresAt: later });
      expect(revived.status).toBe(200);
      expect(revived.body).toMatchObject({
        status: 'paused',
        pausedReason: 'manual',
        expiresAt: later,
        extendableUntil: null,
        reservedCents: 20,
      });
      expect((await api.get('/v1/account')).body).toMatchObject({ balanceCents: 970, reservedCents: 20 });
      expect(await pageStatus(api, id)).toBe(200);

      expect((await api.post(`/v1/campaigns/${id}/resume`)).body.status).toBe('active');
      await eventually(async () =>
        (await api.get(`/v1/campaigns/${id}`)).body.progress.sent === 5 ? true : undefined,
      );
      expect((await api.post(`/v1/campaigns/${id}/cancel`)).body.status).toBe('cancelled');
      expect((await api.get('/v1/account')).body).toMatchObject({ balanceCents: 950, reservedCents: 0 });
      const [usage] = (await api.get('/v1/account/usage')).body.data;
      expect(usage).toMatchObject({ campaignId: id, chargedCents: 50, heldCents: 0 });

      const statuses = (await api.get(`/v1/campaigns/${id}/audit`)).body.data
        .filter((e) => e.action === 'status_changed')
        .map((e) => e.toStatus);
      expect(statuses).toEqual(['launching', 'active', 'paused', 'expired', 'paused', 'active', 'cancelled']);
      await recordHistory(stack.temporal, id, 'expired-revived-in-grace');
    },
  );

  it.concurrent(
    'when the grace has run out, then the workflow ends and extending is refused with 409 invalid_state',
    async () => {
      const { api } = await account(1_000, 3);
      const id = await launched(api, 1, 5);
      await untilStatus(api, id, 'expired', 20_000);
      await eventually(async () => ((await workflowStatus(id)) === 'COMPLETED' ? true : undefined), {
        timeoutMs: 20_000,
      });
      expect((await api.get(`/v1/campaigns/${id}`)).body.extendableUntil).toBeNull();
      const refused = await api.patch(`/v1/campaigns/${id}`, { expiresAt: inSeconds(60) });
      expect(refused.status).toBe(409);
      expect(refused.body).toMatchObject({ code: 'invalid_state', currentStatus: 'expired' });
    },
  );

  it.concurrent(
    'when the balance no longer covers the unsent invites, then extending within the grace is 402 and it stays expired',
    async () => {
      const { api } = await account(50, 60);
      // 12 s: launching, pausing and adding must all happen before it expires, on a loaded machine too.
      const id = await launched(api, 1, 12);
      await api.post(`/v1/campaigns/${id}/pause`);
      await addRecipients(api, id, 3, 'later'); // 30 held: 40 of 50 spoken for
      await untilStatus(api, id, 'expired', 25_000); // charged 10, released 30
      const other = await api.post('/v1/campaigns', { name: 'Other', costPerInviteCents: 20 });
      await addRecipients(api, other.body.id, 2, 'other');
      expect((await api.post(`/v1/campaigns/${other.body.id}/launch`)).status).toBe(200); // holds the 40 left

      const refused = await api.patch(`/v1/campaigns/${id}`, { expiresAt: inSeconds(60) });
      expect(refused.status).toBe(402);
      expect(refused.body.code).toBe('insufficient_balance');
      const after = (await api.get(`/v1/campaigns/${id}`)).body;
      expect(after).toMatchObject({ status: 'expired', reservedCents: 0 });
      expect(after.extendableUntil).not.toBeNull();
    },
  );

  it.concurrent(
    'when the account allows no grace (the default), then an expired campaign cannot be extended',
    async () => {
      const a = await stack.newAccount(1_000);
      const api = a.as(a.adminKey);
      expect((await api.get('/v1/account')).body.expiryGraceDays).toBe(0);
      const id = await launched(api, 1, 6);
      await untilStatus(api, id, 'expired', 20_000);
      expect((await api.get(`/v1/campaigns/${id}`)).body.extendableUntil).toBeNull();
      // No grace to wait out: its workflow has ended, with nothing left to revive.
      expect(await untilCampaignIdle(stack.temporal, id)).toMatchObject({ closed: true });
      expect((await api.patch(`/v1/campaigns/${id}`, { expiresAt: inSeconds(60) })).status).toBe(409);
    },
  );

  it.concurrent(
    'when a support key or a bad value tries to change the grace, then 403 / 400 and nothing changes',
    async () => {
      const a = await stack.newAccount(1_000);
      const api = a.as(a.adminKey);
      const support = api.as(await stack.newKey(a.accountId, 'support'));
      expect((await support.patch('/v1/account', { expiryGraceDays: 3 })).status).toBe(403);
      for (const body of [
        { expiryGraceDays: -1 },
        { expiryGraceDays: 'week' },
        { expiryGraceDays: 1, x: 1 },
      ]) {
        const res = await api.request('PATCH', '/v1/account', body);
        expect(res.status).toBe(400);
        expect(res.body.code).toBe('validation_failed');
      }
      expect((await api.get('/v1/account')).body.expiryGraceDays).toBe(0);
    },
  );
});
