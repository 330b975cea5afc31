/**
 * The activities the campaign workflow calls, grouped by what they wait on, each group with
 * the timeouts and retries that fit it. Options are not part of history: changing them here
 * replays every recorded run unchanged.
 */
import { type ActivityInterfaceFor, type ActivityOptions, proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../../activities';
import { NON_RETRYABLE_TYPES } from '../../domain/failures';

/** Transient failures back off up to 30 s between attempts; bad data is never retried. */
const retry: ActivityOptions['retry'] = {
  initialInterval: '500ms',
  backoffCoefficient: 2,
  maximumInterval: '30s',
  nonRetryableErrorTypes: [...NON_RETRYABLE_TYPES],
};

/**
 * The emailing activities heartbeat every 5 s, also while a provider call is in flight
 * (activities/notifications.ts `heartbeatWhile`): 20 s tolerates three missed beats on a busy
 * worker, yet a worker that died mid-call is noticed, and its chunk retried elsewhere, within
 * seconds rather than after the client's 60 s timeout.
 */
const PROVIDER_HEARTBEAT = '20s';

/** This run's heartbeat timeout for the emailing activities (module state is per workflow run). */
let providerHeartbeat: ActivityOptions['heartbeatTimeout'] = PROVIDER_HEARTBEAT;

/**
 * The run's own heartbeat timeout (its input's `heartbeatTimeoutMs`, from
 * HEARTBEAT_TIMEOUT_SECONDS), set before its first activity. The SDK gives each workflow run
 * its own module instances, so this is the run's alone, and as deterministic as its input.
 */
export function useHeartbeatTimeout(ms: number | undefined): void {
  if (ms !== undefined) providerHeartbeat = ms;
}

/** `proxyActivities` with the run's heartbeat timeout, read when each activity is scheduled. */
function heartbeating<A extends object>(options: Omit<ActivityOptions, 'heartbeatTimeout'>) {
  return new Proxy({} as ActivityInterfaceFor<A>, {
    get: (_, name) =>
      proxyActivities<A>({ ...options, heartbeatTimeout: providerHeartbeat })[
        name as keyof ActivityInterfaceFor<A>
      ],
  });
}

/**
 * Database only, money included (reservations and their settling): a handful of indexed
 * statements in one transaction. 30 s is far beyond a healthy database, so a hung
 * connection is retried rather than waited on; none heartbeats.
 */
export const database = proxyActivities<
  Pick<
    Activities,
    | 'loadCampaign'
    | 'recordAudit'
    | 'recordTransition'
    | 'recordSchedule'
    | 'recordSetting'
    | 'recordBatch'
    | 'reserveForLaunch'
    | 'reserveForRevival'
    | 'settleReservation'
    | 'campaignProgress'
    | 'nextInviteDeadline'
    | 'openExpiryGrace'
    | 'releaseFailed'
  >
>({ startToCloseTimeout: '30s', retry });

/**
 * One provider call (a chunk of at most the port's batch size, or one resend): up to three
 * attempts of 60 s each inside the activity, after settling any earlier ambiguous send. Five
 * minutes covers that; the heartbeat notices a dead worker sooner.
 */
export const sending = heartbeating<Pick<Activities, 'sendChunk' | 'resendInvite'>>({
  startToCloseTimeout: '5m',
  retry,
});

/**
 * Expires what is due and sends every due reminder, a provider call per chunk with a
 * heartbeat after each: however many are due at once, so the heartbeat is the liveness
 * check and the overall bound is generous.
 */
export const deadlines = heartbeating<Pick<Activities, 'processDueDeadlines'>>({
  startToCloseTimeout: '1h',
  retry,
});

/**
 * The owner's summaries and alerts, through the platform's sender. Attempts stay unbounded:
 * the owner must hear, and a failure the workflow does not catch would fail the campaign's
 * run. The platform's sender being down is no campaign's fault, so every campaign waiting on
 * it backs off to 2 min between attempts rather than 30 s.
 */
export const owner = heartbeating<Pick<Activities, 'notifyOwner'>>({
  startToCloseTimeout: '5m',
  retry: { ...retry, maximumInterval: '2m' },
});
