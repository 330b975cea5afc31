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
/**
 * Why a campaign is paused: a person (`manual`), or the workflow itself — the provider refused
 * the token, too much of a batch failed, or its spam complaints or hard bounces passed the
 * account's guards (domain/deliverability-guards.ts).
 */
export const PAUSED_REASONS = [
  'manual',
  'email_token_invalid',
  'failure_rate',
  'complaint_rate',
  'bounce_rate',
] as const;
export type PausedReason = (typeof PAUSED_REASONS)[number];
/** The pauses the workflow makes by itself, each alerting the owner at once. */
export type SelfPauseReason = Exclude<PausedReason, 'manual'>;

/** Why a sending campaign holds its next email back (SPEC "Sending policy"). */
export const WAIT_REASONS = ['sending_limit', 'send_window'] as const;
export type WaitReason = (typeof WAIT_REASONS)[number];
/** A campaign waiting to send: why, and until when (ISO). */
export interface Waiting {
  reason: WaitReason;
  until: string;
}
/*
 * The named sets of statuses: every rule that asks "is the campaign in one of these" asks
 * one of them, so a new status is placed once, here. They differ on purpose.
 */

/**
 * Sending: its start date has passed and it is not paused, so emails leave now (launching)
 * or on arrival (active: added invites, resends, calendar updates). Only these wait on a
 * sending limit or a send window.
 */
export const SENDING_STATUSES: ReadonlySet<CampaignStatus> = new Set(['launching', 'active']);

/**
 * Started: invitations have gone out (sending, or paused after its start — a pause keeps
 * its place). Its invites' deadlines run (reminders wait while paused, expiries do not), an
 * event change reaches the invitees, and a new sending policy applies to it.
 */
export const STARTED_STATUSES: ReadonlySet<CampaignStatus> = new Set([...SENDING_STATUSES, 'paused']);

/**
 * Launched and not over: its cost is held from the balance (so invites added now are paid
 * for at once), and its workflow moves it on by itself (a start date, a batch, an expiry).
 * Scheduled is here: a launch with a future start date reserves at once.
 */
export const LAUNCHED_STATUSES: ReadonlySet<CampaignStatus> = new Set(['scheduled', ...STARTED_STATUSES]);

/** Over: nothing is sent and no link works; an expired one may come back within its grace. */
export const TERMINAL_STATUSES: ReadonlySet<CampaignStatus> = new Set(['expired', 'cancelled']);

/** Only a sending campaign waits: a row's wait left over from before a pause or an end is not one. */
export const waitsIn = (status: CampaignStatus): boolean => SENDING_STATUSES.has(status);
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
  | 'setMaxFailurePercent'
  | 'setBatch';

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
    'setBatch',
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
    'setBatch',
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
    'setBatch',
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
    'setBatch',
  ],
  // Only while the account's grace after expiry lasts (`accepts`): revives it.
  expired: ['extendExpiry'],
  cancelled: [],
};

export function allows(status: CampaignStatus, command: Command): boolean {
  return ALLOWED[status].includes(command);
}

/**
 * An expired campaign comes back when its expiry is extended, but only while the grace its
 * account allows lasts. Whether it lasts is the caller's to say: the workflow holds the grace
 * until its timer ends it; the API reads the row's `extendableUntil` (`graceLasts`).
 */
export const revivable = (status: CampaignStatus, inGrace: boolean): boolean =>
  status === 'expired' && inGrace;

/** Whether a grace that ends at `until` (exclusive) still lasts at `now`; none never does. */
export const graceLasts = (until: Date | null, now: number): boolean =>
  until !== null && until.getTime() > now;

/** The whole rule for a command: the table above, and for an expired campaign, its grace. */
export function accepts(status: CampaignStatus, command: Command, inGrace: boolean): boolean {
  return allows(status, command) && (status !== 'expired' || revivable(status, inGrace));
}

/** Recipients may be added until the campaign is over (a launched one sends to them at once). */
export const acceptsInvites = (status: CampaignStatus): boolean => !isTerminal(status);

/** A draft's own fields (name, description, batch, cost, email) change only while it is a draft. */
export const editable = (status: CampaignStatus): boolean => status === 'draft';

/**
 * A campaign's send window and link settings may change until the campaign is over: while a
 * draft, and while it sends (or waits, or is paused), where it matters most. An expired
 * campaign within its grace may still be revived, so it may still take them; a cancelled one
 * never sends again.
 */
export const settingsEditable = (status: CampaignStatus, inGrace: boolean): boolean =>
  !isTerminal(status) || revivable(status, inGrace);

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

/** A batch's bounds: the API's schema (api/schemas/common.ts) and the workflow check the same. */
export const MAX_BATCH_SIZE = 100_000;
export const MAX_BATCH_GAP_MINUTES = 7 * 24 * 60;

/**
 * Why a batch setting is refused, or null. The API's schema says it first; the workflow asks
 * again because a command's values are its to judge (the update validator only checks shapes).
 */
export function batchProblem(batch: unknown): string | null {
  const { size, gapMinutes } = (batch ?? {}) as Record<string, unknown>;
  if (
    size !== null &&
    !(Number.isInteger(size) && (size as number) >= 1 && (size as number) <= MAX_BATCH_SIZE)
  )
    return `batch.size must be null (all at once) or an integer from 1 to ${MAX_BATCH_SIZE}`;
  if (typeof gapMinutes !== 'number' || !(gapMinutes >= 0 && gapMinutes <= MAX_BATCH_GAP_MINUTES))
    return `batch.gapMinutes must be a number of minutes from 0 to ${MAX_BATCH_GAP_MINUTES}`;
  return null;
}

/** A batch setting in words, for the audit log: "50 every 60 min", "all at once". */
export const describeBatch = (b: BatchSettings): string =>
  b.size === null ? 'all at once' : `${b.size} every ${b.gapMinutes} min`;

export const workflowIdFor = (campaignId: string): string => `campaign-${campaignId}`;
