import { ParentClosePolicy, proxyActivities, sleep, startChild } from '@temporalio/workflow';
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

/** The other naive design: a workflow per invite, with its own timer, then the reminder. */
export async function inviteReminderWorkflow(input: {
  campaignId: string;
  inviteId: string;
  reminderAt: string;
}): Promise<void> {
  await sleep(Math.max(1, Date.parse(input.reminderAt) - Date.now()));
  await sendOneReminder({ campaignId: input.campaignId, inviteId: input.inviteId });
}

/**
 * Its parent starts one child per invite and leaves them running. In chunks of 500: one
 * workflow task cannot carry 10,000 commands (the timer design above shows what happens).
 */
export async function naiveChildPerInviteWorkflow(input: {
  campaignId: string;
  invites: { id: string; reminderAt: string }[];
}): Promise<void> {
  for (let i = 0; i < input.invites.length; i += 500) {
    await Promise.all(
      input.invites.slice(i, i + 500).map((invite) =>
        startChild(inviteReminderWorkflow, {
          workflowId: `naive-child-${invite.id}`,
          args: [{ campaignId: input.campaignId, inviteId: invite.id, reminderAt: invite.reminderAt }],
          parentClosePolicy: ParentClosePolicy.ABANDON,
        }),
      ),
    );
  }
}
