import 'reflect-metadata';
import * as fs from 'node:fs';
import { MockActivityEnvironment } from '@temporalio/testing';
import { DefaultLogger } from '@temporalio/worker';
import { createActivities } from '../activities';
import type { SendOutcome } from '../activities/send/types';
import { runMain } from '../bin/run-main';
import { loadConfig } from '../config/config';
import { Database } from '../db/database';
import { activityDeps } from '../temporal/worker';

/**
 * bench/million's direct loop: `sendChunk` (invitations) called back to back without Temporal, in a
 * process of its own started as the worker is (bin/node-args.ts: the same heap budget), so
 * that the comparison with the workflow holds everything but Temporal equal. Arguments:
 * campaignId accountId limit until. Sends until `until` invitations are sent (or none are
 * left), then prints one JSON line: how many it sent, the milliseconds it took from its first
 * send (like the workflow's time, which starts once its worker polls) and its peak RSS.
 */
async function main(): Promise<void> {
  const [campaignId, accountId, limit, until] = process.argv.slice(2);
  const config = loadConfig();
  const db = await Database.open(config.database);
  try {
    const activities = createActivities(activityDeps(config, db));
    const send = activities.sendChunk.bind(activities);
    // An info line per chunk would bury the bench's progress lines; warnings and errors still show.
    const logger = new DefaultLogger('WARN');
    const started = performance.now();
    let sent = 0;
    while (sent < Number(until)) {
      // A bare activity context (heartbeats go nowhere): the activity, without Temporal.
      const outcome: SendOutcome = await new MockActivityEnvironment({}, { logger }).run(send, {
        pass: 'invitations' as const,
        campaignId,
        accountId,
        limit: Number(limit),
      });
      sent += outcome.sent;
      if (outcome.remaining === 0) break;
    }
    const ms = performance.now() - started;
    const peakKb = Number(/VmHWM:\s+(\d+) kB/.exec(fs.readFileSync('/proc/self/status', 'utf8'))?.[1] ?? 0);
    process.stdout.write(`${JSON.stringify({ sent, ms, peakMb: peakKb / 1024 })}\n`);
  } finally {
    await db.close();
  }
}

if (require.main === module) runMain(main);
