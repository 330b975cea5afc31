import { proxyActivities, sleep } from '@temporalio/workflow';
import type { Activities } from '../../activities';

/**
 * The design bench/deadlines compares against: one durable timer per invite, in one
 * workflow. Each timer, when it fires, sends that invite's reminder through the same
 * exactly-once activity our design uses.
 */
const { sendOneReminder } = proxyActivities<
  Activities & { sendOneReminder(input: { campaignId: string; inviteId: string }): Promise<void> }
>({
  startToCloseTimeout: '1m',
});

export async function naiveRemindersWorkflow(input: {
  campaignId: string;
  invites: { id: string; reminderAt: string }[];
}): Promise<void> {
  await Promise.all(
    input.invites.map(async (invite) => {
      await sleep(Math.max(1, Date.parse(invite.reminderAt) - Date.now()));
      await sendOneReminder({ campaignId: input.campaignId, inviteId: invite.id });
    }),
  );
}
