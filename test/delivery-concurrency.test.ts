import { MockActivityEnvironment } from '@temporalio/testing';
import { createActivities } from '../activities';
import type { SendOutcome } from '../activities/send/types';
import { Campaign } from '../entities/Campaign';
import { activityDeps } from '../temporal/worker';
import { sleep } from './support/campaigns';
import { allInvites, draftWithRecipients, invitationsOf, perRecipient } from './support/delivery';
import { usePostmarkStack } from './support/stack';

/**
 * Temporal retries an activity whose attempt timed out, possibly on another worker while the
 * first one is still running it. Two such attempts of the same send, at once, against the
 * real database and the Postmark client: the claims must keep every recipient to one email.
 */
describe('Exactly once when two workers run the same send at once', () => {
  // No Temporal worker: the test itself plays the two workers.
  const { stack, fake } = usePostmarkStack({ worker: false });

  it('when two attempts send the same campaign concurrently, each retried as Temporal would, then each recipient gets exactly one email and every invite is recorded sent', async () => {
    const account = await stack.newAccount(1_000_000);
    const api = account.as(account.adminKey);
    const { id, emails } = await draftWithRecipients(api, 1200, { batch: { size: null, gapMinutes: 0 } });
    // Its workflow would dispatch beside the two "workers": stop it, and open the campaign as a launch would.
    await stack.temporal.workflow
      .getHandle(`campaign-${id}`)
      .terminate('test: two attempts drive this campaign');
    await stack.db.transaction((em) => em.update(Campaign, { id }, { status: 'launching' }));

    // Production settings (a 5 s window before an unknown claim is resent), not the suite's fast ones.
    const activities = createActivities(activityDeps(stack.config, stack.db));
    const input = { pass: 'invitations' as const, campaignId: id, accountId: account.accountId, limit: 500 };
    const send = activities.sendChunk.bind(activities);
    const failures: string[] = [];
    const attempt = async () => {
      for (let tries = 0; tries < 300; tries++) {
        try {
          const outcome: SendOutcome = await new MockActivityEnvironment().run(send, input);
          if (outcome.remaining === 0) return;
        } catch (err) {
          failures.push((err as Error).message); // a lost claim race, or "wait: recent claim": retry
          await sleep(250); // a retry's backoff, as Temporal's would be: not a wait for a result
        }
      }
      throw new Error(`never finished: ${failures.slice(-3).join(' | ')}`);
    };
    await Promise.all([attempt(), attempt()]);

    const messages = invitationsOf(fake, id);
    const counts = perRecipient(messages);
    expect([...counts.keys()].sort()).toEqual([...emails].sort());
    expect([...counts.values()].filter((n) => n !== 1)).toEqual([]);
    expect(messages).toHaveLength(1200);
    expect((await allInvites(api, id)).every((i) => i.delivery.status === 'sent' && i.sentAt)).toBe(true);
  });
});
