/**
 * The payloads of the campaign workflow's command update and status query, apart from
 * messages.ts so that the workflow's state (which queues commands and answers the query) can
 * name them without importing the module that imports it back.
 */
import type {
  BatchSettings,
  CampaignStatus,
  PausedReason,
  Progress,
  ResumablePhase,
  Waiting,
} from '../../domain/campaign';

export type CommandRequest =
  | { type: 'launch' }
  | { type: 'pause'; reason?: string }
  | { type: 'resume' }
  | { type: 'cancel' }
  | { type: 'extendExpiry'; expiresAt: string }
  | { type: 'reschedule'; startAt: string }
  | { type: 'resend'; inviteId: string; reset?: boolean; expiresIn?: string }
  | { type: 'retryFailed' }
  | { type: 'invitesAdded' }
  | { type: 'eventChanged'; sequence: number }
  | { type: 'setMaxFailurePercent'; maxFailurePercent: number }
  | { type: 'setBatch'; batch: BatchSettings };

export type CommandResult =
  | { ok: true; status: CampaignStatus; inviteId?: string; released?: number }
  | { ok: false; code: 'invalid_state'; status: CampaignStatus }
  | { ok: false; code: 'invalid_argument'; status: CampaignStatus; detail: string }
  | {
      ok: false;
      code: 'insufficient_balance';
      status: CampaignStatus;
      requiredCents: number;
      availableCents: number;
    }
  | { ok: false; code: 'not_found' | 'delivery_failed'; status: CampaignStatus; detail: string };

export interface CampaignStatusView {
  campaignId: string;
  phase: CampaignStatus;
  pausedReason: PausedReason | null;
  pausedFrom: ResumablePhase | null;
  startAt: string | null;
  expiresAt: string | null;
  /** As the database counted it after the last send or deadline step (db/progress.ts). */
  progress: Progress;
  maxFailurePercent: number;
  /** The instant the workflow's one timer fires, ISO 8601, or null when none is armed. */
  nextTimerAt: string | null;
  batches: number;
  /** The earliest pending invite deadline (expiry or reminder), ISO. */
  nextInviteDeadlineAt: string | null;
  runCount: number;
  /** Sending holds back until `until` (e.g. the provider's sending limit); null when not waiting. */
  waiting: Waiting | null;
}
