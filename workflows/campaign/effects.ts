/**
 * The campaign workflow's effects: each is persisted by an activity before the state moves
 * (state.ts holds the transitions). The order and number of activity calls here is part of
 * every recorded history: test/replay.test.ts holds it still.
 */
import { upsertSearchAttributes } from '@temporalio/workflow';
import {
  type Actor,
  type PausedReason,
  type ResumablePhase,
  type SelfPauseReason,
  SYSTEM_ACTOR,
  type CampaignStatus,
} from '../../domain/campaign';
import { CampaignStatusKey } from '../search-attributes';
import { database, owner } from './activities';
import type { CommandResult } from './messages';
import { insufficientBalance, type Refusal } from './policies';
import { type CampaignState, enterStatus, markRevived, type QueuedCommand, type ReturnTo } from './state';

/** One run of one campaign's workflow: whose it is and its state, which the effects move. */
export interface Run {
  readonly campaignId: string;
  readonly accountId: string;
  readonly s: CampaignState;
}

export async function audit(
  { campaignId, accountId, s }: Run,
  action: string,
  actor: Actor,
  reason: string | null,
  details?: Record<string, unknown>,
): Promise<void> {
  s.seq += 1;
  await database.recordAudit({
    campaignId,
    accountId,
    seq: s.seq,
    actor,
    action,
    status: s.status,
    reason,
    details,
  });
}

/** Answers a command with a refusal, which is audited as `refused:<command>`. */
export async function refuse(
  run: Run,
  { request, actor }: QueuedCommand,
  refusal: Refusal,
): Promise<CommandResult> {
  await audit(run, `refused:${request.type}`, actor, refusal.reason, refusal.details);
  return refusal.result;
}

export async function moveTo(
  { campaignId, accountId, s }: Run,
  to: CampaignStatus,
  actor: Actor,
  reason: string | null,
  paused?: { from: ResumablePhase; reason: PausedReason },
): Promise<void> {
  s.seq += 1;
  await database.recordTransition({
    campaignId,
    accountId,
    seq: s.seq,
    from: s.status,
    to,
    actor,
    reason,
    pausedFrom: paused?.from ?? null,
    pausedReason: paused?.reason ?? null,
  });
  enterStatus(s, to, paused);
  upsertSearchAttributes([{ key: CampaignStatusKey, value: to }]);
}

/** Expiry and cancel: charge what was sent, release the rest, then the end state. */
export async function finish(
  run: Run,
  to: 'expired' | 'cancelled',
  actor: Actor,
  reason: string,
  beforeMove?: () => Promise<void>,
): Promise<void> {
  const { campaignId, accountId, s } = run;
  const round = s.revivals ? `:${s.revivals}` : '';
  await database.settleReservation({ campaignId, accountId, key: `settle:${campaignId}${round}` });
  await beforeMove?.();
  await moveTo(run, to, actor, reason);
}

/**
 * Extending the expiry within the grace: the unsent invites are held again (or 402), and
 * the campaign returns to where it was when it expired. Returns a refusal, or null.
 */
export async function revive(run: Run, from: ReturnTo, cmd: QueuedCommand): Promise<CommandResult | null> {
  const { campaignId, accountId, s } = run;
  let reservedCents = 0;
  if (from.status !== 'draft') {
    const held = await database.reserveForRevival({
      campaignId,
      accountId,
      key: `revive:${campaignId}:${(s.revivals ?? 0) + 1}`,
    });
    if (!held.ok) return refuse(run, cmd, insufficientBalance(s.status, held));
    reservedCents = held.reservedCents;
  }
  markRevived(s);
  await moveTo(
    run,
    from.status,
    cmd.actor,
    `revived within the expiry grace, ${reservedCents} cents reserved`,
    from.status === 'paused' && from.pausedFrom && from.pausedReason
      ? { from: from.pausedFrom, reason: from.pausedReason }
      : undefined,
  );
  return null;
}

/** The campaign stops itself and tells its owner at once, through the platform's sender. */
export async function pauseItself(run: Run, reason: SelfPauseReason, detail: string): Promise<void> {
  const { campaignId, accountId, s } = run;
  await moveTo(run, 'paused', SYSTEM_ACTOR, `${reason}: ${detail}`, {
    from: s.status as ResumablePhase,
    reason,
  });
  await owner.notifyOwner({
    campaignId,
    accountId,
    key: `alert:${campaignId}:${s.seq}`,
    kind: 'owner_alert',
    reason,
    detail,
  });
}
