import { Context } from '@temporalio/activity';
import { nudgeNotedInBackground } from '../webhooks/nudges';
import { campaignActivities } from './campaign';
import { deadlineActivities } from './deadlines';
import { classifyErrors } from './errors';
import { moneyActivities } from './money';
import type { ActivityDeps } from './deps';
import { ownerNotificationActivities } from './owner-notifications';
import { resendActivities } from './resends';
import { createNotifier } from './send/exactly-once';
import { sendKinds } from './send/kinds';
import { createSendPipeline } from './send/pipeline';
import { sendingActivities } from './sending';
import { webhookActivities } from './webhooks';
import { log } from '../ops/log';

export type { ActivityDeps };

/** Everything with side effects lives here, closed over its dependencies. */
export function createActivities(deps: ActivityDeps) {
  // One exactly-once path (claim → send → record, settle) shared by every activity that emails,
  // and one pipeline every kind of email to a recipient runs through.
  const notifier = createNotifier(deps);
  const pipeline = createSendPipeline(notifier, deps.db);
  const kinds = sendKinds(deps.publicBaseUrl, deps.secrets);
  // Bad data fails an activity for good (non-retryable), whichever activity meets it.
  return nudgingWebhooks(
    deps,
    classifyErrors({
      ...campaignActivities(deps),
      ...moneyActivities(deps),
      ...sendingActivities(deps, pipeline, kinds),
      ...resendActivities(deps, notifier, pipeline, kinds),
      ...ownerNotificationActivities(deps, notifier),
      ...deadlineActivities(deps, pipeline, kinds),
      ...webhookActivities(deps, notifier),
    }),
  );
}

/**
 * Activities record webhook events in their transactions (webhooks/events.ts); on its way
 * out, each one nudges the endpoints of the accounts it recorded events for, in the
 * background (a receiver or a slow signal never holds up the campaign's activity).
 */
function nudgingWebhooks<T extends Record<string, (...args: never[]) => Promise<unknown>>>(
  { db, heartbeatTimeoutMs }: ActivityDeps,
  activities: T,
): T {
  const wrapped: Record<string, (...args: never[]) => Promise<unknown>> = {};
  for (const [name, fn] of Object.entries(activities)) {
    wrapped[name] = async (...args: never[]) => {
      try {
        return await fn(...args);
      } finally {
        try {
          const { client, info } = Context.current();
          nudgeNotedInBackground(client, db, { taskQueue: info.taskQueue, heartbeatTimeoutMs });
        } catch (err) {
          log.error('webhooks: no Temporal client in this activity to nudge endpoints with', { error: err });
        }
      }
    };
  }
  return wrapped as T;
}

export type Activities = ReturnType<typeof createActivities>;
