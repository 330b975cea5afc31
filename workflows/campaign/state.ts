/**
 * The campaign workflow's state and its pure transitions: plain data, no Temporal calls, so
 * it is unit-tested without a server (test/campaign-state.test.ts). The workflow persists
 * each change through an activity first, then applies the transition here.
 */
import type { Activities } from '../../activities';
import {
  type Actor,
  type BatchSettings,
  type CampaignStatus,
  emptyProgress,
  isTerminal,
  waitsIn,
  type PausedReason,
  type Progress,
  type ResumablePhase,
  SENDING_STATUSES,
  STARTED_STATUSES,
  type Waiting,
  type WaitReason,
} from '../../domain/campaign';
import type { CampaignStatusView, CommandRequest } from './message-types';

/** Counters and instants only: recipients stay in the database, the activities pick them. */
export interface DispatchState {
  /** Launching: when the next batch may start (ISO); null = now. */
  nextBatchAt: string | null;
  /** Invites left in the batch under way; null = no batch under way. */
  batchLeft: number | null;
  /**
   * When the last batch ended (ISO), so a changed gap is measured from there. Absent from
   * state carried by runs that began before batches could change: the gap is worked back.
   */
  batchEndedAt?: string | null;
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

/** Where an expired campaign returns to if it is revived within its grace. */
export interface ReturnTo {
  status: CampaignStatus;
  pausedFrom: ResumablePhase | null;
  pausedReason: PausedReason | null;
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
  calendarCancel?: {
    afterId: string | null;
    attempted: number;
    /** Held back by a sending limit: the next chunk goes then (ISO). */
    nextAt?: string | null;
  } | null;
  /** Commands received but not yet applied: carried across continue-as-new so none is lost. */
  inbox: QueuedCommand[];
  runCount: number;
  /**
   * Expired, within the grace its account allows: until when (ISO) extending the expiry
   * revives it, and where it then returns. The workflow stays open, on one timer, that long.
   */
  grace?: { until: string; returnTo: ReturnTo } | null;
  /** Times it was revived: each revival is reserved and, at its end, settled under its own key. */
  revivals?: number;
  /**
   * Messages one provider call may carry, as the email port says. Absent from state carried
   * by runs that began before the workflow asked: those use DEFAULT_PROVIDER_BATCH.
   */
  providerBatchSize?: number;
  /**
   * Sending holds back until then (the provider rate-limited the last chunk): the batch under
   * way carries on when the timer fires.
   */
  waiting?: Waiting | null;
}

/**
 * Not a command anyone may send (no update takes it, nothing refuses it): the deliverability
 * guard's signal, queued with the commands so it applies in the order it arrived.
 */
export interface GuardRequest {
  type: 'deliverabilityGuard';
  reason: 'complaint_rate' | 'bounce_rate';
  detail: string;
}

export interface QueuedCommand {
  request: CommandRequest | GuardRequest;
  actor: Actor;
  /** Set for updates: the handler waits for this ticket's result. */
  ticket?: number;
}

/** Phases in which invite deadlines are kept (reminders wait while paused; expiries do not). */
export const LIVE: ReadonlySet<CampaignStatus> = STARTED_STATUSES;
/** Postmark's batch limit, the size every run used before the port was asked. */
export const DEFAULT_PROVIDER_BATCH = 500;

type CampaignRow = Awaited<ReturnType<Activities['loadCampaign']>>;

/** A first run's state, from its campaign's row; commands that came before it wait in `inbox`. */
export function initialState(row: CampaignRow, inbox: QueuedCommand[]): CampaignState {
  return {
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
    inbox,
    runCount: 1,
    // Undefined when replaying a history recorded before loadCampaign said it: chunkSize's default.
    providerBatchSize: row.providerBatchSize,
  };
}

/** How many messages one provider call may carry. */
export const chunkSize = (s: CampaignState): number => s.providerBatchSize ?? DEFAULT_PROVIDER_BATCH;

/** The status changed (its audit row is written): deadlines are read again in a live phase. */
export function enterStatus(
  s: CampaignState,
  to: CampaignStatus,
  paused?: { from: ResumablePhase; reason: PausedReason },
): void {
  s.status = to;
  if (LIVE.has(to)) s.deadlines.dirty = true;
  // A pause, a cancel or an expiry ends the wait; a resume sends (and finds out) afresh.
  if (s.waiting) s.waiting = null;
  s.pausedFrom = paused?.from ?? null;
  s.pausedReason = paused?.reason ?? null;
}

/** Sending carries on from the first unsent invite: a batch cut short starts afresh now. */
export function lookForUnsent(s: CampaignState): void {
  s.dispatch.nextBatchAt = null;
  s.dispatch.lookAgain = true;
}

/** Revived within the grace: counted (its reservation and settlement keys use the count). */
export function markRevived(s: CampaignState): void {
  s.revivals = (s.revivals ?? 0) + 1;
  s.grace = null;
  s.dispatch.lookAgain = true;
  s.dispatch.nextBatchAt = null;
}

/** When the campaign's batch gap, starting now, ends (ISO). */
export const afterGap = (s: CampaignState, now: number): string =>
  new Date(now + s.batch.gapMinutes * 60_000).toISOString();

/** The batch under way is used up now: the gap starts (or the hold, when it ends later). */
export function endBatch(s: CampaignState, now: number, heldUntil?: string): void {
  const gap = afterGap(s, now);
  s.dispatch.batchLeft = null;
  s.dispatch.batchEndedAt = new Date(now).toISOString();
  s.dispatch.nextBatchAt = heldUntil && Date.parse(heldUntil) > Date.parse(gap) ? heldUntil : gap;
}

/**
 * New batch settings (the `setBatch` command). The next batch uses them. The batch under way
 * counts what it has sent against the new size: a larger size lets it carry on further, a
 * smaller one ends it now if it already sent that many — so a campaign sending "all at once"
 * can still be slowed down. A gap under way is measured again, with the new gap, from the end
 * of the last batch (never before now). Paused, the same holds for when it resumes.
 */
export function changeBatch(s: CampaignState, batch: BatchSettings, now: number): void {
  const d = s.dispatch;
  const old = s.batch;
  s.batch = { size: batch.size, gapMinutes: batch.gapMinutes };
  if (d.batchLeft !== null) {
    const sentInBatch = (old.size ?? Number.MAX_SAFE_INTEGER) - d.batchLeft;
    const left = (batch.size ?? Number.MAX_SAFE_INTEGER) - sentInBatch;
    if (left > 0) d.batchLeft = left;
    else endBatch(s, now);
    return;
  }
  if (d.nextBatchAt !== null) {
    const ended = d.batchEndedAt
      ? Date.parse(d.batchEndedAt)
      : Date.parse(d.nextBatchAt) - old.gapMinutes * 60_000;
    d.nextBatchAt = new Date(Math.max(now, ended + batch.gapMinutes * 60_000)).toISOString();
  }
}

/** A finished campaign whose grace (if any) is over: nothing can bring it back. */
export const overForGood = (s: CampaignState): boolean => isTerminal(s.status) && !s.grace;
/** Over for good, and nothing left to do (the calendar cancellations are through). */
export const ended = (s: CampaignState): boolean => overForGood(s) && !s.calendarCancel;

/** The one instant the workflow must wake at: the start date, the next batch, or the expiry. */
export function nextDeadline(s: CampaignState): number | null {
  // The cancellation pass runs once the campaign is over, so it is the one timer that outlives it.
  const cancelAt = s.calendarCancel?.nextAt ? Date.parse(s.calendarCancel.nextAt) : null;
  const earliest = (...at: (number | null)[]) => {
    const known = at.filter((v): v is number => v !== null);
    return known.length ? Math.min(...known) : null;
  };
  if (s.status === 'expired' && s.grace) return earliest(Date.parse(s.grace.until), cancelAt);
  if (isTerminal(s.status)) return cancelAt;
  const candidates: number[] = cancelAt === null ? [] : [cancelAt];
  if (s.status === 'scheduled' && s.startAt) candidates.push(Date.parse(s.startAt));
  if (s.status === 'launching' && s.dispatch.batchLeft === null && s.dispatch.nextBatchAt)
    candidates.push(Date.parse(s.dispatch.nextBatchAt));
  if (s.expiresAt) candidates.push(Date.parse(s.expiresAt));
  if (LIVE.has(s.status) && s.deadlines.at) candidates.push(Date.parse(s.deadlines.at));
  if (SENDING_STATUSES.has(s.status) && s.calendar?.nextAt) candidates.push(Date.parse(s.calendar.nextAt));
  if (s.waiting && waitsIn(s.status)) candidates.push(Date.parse(s.waiting.until));
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
  const why = s.status === 'paused' && s.pausedReason ? GUARD_PAUSE[s.pausedReason] : undefined;
  const waiting =
    s.waiting && waitsIn(s.status)
      ? [`waiting for ${WAITING_FOR[s.waiting.reason]} until ${s.waiting.until}`]
      : [];
  return [
    phase,
    ...(why ? [why] : []),
    `${p.sent} sent, ${p.failed} failed, ${p.expired} expired; ${s.dispatch.batches} batches`,
    ...waiting,
    next,
  ].join('\n\n');
}

/** A pause by the deliverability guards, in ops' words (the counts are in the audit entry). */
const GUARD_PAUSE: Partial<Record<PausedReason, string>> = {
  complaint_rate:
    "paused itself: its spam complaints passed the account's complaint guard (sending policy); the owner was alerted, Resume once the list is cleaned",
  bounce_rate:
    "paused itself: its hard bounces passed the account's bounce guard (sending policy); the owner was alerted, Resume once the list is cleaned",
};

/** A wait's reason, in ops' words. */
const WAITING_FOR: Record<WaitReason, string> = {
  sending_limit: "the provider's sending limit",
  send_window: 'the send window',
};

function nextReason(s: CampaignState, deadline: number): string {
  const at = (v: string | null | undefined) => (v ? Date.parse(v) === deadline : false);
  if (at(s.calendarCancel?.nextAt)) return 'next calendar cancellation chunk (sending limit)';
  if (s.status === 'expired') return 'end of the expiry grace';
  if (s.status === 'scheduled' && at(s.startAt)) return 'start date';
  if (s.status === 'launching' && at(s.dispatch.nextBatchAt)) return 'next batch';
  if (at(s.expiresAt)) return 'campaign expiry';
  if (at(s.deadlines.at)) return 'invite expiry or reminder';
  if (at(s.waiting?.until)) return 'end of the sending wait';
  return 'next calendar update chunk';
}

/** The `status` query's answer; before the first run has read its row, a draft's defaults. */
export function statusView(campaignId: string, state: CampaignState | undefined): CampaignStatusView {
  const deadline = state ? nextDeadline(state) : null;
  return {
    campaignId,
    phase: state?.status ?? 'draft',
    pausedReason: state?.pausedReason ?? null,
    pausedFrom: state?.pausedFrom ?? null,
    startAt: state?.startAt ?? null,
    expiresAt: state?.expiresAt ?? null,
    progress: state?.progress ?? emptyProgress(),
    maxFailurePercent: state?.maxFailurePercent ?? 0,
    nextTimerAt: deadline === null ? null : new Date(deadline).toISOString(),
    batches: state?.dispatch.batches ?? 0,
    nextInviteDeadlineAt: state?.deadlines.at ?? null,
    runCount: state?.runCount ?? 1,
    waiting: state?.waiting && waitsIn(state.status) ? state.waiting : null,
  };
}
