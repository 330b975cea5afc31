/** The activities the campaign workflow calls. */
import { proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../../activities';
import { NON_RETRYABLE_TYPES } from '../../domain/failures';

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

export const records = acts;
export const sending = acts;
export const deadlines = acts;
export const owner = acts;
