import {
  ActivityFailure,
  allHandlersFinished,
  ApplicationFailure,
  condition,
  continueAsNew,
  defineQuery,
  defineSignal,
  defineUpdate,
  log,
  patched,
  proxyActivities,
  setCurrentDetails,
  setDefaultSignalHandler,
  setHandler,
  type SignalDefinition,
  upsertMemo,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { Activities } from '../activities';
import {
  type Actor,
  allows,
  type BatchSettings,
  type CampaignStatus,
  type Command,
  emptyProgress,
  isTerminal,
  PAUSED_REASONS,
  type PausedReason,
  type Progress,
  type ResumablePhase,
  SIGNAL_ACTOR,
  SYSTEM_ACTOR,
} from '../domain/campaign';
import { NON_RETRYABLE_TYPES } from '../domain/failures';
import { CampaignStatusKey } from './search-attributes';

// ---- Messages: shared with the API, the CLI docs and the tests -------------------------

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

export type CommandRequest =
  | { type: 'launch' }
  | { type: 'pause'; reason?: string }
  | { type: 'resume' }
  | { type: 'cancel' }
  | { type: 'extendExpiry'; expiresAt: string }
  | { type: 'reschedule'; startAt: string }
  | { type: 'resend'; inviteId: string; reset?: boolean }
  | { type: 'retryFailed' }
  | { type: 'invitesAdded' }
  | { type: 'eventChanged'; sequence: number }
  | { type: 'setMaxFailurePercent'; maxFailurePercent: number };

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

/** The API's way in: the same commands as the signals, answered once applied. */
export const commandUpdate = defineUpdate<CommandResult, [CommandRequest & { actor: Actor }]>('command');

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
}
export const statusQuery = defineQuery<CampaignStatusView>('status');

// ---- State ------------------------------------------------------------------------------

export interface CampaignWorkflowInput {
  campaignId: string;
  accountId: string;
  name: string;
  /** Carried across continue-as-new; absent on the first run. */
  state?: CampaignState;
  /** Continue-as-new once history passes this many events (tests set it low). */
  historyBound?: number;
}

/** Counters and instants only: recipients stay in the database, the activities pick them. */
export interface DispatchState {
  /** Launching: when the next batch may start (ISO); null = now. */
  nextBatchAt: string | null;
  /** Invites left in the batch under way; null = no batch under way. */
  batchLeft: number | null;
  /** Active: invites were added or released for retry, so look for unsent ones. */
  lookAgain: boolean;
  batches: number;
  summarySent: boolean;
}

/** An "update calendar invites" pass through everyone already invited: a cursor, not a list. */
export interface CalendarPass {
  sequence: number;
  /** The last invite id updated (ids are time-ordered); null = from the start. */
  afterId: string | null;
  /** The next chunk may go at (ISO): the campaign's batch gap applies. */
  nextAt: string | null;
}

/** Per-invite expiries and reminders: one timer for the earliest, read from an index. */
export interface DeadlineState {
  /** The earliest pending invite deadline (ISO), or null when none. */
  at: string | null;
  /** Something changed the deadlines (invites added, sent, reset, resumed): read them again. */
  dirty: boolean;
}

export interface CampaignState {
  status: CampaignStatus;
  pausedFrom: ResumablePhase | null;
  pausedReason: PausedReason | null;
  startAt: string | null;
  expiresAt: string | null;
  batch: BatchSettings;
  maxFailurePercent: number;
  /** Numbers every audit entry (and owner email) this workflow writes, so a retried write is a no-op. */
  seq: number;
  launches: number;
  progress: Progress;
  dispatch: DispatchState;
  deadlines: DeadlineState;
  calendar?: CalendarPass | null;
  /**
   * Over for good (cancelled, or expired past any grace): the pass that cancels the event in
   * the calendars it reached. Absent: not started; null: through.
   */
  calendarCancel?: { afterId: string | null; attempted: number } | null;
  /** Commands received but not yet applied: carried across continue-as-new so none is lost. */
  inbox: QueuedCommand[];
  runCount: number;
  /**
   * Expired, within the grace its account allows: until when (ISO) extending the expiry
   * revives it, and where it then returns. The workflow stays open, on one timer, that long.
   */
  grace?: {
    until: string;
    returnTo: {
      status: CampaignStatus;
      pausedFrom: ResumablePhase | null;
      pausedReason: PausedReason | null;
    };
  } | null;
  /** Times it was revived: each revival is reserved and, at its end, settled under its own key. */
  revivals?: number;
}

interface QueuedCommand {
  request: CommandRequest;
  actor: Actor;
  /** Set for updates: the handler waits for this ticket's result. */
  ticket?: number;
}

/** The server suggests continue-as-new at 4,096 events and warns at 10,240. */
const DEFAULT_HISTORY_BOUND = 4_000;
/** Phases in which invite deadlines are kept (reminders wait while paused; expiries do not). */
const LIVE: ReadonlySet<CampaignStatus> = new Set(['launching', 'active', 'paused']);
/** The counters come from the database's one definition (db/progress.ts), not a tally of outcomes. */
const PROGRESS_FROM_DB = 'progress-from-db';
/** Postmark takes 500 messages per batch call. */
const PROVIDER_CHUNK = 500;

const acts = proxyActivities<Activities>({
  startToCloseTimeout: '2m',
  // A worker that dies mid-call is noticed within seconds, and the call retried elsewhere.
  heartbeatTimeout: '10s',
  // Transient failures back off up to 30 s between attempts; bad data is never retried.
  retry: {
    initialInterval: '500ms',
    backoffCoefficient: 2,
    maximumInterval: '30s',
    nonRetryableErrorTypes: [...NON_RETRYABLE_TYPES],
  },
});

// ---- The workflow -------------------------------------------------------------------------

export async function campaignWorkflow(input: CampaignWorkflowInput): Promise<void> {
  const { campaignId, accountId } = input;
  const bound = input.historyBound ?? DEFAULT_HISTORY_BOUND;
  const results = new Map<number, CommandResult>();
  let nextTicket = 1;
  let state: CampaignState | undefined = input.state;
  const early: QueuedCommand[] = [];
  const enqueue = (cmd: QueuedCommand): void => {
    (state ? state.inbox : early).push(cmd);
  };

  // Handlers only record what arrived; the main loop applies it, in order.
  const onSignal = (name: string, arg: unknown): void => {
    const actor = SIGNAL_ACTOR;
    switch (name) {
      case 'launch':
      case 'resume':
      case 'cancel':
      case 'invitesAdded':
        return enqueue({ request: { type: name }, actor });
      case 'pause':
        return enqueue({ request: { type: 'pause', reason: (arg as PauseArgs | undefined)?.reason }, actor });
      case 'extendExpiry':
        return enqueue({
          request: {
            type: 'extendExpiry',
            expiresAt: (arg as ExtendExpiryArgs | undefined)?.expiresAt as string,
          },
          actor,
        });
      case 'reschedule':
        return enqueue({
          request: { type: 'reschedule', startAt: (arg as RescheduleArgs | undefined)?.startAt as string },
          actor,
        });
      case 'resend': {
        const a = arg as ResendArgs | undefined;
        return enqueue({
          request: { type: 'resend', inviteId: a?.inviteId as string, reset: a?.reset === true },
          actor,
        });
      }
      default:
        log.warn('ignored a signal this workflow does not know', { name });
    }
  };
  // The default handler goes first: signals that reached this run before any handler
  // existed (its first activation, e.g. right after continue-as-new) are then dispatched in
  // arrival order. Named handlers alone would drain them grouped by name, so a burst of
  // pause/resume would be replayed as all pauses, then all resumes.
  setDefaultSignalHandler((name, arg) => onSignal(name, arg));
  for (const signal of [
    launchSignal,
    pauseSignal,
    resumeSignal,
    cancelSignal,
    extendExpirySignal,
    rescheduleSignal,
    resendSignal,
    invitesAddedSignal,
  ]) {
    setHandler(signal as SignalDefinition<[unknown?]>, (arg?: unknown) => onSignal(signal.name, arg));
  }
  setHandler(commandUpdate, async ({ actor, ...request }) => {
    const ticket = nextTicket++;
    enqueue({ request, actor, ticket });
    await condition(() => results.has(ticket));
    const result = results.get(ticket)!;
    results.delete(ticket);
    return result;
  });
  setHandler(statusQuery, () => ({
    campaignId,
    phase: state?.status ?? 'draft',
    pausedReason: state?.pausedReason ?? null,
    pausedFrom: state?.pausedFrom ?? null,
    startAt: state?.startAt ?? null,
    expiresAt: state?.expiresAt ?? null,
    progress: state?.progress ?? emptyProgress(),
    maxFailurePercent: state?.maxFailurePercent ?? 0,
    nextTimerAt: state ? iso(nextDeadline(state)) : null,
    batches: state?.dispatch.batches ?? 0,
    nextInviteDeadlineAt: state?.deadlines.at ?? null,
    runCount: state?.runCount ?? 1,
  }));

  if (!state) {
    const row = await acts.loadCampaign(campaignId);
    state = {
      status: row.status,
      pausedFrom: null,
      pausedReason: null,
      startAt: row.startAt,
      expiresAt: row.expiresAt,
      batch: row.batch,
      maxFailurePercent: row.maxFailurePercent,
      seq: 0,
      launches: 0,
      progress: emptyProgress(),
      dispatch: { nextBatchAt: null, batchLeft: null, lookAgain: false, batches: 0, summarySent: false },
      deadlines: { at: null, dirty: true },
      inbox: early,
      runCount: 1,
    };
  }
  const s: CampaignState = state;
  upsertSearchAttributes([{ key: CampaignStatusKey, value: s.status }]);
  upsertMemo({ name: input.name });

  // ---- Effects: each persisted by an activity before the state moves ----

  const audit = async (
    action: string,
    actor: Actor,
    reason: string | null,
    details?: Record<string, unknown>,
  ) => {
    s.seq += 1;
    await acts.recordAudit({
      campaignId,
      accountId,
      seq: s.seq,
      actor,
      action,
      status: s.status,
      reason,
      details,
    });
  };

  const moveTo = async (
    to: CampaignStatus,
    actor: Actor,
    reason: string | null,
    paused?: { from: ResumablePhase; reason: PausedReason },
  ) => {
    s.seq += 1;
    await acts.recordTransition({
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
    s.status = to;
    if (LIVE.has(to)) s.deadlines.dirty = true;
    s.pausedFrom = paused?.from ?? null;
    s.pausedReason = paused?.reason ?? null;
    upsertSearchAttributes([{ key: CampaignStatusKey, value: to }]);
  };

  /** Expiry and cancel: charge what was sent, release the rest, then the end state. */
  const finish = async (
    to: 'expired' | 'cancelled',
    actor: Actor,
    reason: string,
    beforeMove?: () => Promise<void>,
  ) => {
    const round = s.revivals ? `:${s.revivals}` : '';
    await acts.settleReservation({ campaignId, accountId, key: `settle:${campaignId}${round}` });
    await beforeMove?.();
    await moveTo(to, actor, reason);
  };

  /** A finished campaign whose grace (if any) is over: nothing can bring it back. */
  const overForGood = () => isTerminal(s.status) && !s.grace;
  /** Over for good, and nothing left to do (the calendar cancellations are through). */
  const ended = () => overForGood() && !s.calendarCancel;

  /**
   * Extending the expiry within the grace: the unsent invites are held again (or 402), and
   * the campaign returns to where it was when it expired. Returns a refusal, or null.
   */
  const revive = async (
    from: NonNullable<CampaignState['grace']>['returnTo'],
    actor: Actor,
  ): Promise<CommandResult | null> => {
    let reservedCents = 0;
    if (from.status !== 'draft') {
      const held = await acts.reserveForRevival({
        campaignId,
        accountId,
        key: `revive:${campaignId}:${(s.revivals ?? 0) + 1}`,
      });
      if (!held.ok) {
        await audit('refused:extendExpiry', actor, 'insufficient_balance', { ...held });
        const { requiredCents, availableCents } = held;
        return { ok: false, code: 'insufficient_balance', status: s.status, requiredCents, availableCents };
      }
      reservedCents = held.reservedCents;
    }
    s.revivals = (s.revivals ?? 0) + 1;
    s.grace = null;
    s.dispatch.lookAgain = true;
    s.dispatch.nextBatchAt = null;
    await moveTo(
      from.status,
      actor,
      `revived within the expiry grace, ${reservedCents} cents reserved`,
      from.status === 'paused' && from.pausedFrom && from.pausedReason
        ? { from: from.pausedFrom, reason: from.pausedReason }
        : undefined,
    );
    return null;
  };

  /** The campaign stops itself and tells its owner at once, through the platform's sender. */
  const pauseItself = async (reason: 'email_token_invalid' | 'failure_rate', detail: string) => {
    await moveTo('paused', SYSTEM_ACTOR, `${reason}: ${detail}`, {
      from: s.status as ResumablePhase,
      reason,
    });
    await acts.notifyOwner({
      campaignId,
      accountId,
      key: `alert:${campaignId}:${s.seq}`,
      kind: 'owner_alert',
      reason,
      detail,
    });
  };

  const apply = async ({ request, actor }: QueuedCommand): Promise<CommandResult> => {
    const command: Command = request.type;
    if (!allows(s.status, command)) {
      await audit(`refused:${command}`, actor, `invalid_state: cannot ${command} when ${s.status}`);
      return { ok: false, code: 'invalid_state', status: s.status };
    }
    switch (request.type) {
      case 'launch': {
        const reserved = await acts.reserveForLaunch({
          campaignId,
          accountId,
          key: `reserve:${campaignId}:${s.launches + 1}`,
        });
        if (!reserved.ok) {
          await audit('refused:launch', actor, 'insufficient_balance', { ...reserved });
          const { requiredCents, availableCents } = reserved;
          return { ok: false, code: 'insufficient_balance', status: s.status, requiredCents, availableCents };
        }
        s.launches += 1;
        // A draft's batches may have been edited since this run read the row: launch with them.
        // Versioned: runs recorded before this launched with the batches read at creation.
        if (patched('draft-edits-on-launch')) s.batch = (await acts.loadCampaign(campaignId)).batch;
        const future = s.startAt !== null && Date.parse(s.startAt) > Date.now();
        await moveTo(
          future ? 'scheduled' : 'launching',
          actor,
          `launched, ${reserved.reservedCents} cents reserved`,
        );
        break;
      }
      case 'pause': {
        // A person pauses as `manual` (their text is the audit entry's note): only the
        // workflow itself may record `failure_rate` or `email_token_invalid`.
        const reason: PausedReason =
          !patched('user-pause-is-manual') && PAUSED_REASONS.includes(request.reason as PausedReason)
            ? (request.reason as PausedReason)
            : 'manual';
        await moveTo('paused', actor, request.reason ?? reason, { from: s.status as ResumablePhase, reason });
        break;
      }
      case 'resume': {
        const to = s.pausedFrom ?? 'active';
        // Carry on from the first unsent invite: a batch cut short by the pause starts afresh now.
        s.dispatch.nextBatchAt = null;
        s.dispatch.lookAgain = true;
        await moveTo(to, actor, 'resumed');
        break;
      }
      case 'cancel':
        await finish('cancelled', actor, 'cancelled by the owner');
        break;
      case 'extendExpiry':
      case 'reschedule': {
        const field = request.type === 'extendExpiry' ? 'expiresAt' : 'startAt';
        const value = request.type === 'extendExpiry' ? request.expiresAt : request.startAt;
        const at = typeof value === 'string' ? Date.parse(value) : NaN;
        const invalid = Number.isNaN(at)
          ? `${field} must be an ISO 8601 instant`
          : field === 'expiresAt' && at <= Date.now()
            ? 'expiresAt must be in the future'
            : null;
        if (invalid) {
          await audit(`refused:${command}`, actor, `invalid_argument: ${invalid}`);
          return { ok: false, code: 'invalid_argument', status: s.status, detail: invalid };
        }
        const instant = new Date(at).toISOString();
        if (s.status === 'expired' && s.grace) {
          const refusal = await revive(s.grace.returnTo, actor);
          if (refusal) return refusal;
        }
        await acts.recordSchedule({
          campaignId,
          accountId,
          seq: ++s.seq,
          actor,
          field,
          value: instant,
          previous: s[field],
        });
        s[field] = instant;
        break;
      }
      case 'resend': {
        if (typeof request.inviteId !== 'string') {
          await audit('refused:resend', actor, 'invalid_argument: inviteId is required');
          return { ok: false, code: 'invalid_argument', status: s.status, detail: 'inviteId is required' };
        }
        s.seq += 1;
        const sent = await acts.resendInvite({
          campaignId,
          accountId,
          inviteId: request.inviteId,
          reset: request.reset === true,
          key: `resend:${request.inviteId}:${campaignId}:${s.seq}`,
          actor,
        });
        if (!sent.ok) {
          if (sent.reason === 'email_token_invalid')
            await pauseItself('email_token_invalid', 'the email provider rejected the token on a resend');
          await audit('refused:resend', actor, sent.reason, { inviteId: request.inviteId });
          return sent.reason === 'not_found'
            ? {
                ok: false,
                code: 'not_found',
                status: s.status,
                detail: `invite ${request.inviteId} is not in this campaign`,
              }
            : sent.reason === 'voided'
              ? {
                  ok: false,
                  code: 'invalid_argument',
                  status: s.status,
                  detail: 'this invite was reset; use its replacement',
                }
              : { ok: false, code: 'delivery_failed', status: s.status, detail: sent.detail ?? sent.reason };
        }
        s.deadlines.dirty = true;
        await audit(request.reset ? 'invite_reset_sent' : 'invite_resent', actor, null, {
          inviteId: request.inviteId,
          newInviteId: sent.inviteId,
        });
        return { ok: true, status: s.status, inviteId: sent.inviteId };
      }
      case 'retryFailed': {
        const released = await acts.releaseFailed({ campaignId, accountId });
        await audit('retry_failed', actor, `${released} failed invites queued again`, { released });
        s.dispatch.lookAgain = true;
        if (s.status === 'paused' && s.pausedReason === 'failure_rate') {
          s.dispatch.nextBatchAt = null;
          await moveTo(s.pausedFrom ?? 'active', actor, 'resumed to retry the failed invites');
        }
        return { ok: true, status: s.status, released };
      }
      case 'invitesAdded':
        s.dispatch.lookAgain = true;
        s.deadlines.dirty = true;
        break;
      case 'setMaxFailurePercent':
        if (request.maxFailurePercent !== s.maxFailurePercent) {
          await acts.recordSetting({
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
      case 'eventChanged':
        // Everyone already invited gets the new version (a newer change restarts the pass).
        if (typeof request.sequence === 'number' && request.sequence > (s.calendar?.sequence ?? -1)) {
          s.calendar = { sequence: request.sequence, afterId: null, nextAt: null };
          await audit('event_changed', actor, `calendar invites updated to version ${request.sequence}`);
        }
        break;
    }
    return { ok: true, status: s.status };
  };

  /** Timers that fell due: the start date, then the expiry. */
  const fireDueTimers = async () => {
    const now = Date.now();
    if (s.status === 'scheduled' && s.startAt !== null && Date.parse(s.startAt) <= now) {
      s.dispatch.nextBatchAt = null;
      await moveTo('launching', SYSTEM_ACTOR, 'start date reached');
    }
    if (!isTerminal(s.status) && s.expiresAt !== null && Date.parse(s.expiresAt) <= now) {
      // The campaign's expiry wins over every invite's: it stops them all at once.
      await finish('expired', SYSTEM_ACTOR, 'campaign expiry reached', async () => {
        // Versioned: runs recorded before the grace existed replay without this step. Fixed
        // before the status moves, so whoever sees `expired` also sees until when it can be extended.
        if (!patched('expiry-grace')) return;
        const { until } = await acts.openExpiryGrace({ campaignId, accountId });
        const returnTo = { status: s.status, pausedFrom: s.pausedFrom, pausedReason: s.pausedReason };
        s.grace = until ? { until, returnTo } : null;
      });
    }
    if (s.status === 'expired' && s.grace && Date.parse(s.grace.until) <= now) s.grace = null;
    if (LIVE.has(s.status) && s.deadlines.at !== null && Date.parse(s.deadlines.at) <= now) {
      const due = await acts.processDueDeadlines({
        campaignId,
        accountId,
        remindersToo: s.status !== 'paused',
      });
      s.deadlines.at = due.next;
      if (patched(PROGRESS_FROM_DB)) s.progress = await acts.campaignProgress({ campaignId });
      else s.progress.expired += due.expired;
      if (due.tokenInvalid)
        await pauseItself(
          'email_token_invalid',
          'the email provider rejected the server token while sending reminders',
        );
    }
  };

  /** Reads the next invite deadline again after something changed them (one indexed query). */
  const rearmDeadlines = async (): Promise<boolean> => {
    if (!LIVE.has(s.status) || !s.deadlines.dirty) return false;
    s.deadlines.dirty = false;
    s.deadlines.at = await acts.nextInviteDeadline({ campaignId, remindersToo: s.status !== 'paused' });
    return true;
  };

  /**
   * One provider call, if one is due: the next chunk of the batch under way (launching), or
   * what is unsent after invites were added (active). Returns whether it sent anything, so
   * the loop comes straight back — and applies any command that arrived in between first.
   */
  const dispatchStep = async (): Promise<boolean> => {
    const d = s.dispatch;
    const launching = s.status === 'launching';
    if (!launching && !(s.status === 'active' && d.lookAgain)) return false;
    if (launching && d.batchLeft === null) {
      if (d.nextBatchAt !== null && Date.parse(d.nextBatchAt) > Date.now()) return false; // the gap
      d.batchLeft = s.batch.size ?? Number.MAX_SAFE_INTEGER;
      d.batches += 1;
    }
    const limit = launching ? Math.min(d.batchLeft!, PROVIDER_CHUNK) : PROVIDER_CHUNK;
    const outcome = await acts.sendInvitations({ campaignId, accountId, limit });
    if (outcome.sent > 0) s.deadlines.dirty = true; // sent invites may now have reminders to arm
    if (patched(PROGRESS_FROM_DB)) s.progress = await acts.campaignProgress({ campaignId });
    else {
      s.progress.sent += outcome.sent;
      s.progress.failed += outcome.failed + outcome.badAddresses + outcome.suppressed;
    }
    if (outcome.tokenInvalid) {
      d.batchLeft = null;
      await pauseItself(
        'email_token_invalid',
        'the email provider rejected the server token (Postmark ErrorCode 10)',
      );
      return true;
    }
    if (outcome.attempted > 0 && (outcome.failed * 100) / outcome.attempted > s.maxFailurePercent) {
      d.batchLeft = null;
      await pauseItself(
        'failure_rate',
        `${outcome.failed} of ${outcome.attempted} messages in a batch failed (more than ${s.maxFailurePercent}%), not counting bad addresses`,
      );
      return true;
    }
    if (launching) d.batchLeft! -= outcome.attempted + outcome.suppressed;
    if (outcome.remaining === 0 || outcome.attempted + outcome.suppressed === 0) {
      d.batchLeft = null;
      d.lookAgain = false;
      if (launching) {
        await moveTo('active', SYSTEM_ACTOR, 'every invitation that can be sent has been sent');
        if (!d.summarySent) {
          await acts.notifyOwner({
            campaignId,
            accountId,
            key: `summary:${campaignId}:${s.launches}`,
            kind: 'owner_summary',
          });
          d.summarySent = true;
        }
      }
      return outcome.attempted > 0;
    }
    if (launching && d.batchLeft! <= 0) {
      d.batchLeft = null;
      d.nextBatchAt = new Date(Date.now() + s.batch.gapMinutes * 60_000).toISOString();
    }
    return true;
  };

  /** One chunk of an "update calendar invites" pass, in the campaign's batch size and gap. */
  const calendarStep = async (): Promise<boolean> => {
    const pass = s.calendar;
    if (!pass || (s.status !== 'launching' && s.status !== 'active')) return false;
    if (pass.nextAt !== null && Date.parse(pass.nextAt) > Date.now()) return false;
    const limit = Math.min(s.batch.size ?? PROVIDER_CHUNK, PROVIDER_CHUNK);
    const step = await acts.sendCalendarUpdates({
      campaignId,
      accountId,
      sequence: pass.sequence,
      afterId: pass.afterId,
      limit,
    });
    if (step.tokenInvalid) {
      await pauseItself(
        'email_token_invalid',
        'the email provider rejected the server token while updating calendar invites',
      );
      return true;
    }
    if (step.lastId === null) {
      s.calendar = null;
      // As after the invitations: the owner hears once the pass is through, with any failures.
      if (patched('calendar-summary'))
        await acts.notifyOwner({
          campaignId,
          accountId,
          key: `calendar-summary:${campaignId}:${pass.sequence}`,
          kind: 'owner_summary',
          calendarVersion: pass.sequence,
        });
      return false;
    }
    pass.afterId = step.lastId;
    pass.nextAt =
      s.batch.size !== null && s.batch.gapMinutes > 0
        ? new Date(Date.now() + s.batch.gapMinutes * 60_000).toISOString()
        : null;
    return true;
  };

  /** Applies a command; one an activity refused as bad data is answered `invalid_argument`. */
  const applyOrRefuse = async (cmd: QueuedCommand): Promise<CommandResult> => {
    try {
      return await apply(cmd);
    } catch (err) {
      const refusal =
        err instanceof ActivityFailure &&
        err.cause instanceof ApplicationFailure &&
        NON_RETRYABLE_TYPES.includes(err.cause.type ?? '')
          ? err.cause.message
          : null;
      // Versioned: before, such a failure (never met: it was retried forever) failed the run.
      if (refusal === null || !patched('refuse-bad-data')) throw err;
      await audit(`refused:${cmd.request.type}`, cmd.actor, `invalid_argument: ${refusal}`);
      return { ok: false, code: 'invalid_argument', status: s.status, detail: refusal };
    }
  };

  /** Over for good: the cancellation pass starts (once). Versioned: runs recorded before it end without. */
  const startCalendarCancel = () => {
    if (overForGood() && s.calendarCancel === undefined && patched('calendar-cancel'))
      s.calendarCancel = { afterId: null, attempted: 0 };
  };

  /**
   * One chunk (the provider's batch size) of the cancellation pass: the event leaves the
   * calendars of those who got it, once each; the owner hears when it is through.
   */
  const calendarCancelStep = async (): Promise<boolean> => {
    const pass = s.calendarCancel;
    if (!pass) return false;
    const step = await acts.sendCalendarCancels({
      campaignId,
      accountId,
      afterId: pass.afterId,
      limit: PROVIDER_CHUNK,
    });
    pass.attempted += step.attempted;
    if (step.lastId !== null && !step.tokenInvalid) {
      pass.afterId = step.lastId;
      return true;
    }
    s.calendarCancel = null;
    if (pass.attempted > 0 || step.tokenInvalid)
      await acts.notifyOwner({
        campaignId,
        accountId,
        key: `calendar-cancel-summary:${campaignId}`,
        kind: 'owner_summary',
        calendarCancelled: true,
        detail: step.tokenInvalid
          ? 'The email provider rejected the server token: the remaining cancellations were not sent.'
          : undefined,
      });
    return true;
  };

  const answer = async (cmd: QueuedCommand) => {
    const revivable = s.grace && cmd.request.type === 'extendExpiry';
    const result: CommandResult =
      isTerminal(s.status) && !revivable
        ? (await audit(
            `refused:${cmd.request.type}`,
            cmd.actor,
            `invalid_state: cannot ${cmd.request.type} when ${s.status}`,
          ),
          { ok: false, code: 'invalid_state', status: s.status })
        : await applyOrRefuse(cmd);
    // A command can make a timer due (a past start date): answer with what that produced.
    await fireDueTimers();
    if (cmd.ticket !== undefined)
      results.set(cmd.ticket, result.ok ? { ...result, status: s.status } : result);
  };

  // ---- Main loop: one timer (the nearest deadline), woken early by any command ----

  const mustContinueAsNew = () =>
    workflowInfo().continueAsNewSuggested || workflowInfo().historyLength > bound;
  for (;;) {
    while (s.inbox.length > 0 && !mustContinueAsNew()) await answer(s.inbox.shift()!);
    await fireDueTimers();
    startCalendarCancel();
    if (ended() || mustContinueAsNew()) break;
    if (s.inbox.length === 0 && (await dispatchStep())) continue;
    if (s.inbox.length === 0 && (await calendarStep())) continue;
    if (await calendarCancelStep()) continue;
    if (await rearmDeadlines()) continue;
    const deadline = nextDeadline(s);
    setCurrentDetails(describeForOps(s, deadline));
    const wake = () => s.inbox.length > 0 || mustContinueAsNew();
    if (deadline === null) await condition(wake);
    else if (deadline > Date.now()) await condition(wake, deadline - Date.now());
  }

  // An update's caller is waiting in this run, so answer every queued update (and, to keep
  // order, the signals before it); the remaining signals travel in the carried inbox. A
  // finished campaign answers everything, as refusals.
  const mustAnswer = () => (ended() ? s.inbox.length > 0 : s.inbox.some((c) => c.ticket !== undefined));
  for (;;) {
    while (mustAnswer()) await answer(s.inbox.shift()!);
    if (allHandlersFinished()) break;
    await condition(() => mustAnswer() || allHandlersFinished());
  }
  startCalendarCancel(); // ended while answering: the next run makes the pass
  if (ended()) {
    log.info('campaign finished', { campaignId, status: s.status });
    return;
  }
  await continueAsNew<typeof campaignWorkflow>({ ...input, state: { ...s, runCount: s.runCount + 1 } });
}

/** The one instant the workflow must wake at: the start date, the next batch, or the expiry. */
export function nextDeadline(s: CampaignState): number | null {
  if (s.status === 'expired' && s.grace) return Date.parse(s.grace.until);
  if (isTerminal(s.status)) return null;
  const candidates: number[] = [];
  if (s.status === 'scheduled' && s.startAt) candidates.push(Date.parse(s.startAt));
  if (s.status === 'launching' && s.dispatch.batchLeft === null && s.dispatch.nextBatchAt)
    candidates.push(Date.parse(s.dispatch.nextBatchAt));
  if (s.expiresAt) candidates.push(Date.parse(s.expiresAt));
  if (LIVE.has(s.status) && s.deadlines.at) candidates.push(Date.parse(s.deadlines.at));
  if ((s.status === 'launching' || s.status === 'active') && s.calendar?.nextAt)
    candidates.push(Date.parse(s.calendar.nextAt));
  return candidates.length ? Math.min(...candidates) : null;
}

/**
 * What the Temporal UI shows as this run's current details while it waits: the phase, the
 * counters and what it waits for. Not history: it is read through the metadata query.
 */
export function describeForOps(s: CampaignState, deadline: number | null): string {
  const p = s.progress;
  const phase =
    s.status === 'paused'
      ? `**paused** (${s.pausedReason ?? 'manual'}, from ${s.pausedFrom ?? 'active'})`
      : s.status === 'expired' && s.grace
        ? '**expired**, within its grace: extending the expiry revives it'
        : `**${s.status}**`;
  const next =
    deadline === null
      ? 'waiting for a command'
      : `next timer ${new Date(deadline).toISOString()} (${nextReason(s, deadline)})`;
  return [
    phase,
    `${p.sent} sent, ${p.failed} failed, ${p.expired} expired; ${s.dispatch.batches} batches`,
    next,
  ].join('\n\n');
}

function nextReason(s: CampaignState, deadline: number): string {
  const at = (v: string | null | undefined) => (v ? Date.parse(v) === deadline : false);
  if (s.status === 'expired') return 'end of the expiry grace';
  if (s.status === 'scheduled' && at(s.startAt)) return 'start date';
  if (s.status === 'launching' && at(s.dispatch.nextBatchAt)) return 'next batch';
  if (at(s.expiresAt)) return 'campaign expiry';
  if (at(s.deadlines.at)) return 'invite expiry or reminder';
  return 'next calendar update chunk';
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
