import { runCommandLatencyBench } from './command-latency';
import { runAnalyticsBench } from './analytics';
import { runConsoleBench } from './console';
import { runDeadlinesBench } from './deadlines';
import { runDispatchBench } from './dispatch';
import { runImportBench } from './import';
import { runMillionBench } from './million';
import { runSendLimitBench } from './send-limit';
import { runWebhookFanoutBench } from './webhook-fanout';
import { runWebhookLagBench } from './webhook-lag';

/** `npm run bench -- <name>`: runs one benchmark and prints its BENCHMARKS.md rows. */
const benches: Record<string, () => Promise<string>> = {
  import: runImportBench,
  dispatch: runDispatchBench,
  deadlines: runDeadlinesBench,
  console: runConsoleBench,
  'command-latency': runCommandLatencyBench,
  'send-limit': runSendLimitBench,
  'webhook-fanout': runWebhookFanoutBench,
  'webhook-lag': runWebhookLagBench,
  million: runMillionBench,
  analytics: runAnalyticsBench,
};

const name = process.argv[2];
const run = benches[name ?? ''];
if (!run) {
  console.error(`usage: npm run bench -- <${Object.keys(benches).join('|')}>`);
  process.exit(2);
}
run()
  .then((rows) => console.log(rows))
  .catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
