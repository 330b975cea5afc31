import type { Database } from '../db/database';
import { calendarCancelActivities } from './calendar-cancels';
import { calendarUpdateActivities } from './calendar-updates';
import { campaignActivities } from './campaign';
import { deadlineActivities } from './deadlines';
import { deliveryActivities } from './delivery';
import { classifyErrors } from './errors';
import { moneyActivities } from './money';
import { createNotifier, type DeliveryDeps } from './notifications';
import { ownerNotificationActivities } from './owner-notifications';

export interface ActivityDeps extends DeliveryDeps {
  db: Database;
  /** Test seam: called right after an activity's transaction commits (to simulate a crash there). */
  afterCommit?: (activity: string) => void | Promise<void>;
}

/** Everything with side effects lives here, closed over its dependencies. */
export function createActivities(deps: ActivityDeps) {
  // One exactly-once path (claim → send → record, settle) shared by every activity that emails.
  const notifier = createNotifier(deps);
  const delivery = deliveryActivities(deps, notifier);
  // Bad data fails an activity for good (non-retryable), whichever activity meets it.
  return classifyErrors({
    ...campaignActivities(deps),
    ...moneyActivities(deps),
    ...delivery.activities,
    ...calendarUpdateActivities(deps, notifier),
    ...calendarCancelActivities(deps, notifier).activities,
    ...ownerNotificationActivities(deps, notifier),
    ...deadlineActivities(deps, delivery.sendReminders),
  });
}

export type Activities = ReturnType<typeof createActivities>;
