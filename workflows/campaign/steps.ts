/**
 * What the campaign workflow does on its own, one step per loop turn: timers that fell due,
 * or one send step (the next chunk of invitations, of calendar updates or of cancellations). Each step
 * makes at most one provider call, so a command that arrives meanwhile is applied before the
 * next. The order and number of activity and timer calls is part of every recorded history:
 * test/replay.test.ts holds it still.
 */
import { isTerminal, SENDING_STATUSES, SYSTEM_ACTOR } from '../../domain/campaign';
import { database, deadlines, owner, sending } from './activities';
import { finish, moveTo, pauseItself, type Run } from './effects';
import { failureRateExceeded } from './policies';
import type { SendOutcome } from '../../activities/send/types';
import {
  afterGap,
  type CalendarPass,
  type CampaignState,
  chunkSize,
  endBatch,
  LIVE,
  overForGood,
} from './state';

/** Timers that fell due: the start date, then the expiry, then invite deadlines. */
export async function fireDueTimers(run: Run): Promise<void> {
  const { campaignId, accountId, s } = run;
  const now = Date.now();
  if (s.status === 'scheduled' && s.startAt !== null && Date.parse(s.startAt) <= now) {
    s.dispatch.nextBatchAt = null;
    await moveTo(run, 'launching', SYSTEM_ACTOR, 'start date reached');
  }
  if (!isTerminal(s.status) && s.expiresAt !== null && Date.parse(s.expiresAt) <= now) {
    // The campaign's expiry wins over every invite's: it stops them all at once.
    await finish(run, 'expired', SYSTEM_ACTOR, 'campaign expiry reached', async () => {
      // Fixed before the status moves, so whoever sees `expired` also sees until when it can be extended.
      const { until } = await database.openExpiryGrace({ campaignId, accountId });
      const returnTo = { status: s.status, pausedFrom: s.pausedFrom, pausedReason: s.pausedReason };
      s.grace = until ? { until, returnTo } : null;
    });
  }
  if (s.status === 'expired' && s.grace && Date.parse(s.grace.until) <= now) s.grace = null;
  if (LIVE.has(s.status) && s.deadlines.at !== null && Date.parse(s.deadlines.at) <= now) {
    const due = await deadlines.processDueDeadlines({
      campaignId,
      accountId,
      remindersToo: s.status !== 'paused',
    });
    s.deadlines.at = due.next;
    // The counters come from the database's one definition (db/progress.ts), not a tally.
    s.progress = await database.campaignProgress({ campaignId });
    if (due.tokenInvalid)
      await pauseItself(
        run,
        'email_token_invalid',
        'the email provider rejected the server token while sending reminders',
      );
  }
}

/** Reads the next invite deadline again after something changed them (one indexed query). */
export async function rearmDeadlines({ campaignId, s }: Run): Promise<boolean> {
  if (!LIVE.has(s.status) || !s.deadlines.dirty) return false;
  s.deadlines.dirty = false;
  s.deadlines.at = await database.nextInviteDeadline({ campaignId, remindersToo: s.status !== 'paused' });
  return true;
}

/** An instant (ISO) still ahead: what waits for it is not due yet. */
const ahead = (at: string | null | undefined, now: number): boolean => !!at && Date.parse(at) > now;

/**
 * The one send step: one provider call, for the first of the campaign's sends that is due —
 * the next chunk of its invitations (the batch under way while launching, or what is unsent
 * after invites were added while active), else of a calendar update pass, else of the
 * cancellation pass. Every kind answers with the same outcome (activities/send/types.ts);
 * each pass reads it its own way. Returns whether it sent, so the loop comes straight back —
 * and applies any command that arrived in between first.
 */
export async function sendStep(run: Run): Promise<boolean> {
  const { campaignId, accountId, s } = run;
  if (s.inbox.length > 0) return false;
  const now = Date.now();
  if (invitationsDue(s, now)) {
    const launching = s.status === 'launching';
    const limit = launching ? Math.min(s.dispatch.batchLeft!, chunkSize(s)) : chunkSize(s);
    await afterInvitations(
      run,
      await sending.sendChunk({ pass: 'invitations', campaignId, accountId, limit }),
    );
    return true;
  }
  const update = s.calendar;
  if (update && SENDING_STATUSES.has(s.status) && !ahead(update.nextAt, now)) {
    const outcome = await sending.sendChunk({
      pass: 'calendar_update',
      campaignId,
      accountId,
      sequence: update.sequence,
      cursor: update.afterId,
      limit: Math.min(s.batch.size ?? chunkSize(s), chunkSize(s)),
    });
    await afterCalendarUpdate(run, update, outcome);
    return true;
  }
  const cancel = s.calendarCancel;
  if (cancel && !ahead(cancel.nextAt, now)) {
    const outcome = await sending.sendChunk({
      pass: 'calendar_cancel',
      campaignId,
      accountId,
      cursor: cancel.afterId,
      limit: chunkSize(s),
    });
    await afterCalendarCancel(run, cancel, outcome);
    return true;
  }
  return false;
}

/** Whether an invitation chunk is due now; starts the next batch when its gap is over. */
function invitationsDue(s: Run['s'], now: number): boolean {
  const d = s.dispatch;
  const launching = s.status === 'launching';
  if (!launching && !(s.status === 'active' && d.lookAgain)) return false;
  if (s.waiting) {
    if (ahead(s.waiting.until, now)) return false; // nextDeadline wakes the loop then
    s.waiting = null; // the batch under way carries on
  }
  if (launching && d.batchLeft === null) {
    if (ahead(d.nextBatchAt, now)) return false; // the gap
    d.batchLeft = s.batch.size ?? Number.MAX_SAFE_INTEGER;
    d.batches += 1;
  }
  return true;
}

/** An invitation chunk's outcome: the batch, the wait, the pauses, and the end of the sending. */
async function afterInvitations(run: Run, outcome: SendOutcome): Promise<void> {
  const { campaignId, accountId, s } = run;
  const d = s.dispatch;
  const launching = s.status === 'launching';
  if (outcome.sent > 0) s.deadlines.dirty = true; // sent invites may now have reminders to arm
  // The send reports the counters itself (no second activity per chunk, half the history), but
  // skips a count it took a moment ago (db/progress.ts `sampledProgress`): the last one stands.
  if (outcome.progress) s.progress = outcome.progress;
  // Held by a sending limit or the send window: the campaign waits on its one timer. What
  // went counts towards the batch, and a batch used up waits its gap or the hold, whichever
  // is later.
  if (outcome.held) {
    s.waiting = outcome.held;
    if (!launching) return;
    d.batchLeft! -= outcome.attempted + outcome.suppressed;
    if (d.batchLeft! <= 0) endBatch(s, Date.now(), outcome.held.until);
    return;
  }
  if (outcome.tokenInvalid) {
    d.batchLeft = null;
    await pauseItself(
      run,
      'email_token_invalid',
      'the email provider rejected the server token while sending invitations',
    );
    return;
  }
  const tooManyFailed = failureRateExceeded(outcome, s.maxFailurePercent);
  if (tooManyFailed !== null) {
    d.batchLeft = null;
    await pauseItself(run, 'failure_rate', tooManyFailed);
    return;
  }
  if (launching) d.batchLeft! -= outcome.attempted + outcome.suppressed;
  if (outcome.remaining === 0 || outcome.attempted + outcome.suppressed === 0) {
    d.batchLeft = null;
    d.lookAgain = false;
    if (launching) {
      await moveTo(run, 'active', SYSTEM_ACTOR, 'every invitation that can be sent has been sent');
      if (!d.summarySent) {
        await owner.notifyOwner({
          campaignId,
          accountId,
          key: `summary:${campaignId}:${s.launches}`,
          kind: 'owner_summary',
        });
        d.summarySent = true;
      }
    }
    return;
  }
  if (launching && d.batchLeft! <= 0) endBatch(s, Date.now());
}

/** A chunk of an "update calendar invites" pass, in the campaign's batch size and gap. */
async function afterCalendarUpdate(run: Run, pass: CalendarPass, outcome: SendOutcome): Promise<void> {
  const { campaignId, accountId, s } = run;
  if (outcome.tokenInvalid) {
    await pauseItself(
      run,
      'email_token_invalid',
      'the email provider rejected the server token while updating calendar invites',
    );
    return;
  }
  if (outcome.remaining === 0) {
    s.calendar = null;
    // As after the invitations: the owner hears once the pass is through, with any failures.
    await owner.notifyOwner({
      campaignId,
      accountId,
      key: `calendar-summary:${campaignId}:${pass.sequence}`,
      kind: 'owner_summary',
      calendarVersion: pass.sequence,
    });
    return;
  }
  pass.afterId = outcome.cursor;
  pass.nextAt = s.batch.size !== null && s.batch.gapMinutes > 0 ? afterGap(s, Date.now()) : null;
  // Held by a sending limit: the pass goes on when a slot frees.
  if (outcome.held && (pass.nextAt === null || outcome.held.until > pass.nextAt))
    pass.nextAt = outcome.held.until;
}

/** Over for good: the cancellation pass starts (once). */
export function startCalendarCancel({ s }: Run): void {
  if (overForGood(s) && s.calendarCancel === undefined) s.calendarCancel = { afterId: null, attempted: 0 };
}

/**
 * A chunk (the provider's batch size) of the cancellation pass: the event leaves the calendars
 * of those who got it, once each; the owner hears when it is through.
 */
async function afterCalendarCancel(
  { campaignId, accountId, s }: Run,
  pass: NonNullable<CampaignState['calendarCancel']>,
  outcome: SendOutcome,
): Promise<void> {
  pass.attempted += outcome.attempted;
  if (outcome.remaining > 0 && !outcome.tokenInvalid) {
    pass.afterId = outcome.cursor;
    // Held by a sending limit: as the update pass.
    pass.nextAt = outcome.held?.until ?? null;
    return;
  }
  s.calendarCancel = null;
  if (pass.attempted > 0 || outcome.tokenInvalid)
    await owner.notifyOwner({
      campaignId,
      accountId,
      key: `calendar-cancel-summary:${campaignId}`,
      kind: 'owner_summary',
      calendarCancelled: true,
      detail: outcome.tokenInvalid
        ? 'The email provider rejected the server token: the remaining cancellations were not sent.'
        : undefined,
    });
}
