/**
 * Applying one command (from a signal or the `command` update) to the campaign: the rules
 * it is checked against live in policies.ts, the effects in effects.ts. The order and number
 * of activity calls is part of every recorded history: test/replay.test.ts holds it still.
 */
import { ActivityFailure, ApplicationFailure } from '@temporalio/workflow';
import { batchProblem, type ResumablePhase } from '../../domain/campaign';
import { NON_RETRYABLE_TYPES } from '../../domain/failures';
import { database, sending } from './activities';
import { audit, finish, moveTo, pauseItself, refuse, revive, type Run } from './effects';
import type { CommandResult } from './messages';
import {
  guardPauses,
  instantArgument,
  insufficientBalance,
  invalidArgument,
  invalidState,
  mayApply,
  resendArgumentProblem,
  resendRefusal,
} from './policies';
import { changeBatch, lookForUnsent, type QueuedCommand } from './state';

/**
 * Applies a command the campaign takes now, or refuses it `invalid_state`; one an activity
 * refused as bad data is answered `invalid_argument`.
 */
export async function applyOrRefuse(run: Run, cmd: QueuedCommand): Promise<CommandResult> {
  try {
    return await apply(run, cmd);
  } catch (err) {
    const refusal =
      err instanceof ActivityFailure &&
      err.cause instanceof ApplicationFailure &&
      NON_RETRYABLE_TYPES.includes(err.cause.type ?? '')
        ? err.cause.message
        : null;
    if (refusal === null) throw err;
    return refuse(run, cmd, invalidArgument(run.s.status, refusal));
  }
}

async function apply(run: Run, cmd: QueuedCommand): Promise<CommandResult> {
  const { campaignId, accountId, s } = run;
  const { request, actor } = cmd;
  if (request.type === 'deliverabilityGuard') {
    // Not a command: never refused, never audited unless it pauses (pauseItself's one entry).
    if (guardPauses(s.status)) await pauseItself(run, request.reason, request.detail);
    return { ok: true, status: s.status };
  }
  if (!mayApply(s, request.type)) return refuse(run, cmd, invalidState(s.status, request.type));
  switch (request.type) {
    case 'launch': {
      const reserved = await database.reserveForLaunch({
        campaignId,
        accountId,
        key: `reserve:${campaignId}:${s.launches + 1}`,
      });
      if (!reserved.ok) return refuse(run, cmd, insufficientBalance(s.status, reserved));
      s.launches += 1;
      // A draft's batches may have been edited since this run read the row: launch with them.
      s.batch = (await database.loadCampaign(campaignId)).batch;
      const future = s.startAt !== null && Date.parse(s.startAt) > Date.now();
      await moveTo(
        run,
        future ? 'scheduled' : 'launching',
        actor,
        `launched, ${reserved.reservedCents} cents reserved`,
      );
      break;
    }
    case 'pause': {
      // A person pauses as `manual`, whatever reason they give (their text is the audit entry's
      // note): only the workflow itself records `failure_rate` or `email_token_invalid`.
      const reason = 'manual';
      await moveTo(run, 'paused', actor, request.reason ?? reason, {
        from: s.status as ResumablePhase,
        reason,
      });
      break;
    }
    case 'resume':
      lookForUnsent(s);
      await moveTo(run, s.pausedFrom ?? 'active', actor, 'resumed');
      break;
    case 'cancel':
      await finish(run, 'cancelled', actor, 'cancelled by the owner');
      break;
    case 'extendExpiry':
    case 'reschedule': {
      const field = request.type === 'extendExpiry' ? 'expiresAt' : 'startAt';
      const arg = instantArgument(
        field,
        request.type === 'extendExpiry' ? request.expiresAt : request.startAt,
        Date.now(),
      );
      if ('invalid' in arg) return refuse(run, cmd, invalidArgument(s.status, arg.invalid));
      if (s.status === 'expired' && s.grace) {
        const refusal = await revive(run, s.grace.returnTo, cmd);
        if (refusal) return refusal;
      }
      await database.recordSchedule({
        campaignId,
        accountId,
        seq: ++s.seq,
        actor,
        field,
        value: arg.instant,
        previous: s[field],
      });
      s[field] = arg.instant;
      break;
    }
    case 'resend': {
      const problem = resendArgumentProblem(request.inviteId);
      if (problem) return refuse(run, cmd, invalidArgument(s.status, problem));
      s.seq += 1;
      const sent = await sending.resendInvite({
        campaignId,
        accountId,
        inviteId: request.inviteId,
        reset: request.reset === true,
        ...(request.expiresIn !== undefined ? { expiresIn: request.expiresIn } : {}),
        key: `resend:${request.inviteId}:${campaignId}:${s.seq}`,
        actor,
      });
      if (!sent.ok) {
        if (sent.reason === 'email_token_invalid')
          await pauseItself(run, 'email_token_invalid', 'the email provider rejected the token on a resend');
        return refuse(run, cmd, resendRefusal(s.status, request.inviteId, sent));
      }
      s.deadlines.dirty = true;
      await audit(run, request.reset ? 'invite_reset_sent' : 'invite_resent', actor, null, {
        inviteId: request.inviteId,
        newInviteId: sent.inviteId,
      });
      return { ok: true, status: s.status, inviteId: sent.inviteId };
    }
    case 'retryFailed': {
      const released = await database.releaseFailed({ campaignId, accountId });
      await audit(run, 'retry_failed', actor, `${released} failed invites queued again`, { released });
      s.dispatch.lookAgain = true;
      if (s.status === 'paused' && s.pausedReason === 'failure_rate') {
        s.dispatch.nextBatchAt = null;
        await moveTo(run, s.pausedFrom ?? 'active', actor, 'resumed to retry the failed invites');
      }
      return { ok: true, status: s.status, released };
    }
    case 'invitesAdded':
      s.dispatch.lookAgain = true;
      s.deadlines.dirty = true;
      break;
    case 'setMaxFailurePercent':
      if (request.maxFailurePercent !== s.maxFailurePercent) {
        await database.recordSetting({
          campaignId,
          accountId,
          seq: ++s.seq,
          actor,
          field: 'maxFailurePercent',
          value: request.maxFailurePercent,
          previous: s.maxFailurePercent,
        });
        s.maxFailurePercent = request.maxFailurePercent;
      }
      break;
    case 'setBatch': {
      const problem = batchProblem(request.batch);
      if (problem) return refuse(run, cmd, invalidArgument(s.status, problem));
      const batch = { size: request.batch.size, gapMinutes: request.batch.gapMinutes };
      if (batch.size !== s.batch.size || batch.gapMinutes !== s.batch.gapMinutes) {
        // The row and the audit entry (who, from → to) first; then the state, as for every setting.
        await database.recordBatch({
          campaignId,
          accountId,
          seq: ++s.seq,
          actor,
          value: batch,
          previous: s.batch,
        });
        changeBatch(s, batch, Date.now());
      }
      break;
    }
    case 'eventChanged':
      // Everyone already invited gets the new version (a newer change restarts the pass).
      if (typeof request.sequence === 'number' && request.sequence > (s.calendar?.sequence ?? -1)) {
        s.calendar = { sequence: request.sequence, afterId: null, nextAt: null };
        await audit(run, 'event_changed', actor, `calendar invites updated to version ${request.sequence}`);
      }
      break;
  }
  return { ok: true, status: s.status };
}
