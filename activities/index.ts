import type { Database } from '../db/database';
import { campaignActivities } from './campaign';
import { type DeliveryDeps, deliveryActivities } from './delivery';
import { deadlineActivities } from './deadlines';
import { moneyActivities } from './money';

export interface ActivityDeps extends DeliveryDeps {
  db: Database;
  /** Test seam: called right after an activity's transaction commits (to simulate a crash there). */
  afterCommit?: (activity: string) => void | Promise<void>;
}

/** Everything with side effects lives here, closed over its dependencies. */
export function createActivities(deps: ActivityDeps) {
  const delivery = deliveryActivities(deps);
  return {
    ...campaignActivities(deps),
    ...moneyActivities(deps),
    ...delivery.activities,
    ...deadlineActivities(deps, delivery.sendReminders),
  };
}

export type Activities = ReturnType<typeof createActivities>;
