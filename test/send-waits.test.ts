import { workflowIdFor } from '../domain/campaign';
import { PostmarkEmail } from '../email/postmark';
import { query, recordHistory, untilQueryMatches, untilStatus } from './support/campaigns';
import { allInvites, draftWithRecipients, invitationsOf, perRecipient } from './support/delivery';
import { untilCampaignQuiet } from './support/idle';
import { eventually, useAccount, usePostmarkStack } from './support/stack';

/** Postmark sends no Retry-After: the adapter's configured back-off is the provider's ask. */
const BACKOFF_SECONDS = 5;

describe("Invitations wait out the provider's rate limit (429) on the workflow's one timer", () => {
  const { stack, fake } = usePostmarkStack((postmark) => ({
    activities: {
      email: new PostmarkEmail({ apiUrl: postmark.url, rateLimitBackoffSeconds: BACKOFF_SECONDS }),
    },
  }));
  const { api } = useAccount(stack, 10_000_000);
  beforeEach(() => fake.reset());

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
    await untilQueryMatches(stack.temporal, id, {
      phase: 'launching',
      waiting: shown,
      nextTimerAt: shown.until,
    });
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
    await untilQueryMatches(stack.temporal, id, { waiting: null });
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
    // The wait's timer is gone with it: paused, idle, nothing due before the wait's end or long
    // after, so nothing can go out until resume.
    expect(await untilCampaignQuiet(stack.temporal, id)).toMatchObject({ phase: 'paused', waiting: null });
    expect(Date.parse(waiting.until)).toBeLessThan(Date.now() + 60_000);
    expect(invitationsOf(fake, id)).toHaveLength(0);

    await api.post(`/v1/campaigns/${id}/resume`);
    await untilStatus(api, id, 'active', 20_000);
    const counts = perRecipient(invitationsOf(fake, id));
    expect([...counts.keys()].sort()).toEqual([...emails].sort());
    expect([...counts.values()].every((n) => n === 1)).toBe(true);
  });
});
