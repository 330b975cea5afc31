import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { WEBHOOK_PAGE } from '../activities/webhooks';
import { AccountService } from '../api/usecases/accounts';
import { WebhookEndpointService } from '../api/usecases/webhook-endpoints';
import { WebhookDelivery } from '../entities/WebhookDelivery';
import { recordEvents } from '../webhooks/events';
import { nudgeNoted } from '../webhooks/nudges';
import { WEBHOOK_ITERATIONS_PER_RUN } from '../workflows/webhooks/workflow';
import { webhookWorkflowId } from '../workflows/webhooks/messages';
import { benchStack, fmt, progress } from './support';

/**
 * bench/webhook-fanout: 20,000 invites' `invite.sent` and `invite.delivered` (40,000 events)
 * recorded in one account's outbox with `recordEvents`, in transactions of 500 invites'
 * worth, each followed by the nudge the activities send after their commit; one endpoint to
 * a local receiver that answers 200 at once. Real Temporal dev server, in-process worker
 * (the endpoint's delivery workflow and its activities), real database.
 *
 * Measured: from the first commit to the last event received, events/s; each event's lag
 * from its `createdAt` (the payload's `timestamp`) to its receipt, p50 / p99; the delivery
 * workflow's history per run (max and total, and how many runs: continue-as-new). The
 * receiver counts every request, checks each event arrives (at least once), and verifies
 * every 100th signature with the `standardwebhooks` library.
 *
 * Delivery is one request at a time per endpoint, in order, by design (the workflow module):
 * this is the rate of one endpoint, the fan-out's worst case.
 */
const INVITES = Number(process.env.BENCH_INVITES ?? 20_000);
const PER_TRANSACTION = 500;

interface Receipt {
  id: string;
  lagMs: number;
  at: number;
}

export async function startReceiver(verifyEvery: number) {
  const receipts: Receipt[] = [];
  let requests = 0;
  let verified = 0;
  let verifier: Webhook | undefined;
  const server: Server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => {
      const at = Date.now();
      requests++;
      const id = String(req.headers['webhook-id']);
      if (verifier && requests % verifyEvery === 0) {
        verifier.verify(body, {
          'webhook-id': id,
          'webhook-timestamp': String(req.headers['webhook-timestamp']),
          'webhook-signature': String(req.headers['webhook-signature']),
        });
        verified++;
      }
      const { timestamp } = JSON.parse(body) as { timestamp: string };
      receipts.push({ id, lagMs: at - Date.parse(timestamp), at });
      res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`,
    receipts,
    requests: () => requests,
    verified: () => verified,
    verifyWith: (secret: string) => (verifier = new Webhook(secret)),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];

export async function runWebhookFanoutBench(): Promise<string> {
  // The receiver is on loopback over http, which only this setting allows (never in production).
  process.env.ALLOW_HTTP_WEBHOOKS = 'true';
  const { env, db, config, deps, startWorker, close } = await benchStack('bench-webhook-fanout');
  const receiver = await startReceiver(100);
  let stopWorker = async () => undefined as void;
  try {
    stopWorker = await startWorker();
    const { accountId } = await new AccountService(db).createAccount({
      name: 'Bench',
      ownerEmail: 'owner@bench.test',
      balanceCents: 1e9,
    });
    const endpoints = new WebhookEndpointService({
      db,
      temporal: env.client,
      secrets: deps.secrets,
      config,
    });
    const endpoint = await endpoints.create(accountId, { url: receiver.url });
    receiver.verifyWith(endpoint.secret);
    const total = INVITES * 2;

    progress(`recording ${total} events (${INVITES} invites, sent + delivered), delivering as they commit…`);
    const started = Date.now();
    for (let i = 0; i < INVITES; i += PER_TRANSACTION) {
      await db.transaction((em) =>
        recordEvents(
          em,
          Array.from({ length: Math.min(PER_TRANSACTION, INVITES - i) }, (_, k) => {
            const inviteId = `bench-invite-${i + k}`;
            const data = { inviteId, campaignId: null, email: `r${i + k}@bench.test` };
            return [
              { accountId, campaignId: null, type: 'invite.sent' as const, key: inviteId, data },
              { accountId, campaignId: null, type: 'invite.delivered' as const, key: inviteId, data },
            ];
          }).flat(),
        ),
      );
      await nudgeNoted(env.client, db, config.temporal);
    }
    const recordedMs = Date.now() - started;
    progress(`recorded in ${fmt(recordedMs / 1000, 2)} s; waiting for the receiver…`);
    let last = 0;
    for (;;) {
      const n = new Set(receiver.receipts.map((r) => r.id)).size;
      if (n >= total) break;
      if (n !== last && n % 5000 < last % 5000) progress(`${n} / ${total} received`);
      last = n;
      await new Promise((r) => setTimeout(r, 100));
    }
    const lastAt = Math.max(...receiver.receipts.map((r) => r.at));
    const ms = lastAt - started;
    // The log agrees: every delivery row delivered. A pass records its deliveries in batches
    // after the receiver answered, so the last batch may land a moment after the last receipt.
    const loggedBy = Date.now() + 30_000;
    for (;;) {
      const delivered = await db.manager.countBy(WebhookDelivery, {
        endpointId: endpoint.id,
        state: 'delivered',
      });
      if (delivered === total) break;
      if (Date.now() > loggedBy)
        throw new Error(`${delivered} deliveries logged as delivered; expected ${total}`);
      await new Promise((r) => setTimeout(r, 100));
    }

    const runs: { length: number; passes: number }[] = [];
    for await (const run of env.client.workflow.list({
      query: `WorkflowId="${webhookWorkflowId(endpoint.id)}"`,
    })) {
      const events = (await env.client.workflow.getHandle(run.workflowId, run.runId).fetchHistory()).events;
      const passes = events?.filter((e) => e.activityTaskScheduledEventAttributes).length ?? 0;
      runs.push({ length: events?.length ?? 0, passes });
    }
    const lags = receiver.receipts.map((r) => r.lagMs).sort((a, b) => a - b);
    const p50 = percentile(lags, 50);
    const p99 = percentile(lags, 99);
    const duplicates = receiver.requests() - total;
    progress(
      `${total} events in ${fmt(ms / 1000, 2)} s (${Math.round(total / (ms / 1000))}/s), lag p50 ${fmt(p50 / 1000, 2)} s p99 ${fmt(p99 / 1000, 2)} s, ${runs.length} runs, ${receiver.verified()} signatures verified, ${duplicates} repeats`,
    );
    return `| webhook fan-out ${total.toLocaleString('en')} events (${INVITES.toLocaleString('en')} invites × sent + delivered), 1 endpoint (${config.database.type}) | ${fmt(recordedMs / 1000, 2)} s | ${fmt(ms / 1000, 2)} s | ${Math.round(total / (ms / 1000))}/s | ${fmt(p50 / 1000, 2)} s / ${fmt(p99 / 1000, 2)} s | ${Math.max(...runs.map((r) => r.length))} / ${runs.reduce((a, r) => a + r.length, 0)} | ${runs.length} (${runs.reduce((a, r) => a + r.passes, 0)} passes of ≤ ${WEBHOOK_PAGE} events; ≤ ${WEBHOOK_ITERATIONS_PER_RUN} a run) | ${receiver.verified()} verified, ${duplicates} repeats |`;
  } finally {
    await stopWorker(); // the dev server cannot close under a running worker
    await receiver.close();
    await close();
  }
}

if (require.main === module) {
  runWebhookFanoutBench()
    .then((row) =>
      console.log(
        `| benchmark | recorded in | all received | events/s | lag p50 / p99 | history events: max / total | runs (continue-as-new + 1) | signatures |\n|---|---|---|---|---|---|---|---|\n${row}`,
      ),
    )
    .catch((err: unknown) => {
      console.error(err);
      process.exit(1);
    });
}
