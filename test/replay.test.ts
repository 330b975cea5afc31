import * as fs from 'node:fs';
import * as path from 'node:path';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import { Worker } from '@temporalio/worker';

/**
 * Recorded histories of real campaign runs (RECORD_HISTORIES=1 npm test writes them) must
 * replay against the current workflow code: a change that would break running campaigns
 * fails here, not in production.
 */
const dir = path.join(__dirname, 'histories');
const files = fs.readdirSync(dir).filter((f) => f.endsWith('.json'));

describe('Replaying recorded campaign histories against the current code', () => {
  it('has recorded histories to replay', () => {
    expect(files).toEqual(
      expect.arrayContaining([
        'launch-pause-resume-cancel.json',
        'scheduled-rescheduled-earlier.json',
        'paused-past-start-then-resumed.json',
        'expired-and-released.json',
        'reserve-retried-after-commit.json',
        'continued-as-new.json',
        'reminder-sent-once.json',
        'expired-revived-in-grace.json',
        'calendar-update-pass.json',
        'calendar-cancel-pass.json',
        'send-wait-rate-limited.json',
        'limit-share-wait.json',
        'progress-in-outcome.json',
        'reschedule-refused-as-bad-data.json',
        'draft-batches-edited.json',
        'user-pause-is-manual.json',
      ]),
    );
  });

  it.each(files)('replays %s without nondeterminism', async (file) => {
    const history = historyFromJSON(JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')));
    await Worker.runReplayHistory(
      { workflowBundle: { codePath: process.env.HERALD_TEST_WORKFLOW_BUNDLE! } },
      history,
      file,
    );
  });
});
