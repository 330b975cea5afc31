import type { Config } from '../config/config';
import type { Database } from '../db/database';
import type { DeliveryDeps } from './send/types';

/** What the activities close over: the worker builds it once (temporal/worker.ts). */
export interface ActivityDeps extends DeliveryDeps {
  db: Database;
  /** Outgoing webhooks: targets allowed, timeouts, retry schedule. */
  webhooks: Config['webhooks'];
  /** HEARTBEAT_TIMEOUT_SECONDS, for the webhook workflows the activities start. */
  heartbeatTimeoutMs?: number;
  /** Test seam: called right after an activity's transaction commits (to simulate a crash there). */
  afterCommit?: (activity: string) => void | Promise<void>;
}
