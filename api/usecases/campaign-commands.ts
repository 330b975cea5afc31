import type { Client } from '@temporalio/client';
import { In } from 'typeorm';
import type { Database } from '../../db/database';
import { STARTED_STATUSES, workflowIdFor } from '../../domain/campaign';
import { Campaign } from '../../entities/Campaign';
import { log } from '../../ops/log';
import {
  type CommandRequest,
  type CommandResult,
  commandUpdate,
  sendingPolicyChangedSignal,
} from '../../workflows/campaign/messages';
import type { Caller } from '../auth';
import { InvalidStateError, ServiceUnavailableError, ValidationError } from '../errors';
import { AuditService } from './audit';
import { argumentOf, refusalError, updateFailure } from './command-answers';
import { ownedCampaign } from './owned';

/** What the API asks of a campaign's workflow: a command (an Update), or to look again (a signal). */
export interface CommandDeps {
  db: Database;
  temporal: Client;
}

/**
 * Sends a command to the campaign's workflow, which decides whether the campaign takes it
 * and logs a refusal; its answer becomes the matching domain error (command-answers.ts).
 */
export async function sendCommand(
  { db, temporal }: CommandDeps,
  caller: Caller,
  id: string,
  request: CommandRequest,
): Promise<Extract<CommandResult, { ok: true }>> {
  await ownedCampaign(db, caller, id); // another account's campaign is not found, not asked
  let result: CommandResult;
  try {
    result = await temporal.workflow
      .getHandle(workflowIdFor(id))
      .executeUpdate(commandUpdate, { args: [{ ...request, actor: caller.keyId }] });
  } catch (err) {
    const failure = updateFailure(err);
    if (failure.kind === 'rejected')
      throw new ValidationError([{ field: argumentOf(request.type), message: failure.detail }]);
    if (failure.kind === 'unavailable')
      throw new ServiceUnavailableError(
        `The campaign's workflow did not answer (${(err as Error).message}); retry`,
      );
    // Its workflow has ended with the campaign, so it cannot refuse: the API answers in its
    // place, from the row, and logs the refusal as the workflow would have.
    const { status } = await ownedCampaign(db, caller, id);
    await new AuditService(db).refused(caller, id, request.type, status);
    throw new InvalidStateError(request.type, status);
  }
  if (result.ok) return result;
  throw refusalError(request.type, result);
}

/**
 * The policy changed (the account's, or one campaign's window): campaigns that may be
 * waiting work their wait out again now. Reminders held back are released to be looked at
 * again, and each workflow hears it (a signal; at-least-once is fine, it only looks again).
 */
export async function sendingPolicyChanged(
  { db, temporal }: CommandDeps,
  accountId: string,
  campaignId?: string,
): Promise<void> {
  const live = await db.manager.find(Campaign, {
    select: { id: true },
    where: {
      accountId,
      status: In([...STARTED_STATUSES]),
      ...(campaignId ? { id: campaignId } : {}),
    },
  });
  if (!live.length) return;
  const ids = live.map((c) => c.id);
  await db.transaction((em) =>
    em.update(Campaign, { id: In(ids) }, { waitingReason: null, waitingUntil: null, waitingSince: null }),
  );
  for (const id of ids) {
    try {
      await temporal.workflow.getHandle(workflowIdFor(id)).signal(sendingPolicyChangedSignal);
    } catch (err) {
      // The new policy is stored; this campaign applies it when its current wait ends.
      log.warn('sendingPolicyChanged signal failed', { campaignId: id, error: (err as Error).message });
    }
  }
}
