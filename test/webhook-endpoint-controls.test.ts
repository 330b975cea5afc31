import { WebhookAttempt } from '../entities/WebhookAttempt';
import { WebhookDelivery } from '../entities/WebhookDelivery';
import { WebhookEndpoint } from '../entities/WebhookEndpoint';
import { recordEvents } from '../webhooks/events';
import { nudgeNoted } from '../webhooks/nudges';
import { untilStatus } from './support/campaigns';
import { draftWithRecipients } from './support/delivery';
import { untilCampaignIdle, untilEndpointIdle } from './support/idle';
import { eventually, useAccount, usePostmarkStack } from './support/stack';
import { type Receiver, startReceiver, webhookEnv } from './support/webhooks';

/** What the console's webhook screens need from the API (issue 24): one endpoint, its controls, every attempt. */
describe('Webhook endpoints: each attempt logged, disable and enable, event types', () => {
  const { stack, fake } = usePostmarkStack({
    env: webhookEnv({ firstSeconds: 0.3, maxSeconds: 0.6, periodSeconds: 60, timeoutSeconds: 2 }),
  });
  const account = useAccount(stack, 10_000_000);
  const api = account.api;
  const receivers: Receiver[] = [];
  afterAll(async () => {
    await Promise.all(receivers.map((r) => r.close()));
  });
  const receiver = async (answer: () => number) => {
    const r = await startReceiver(answer);
    receivers.push(r);
    return r;
  };

  it('when the receiver fails twice and then answers, then each attempt is in the delivery log, newest first, with its HTTP status, latency, error and the retry it scheduled', async () => {
    let calls = 0;
    const down = await receiver(() => (++calls <= 2 ? 503 : 200));
    const created = await api.post('/v1/webhook-endpoints', {
      url: down.url,
      events: ['campaign.status_changed'],
    });
    expect(created.status).toBe(201);
    const { id: campaignId } = await draftWithRecipients(api, 1, {});
    expect((await api.post(`/v1/campaigns/${campaignId}/launch`)).status).toBe(200);

    const first = await eventually(
      async () => {
        const log = (await api.get(`/v1/webhook-endpoints/${created.body.id}/deliveries`)).body.data;
        return log.find((d) => d.state === 'delivered' && d.attempts === 3);
      },
      { timeoutMs: 30_000 },
    );
    const attempts = await api.get(`/v1/webhook-deliveries/${first.id}/attempts`);
    expect(attempts.status).toBe(200);
    expect(attempts.body.nextCursor).toBeNull();
    const [last, second, firstTry] = attempts.body.data;
    expect(attempts.body.data).toHaveLength(3);
    expect([last.status, second.status, firstTry.status]).toEqual([200, 503, 503]);
    expect(last).toMatchObject({ error: null, nextAttemptAt: null });
    expect(firstTry.error).toBe('HTTP 503: down for now');
    for (const a of attempts.body.data) expect(a.latencyMs).toBeGreaterThanOrEqual(0);
    // Each failure scheduled the next attempt, and the next one came no earlier.
    expect(Date.parse(firstTry.nextAttemptAt!)).toBeGreaterThan(Date.parse(firstTry.at));
    expect(Date.parse(second.at)).toBeGreaterThanOrEqual(Date.parse(firstTry.nextAttemptAt!) - 5);
    expect(Date.parse(last.at)).toBeGreaterThan(Date.parse(second.at));
    // The delivery's own last-attempt columns agree with the newest attempt.
    expect(first).toMatchObject({ lastStatus: 200, lastLatencyMs: last.latencyMs, lastAttemptAt: last.at });

    // Pages of one.
    const page1 = await api.request<{ data: { id: string }[]; nextCursor: string | null }>(
      'GET',
      `/v1/webhook-deliveries/${first.id}/attempts?limit=1`,
    );
    expect(page1.body.data.map((a) => a.id)).toEqual([last.id]);
    const page2 = await api.request<{ data: { id: string }[] }>(
      'GET',
      `/v1/webhook-deliveries/${first.id}/attempts?limit=1&cursor=${encodeURIComponent(page1.body.nextCursor!)}`,
    );
    expect(page2.body.data.map((a) => a.id)).toEqual([second.id]);

    // Deleting the endpoint takes its attempts with it.
    expect((await api.delete(`/v1/webhook-endpoints/${created.body.id}`)).status).toBe(204);
    expect(await stack.db.manager.countBy(WebhookAttempt, { endpointId: created.body.id })).toBe(0);
    expect((await api.get(`/v1/webhook-deliveries/${first.id}/attempts`)).status).toBe(404);
  });

  it('when an admin disables an endpoint, then nothing is POSTed to it and the owner is not emailed; once enabled again, the events of meanwhile arrive', async () => {
    const up = await receiver(() => 200);
    const created = await api.post('/v1/webhook-endpoints', { url: up.url, events: ['invite.sent'] });
    const id = created.body.id;

    const disabled = await api.patch(`/v1/webhook-endpoints/${id}`, { state: 'disabled' });
    expect(disabled.status).toBe(200);
    expect(disabled.body).toMatchObject({ state: 'disabled', disabledReason: 'manual' });
    expect(disabled.body.disabledAt).not.toBeNull();
    expect((await api.get(`/v1/webhook-endpoints/${id}`)).body).toEqual(disabled.body);

    const { id: campaignId } = await draftWithRecipients(api, 2, {});
    expect((await api.post(`/v1/campaigns/${campaignId}/launch`)).status).toBe(200);
    await untilStatus(api, campaignId, 'active', 30_000);
    await untilCampaignIdle(stack.temporal, campaignId);
    // Its workflow has ended without sending: nothing can POST to it now.
    expect(await untilEndpointIdle(stack.temporal, id)).toMatchObject({ closed: true });
    expect(up.requests).toHaveLength(0);
    expect(fake.sent.filter((m) => m.TextBody?.includes(id))).toHaveLength(0);

    const enabled = await api.patch(`/v1/webhook-endpoints/${id}`, { state: 'enabled' });
    expect(enabled.body).toMatchObject({ state: 'enabled', disabledAt: null, disabledReason: null });
    const sent = await eventually(async () => (up.requests.length >= 2 ? up.requests : undefined), {
      timeoutMs: 30_000,
    });
    expect(sent.map((r) => JSON.parse(r.body).type)).toEqual(['invite.sent', 'invite.sent']);
  });

  it('when an admin disables an endpoint while its receiver holds events, then the events after them are not sent', async () => {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    // Every request waits for the release: the endpoint's lanes are all busy, none can start another.
    const slow = await startReceiver(
      () => 200,
      () => held,
    );
    receivers.push(slow);
    const created = await api.post('/v1/webhook-endpoints', { url: slow.url, events: ['invite.sent'] });
    const id = created.body.id;
    const inFlight = stack.config.webhooks.concurrency;
    const { id: campaignId } = await draftWithRecipients(api, inFlight + 4, {});
    expect((await api.post(`/v1/campaigns/${campaignId}/launch`)).status).toBe(200);
    await untilStatus(api, campaignId, 'active', 30_000);
    // As many events as the endpoint takes at once are at the receiver, unanswered; 4 are due behind them.
    await eventually(async () => (slow.arrived() === inFlight ? true : undefined));
    expect((await api.patch(`/v1/webhook-endpoints/${id}`, { state: 'disabled' })).status).toBe(200);
    release();
    expect(await untilEndpointIdle(stack.temporal, id)).toMatchObject({ closed: true });
    expect(slow.arrived()).toBe(inFlight);
    expect(slow.requests).toHaveLength(inFlight);
  });

  it('when an admin changes the event types, then the endpoint says so; a bad change is refused whole and changes nothing', async () => {
    const created = await api.post('/v1/webhook-endpoints', { url: 'http://127.0.0.1:9/types' });
    const id = created.body.id;
    const changed = await api.patch(`/v1/webhook-endpoints/${id}`, {
      events: ['invite.completed', 'invite.failed'],
    });
    expect(changed.status).toBe(200);
    expect(changed.body.events).toEqual(['invite.completed', 'invite.failed']);
    expect((await api.patch(`/v1/webhook-endpoints/${id}`, { events: null })).body.events).toBeNull();

    const before = await stack.db.manager.findOneByOrFail(WebhookEndpoint, { id });
    for (const [body, field] of [
      [{ events: [] }, 'events'],
      [{ events: ['invite.eaten'] }, 'events.0'],
      [{ state: 'paused' }, 'state'],
      [{ url: 'http://127.0.0.1:9/elsewhere' }, 'url'],
    ] as const) {
      const res = await api.request('PATCH', `/v1/webhook-endpoints/${id}`, body);
      expect(res.status).toBe(400);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
      expect(res.body.code).toBe('validation_failed');
      expect(res.body.errors?.[0].field).toBe(field);
    }
    expect(await stack.db.manager.findOneByOrFail(WebhookEndpoint, { id })).toEqual(before);
  });

  it("when a support key changes an endpoint, then it is 403 but it may read it; another account's ids are 404", async () => {
    const created = await api.post('/v1/webhook-endpoints', { url: 'http://127.0.0.1:9/roles' });
    const id = created.body.id;
    const support = api.as(await stack.newKey(account.accountId, 'support'));
    const refused = await support.patch(`/v1/webhook-endpoints/${id}`, { state: 'disabled' });
    expect(refused.status).toBe(403);
    expect(refused.body.code).toBe('forbidden');
    expect((await support.get(`/v1/webhook-endpoints/${id}`)).body.state).toBe('enabled');

    const other = await stack.newAccount();
    const stranger = other.as(other.adminKey);
    expect((await stranger.get(`/v1/webhook-endpoints/${id}`)).status).toBe(404);
    expect((await stranger.patch(`/v1/webhook-endpoints/${id}`, { state: 'disabled' })).status).toBe(404);
    expect((await api.get(`/v1/webhook-endpoints/${id}`)).body.state).toBe('enabled');
  });

  /** A receiver that takes `holdMs` over each answer and counts how many it held at once. */
  async function countingReceiver(holdMs: number) {
    let now = 0;
    let most = 0;
    const r = await startReceiver(
      () => 200,
      async () => {
        most = Math.max(most, ++now);
        await new Promise((done) => setTimeout(done, holdMs));
        now--;
      },
    );
    receivers.push(r);
    return { receiver: r, most: () => most };
  }
  const received = (r: Receiver) =>
    r.requests.map((q) => {
      const body = JSON.parse(q.body) as { type: string; data: { campaignId?: string } };
      return { id: String(q.headers['webhook-id']), type: body.type, campaignId: body.data.campaignId };
    });

  it('when an endpoint takes one request at a time, then every event arrives in the order it happened, and the change of width is audited', async () => {
    const { receiver: one, most } = await countingReceiver(5);
    const created = await api.post('/v1/webhook-endpoints', { url: one.url, concurrency: 1 });
    expect(created.status).toBe(201);
    expect(created.body.concurrency).toBe(1);
    const { id: campaignId } = await draftWithRecipients(api, 12, {});
    expect((await api.post(`/v1/campaigns/${campaignId}/launch`)).status).toBe(200);
    await untilStatus(api, campaignId, 'active', 30_000);
    // 12 invitations sent, and the campaign launching, active and finished.
    const ofCampaign = () => received(one).filter((e) => e.campaignId === campaignId);
    await eventually(async () => (ofCampaign().length >= 15 ? true : undefined), { timeoutMs: 30_000 });
    const ids = ofCampaign().map((e) => e.id);
    expect(ids).toEqual([...ids].sort()); // UUIDv7: the order they happened in
    expect(most()).toBe(1);

    const widened = await api.patch(`/v1/webhook-endpoints/${created.body.id}`, { concurrency: null });
    expect(widened.body.concurrency).toBeNull();
    const audit = (await api.get('/v1/audit?action=webhook_endpoint_changed')).body.data;
    expect(audit.map((e) => e.reason)).toContainEqual(expect.stringContaining('at once 1 → the default'));
    expect((await api.patch(`/v1/webhook-endpoints/${created.body.id}`, { concurrency: 65 })).status).toBe(
      400,
    );
  });

  it("when an endpoint takes the default, then requests overlap, yet one campaign's own events still arrive in their order", async () => {
    const { receiver: wide, most } = await countingReceiver(20);
    const created = await api.post('/v1/webhook-endpoints', { url: wide.url });
    expect(created.body.concurrency).toBeNull();
    const { id: campaignId } = await draftWithRecipients(api, 24, {});
    expect((await api.post(`/v1/campaigns/${campaignId}/launch`)).status).toBe(200);
    await untilStatus(api, campaignId, 'active', 30_000);
    const ofCampaign = () => received(wide).filter((e) => e.campaignId === campaignId);
    await eventually(async () => (ofCampaign().length >= 27 ? true : undefined), { timeoutMs: 30_000 });
    expect(most()).toBeGreaterThan(1);
    expect(new Set(ofCampaign().map((e) => e.id)).size).toBe(ofCampaign().length);
    // The campaign's own events (a lane of their own): launching, active, finished, in that order.
    const own = ofCampaign().filter((e) => e.type.startsWith('campaign.'));
    expect(own.map((e) => e.type)).toEqual([
      'campaign.status_changed',
      'campaign.status_changed',
      'campaign.finished',
    ]);
    expect(own.map((e) => e.id)).toEqual(own.map((e) => e.id).sort());
  });

  it('when 2,500 events wait for one endpoint, then passes of a full page each deliver them all, once each', async () => {
    const r = await receiver(() => 200);
    const created = await api.post('/v1/webhook-endpoints', { url: r.url, events: ['invite.sent'] });
    const total = 2_500;
    // Straight into the outbox, as 2,500 sends would leave it, then the nudge their commits send.
    await stack.db.transaction((em) =>
      recordEvents(
        em,
        Array.from({ length: total }, (_, k) => ({
          accountId: account.accountId,
          campaignId: null,
          type: 'invite.sent' as const,
          key: `backlog-${created.body.id}-${k}`,
          data: { inviteId: `backlog-${k}` },
        })),
      ),
    );
    await nudgeNoted(stack.temporal, stack.db, stack.config.temporal);
    await eventually(async () => (r.requests.length >= total ? true : undefined), { timeoutMs: 60_000 });
    expect(new Set(r.requests.map((q) => q.headers['webhook-id'])).size).toBe(total);
    await eventually(async () => {
      const delivered = await stack.db.manager.countBy(WebhookDelivery, {
        endpointId: created.body.id,
        state: 'delivered',
      });
      return delivered === total ? true : undefined;
    });
    expect(r.requests).toHaveLength(total);
  }, 90_000);
});
