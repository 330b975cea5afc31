import { DEFAULT_GUARDS, type DeliveryCounts, guardsOr, guardTripped } from '../domain/deliverability-guards';
import { consoleLinks } from '../domain/console-links';
import { renderOwnerAlert } from '../email/templates';
import { guardArgument, guardPauses } from '../workflows/campaign/policies';
import { type CampaignState, describeForOps, initialState } from '../workflows/campaign/state';

/** The complaint and bounce guards' rule, and the words around it: no server, no database. */

/** Counts where only what is named happened; delivered follows from sent and bounces. */
const counts = (c: { sent?: number; complaints?: number; hardBounces?: number }): DeliveryCounts => {
  const sent = c.sent ?? 0;
  const hardBounces = c.hardBounces ?? 0;
  return { sent, delivered: sent - hardBounces, complaints: c.complaints ?? 0, hardBounces };
};

describe('The complaint guard (default: more than 0.1 % of what was delivered, once 1,000 were)', () => {
  it('when nothing was sent, then nothing trips, whatever the thresholds', () => {
    expect(guardTripped(counts({}), DEFAULT_GUARDS)).toBeNull();
    expect(
      guardTripped(counts({}), {
        complaintRate: 0.001,
        complaintMinDelivered: 1,
        bounceRate: 0.05,
        bounceMinSent: 1,
      }),
    ).toBeNull();
  });

  it('when one in ten complains but fewer than 1,000 were delivered, then the sample is too small to pause', () => {
    expect(guardTripped(counts({ sent: 10, complaints: 1 }), DEFAULT_GUARDS)).toBeNull();
    expect(guardTripped(counts({ sent: 999, complaints: 50 }), DEFAULT_GUARDS)).toBeNull();
  });

  it('when complaints are exactly at the threshold, then it does not trip; one more does', () => {
    expect(guardTripped(counts({ sent: 1000, complaints: 1 }), DEFAULT_GUARDS)).toBeNull();
    expect(guardTripped(counts({ sent: 1000, complaints: 2 }), DEFAULT_GUARDS)).toEqual({
      reason: 'complaint_rate',
      detail:
        '2 spam complaints of 1000 emails delivered (0.2%, more than the 0.1% the sending policy allows)',
    });
  });

  it('when hard bounces shrink what was delivered below the minimum sample, then complaints do not trip', () => {
    // 1,050 sent, 60 bounced: 990 delivered, under 1,000 (the bounce guard speaks instead).
    expect(guardTripped(counts({ sent: 1050, hardBounces: 60, complaints: 5 }), DEFAULT_GUARDS)?.reason).toBe(
      'bounce_rate',
    );
    expect(guardTripped(counts({ sent: 1050, hardBounces: 40, complaints: 5 }), DEFAULT_GUARDS)?.reason).toBe(
      'complaint_rate',
    );
  });

  it('when both are over, then the complaints are named: they hurt the sender most', () => {
    expect(
      guardTripped(counts({ sent: 2000, hardBounces: 500, complaints: 100 }), DEFAULT_GUARDS)?.reason,
    ).toBe('complaint_rate');
  });

  it('when the rate is 1, then the guard is off: complaints can never be more than everything delivered', () => {
    const off = { ...DEFAULT_GUARDS, complaintRate: 1, complaintMinDelivered: 1 };
    expect(guardTripped(counts({ sent: 3, complaints: 3 }), off)).toBeNull();
  });
});

describe('The bounce guard (default: more than 5 % of what was sent, once 100 were)', () => {
  it('when fewer than 100 were sent, then even half of them bouncing does not pause', () => {
    expect(guardTripped(counts({ sent: 99, hardBounces: 50 }), DEFAULT_GUARDS)).toBeNull();
  });

  it('when bounces are exactly 5 % of 100 sent, then it does not trip; 6 of 100 does', () => {
    expect(guardTripped(counts({ sent: 100, hardBounces: 5 }), DEFAULT_GUARDS)).toBeNull();
    expect(guardTripped(counts({ sent: 100, hardBounces: 6 }), DEFAULT_GUARDS)).toEqual({
      reason: 'bounce_rate',
      detail: '6 hard bounces of 100 emails sent (6%, more than the 5% the sending policy allows)',
    });
  });

  it('when the threshold is a share with no exact binary form (7 %), then exactly 7 of 100 still does not trip', () => {
    const seven = { ...DEFAULT_GUARDS, bounceRate: 0.07 };
    expect(guardTripped(counts({ sent: 100, hardBounces: 7 }), seven)).toBeNull();
    expect(guardTripped(counts({ sent: 100, hardBounces: 8 }), seven)?.detail).toContain('more than the 7%');
  });
});

describe("An account's stored guards", () => {
  it('when none are stored, or only some, then the defaults fill the rest', () => {
    expect(guardsOr(null)).toEqual(DEFAULT_GUARDS);
    expect(guardsOr({ bounceRate: 0.1 })).toEqual({ ...DEFAULT_GUARDS, bounceRate: 0.1 });
  });
});

describe("The workflow's side", () => {
  it('only a sending campaign (launching or active) pauses for a guard; paused, scheduled or ended ones ignore it', () => {
    expect(guardPauses('launching')).toBe(true);
    expect(guardPauses('active')).toBe(true);
    for (const status of ['draft', 'scheduled', 'paused', 'expired', 'cancelled'] as const)
      expect(guardPauses(status)).toBe(false);
  });

  it("when the guard's signal is not one (unknown reason, no detail), then it is ignored", () => {
    expect(guardArgument({ reason: 'complaint_rate', detail: 'x' })).toEqual({
      type: 'deliverabilityGuard',
      reason: 'complaint_rate',
      detail: 'x',
    });
    expect(guardArgument({ reason: 'manual', detail: 'x' })).toBeNull();
    expect(guardArgument({ reason: 'bounce_rate' })).toBeNull();
    // Cut to fit the audit entry's reason column (300) with its `bounce_rate: ` prefix.
    expect(guardArgument({ reason: 'bounce_rate', detail: 'x'.repeat(1000) })?.detail).toHaveLength(250);
  });

  it('a campaign paused by a guard says why in the Temporal UI, and what to do', () => {
    const s: CampaignState = initialState(
      {
        status: 'paused',
        startAt: null,
        expiresAt: null,
        batch: { size: null, gapMinutes: 0 },
        maxFailurePercent: 20,
        providerBatchSize: 500,
      } as Parameters<typeof initialState>[0],
      [],
    );
    s.pausedReason = 'complaint_rate';
    s.pausedFrom = 'active';
    const text = describeForOps(s, null);
    expect(text).toMatch(
      /^\*\*paused\*\* \(complaint_rate, from active\)\n\npaused itself: its spam complaints passed/,
    );
    expect(text).toContain('Resume once the list is cleaned');
  });
});

describe('The words for a pause', () => {
  it.each([
    ['complaint_rate', 'too many spam complaints', 'marked it as spam'],
    ['bounce_rate', 'too many hard bounces', 'hard-bounced'],
  ] as const)(
    'the owner alert for %s says what happened, the counts, and how to resume',
    (reason, subject, why) => {
      const alert = renderOwnerAlert({
        campaignName: 'Gala',
        campaignId: 'c-9',
        reason,
        detail: '2 of 1000',
        links: consoleLinks('https://herald.example'),
      });
      expect(alert.subject).toBe(`Action needed: "Gala" is paused — ${subject}`);
      for (const body of [alert.text, alert.html]) {
        expect(body).toContain(why);
        expect(body).toContain('2 of 1000');
        expect(body).toContain('POST /v1/campaigns/c-9/resume');
        expect(body).toContain('/v1/account/sending-policy');
        expect(body).toContain('https://herald.example/console/settings/sending');
        expect(body).toContain('https://herald.example/console/campaigns/c-9');
      }
    },
  );
});
