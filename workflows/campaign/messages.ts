/**
 * The campaign workflow's messages: its input, signals, the `command` update and the
 * `status` query, with their argument and result types. This is what starters (the API,
 * bin/ scripts, tests) import; the names are part of every recorded history and of ops'
 * muscle memory, so they never change.
 */
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { Actor } from '../../domain/campaign';
import type { GuardReason } from '../../domain/deliverability-guards';
import type { CampaignState } from './state';
import type { CampaignStatusView, CommandRequest, CommandResult } from './message-types';

export type { CampaignStatusView, CommandRequest, CommandResult };

/**
 * The workflow's type name, for starters: they start it by name (with `typeof campaignWorkflow`
 * imported as a type only), so the API never loads workflow code or its activity proxies.
 */
export const CAMPAIGN_WORKFLOW = 'campaignWorkflow';

export interface CampaignWorkflowInput {
  campaignId: string;
  accountId: string;
  name: string;
  /** Carried across continue-as-new; absent on the first run. */
  state?: CampaignState;
  /** Continue-as-new once history passes this many events (tests set it low). */
  historyBound?: number;
  /** The emailing activities' heartbeat timeout (HEARTBEAT_TIMEOUT_SECONDS); absent: 20 s. */
  heartbeatTimeoutMs?: number;
}

export interface PauseArgs {
  reason?: string;
}
export interface ExtendExpiryArgs {
  expiresAt: string;
}
export interface RescheduleArgs {
  startAt: string;
}
export interface ResendArgs {
  inviteId: string;
  /** Reset & resend: void the old link, issue a new token, start the recipient over. */
  reset?: boolean;
  /** A reset's new expiry (api/schemas.ts ExpiresIn, checked by the API); absent: the original's length. */
  expiresIn?: string;
}

/** Signals, for ops (Temporal UI / `temporal workflow signal`): at-least-once, fire and forget. */
export const launchSignal = defineSignal('launch');
export const pauseSignal = defineSignal<[PauseArgs?]>('pause');
export const resumeSignal = defineSignal('resume');
export const cancelSignal = defineSignal('cancel');
export const extendExpirySignal = defineSignal<[ExtendExpiryArgs]>('extendExpiry');
export const rescheduleSignal = defineSignal<[RescheduleArgs]>('reschedule');
export const resendSignal = defineSignal<[ResendArgs]>('resend');
/** The API added invites to a launched campaign: look for unsent ones now. Repeats are harmless. */
export const invitesAddedSignal = defineSignal('invitesAdded');
/**
 * The account's sending policy or the campaign's own window changed: a wait for the limit or
 * the window is worked out again now, not at the instant the old policy gave. Idempotent.
 */
export const sendingPolicyChangedSignal = defineSignal('sendingPolicyChanged');

export interface DeliverabilityGuardArgs {
  reason: GuardReason;
  /** The counts and the threshold, in words: the audit entry's and the owner's alert's detail. */
  detail: string;
}
/**
 * The campaign's spam complaints or hard bounces passed its account's guard (the API's
 * Postmark webhook use case decides, domain/deliverability-guards.ts): a sending campaign
 * pauses itself (`complaint_rate` / `bounce_rate`) and alerts its owner. Idempotent: any other
 * status (already paused, scheduled, over) ignores it, so every later complaint may send it.
 */
export const deliverabilityGuardSignal = defineSignal<[DeliverabilityGuardArgs]>('deliverabilityGuard');

/**
 * The API's way in: the same commands as the signals, answered once applied. Its validator
 * rejects malformed arguments (an `invalid_argument` ApplicationFailure) before they reach
 * history; a well-formed command the campaign cannot take is answered with a refusal result.
 */
export const commandUpdate = defineUpdate<CommandResult, [CommandRequest & { actor: Actor }]>('command');

export const statusQuery = defineQuery<CampaignStatusView>('status');
