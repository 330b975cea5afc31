import { batchProblem, CAMPAIGN_STATUSES, type CampaignStatus, describeBatch } from '../domain/campaign';
import {
  COMMANDS,
  commandProblem,
  failureRateExceeded,
  instantArgument,
  invalidArgument,
  invalidState,
  mayApply,
  resendArgumentProblem,
  resendRefusal,
} from '../workflows/campaign/policies';
import {
  type CampaignState,
  changeBatch,
  chunkSize,
  describeForOps,
  ended,
  enterStatus,
  initialState,
  markRevived,
  nextDeadline,
  statusView,
} from '../workflows/campaign/state';

/** The campaign workflow's pure parts: no Temporal server, no database. */

const NOW = Date.parse('2030-06-01T12:00:00.000Z');
const at = (minutes: number) => new Date(NOW + minutes * 60_000).toISOString();

function campaign(changes: Partial<CampaignState> = {}): CampaignState {
  const row = {
    status: 'draft' as const,
    startAt: null,
    expiresAt: null,
    batch: { size: null, gapMinutes: 0 },
    costPerInviteCents: 10,
    maxFailurePercent: 20,
    providerBatchSize: 500,
  };
  return { ...initialState(row, []), ...changes };
}
const expiredInGrace = () =>
  campaign({
    status: 'expired',
    grace: { until: at(60), returnTo: { status: 'active', pausedFrom: null, pausedReason: null } },
  });

describe('Which commands a campaign takes in each status', () => {
  // Y: applied; -: refused as invalid_state. "expired+grace": expired, within its account's
  // grace after expiry; "expired": past it.
  const TABLE = `
                        draft  scheduled  launching  active  paused  expired+grace  expired  cancelled
    launch                Y        -          -        -       -           -           -         -
    pause                 -        Y          Y        Y       -           -           -         -
    resume                -        -          -        -       Y           -           -         -
    cancel                Y        Y          Y        Y       Y           -           -         -
    extendExpiry          Y        Y          Y        Y       Y           Y           -         -
    reschedule            Y        Y          -        -       Y           -           -         -
    resend                -        -          Y        Y       -           -           -         -
    retryFailed           -        -          Y        Y       Y           -           -         -
    invitesAdded          Y        Y          Y        Y       Y           -           -         -
    eventChanged          Y        Y          Y        Y       Y           -           -         -
    setMaxFailurePercent  Y        Y          Y        Y       Y           -           -         -
    setBatch              -        Y          Y        Y       Y           -           -         -
  `;
  const [header, ...lines] = TABLE.trim()
    .split('\n')
    .map((line) => line.trim().split(/\s+/));
  const described = (column: string) => {
    const what =
      column === 'expired+grace'
        ? 'expired campaign within its grace'
        : column === 'expired'
          ? 'expired campaign past its grace'
          : `${column} campaign`;
    return `${/^[aeiou]/.test(what) ? 'an' : 'a'} ${what}`;
  };
  const pairs = lines.flatMap(([command, ...cells]) =>
    cells.map((cell, k) => {
      const takes = cell === 'Y';
      return [
        `${described(header[k])} ${takes ? 'takes' : 'refuses'} ${command}`,
        header[k],
        command,
        takes,
      ] as const;
    }),
  );
  const stateFor = (column: string) =>
    column === 'expired+grace' ? expiredInGrace() : campaign({ status: column as CampaignStatus });

  it('has a column for every status and a row for every command', () => {
    expect(header.filter((c) => c !== 'expired+grace')).toEqual([...CAMPAIGN_STATUSES]);
    expect(lines.map(([command]) => command)).toEqual(COMMANDS);
  });

  it.each(pairs)('%s', (_sentence, column, command, takes) => {
    expect(mayApply(stateFor(column), command as (typeof COMMANDS)[number])).toBe(takes);
  });

  it('a refused command answers invalid_state with the status it found, and says why in the audit row', () => {
    expect(invalidState('paused', 'launch')).toEqual({
      result: { ok: false, code: 'invalid_state', status: 'paused' },
      reason: 'invalid_state: cannot launch when paused',
    });
  });
});

describe('The one instant the workflow wakes at', () => {
  it('is none for a draft without dates, nor for a campaign over for good', () => {
    expect(nextDeadline(campaign())).toBeNull();
    expect(nextDeadline(campaign({ status: 'cancelled', expiresAt: at(10) }))).toBeNull();
    expect(nextDeadline(campaign({ status: 'expired', grace: null }))).toBeNull();
  });

  it('is the start date or the expiry, whichever comes first, while scheduled', () => {
    expect(nextDeadline(campaign({ status: 'scheduled', startAt: at(30), expiresAt: at(90) }))).toBe(
      Date.parse(at(30)),
    );
    expect(nextDeadline(campaign({ status: 'scheduled', startAt: at(30), expiresAt: at(20) }))).toBe(
      Date.parse(at(20)),
    );
  });

  it('ignores the start date once launched', () => {
    expect(nextDeadline(campaign({ status: 'paused', startAt: at(5) }))).toBeNull();
  });

  it('is the end of the batch gap while launching between batches, not during a batch', () => {
    const between = campaign({ status: 'launching' });
    between.dispatch.nextBatchAt = at(15);
    expect(nextDeadline(between)).toBe(Date.parse(at(15)));
    between.dispatch.batchLeft = 100;
    expect(nextDeadline(between)).toBeNull();
  });

  it('is the earliest invite deadline in a live phase, and forgets it once over', () => {
    const live = campaign({ status: 'paused', expiresAt: at(60), deadlines: { at: at(45), dirty: false } });
    expect(nextDeadline(live)).toBe(Date.parse(at(45)));
    expect(nextDeadline({ ...live, status: 'scheduled' })).toBe(Date.parse(at(60)));
  });

  it('is the next calendar chunk while launching or active, not while paused', () => {
    const calendar = { sequence: 2, afterId: 'x', nextAt: at(5) };
    expect(nextDeadline(campaign({ status: 'active', calendar }))).toBe(Date.parse(at(5)));
    expect(nextDeadline(campaign({ status: 'paused', calendar }))).toBeNull();
  });

  it('is the next calendar cancellation chunk held back by a sending limit, even once the campaign is over', () => {
    const held = { afterId: 'x', attempted: 3, nextAt: at(8) };
    expect(nextDeadline(campaign({ status: 'cancelled', calendarCancel: held }))).toBe(Date.parse(at(8)));
    expect(
      nextDeadline(campaign({ status: 'cancelled', calendarCancel: { ...held, nextAt: null } })),
    ).toBeNull();
    expect(nextDeadline({ ...expiredInGrace(), calendarCancel: held })).toBe(Date.parse(at(8)));
  });

  it('is the end of the grace for an expired campaign within it', () => {
    expect(nextDeadline(expiredInGrace())).toBe(Date.parse(at(60)));
  });

  it('is the end of a sending wait while launching or active, even mid-batch, and not once paused', () => {
    const waiting = { reason: 'sending_limit' as const, until: at(2) };
    const midBatch = campaign({ status: 'launching', waiting, expiresAt: at(90) });
    midBatch.dispatch.batchLeft = 40;
    expect(nextDeadline(midBatch)).toBe(Date.parse(at(2)));
    expect(nextDeadline(campaign({ status: 'active', waiting }))).toBe(Date.parse(at(2)));
    expect(nextDeadline(campaign({ status: 'paused', waiting }))).toBeNull();
  });
});

describe('What ops see as the current details and the status query', () => {
  it('a paused campaign shows why, from where, its counters and what its timer is for', () => {
    const s = campaign({
      status: 'paused',
      pausedReason: 'failure_rate',
      pausedFrom: 'launching',
      deadlines: { at: at(45), dirty: false },
    });
    s.progress = { ...s.progress, sent: 7, failed: 3, expired: 1 };
    s.dispatch.batches = 2;
    expect(describeForOps(s, nextDeadline(s))).toBe(
      [
        '**paused** (failure_rate, from launching)',
        '7 sent, 3 failed, 1 expired; 2 batches',
        `next timer ${at(45)} (invite expiry or reminder)`,
      ].join('\n\n'),
    );
  });

  it('a campaign with no timer says it waits for a command', () => {
    expect(describeForOps(campaign(), null)).toBe(
      '**draft**\n\n0 sent, 0 failed, 0 expired; 0 batches\n\nwaiting for a command',
    );
  });

  it('an expired campaign within its grace says extending the expiry revives it, and when the grace ends', () => {
    const s = expiredInGrace();
    const text = describeForOps(s, nextDeadline(s));
    expect(text).toMatch(/^\*\*expired\*\*, within its grace: extending the expiry revives it/);
    expect(text).toMatch(new RegExp(`next timer ${at(60)} \\(end of the expiry grace\\)$`));
  });

  it("a campaign waiting on the provider's sending limit says until when, and its timer is that wait", () => {
    const s = campaign({ status: 'launching', waiting: { reason: 'sending_limit', until: at(1) } });
    s.dispatch.batchLeft = 40;
    s.dispatch.batches = 1;
    expect(describeForOps(s, nextDeadline(s))).toBe(
      [
        '**launching**',
        '0 sent, 0 failed, 0 expired; 1 batches',
        `waiting for the provider's sending limit until ${at(1)}`,
        `next timer ${at(1)} (end of the sending wait)`,
      ].join('\n\n'),
    );
    expect(statusView('c1', s)).toMatchObject({
      waiting: { reason: 'sending_limit', until: at(1) },
      nextTimerAt: at(1),
    });
    expect(statusView('c1', campaign({ status: 'active' })).waiting).toBeNull();
  });

  it('the status query answers a draft before the first run has read its row, then the state and its timer', () => {
    expect(statusView('c1', undefined)).toMatchObject({
      campaignId: 'c1',
      phase: 'draft',
      nextTimerAt: null,
      runCount: 1,
    });
    expect(statusView('c1', campaign({ status: 'scheduled', startAt: at(30) }))).toMatchObject({
      phase: 'scheduled',
      startAt: at(30),
      nextTimerAt: at(30),
    });
  });
});

describe('Arguments the workflow judges (signals reach it unchecked)', () => {
  it('a date must be an ISO 8601 instant, and is stored in UTC', () => {
    expect(instantArgument('startAt', 'not a date', NOW)).toEqual({
      invalid: 'startAt must be an ISO 8601 instant',
    });
    expect(instantArgument('expiresAt', 42, NOW)).toEqual({
      invalid: 'expiresAt must be an ISO 8601 instant',
    });
    expect(instantArgument('startAt', '2030-06-01T14:00:00+02:00', NOW)).toEqual({ instant: at(0) });
  });

  it('an expiry must be in the future; a start date may be past (the campaign then starts at once)', () => {
    expect(instantArgument('expiresAt', at(0), NOW)).toEqual({ invalid: 'expiresAt must be in the future' });
    expect(instantArgument('expiresAt', at(1), NOW)).toEqual({ instant: at(1) });
    expect(instantArgument('startAt', at(-60), NOW)).toEqual({ instant: at(-60) });
  });

  it('a resend names its invite', () => {
    expect(resendArgumentProblem(undefined)).toBe('inviteId is required');
    expect(resendArgumentProblem('inv_1')).toBeNull();
  });

  it('a refused argument answers invalid_argument with the detail, and the audit row says it', () => {
    expect(invalidArgument('draft', 'inviteId is required')).toEqual({
      result: { ok: false, code: 'invalid_argument', status: 'draft', detail: 'inviteId is required' },
      reason: 'invalid_argument: inviteId is required',
    });
  });

  it('a resend the activity could not make answers not_found, invalid_argument for a voided invite, else delivery_failed', () => {
    expect(resendRefusal('active', 'inv_1', { ok: false, reason: 'not_found' })).toEqual({
      result: {
        ok: false,
        code: 'not_found',
        status: 'active',
        detail: 'invite inv_1 is not in this campaign',
      },
      reason: 'not_found',
      details: { inviteId: 'inv_1' },
    });
    expect(resendRefusal('active', 'inv_1', { ok: false, reason: 'voided' }).result).toMatchObject({
      code: 'invalid_argument',
      detail: 'this invite was reset; use its replacement',
    });
    expect(
      resendRefusal('active', 'inv_1', { ok: false, reason: 'failed', detail: 'HTTP 422' }).result,
    ).toMatchObject({ code: 'delivery_failed', detail: 'HTTP 422' });
    expect(resendRefusal('active', 'inv_1', { ok: false, reason: 'suppressed' }).result).toMatchObject({
      code: 'delivery_failed',
      detail: 'suppressed',
    });
  });
});

describe('What the command update validator rejects before history', () => {
  it.each([
    ['a missing argument', undefined, 'the command must be an object'],
    ['an unknown command', { type: 'bogus', actor: 'k' }, 'unknown command "bogus"'],
    ['a command without an actor', { type: 'launch' }, 'actor must be a string'],
    [
      'a pause whose reason is not text',
      { type: 'pause', reason: 42, actor: 'k' },
      'pause: reason is missing or of the wrong type',
    ],
    [
      'a resend without its invite',
      { type: 'resend', actor: 'k' },
      'resend: inviteId is missing or of the wrong type',
    ],
    [
      'a resend whose reset is not a boolean',
      { type: 'resend', inviteId: 'i', reset: 'yes', actor: 'k' },
      'resend: reset is missing or of the wrong type',
    ],
    [
      'an extendExpiry without a date',
      { type: 'extendExpiry', actor: 'k' },
      'extendExpiry: expiresAt is missing or of the wrong type',
    ],
    [
      'a reschedule with a number for a date',
      { type: 'reschedule', startAt: 1, actor: 'k' },
      'reschedule: startAt is missing or of the wrong type',
    ],
    [
      'an eventChanged without its sequence',
      { type: 'eventChanged', actor: 'k' },
      'eventChanged: sequence is missing or of the wrong type',
    ],
    [
      'a threshold that is not a number',
      { type: 'setMaxFailurePercent', maxFailurePercent: '5', actor: 'k' },
      'setMaxFailurePercent: maxFailurePercent is missing or of the wrong type',
    ],
  ])('rejects %s', (_what, arg, problem) => {
    expect(commandProblem(arg)).toBe(problem);
  });

  it.each([
    { type: 'launch', actor: 'k' },
    { type: 'pause', actor: 'k' },
    { type: 'pause', reason: 'lunch', actor: 'k' },
    { type: 'resend', inviteId: 'i', reset: true, actor: 'k' },
    // A value the workflow judges (unparseable, in the past) is its to refuse, with an audit row.
    { type: 'extendExpiry', expiresAt: 'not a date', actor: 'k' },
    { type: 'setMaxFailurePercent', maxFailurePercent: 500, actor: 'k' },
  ])('accepts the well-formed %j', (arg) => {
    expect(commandProblem(arg)).toBeNull();
  });
});

describe('When sending pauses itself for failures', () => {
  it('pauses when more than the threshold failed, saying how many', () => {
    expect(failureRateExceeded({ attempted: 10, failed: 3 }, 20)).toBe(
      '3 of 10 messages in a batch failed (more than 20%), not counting bad addresses',
    );
  });

  it('carries on at exactly the threshold, and when nothing was attempted', () => {
    expect(failureRateExceeded({ attempted: 10, failed: 2 }, 20)).toBeNull();
    expect(failureRateExceeded({ attempted: 0, failed: 0 }, 0)).toBeNull();
  });
});

describe('State transitions', () => {
  it('entering a live phase makes the invite deadlines be read again; leaving paused forgets why', () => {
    const s = campaign({ status: 'paused', pausedFrom: 'active', pausedReason: 'manual' });
    s.deadlines.dirty = false;
    enterStatus(s, 'active');
    expect(s).toMatchObject({
      status: 'active',
      pausedFrom: null,
      pausedReason: null,
      deadlines: { dirty: true },
    });
    s.deadlines.dirty = false;
    enterStatus(s, 'cancelled');
    expect(s.deadlines.dirty).toBe(false);
  });

  it('any change of status (a pause, a cancel) ends a sending wait', () => {
    const s = campaign({ status: 'launching', waiting: { reason: 'sending_limit', until: at(1) } });
    enterStatus(s, 'paused', { from: 'launching', reason: 'manual' });
    expect(s.waiting).toBeNull();
  });

  it('a revival is counted, ends the grace, and looks for unsent invites at once', () => {
    const s = expiredInGrace();
    s.dispatch.nextBatchAt = at(10);
    markRevived(s);
    markRevived(s);
    expect(s).toMatchObject({ revivals: 2, grace: null, dispatch: { lookAgain: true, nextBatchAt: null } });
  });

  it('a campaign is over for good once cancelled, or expired past its grace, and the calendar cancellations are through', () => {
    expect(ended(campaign({ status: 'cancelled' }))).toBe(true);
    expect(ended(campaign({ status: 'cancelled', calendarCancel: { afterId: null, attempted: 0 } }))).toBe(
      false,
    );
    expect(ended(expiredInGrace())).toBe(false);
    expect(ended(campaign({ status: 'active' }))).toBe(false);
  });

  it('sends in chunks of the email port batch size, or 500 for state carried from before the workflow asked', () => {
    expect(chunkSize(campaign({ providerBatchSize: 50 }))).toBe(50);
    expect(chunkSize(campaign({ providerBatchSize: undefined }))).toBe(500);
  });
});

describe('Batches changed on a launched campaign (setBatch)', () => {
  const launching = (batch: CampaignState['batch'], dispatch: Partial<CampaignState['dispatch']>) => {
    const s = campaign({ status: 'launching', batch });
    Object.assign(s.dispatch, dispatch);
    return s;
  };

  it('when a gap is under way, then it is measured again with the new gap from the end of the last batch, never before now', () => {
    const s = launching({ size: 10, gapMinutes: 60 }, { batchEndedAt: at(-5), nextBatchAt: at(55) });
    changeBatch(s, { size: 20, gapMinutes: 15 }, NOW);
    expect(s.batch).toEqual({ size: 20, gapMinutes: 15 });
    expect(s.dispatch.nextBatchAt).toBe(at(10));
    changeBatch(s, { size: 20, gapMinutes: 1 }, NOW);
    expect(s.dispatch.nextBatchAt).toBe(at(0));
  });

  it('when a run carried from before batches could change has no end instant, then the gap is worked back from the next batch', () => {
    const s = launching({ size: 10, gapMinutes: 60 }, { nextBatchAt: at(55) });
    changeBatch(s, { size: 10, gapMinutes: 30 }, NOW);
    expect(s.dispatch.nextBatchAt).toBe(at(25));
  });

  it('when a batch is under way, then it counts what it sent against the new size: larger carries on, smaller ends it and its gap starts', () => {
    const larger = launching({ size: 10, gapMinutes: 60 }, { batchLeft: 4 }); // 6 sent
    changeBatch(larger, { size: 50, gapMinutes: 60 }, NOW);
    expect(larger.dispatch.batchLeft).toBe(44);

    const smaller = launching({ size: 10, gapMinutes: 60 }, { batchLeft: 4 });
    changeBatch(smaller, { size: 5, gapMinutes: 2 }, NOW);
    expect(smaller.dispatch).toMatchObject({ batchLeft: null, batchEndedAt: at(0), nextBatchAt: at(2) });
  });

  it('when a campaign sending all at once gets a size, then the batch under way stops at that size', () => {
    const s = launching({ size: null, gapMinutes: 0 }, { batchLeft: Number.MAX_SAFE_INTEGER - 30 });
    changeBatch(s, { size: 100, gapMinutes: 10 }, NOW);
    expect(s.dispatch.batchLeft).toBe(70);
  });

  it('a batch must be null or 1–100000 invites, every 0–10080 minutes (decimals allowed), and reads in words', () => {
    expect(batchProblem({ size: 5, gapMinutes: 0.02 })).toBeNull();
    expect(batchProblem({ size: null, gapMinutes: 0 })).toBeNull();
    expect(batchProblem({ size: 0, gapMinutes: 1 })).toMatch(/batch.size/);
    expect(batchProblem({ size: 2.5, gapMinutes: 1 })).toMatch(/batch.size/);
    expect(batchProblem({ size: 5, gapMinutes: -1 })).toMatch(/batch.gapMinutes/);
    expect(batchProblem({ size: 5 })).toMatch(/batch.gapMinutes/);
    expect(describeBatch({ size: 50, gapMinutes: 60 })).toBe('50 every 60 min');
    expect(describeBatch({ size: null, gapMinutes: 0 })).toBe('all at once');
  });
});
