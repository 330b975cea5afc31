import { PostmarkEmail } from '../email/postmark';
import { untilStatus } from './support/campaigns';
import { draftWithRecipients, perRecipient } from './support/delivery';
import { eventually, useAccount, usePostmarkStack } from './support/stack';

/** Postmark sends no Retry-After: the adapter's configured back-off is the provider's ask. */
const BACKOFF_SECONDS = 2;

describe('Every kind of send reads its outcome the same way (activities/send/pipeline.ts)', () => {
  const { stack, fake } = usePostmarkStack((postmark) => ({
    activities: {
      email: new PostmarkEmail({ apiUrl: postmark.url, rateLimitBackoffSeconds: BACKOFF_SECONDS }),
    },
  }));
  const api = useAccount(stack, 10_000_000).api;

  it('when the provider rate-limits the first chunk of an "update calendar invites" pass, then the pass is not over: after the wait everyone invited gets the update once, and the owner hears it was sent to all', async () => {
    const event = { title: 'Launch party', startsAt: '2030-06-01T18:00:00Z', durationMinutes: 60 };
    const { id, emails } = await draftWithRecipients(api, 3, { event });
    await api.post(`/v1/campaigns/${id}/launch`);
    await untilStatus(api, id, 'active');
    // The launch's own summary to the owner carries the campaign too: it goes first, so the 429
    // below meets the update pass and nothing else.
    await eventually(async () =>
      fake.sent.find((m) => m.Metadata.campaignId === id && m.Metadata.kind === 'owner_summary'),
    );

    fake.failNext(1, 429, { campaignId: id });
    const refusedFrom = new Date();
    expect(
      (await api.patch(`/v1/campaigns/${id}`, { event: { ...event, location: 'Rooftop' } })).status,
    ).toBe(200);

    const updatesOf = () =>
      fake.sent.filter((m) => m.Metadata.campaignId === id && m.Metadata.kind === 'calendar_update');
    const updates = await eventually(async () => (updatesOf().length >= 3 ? updatesOf() : undefined), {
      timeoutMs: 20_000,
    });
    expect([...perRecipient(updates).values()]).toEqual([1, 1, 1]);
    expect([...perRecipient(updates).keys()].sort()).toEqual([...emails].sort());
    // They went after the provider's wait, not in the refused call.
    expect(
      updates.every((m) => m.receivedAt.getTime() >= refusedFrom.getTime() + BACKOFF_SECONDS * 1000 - 100),
    ).toBe(true);
    const summary = await eventually(async () =>
      fake.sent.find(
        (m) => m.Metadata.campaignId === id && m.Subject.includes('finished updating calendar invites'),
      ),
    );
    expect(summary.Subject).toContain('3 sent, 0 failed');
  });
});
