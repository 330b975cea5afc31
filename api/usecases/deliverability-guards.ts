import { type Client, WorkflowNotFoundError } from '@temporalio/client';
import type { Database } from '../../db/database';
import { deliveryCountsOf } from '../../db/delivery-counts';
import { SENDING_STATUSES, workflowIdFor } from '../../domain/campaign';
import { guardTripped } from '../../domain/deliverability-guards';
import { Account } from '../../entities/Account';
import { Campaign } from '../../entities/Campaign';
import { log } from '../../ops/log';
import { guardsOf } from '../../sending/account-policy';
import { deliverabilityGuardSignal } from '../../workflows/campaign/messages';
import { ServiceUnavailableError } from '../errors';

/**
 * After a spam complaint or a hard bounce is recorded: is the campaign now over its account's
 * complaint or bounce guard (domain/deliverability-guards.ts)? If so, its workflow is told, and
 * pauses itself (`complaint_rate` / `bounce_rate`) and alerts the owner — the workflow owns the
 * status, so this only signals; a campaign already paused, or not sending, ignores it.
 */
export async function checkDeliverabilityGuards(
  { db, temporal }: { db: Database; temporal: Client },
  accountId: string,
  campaignId: string,
): Promise<void> {
  const campaign = await db.manager.findOne(Campaign, {
    select: { id: true, status: true },
    where: { id: campaignId, accountId },
  });
  if (!campaign || !SENDING_STATUSES.has(campaign.status)) return;
  const account = await db.manager.findOneBy(Account, { id: accountId });
  if (!account) return;
  const trip = guardTripped(await deliveryCountsOf(db.manager, campaignId), guardsOf(account));
  if (!trip) return;
  try {
    await temporal.workflow.getHandle(workflowIdFor(campaignId)).signal(deliverabilityGuardSignal, trip);
    log.info('deliverability guard tripped', { campaignId, reason: trip.reason });
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return; // it has ended: nothing more is sent
    // Not answered 200, so Postmark sends the event again: recording it is idempotent, and
    // the campaign must not go on sending because Temporal was away for a moment.
    throw new ServiceUnavailableError(
      `The campaign's workflow could not be told to pause (${(err as Error).message})`,
    );
  }
}
