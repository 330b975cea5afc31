/**
 * The campaign state machine, as plain data: the workflow, the API and the tests share it.
 * No I/O here: workflow code imports this module.
 */
export const CAMPAIGN_STATUSES = [
  'draft',
  'scheduled',
  'launching',
  'active',
  'paused',
  'expired',
  'cancelled',
] as const;
export type CampaignStatus = (typeof CAMPAIGN_STATUSES)[number];

/** The phases a paused campaign returns to on resume. */
export type ResumablePhase = 'scheduled' | 'launching' | 'active';
export const PAUSED_REASONS = ['manual', 'email_token_invalid', 'failure_rate'] as const;
export type PausedReason = (typeof PAUSED_REASONS)[number];

export const TERMINAL_STATUSES: ReadonlySet<CampaignStatus> = new Set(['expired', 'cancelled']);
export const isTerminal = (s: CampaignStatus): boolean => TERMINAL_STATUSES.has(s);

export type Command =
  | 'launch'
  | 'pause'
  | 'resume'
  | 'cancel'
  | 'extendExpiry'
  | 'reschedule'
  | 'resend'
  | 'retryFailed'
  | 'invitesAdded'
  | 'eventChanged'
  | 'setMaxFailurePercent';

/** Which commands each status accepts; anything else is refused with `invalid_state`. */
const ALLOWED: Record<CampaignStatus, readonly Command[]> = {
  draft: [
    'launch',
    'cancel',
    'extendExpiry',
    'reschedule',
    'invitesAdded',
    'eventChanged',
    'setMaxFailurePercent',
  ],
  scheduled: [
    'pause',
    'cancel',
    'extendExpiry',
    'reschedule',
    'invitesAdded',
    'eventChanged',
    'setMaxFailurePercent',
  ],
  launching: [
    'pause',
    'cancel',
    'extendExpiry',
    'resend',
    'retryFailed',
    'invitesAdded',
    'eventChanged',
    'setMaxFailurePercent',
  ],
  active: [
    'pause',
    'cancel',
    'extendExpiry',
    'resend',
    'retryFailed',
    'invitesAdded',
    'eventChanged',
    'setMaxFailurePercent',
  ],
  // Paused: nothing is emailed (a resend waits for resume), but failures may be queued for retry.
  paused: [
    'resume',
    'cancel',
    'extendExpiry',
    'reschedule',
    'retryFailed',
    'invitesAdded',
    'eventChanged',
    'setMaxFailurePercent',
  ],
  // Only while the account's grace after expiry lasts (the workflow checks): revives it.
  expired: ['extendExpiry'],
  cancelled: [],
};

export function allows(status: CampaignStatus, command: Command): boolean {
  return ALLOWED[status].includes(command);
}

/** How a command refused for the campaign's status reads in the audit log, whoever refuses it. */
export const invalidStateReason = (command: string, status: CampaignStatus): string =>
  `invalid_state: cannot ${command} when ${status}`;

/** Who caused a change: an API key id, `temporal-signal` (UI/CLI), or `system` (timers, activities). */
export type Actor = string;
export const SIGNAL_ACTOR = 'temporal-signal';
export const SYSTEM_ACTOR = 'system';

export interface Progress {
  total: number;
  pending: number;
  sent: number;
  failed: number;
  used: number;
  expired: number;
  voided: number;
}

export const emptyProgress = (): Progress => ({
  total: 0,
  pending: 0,
  sent: 0,
  failed: 0,
  used: 0,
  expired: 0,
  voided: 0,
});

export interface BatchSettings {
  size: number | null;
  gapMinutes: number;
}

export const workflowIdFor = (campaignId: string): string => `campaign-${campaignId}`;
