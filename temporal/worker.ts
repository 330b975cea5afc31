import { type NativeConnection, Worker, type WorkflowBundleOption } from '@temporalio/worker';
import { type ActivityDeps, createActivities } from '../activities';
import type { Config } from '../config/config';
import type { Database } from '../db/database';
import { SecretBox } from '../security/secrets';
import { createEmailPort } from '../email';
import { platformSenderOf } from '../sending/sender';
import { bundleInChildProcess } from './bundle';

/** After the grace time and the cancellations: how long cancelled activities get to report before run() gives up. */
const SHUTDOWN_FORCE_AFTER_GRACE_MS = 10_000;
/** The SDK's default stickyQueueScheduleToStartTimeout. */
const STICKY_SCHEDULE_TO_START_MS = 10_000;

/** The activities' dependencies, from the configuration. */
export function activityDeps(config: Config, db: Database): ActivityDeps {
  return {
    db,
    email: createEmailPort(config, db),
    secrets: SecretBox.fromConfig(config),
    platform: platformSenderOf(config),
    publicBaseUrl: config.publicBaseUrl,
    webhooks: config.webhooks,
    heartbeatTimeoutMs: config.temporal.heartbeatTimeoutMs,
  };
}

export interface WorkerOptions {
  connection: NativeConnection;
  config: Config;
  db: Database;
  workflowBundle?: WorkflowBundleOption;
  /** Tests swap in fault injection or faster retry timings. */
  overrides?: Partial<ActivityDeps>;
}

export async function createWorker({
  connection,
  config,
  db,
  workflowBundle,
  overrides,
}: WorkerOptions): Promise<Worker> {
  const code = await workflowCode(workflowBundle, config.temporal.workflowBundle);
  try {
    return await Worker.create({
      connection,
      namespace: config.temporal.namespace,
      taskQueue: config.temporal.taskQueue,
      activities: createActivities({ ...activityDeps(config, db), ...overrides }),
      // On SIGTERM/SIGINT the SDK's Runtime calls `shutdown()` (its default `shutdownSignals`):
      // polling stops, running activities get this long to finish, then are cancelled (an
      // activity waiting on the provider stops waiting: activities/notifications.ts) and their
      // attempt fails, to be retried by another worker. The force time bounds a hung activity,
      // so the process always ends before docker compose's `stop_grace_period` (60 s) SIGKILLs it.
      shutdownGraceTime: config.shutdownGraceMs,
      shutdownForceTime: config.shutdownGraceMs + SHUTDOWN_FORCE_AFTER_GRACE_MS,
      workflowBundle: code.bundle,
      // A workflow's next task waits this long for the worker that ran its last one (its cache)
      // before any worker may take it: no longer than a dead worker's activities are waited for.
      ...(config.temporal.heartbeatTimeoutMs
        ? {
            stickyQueueScheduleToStartTimeout: Math.min(
              STICKY_SCHEDULE_TO_START_MS,
              config.temporal.heartbeatTimeoutMs,
            ),
          }
        : {}),
    });
  } finally {
    code.done(); // read by now
  }
}

/** The workflows' code: as given (tests), prebuilt (`WORKFLOW_BUNDLE`), else bundled now in a child process. */
async function workflowCode(
  given: WorkflowBundleOption | undefined,
  prebuilt: string | undefined,
): Promise<{ bundle: WorkflowBundleOption; done: () => void }> {
  if (given) return { bundle: given, done: () => undefined };
  if (prebuilt) return { bundle: { codePath: prebuilt }, done: () => undefined };
  const fresh = await bundleInChildProcess();
  return { bundle: { codePath: fresh.codePath }, done: fresh.remove };
}
