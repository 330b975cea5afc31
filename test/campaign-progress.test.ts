import { newId } from '../db/ids';
import { sampledProgress } from '../db/progress';
import { Suppression } from '../entities/Suppression';
import { recordHistory, untilQueryMatches, untilStatus } from './support/campaigns';
import { draftWithRecipients } from './support/delivery';
import { eventually, useAccount, usePostmarkStack } from './support/stack';

describe('Progress counters: one definition for the API, the owner summary and the workflow', () => {
  const { stack, fake } = usePostmarkStack();
  const account = useAccount(stack, 10_000_000);
  const api = account.api;

  it('when a campaign has a bad address, a suppressed address and good ones, then the campaign view, the summary email and the workflow query give the same sent, failed and pending', async () => {
    const { id, emails } = await draftWithRecipients(api, 5, {});
    fake.rejectRecipient(emails[1], 300);
    await stack.db.manager.insert(Suppression, {
      id: newId(),
      accountId: account.accountId,
      email: emails[3],
      reason: 'hard_bounce',
      createdAt: new Date(),
    });

    await api.post(`/v1/campaigns/${id}/launch`);
    await untilStatus(api, id, 'active', 20_000);
    const summary = await eventually(async () =>
      fake.sent.find(
        (m) =>
          m.To === account.ownerEmail &&
          m.Metadata.campaignId === id &&
          m.Subject.includes('finished sending'),
      ),
    );

    const expected = { total: 5, pending: 0, sent: 3, failed: 2, voided: 0 };
    expect((await api.get(`/v1/campaigns/${id}`)).body.progress).toMatchObject(expected);
    expect(summary.Subject).toBe('Campaign "Delivery" finished sending: 3 sent, 2 failed');
    expect(summary.TextBody).toContain(emails[1]);
    expect(summary.TextBody).toContain(emails[3]);
    await untilQueryMatches(stack.temporal, id, { progress: expect.objectContaining(expected) });
    await recordHistory(stack.temporal, id, 'progress-in-outcome');
  });

  it('when the send asks for the counters after every chunk, then they are counted again only once the last count is ten times its own duration old, and always when asked for now', async () => {
    const { id } = await draftWithRecipients(api, 3, {});
    let now = 1_000_000;
    const clock = () => (now += 100); // every reading moves 100 ms on: a count takes 100 ms
    const counters = sampledProgress(stack.db, clock);
    expect(await counters(id)).toMatchObject({ total: 3, pending: 3 });
    expect(await counters(id)).toBeUndefined(); // 100 ms after a count that took 100 ms
    now += 800; // 1 s after it: ten times what it took
    expect(await counters(id)).toMatchObject({ total: 3 });
    expect(await counters(id)).toBeUndefined();
    expect(await counters(id, { now: true })).toMatchObject({ total: 3 });
    expect(await counters(id)).toMatchObject({ total: 3 }); // the last word forgets the sampling
  });
});
