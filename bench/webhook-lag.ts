import { WebhookEndpointService } from '../api/usecases/webhook-endpoints';
import { Campaign } from '../entities/Campaign';
import { type BenchCaller, benchCampaigns, benchStack, fmt, measure, progress } from './support';
import { percentile, startReceiver } from './webhook-fanout';

/**
 * bench/webhook-lag: do a campaign's webhook events keep pace with its emails? One campaign of
 * BENCH_INVITES (100,000) invites, all at once (no batches, gap 0), dispatched by its workflow
 * twice on the same stack: first with no webhook endpoint (the baseline), then with one endpoint
 * taking every event to a local receiver on loopback that answers 200 at once. Real Temporal dev
 * server, in-process worker, real database, the postmark client against the local Postmark
 * server; the events stream while the campaign sends.
 *
 * Measured: each run's launch → active time (the email side: the ratio says whether webhooks
 * slow email down); each `invite.sent` event's lag from its `timestamp` (when Herald recorded
 * the send) to its receipt, p50 / p99 / max; how long after the last email the last event came.
 */
const INVITES = Number(process.env.BENCH_INVITES ?? 100_000);

export async function runWebhookLagBench(): Promise<string> {
  // The receiver is on loopback over http, which only this setting allows (never in production).
  process.env.ALLOW_HTTP_WEBHOOKS = 'true';
  const { fake, env, db, config, deps, startWorker, close } = await benchStack('bench-webhook-lag');
  const receiver = await startReceiver(1000);
  let stopWorker = async () => undefined as void;
  try {
    stopWorker = await startWorker();
    const made = benchCampaigns({ db, env, config });
    const { campaigns } = made;
    const dispatch = (caller: BenchCaller, id: string) =>
      measure(async () => {
        await campaigns.command(caller, id, { type: 'launch' });
        let shown = Date.now();
        for (;;) {
          const c = await db.manager.findOneByOrFail(Campaign, { id });
          if (c.status === 'active') return;
          if (Date.now() - shown > 5000) {
            const sent = fake.sent.filter((m) => m.Metadata.campaignId === id).length;
            progress(`${c.status}: ${sent} / ${INVITES} emails, ${receiver.receipts.length} events`);
            shown = Date.now();
          }
          await new Promise((r) => setTimeout(r, 25));
        }
      });

    const alone = await made.account('alone');
    const aloneId = await made.draft(alone, 'alone', { invites: INVITES });
    progress(`baseline: ${INVITES} invites, no webhook endpoint…`);
    const baseline = await dispatch(alone, aloneId);

    const watched = await made.account('watched');
    const endpoint = await new WebhookEndpointService({
      db,
      temporal: env.client,
      secrets: deps.secrets,
      config,
    }).create(watched.accountId, { url: receiver.url, events: ['invite.sent'] });
    receiver.verifyWith(endpoint.secret);
    const watchedId = await made.draft(watched, 'watched', { invites: INVITES });
    progress(`with an endpoint taking invite.sent: ${INVITES} invites…`);
    const flow = await dispatch(watched, watchedId);
    const lastEmail = Math.max(
      ...fake.sent.filter((m) => m.Metadata.campaignId === watchedId).map((m) => m.receivedAt.getTime()),
    );
    progress(`emails done in ${fmt(flow.ms / 1000, 2)} s; waiting for the last events…`);
    const deadline = Date.now() + 10 * 60_000;
    let shown = Date.now();
    for (;;) {
      const n = new Set(receiver.receipts.map((r) => r.id)).size;
      if (n >= INVITES) break;
      if (Date.now() - shown > 5000) {
        progress(`${n} / ${INVITES} events received`);
        shown = Date.now();
      }
      if (Date.now() > deadline) throw new Error(`only ${n} of ${INVITES} events arrived in 10 minutes`);
      await new Promise((r) => setTimeout(r, 100));
    }
    const lastEvent = Math.max(...receiver.receipts.map((r) => r.at));
    const lags = receiver.receipts.map((r) => r.lagMs).sort((a, b) => a - b);
    const [p50, p99, max] = [percentile(lags, 50), percentile(lags, 99), lags[lags.length - 1]];
    const ratio = baseline.ms / flow.ms;
    progress(
      `dispatch ${fmt(flow.ms / 1000, 2)} s with webhooks vs ${fmt(baseline.ms / 1000, 2)} s without (ratio ${fmt(ratio, 2)}); ` +
        `invite.sent lag p50 ${fmt(p50 / 1000, 2)} s, p99 ${fmt(p99 / 1000, 2)} s, max ${fmt(max / 1000, 2)} s; ` +
        `last event ${fmt((lastEvent - lastEmail) / 1000, 2)} s after the last email; ${receiver.verified()} signatures verified`,
    );
    return `| ${INVITES.toLocaleString('en')} invites at once, 1 endpoint taking invite.sent (${config.database.type}) | ${fmt(baseline.ms / 1000, 2)} s (${Math.round(INVITES / (baseline.ms / 1000))}/s) | ${fmt(flow.ms / 1000, 2)} s (${Math.round(INVITES / (flow.ms / 1000))}/s) | ${fmt(ratio, 2)} | ${fmt(p50 / 1000, 2)} s / ${fmt(p99 / 1000, 2)} s / ${fmt(max / 1000, 2)} s | ${fmt((lastEvent - lastEmail) / 1000, 2)} s | ${receiver.requests() - INVITES} repeats |`;
  } finally {
    await stopWorker(); // the dev server cannot close under a running worker
    await receiver.close();
    await close();
  }
}

if (require.main === module) {
  runWebhookLagBench()
    .then((row) =>
      console.log(
        `| benchmark | dispatch without webhooks | dispatch with | without/with | invite.sent lag p50 / p99 / max | last event after last email | repeats |\n|---|---|---|---|---|---|---|\n${row}`,
      ),
    )
    .catch((err: unknown) => {
      console.error(err);
      process.exit(1);
    });
}
