/**
 * What the campaign workflow does on its own, one step per loop turn: timers that fell due,
 * the next chunk of invitations, of calendar updates or of calendar cancellations. Each step
 * makes at most one provider call, so a command that arrives meanwhile is applied before the
 * next. The order and number of activity and timer calls is part of every recorded history:
 * test/replay.test.ts holds it still.
 */
import { isTerminal, SENDING_STATUSES, SYSTEM_ACTOR } from '../../domain/campaign';
import { database, deadlines, owner, sending } from './activities';
import { finish, moveTo, pauseItself, type Run } from './effects';
import { failureRateExceeded } from './policies';
import { afterGap, chunkSize, LIVE, overForGood } from './state';

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

/**
 * One provider call, if one is due: the next chunk of the batch under way (launching), or
 * what is unsent after invites were added (active). Returns whether it sent anything, so
 * the loop comes straight back — and applies any command that arrived in between first.
 */
export async function dispatchStep(run: Run): Promise<boolean> {
  const { campaignId, accountId, s } = run;
  const d = s.dispatch;
  const launching = s.status === 'launching';
  if (!launching && !(s.status === 'active' && d.lookAgain)) return false;
  if (s.waiting) {
    if (Date.parse(s.waiting.until) > Date.now()) return false; // nextDeadline wakes the loop then
    s.waiting = null; // the batch under way carries on
  }
  if (launching && d.batchLeft === null) {
    if (d.nextBatchAt !== null && Date.parse(d.nextBatchAt) > Date.now()) return false; // the gap
    d.batchLeft = s.batch.size ?? Number.MAX_SAFE_INTEGER;
    d.batches += 1;
  }
  const limit = launching ? Math.min(d.batchLeft!, chunkSize(s)) : chunkSize(s);
  const outcome = await sending.sendInvitations({ campaignId, accountId, limit });
  if (outcome.sent > 0) s.deadlines.dirty = true; // sent invites may now have reminders to arm
  // The send reports the counters itself (no second activity per chunk, half the history), but
  // skips a count it took a moment ago (db/progress.ts `sampledProgress`): the last one stands.
  if (outcome.progress) s.progress = outcome.progress;
  // Rate-limited, or cut short by the account's sending limits: the campaign waits on its one
  // timer. What went counts towards the batch, and a batch used up waits its gap or the limit,
  // whichever is later.
  if (outcome.wait) {
    s.waiting = outcome.wait;
    if (!launching) return true;
    d.batchLeft! -= outcome.attempted + outcome.suppressed;
    if (d.batchLeft! <= 0) {
      d.batchLeft = null;
      const gap = afterGap(s, Date.now());
      d.nextBatchAt = Date.parse(gap) > Date.parse(outcome.wait.until) ? gap : outcome.wait.until;
    }
    return true;
  }
  if (outcome.tokenInvalid) {
    d.batchLeft = null;
    await pauseItself(
      run,
      'email_token_invalid',
      'the email provider rejected the server token while sending invitations',
    );
    return true;
  }
  const tooManyFailed = failureRateExceeded(outcome, s.maxFailurePercent);
  if (tooManyFailed !== null) {
    d.batchLeft = null;
    await pauseItself(run, 'failure_rate', tooManyFailed);
    return true;
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
    return outcome.attempted > 0;
  }
  if (launching && d.batchLeft! <= 0) {
    d.batchLeft = null;
    d.nextBatchAt = afterGap(s, Date.now());
  }
  return true;
}

/** One chunk of an "update calendar invites" pass, in the campaign's batch size and gap. */
export async function calendarStep(run: Run): Promise<boolean> {
  const { campaignId, accountId, s } = run;
  const pass = s.calendar;
  if (!pass || !SENDING_STATUSES.has(s.status)) return false;
  if (pass.nextAt !== null && Date.parse(pass.nextAt) > Date.now()) return false;
  const step = await sending.sendCalendarUpdates({
    campaignId,
    accountId,
    sequence: pass.sequence,
    afterId: pass.afterId,
    limit: Math.min(s.batch.size ?? chunkSize(s), chunkSize(s)),
  });
  if (step.tokenInvalid) {
    await pauseItself(
      run,
      'email_token_invalid',
      'the email provider rejected the server token while updating calendar invites',
    );
    return true;
  }
  if (step.lastId === null) {
    s.calendar = null;
    // As after the invitations: the owner hears once the pass is through, with any failures.
    await owner.notifyOwner({
      campaignId,
      accountId,
      key: `calendar-summary:${campaignId}:${pass.sequence}`,
      kind: 'owner_summary',
      calendarVersion: pass.sequence,
    });
    return false;
  }
  pass.afterId = step.lastId;
  pass.nextAt = s.batch.size !== null && s.batch.gapMinutes > 0 ? afterGap(s, Date.now()) : null;
  // Held back by a sending limit: the pass goes on when a slot frees.
  if (step.retryAt && (pass.nextAt === null || step.retryAt > pass.nextAt)) pass.nextAt = step.retryAt;
  return true;
}

/** Over for good: the cancellation pass starts (once). */
export function startCalendarCancel({ s }: Run): void {
  if (overForGood(s) && s.calendarCancel === undefined) s.calendarCancel = { afterId: null, attempted: 0 };
}

/**
 * One chunk (the provider's batch size) of the cancellation pass: the event leaves the
 * calendars of those who got it, once each; the owner hears when it is through.
 */
export async function calendarCancelStep({ campaignId, accountId, s }: Run): Promise<boolean> {
  const pass = s.calendarCancel;
  if (!pass) return false;
  if (pass.nextAt && Date.parse(pass.nextAt) > Date.now()) return false; // nextDeadline wakes the loop then
  const step = await sending.sendCalendarCancels({
    campaignId,
    accountId,
    afterId: pass.afterId,
    limit: chunkSize(s),
  });
  pass.attempted += step.attempted;
  if (step.lastId !== null && !step.tokenInvalid) {
    pass.afterId = step.lastId;
    // Held back by a sending limit: as the update pass.
    if (step.retryAt) pass.nextAt = step.retryAt;
    else if (pass.nextAt) pass.nextAt = null;
    return true;
  }
  s.calendarCancel = null;
  if (pass.attempted > 0 || step.tokenInvalid)
    await owner.notifyOwner({
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
}
