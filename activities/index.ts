import { Context } from '@temporalio/activity';
import { nudgeNotedInBackground } from '../webhooks/nudges';
import { calendarCancelActivities } from './calendar-cancels';
import { calendarUpdateActivities } from './calendar-updates';
import { campaignActivities } from './campaign';
import { deadlineActivities } from './deadlines';
import { deliveryActivities } from './delivery';
import { classifyErrors } from './errors';
import { moneyActivities } from './money';
import type { ActivityDeps } from './deps';
import { createNotifier } from './notifications';
import { ownerNotificationActivities } from './owner-notifications';
import { webhookActivities } from './webhooks';
import { log } from '../ops/log';

export type { ActivityDeps };

/** Everything with side effects lives here, closed over its dependencies. */
export function createActivities(deps: ActivityDeps) {
  // One exactly-once path (claim → send → record, settle) shared by every activity that emails.
  const notifier = createNotifier(deps);
  const delivery = deliveryActivities(deps, notifier);
  // Bad data fails an activity for good (non-retryable), whichever activity meets it.
  return nudgingWebhooks(
    deps,
    classifyErrors({
      ...campaignActivities(deps),
      ...moneyActivities(deps),
      ...delivery.activities,
      ...calendarUpdateActivities(deps, notifier),
      ...calendarCancelActivities(deps, notifier).activities,
      ...ownerNotificationActivities(deps, notifier),
      ...deadlineActivities(deps, delivery.sendReminders),
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
