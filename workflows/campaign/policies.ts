/**
 * The campaign workflow's rules, as pure functions of its state and a command: which
 * commands it takes, which arguments it accepts, what a refusal answers and when sending
 * pauses itself. No Temporal calls, so they are unit-tested without a server.
 */
import type { Activities } from '../../activities';
import {
  accepts,
  type CampaignStatus,
  type Command,
  invalidStateReason,
  SENDING_STATUSES,
} from '../../domain/campaign';
import type { CommandResult } from './messages';
import type { CampaignState, GuardRequest } from './state';

type Refused = Extract<CommandResult, { ok: false }>;

/** A refused command: what its caller is answered and what its `refused:<command>` audit row says. */
export interface Refusal {
  result: Refused;
  reason: string;
  details?: Record<string, unknown>;
}

/**
 * Whether the campaign takes this command now (domain/campaign.ts `accepts`): while expired,
 * only within its grace, which the workflow holds until its timer ends it.
 */
export const mayApply = (s: Pick<CampaignState, 'status' | 'grace'>, command: Command): boolean =>
  accepts(s.status, command, !!s.grace);

export const invalidState = (status: CampaignStatus, command: Command): Refusal => ({
  result: { ok: false, code: 'invalid_state', status },
  reason: invalidStateReason(command, status),
});

export const invalidArgument = (status: CampaignStatus, detail: string): Refusal => ({
  result: { ok: false, code: 'invalid_argument', status, detail },
  reason: `invalid_argument: ${detail}`,
});

type Reserved = Awaited<ReturnType<Activities['reserveForLaunch']>>;

/** The account cannot hold the campaign's cost: the audit row keeps the figures. */
export const insufficientBalance = (
  status: CampaignStatus,
  held: Extract<Reserved, { ok: false }>,
): Refusal => ({
  result: {
    ok: false,
    code: 'insufficient_balance',
    status,
    requiredCents: held.requiredCents,
    availableCents: held.availableCents,
  },
  reason: 'insufficient_balance',
  details: { ...held },
});

type Resent = Awaited<ReturnType<Activities['resendInvite']>>;

/** A resend the activity could not make: not this campaign's invite, a voided one, or a failed send. */
export function resendRefusal(
  status: CampaignStatus,
  inviteId: string,
  sent: Extract<Resent, { ok: false }>,
): Refusal {
  const result: Refused =
    sent.reason === 'not_found'
      ? { ok: false, code: 'not_found', status, detail: `invite ${inviteId} is not in this campaign` }
      : sent.reason === 'voided'
        ? {
            ok: false,
            code: 'invalid_argument',
            status,
            detail: 'this invite was reset; use its replacement',
          }
        : { ok: false, code: 'delivery_failed', status, detail: sent.detail ?? sent.reason };
  return { result, reason: sent.reason, details: { inviteId } };
}

/**
 * A date argument (the start date or the expiry) as the instant to store, or why it is
 * refused. Signals reach here unchecked, so the type is not trusted either.
 */
export function instantArgument(
  field: 'startAt' | 'expiresAt',
  value: unknown,
  now: number,
): { instant: string } | { invalid: string } {
  const at = typeof value === 'string' ? Date.parse(value) : NaN;
  if (Number.isNaN(at)) return { invalid: `${field} must be an ISO 8601 instant` };
  if (field === 'expiresAt' && at <= now) return { invalid: 'expiresAt must be in the future' };
  return { instant: new Date(at).toISOString() };
}

/** A resend names its invite; a signal may not. */
export const resendArgumentProblem = (inviteId: unknown): string | null =>
  typeof inviteId === 'string' ? null : 'inviteId is required';

/**
 * Too many messages of one provider call failed (bad addresses are not counted: they are
 * the list's fault, not the sender's): why the campaign pauses itself, or null.
 */
export function failureRateExceeded(
  outcome: { attempted: number; failed: number },
  maxFailurePercent: number,
): string | null {
  if (outcome.attempted === 0 || (outcome.failed * 100) / outcome.attempted <= maxFailurePercent) return null;
  return `${outcome.failed} of ${outcome.attempted} messages in a batch failed (more than ${maxFailurePercent}%), not counting bad addresses`;
}

/**
 * Whether the deliverability guard's signal pauses the campaign now: only while it sends. A
 * paused one stays as it is (whatever its reason), a scheduled one has sent nothing, an ended
 * one sends nothing more: the signal is then a no-op, so repeating it is harmless.
 */
export const guardPauses = (status: CampaignStatus): boolean => SENDING_STATUSES.has(status);

/**
 * The guard signal's argument, or null (ignored) when it is not one: signals arrive unchecked.
 * The detail is cut to fit the audit entry's reason (300 characters, with `complaint_rate: `).
 */
export function guardArgument(a: Record<string, unknown>): GuardRequest | null {
  const { reason, detail } = a;
  if ((reason !== 'complaint_rate' && reason !== 'bounce_rate') || typeof detail !== 'string') return null;
  return { type: 'deliverabilityGuard', reason, detail: detail.slice(0, 250) };
}

const isString = (v: unknown) => typeof v === 'string';
const optional = (check: (v: unknown) => boolean) => (v: unknown) => v === undefined || check(v);
const isNumber = (v: unknown) => typeof v === 'number' && Number.isFinite(v);

/** Each command's fields and the type each must have: the update validator's whole rule. */
const FIELDS: Record<Command, Record<string, (v: unknown) => boolean>> = {
  launch: {},
  pause: { reason: optional(isString) },
  resume: {},
  cancel: {},
  extendExpiry: { expiresAt: isString },
  reschedule: { startAt: isString },
  resend: {
    inviteId: isString,
    reset: optional((v) => typeof v === 'boolean'),
    expiresIn: optional(isString),
  },
  retryFailed: {},
  invitesAdded: {},
  eventChanged: { sequence: isNumber },
  setMaxFailurePercent: { maxFailurePercent: isNumber },
  setBatch: { batch: (v) => typeof v === 'object' && v !== null },
};

/** Every command the workflow takes, from a signal or the update. */
export const COMMANDS = Object.keys(FIELDS) as Command[];

/**
 * What is malformed in an update's argument (unknown command, a field missing or of the
 * wrong type), or null. Values (is the date in the future, is the invite this campaign's)
 * are the workflow's to judge, as they are for signals: this only keeps garbage out of history.
 */
export function commandProblem(arg: unknown): string | null {
  if (typeof arg !== 'object' || arg === null) return 'the command must be an object';
  const fields = arg as Record<string, unknown>;
  const { type } = fields;
  if (typeof type !== 'string' || !Object.hasOwn(FIELDS, type))
    return `unknown command ${JSON.stringify(type)}`;
  if (typeof fields.actor !== 'string') return 'actor must be a string';
  for (const [field, valid] of Object.entries(FIELDS[type as Command])) {
    if (!valid(fields[field])) return `${type}: ${field} is missing or of the wrong type`;
  }
  return null;
}
