import { workflowIdFor } from '../domain/campaign';
import { PostmarkEmail } from '../email/postmark';
import { query, recordHistory, sleep, untilStatus } from './support/campaigns';
import {
  allInvites,
  draftWithRecipients,
  invitationsOf,
  perRecipient,
  postmarkEnv,
} from './support/delivery';
import { type FakePostmark, startFakePostmark } from './support/postmark-server';
import { type ApiClient, eventually, type Stack, startStack } from './support/stack';

/** Postmark sends no Retry-After: the adapter's configured back-off is the provider's ask. */
const BACKOFF_SECONDS = 5;

describe("Invitations wait out the provider's rate limit (429) on the workflow's one timer", () => {
  let fake: FakePostmark;
  let stack: Stack;
  let api: ApiClient;

  beforeAll(async () => {
    fake = await startFakePostmark();
    stack = await startStack({
      env: postmarkEnv(fake),
      activities: {
        email: new PostmarkEmail({ apiUrl: fake.url, rateLimitBackoffSeconds: BACKOFF_SECONDS }),
      },
    });
    const account = await stack.newAccount(10_000_000);
    api = account.as(account.adminKey);
  });
  beforeEach(() => fake.reset());
  afterAll(async () => {
    await stack.close();
    await fake.close();
  });

  const sendCalls = (id: string) =>
    fake.calls.filter((c) => c.path === '/email/batch' && c.count > 0 && c.at >= launchedAt.get(id)!);
  const launchedAt = new Map<string, Date>();

  it(`when the provider answers 429 (back off ${BACKOFF_SECONDS} s), then the campaign shows waiting {sending_limit, until}, sends nothing before until, then every invite arrives exactly once and the campaign becomes active`, async () => {
    const { id, emails } = await draftWithRecipients(api, 30, { batch: { size: 10, gapMinutes: 0 } });
    fake.failNext(1, 429, { campaignId: id });
    launchedAt.set(id, new Date());
    expect((await api.post(`/v1/campaigns/${id}/launch`)).body.status).toBe('launching');

    const shown = await eventually(
      async () => (await api.get(`/v1/campaigns/${id}`)).body.waiting ?? undefined,
    );
    expect(shown.reason).toBe('sending_limit');
    const until = Date.parse(shown.until);
    const refused = sendCalls(id)[0];
    expect(until - refused.at.getTime()).toBeGreaterThanOrEqual(BACKOFF_SECONDS * 1000 - 100);
    expect(until - refused.at.getTime()).toBeLessThan(BACKOFF_SECONDS * 1000 + 2000);
    const view = await query(stack.temporal, id);
    expect(view).toMatchObject({ phase: 'launching', waiting: shown, nextTimerAt: shown.until });
    expect((await api.get(`/v1/campaigns/${id}`)).body.status).toBe('launching');
    expect((await allInvites(api, id)).every((i) => i.delivery.status === null && !i.sentAt)).toBe(true);

    await untilStatus(api, id, 'active', 20_000);
    const messages = invitationsOf(fake, id);
    expect(messages).toHaveLength(30);
    expect(messages.every((m) => m.receivedAt.getTime() >= until)).toBe(true);
    const counts = perRecipient(messages);
    expect([...counts.keys()].sort()).toEqual([...emails].sort());
    expect([...counts.values()].every((n) => n === 1)).toBe(true);
    // The refused chunk went again under the same keys: one key per invite, ever.
    expect(new Set(messages.map((m) => m.Metadata.idempotencyKey)).size).toBe(30);
    expect(sendCalls(id).filter((c) => c.at.getTime() < until)).toHaveLength(1);

    const after = (await api.get(`/v1/campaigns/${id}`)).body;
    expect(after.waiting).toBeNull();
    expect(after.progress).toMatchObject({ total: 30, sent: 30, pending: 0, failed: 0 });
    expect((await query(stack.temporal, id)).waiting).toBeNull();
    // One timer for the whole wait: the workflow slept on it, it did not poll.
    const history = await stack.temporal.workflow.getHandle(workflowIdFor(id)).fetchHistory();
    expect(history.events!.filter((e) => e.timerStartedEventAttributes)).toHaveLength(1);
    await recordHistory(stack.temporal, id, 'send-wait-rate-limited');
  });

  it('when the campaign is paused during the wait, then the wait ends with it, nothing goes out, and resume sends every invite exactly once', async () => {
    const { id, emails } = await draftWithRecipients(api, 12, { batch: { size: null, gapMinutes: 0 } });
    fake.failNext(1, 429, { campaignId: id });
    launchedAt.set(id, new Date());
    await api.post(`/v1/campaigns/${id}/launch`);
    const waiting = await eventually(async () => (await query(stack.temporal, id)).waiting ?? undefined);

    const paused = await api.post(`/v1/campaigns/${id}/pause`);
    expect(paused.body).toMatchObject({ status: 'paused', waiting: null });
    expect((await query(stack.temporal, id)).waiting).toBeNull();
    // Past the end of the wait it had (and a moment for anything it would have sent): nothing went.
    await sleep(Date.parse(waiting.until) + 500 - Date.now());
    expect(invitationsOf(fake, id)).toHaveLength(0);

    await api.post(`/v1/campaigns/${id}/resume`);
    await untilStatus(api, id, 'active', 20_000);
    const counts = perRecipient(invitationsOf(fake, id));
    expect([...counts.keys()].sort()).toEqual([...emails].sort());
    expect([...counts.values()].every((n) => n === 1)).toBe(true);
  });
});
