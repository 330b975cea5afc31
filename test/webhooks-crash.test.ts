import type { ChildProcess } from 'node:child_process';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { WebhookDelivery } from '../entities/WebhookDelivery';
import { WebhookEvent } from '../entities/WebhookEvent';
import { webhookWorkflowId } from '../workflows/webhooks/messages';
import { untilStatus } from './support/campaigns';
import { draftWithRecipients } from './support/delivery';
import { eventually, usePostmarkStack } from './support/stack';
import { webhookEnv } from './support/webhooks';
import { killLeft, startWorkerProcess } from './support/processes';

const INVITES = 40;
/** The receiver holds each request this long before its 200: the worker always dies with one in flight. */
const RECEIVER_DELAY_MS = 200;

/**
 * A slow customer receiver: it keeps every request as it arrives (what reached the customer),
 * then answers 200 after a delay. `inFlight` counts requests not yet answered.
 */
interface Receiver {
  url: string;
  requests: { headers: IncomingHttpHeaders; body: string }[];
  inFlight: () => number;
  close(): Promise<void>;
}
async function startSlowReceiver(): Promise<Receiver> {
  const requests: Receiver['requests'] = [];
  let inFlight = 0;
  const server: Server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => {
      requests.push({ headers: req.headers, body });
      inFlight++;
      setTimeout(() => {
        inFlight--;
        res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
      }, RECEIVER_DELAY_MS);
    });
    // The worker may die holding the connection: its socket errors are expected here.
    req.socket.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/herald`,
    requests,
    inFlight: () => inFlight,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

const headersOf = (h: IncomingHttpHeaders) => ({
  'webhook-id': String(h['webhook-id']),
  'webhook-timestamp': String(h['webhook-timestamp']),
  'webhook-signature': String(h['webhook-signature']),
});

describe('Webhook delivery when the worker is SIGKILLed', () => {
  const workers: ChildProcess[] = [];
  const env = {
    // A dead worker's page is retried once its heartbeat is this late (30 s unset); a request
    // runs between two beats, so it must time out sooner (timeoutSeconds).
    HEARTBEAT_TIMEOUT_SECONDS: '5',
    ...webhookEnv({ firstSeconds: 0.5, maxSeconds: 2, periodSeconds: 120, timeoutSeconds: 2 }),
  };

  // Declared before the stack's: the workers are killed before the stack and Postmark close.
  afterAll(() => killLeft(workers));
  // No in-process worker: the only workers are the processes this file starts and kills.
  const { stack, fake } = usePostmarkStack({ worker: false, env });

  // The global setup's bundle: a worker bundling its own would spend ~10 s of CPU at each start.
  const prebuilt = { WORKFLOW_BUNDLE: process.env.HERALD_TEST_WORKFLOW_BUNDLE! };
  const startWorker = () => startWorkerProcess(stack, fake, workers, { ...env, ...prebuilt });

  it(`when the worker is SIGKILLed with a webhook request in flight and deliveries pending, then a new worker delivers every event of a ${INVITES}-invite campaign at least once, each verifies with the Standard Webhooks library, and the repeated one keeps its webhook-id and body`, async () => {
    const receiver = await startSlowReceiver();
    try {
      const first = await startWorker();
      const account = await stack.newAccount(1_000_000);
      const api = account.as(account.adminKey);
      const created = await api.post('/v1/webhook-endpoints', { url: receiver.url });
      expect(created.status).toBe(201);
      const verifier = new Webhook(created.body.secret);
      const { id: campaignId } = await draftWithRecipients(api, INVITES, {});
      expect((await api.post(`/v1/campaigns/${campaignId}/launch`)).status).toBe(200);
      await untilStatus(api, campaignId, 'active', 60_000);

      // Some delivered, more pending, one on the wire: the moment to die in.
      await eventually(
        async () => (receiver.requests.length >= 5 && receiver.inFlight() > 0 ? true : undefined),
        { timeoutMs: 30_000, intervalMs: 10 },
      );
      first.kill('SIGKILL');
      await new Promise((resolve) => first.once('exit', resolve));
      const events = await stack.db.manager.findBy(WebhookEvent, { accountId: account.accountId });
      expect(events.filter((e) => e.type === 'invite.sent')).toHaveLength(INVITES);
      const atCrash = new Set(receiver.requests.map((r) => String(r.headers['webhook-id'])));
      expect(atCrash.size).toBeLessThan(events.length);
      // The request on the wire got no answer the worker could record: the log still calls it pending.
      const inFlightId = String(receiver.requests.at(-1)!.headers['webhook-id']);
      const logged = await stack.db.manager.findBy(WebhookDelivery, { endpointId: created.body.id });
      expect(logged.find((d) => d.eventId === inFlightId)?.state).toBe('pending');
      expect(logged.filter((d) => d.state === 'delivered').length).toBeGreaterThan(0);

      await startWorker();
      await eventually(
        async () => {
          const arrived = new Set(receiver.requests.map((r) => String(r.headers['webhook-id'])));
          return events.every((e) => arrived.has(e.id)) && receiver.inFlight() === 0 ? true : undefined;
        },
        // The killed pass is retried after its heartbeat timeout (5 s here), then delivers the rest.
        { timeoutMs: 90_000, intervalMs: 250 },
      );

      // Every request verifies, and carries the event it names; repeats carry the same body.
      const bodies = new Map<string, string[]>();
      for (const r of receiver.requests) {
        const payload = verifier.verify(r.body, headersOf(r.headers)) as { type: string };
        const id = String(r.headers['webhook-id']);
        expect(payload.type).toBe(events.find((e) => e.id === id)!.type);
        bodies.set(id, [...(bodies.get(id) ?? []), r.body]);
      }
      expect([...bodies.keys()].sort()).toEqual(events.map((e) => e.id).sort());
      const repeated = [...bodies.entries()].filter(([, b]) => b.length > 1);
      expect(repeated.map(([id]) => id)).toContain(inFlightId);
      for (const [, b] of repeated) expect(new Set(b).size).toBe(1);

      // And the log agrees: every event delivered, once each in it.
      const log = await eventually(async () => {
        const rows = await stack.db.manager.findBy(WebhookDelivery, { endpointId: created.body.id });
        return rows.length === events.length && rows.every((d) => d.state === 'delivered') ? rows : undefined;
      });
      expect(log.find((d) => d.eventId === inFlightId)!.attempts).toBeGreaterThanOrEqual(1);
      // The endpoint's workflow runs its pages on the configured heartbeat timeout, 5 s.
      const history = await stack.temporal.workflow
        .getHandle(webhookWorkflowId(created.body.id))
        .fetchHistory();
      const pages = (history.events ?? []).flatMap((e) => {
        const scheduled = e.activityTaskScheduledEventAttributes;
        return scheduled?.activityType?.name === 'deliverWebhookPage' ? [scheduled] : [];
      });
      expect(pages.length).toBeGreaterThan(0);
      expect(pages.map((a) => Number(a.heartbeatTimeout?.seconds))).toEqual(pages.map(() => 5));
    } finally {
      await receiver.close();
    }
  }, 180_000);
});
