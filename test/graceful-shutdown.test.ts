import type { ChildProcess } from 'node:child_process';
import * as net from 'node:net';
import { untilStatus } from './support/campaigns';
import {
  allInvites,
  draftWithRecipients,
  invitationsOf,
  perRecipient,
  postmarkEnv,
} from './support/delivery';
import { ApiClient, eventually, usePostmarkStack } from './support/stack';
import { killLeft, printed, spawnEntry } from './support/processes';

const exitOf = (child: ChildProcess) =>
  new Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null)
      return resolve({ code: child.exitCode, signal: child.signalCode, at: Date.now() });
    child.once('exit', (code, signal) => resolve({ code, signal, at: Date.now() }));
  });

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** A raw HTTP/1.1 exchange the test writes piece by piece, to hold a request in flight. */
function rawRequest(port: number) {
  const socket = net.connect(port, '127.0.0.1');
  let received = '';
  let isClosed = false;
  const waiting = new Set<() => void>();
  socket.on('data', (d: Buffer) => {
    received += d.toString();
    waiting.forEach((check) => check());
  });
  const closed = new Promise<void>((resolve) =>
    socket.once('close', () => {
      isClosed = true;
      resolve();
    }),
  );
  return {
    connected: new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject)),
    write: (text: string) => new Promise<void>((resolve) => socket.write(text, () => resolve())),
    /** Resolves once the server has sent `text` (proof it has read what came before). */
    received: (text: string) =>
      new Promise<void>((resolve, reject) => {
        const check = () => {
          if (!received.includes(text)) return;
          waiting.delete(check);
          resolve();
        };
        waiting.add(check);
        check();
        closed.then(() => reject(new Error(`closed before the server sent ${JSON.stringify(text)}`)), reject);
      }),
    isClosed: () => isClosed,
    /** The last response, once the server has closed the connection. */
    async response(): Promise<{ status: number; headers: string; body: string }> {
      await closed;
      const last = received.slice(received.lastIndexOf('HTTP/1.1 '));
      const [head, ...rest] = last.split('\r\n\r\n');
      return { status: Number(head.split(' ')[1]), headers: head.toLowerCase(), body: rest.join('\r\n\r\n') };
    },
  };
}

const refused = (port: number) =>
  new Promise<string>((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve('connected');
    });
    socket.once('error', (err: NodeJS.ErrnoException) => resolve(err.code ?? err.message));
  });

describe('Graceful shutdown: SIGTERM drains the API and the worker', () => {
  const children: ChildProcess[] = [];
  // Declared before the stack's: what is left is killed before the stack and Postmark close.
  afterAll(() => killLeft(children));
  // No worker in the stack: the API and workers under test are processes this file signals.
  const { stack, fake } = usePostmarkStack({ worker: false });
  // Every worker of this file polls the same task queue: none may outlive its test and take the next one's tasks.
  afterEach(async () => {
    const live = children.filter((c) => c.exitCode === null && c.signalCode === null);
    live.forEach((c) => c.kill('SIGTERM'));
    await Promise.all(live.map(exitOf));
    fake.reset();
  });

  // Workers run the global setup's bundle: one bundling its own would spend ~10 s of CPU at each
  // start (that path: test/workflow-bundle.test.ts, and every worker of `npm run rehearsal`).
  const processEnv = (grace: number): Record<string, string> => ({
    ...postmarkEnv(fake),
    TEMPORAL_TASK_QUEUE: stack.config.temporal.taskQueue,
    TEMPORAL_ADDRESS: stack.config.temporal.address,
    SHUTDOWN_GRACE_SECONDS: String(grace),
    WORKFLOW_BUNDLE: process.env.HERALD_TEST_WORKFLOW_BUNDLE!,
  });

  async function startWorkerProcess(grace: number) {
    const worker = spawnEntry('worker.ts', processEnv(grace));
    children.push(worker.child);
    await printed(worker.output, 'worker: polling');
    return worker;
  }

  it('when the API gets SIGTERM with a request in flight, then it refuses new connections, answers /readyz 503, finishes the request (201) and exits 0', async () => {
    const port = await freePort();
    const api = spawnEntry('bin/api.ts', {
      ...processEnv(20),
      PORT: String(port),
      PUBLIC_BASE_URL: `http://127.0.0.1:${port}`,
    });
    children.push(api.child);
    await printed(api.output, 'api: listening');
    const account = await stack.newAccount(100_000);
    const client = new ApiClient(`http://127.0.0.1:${port}`, account.adminKey);
    expect((await client.get('/readyz')).status).toBe(200);
    const created = await client.post('/v1/campaigns', {
      name: 'Drained',
      description: 'Come along.',
      costPerInviteCents: 1,
    });
    expect(created.status).toBe(201);
    const campaignId: string = created.body.id;

    // A bulk import whose body is still arriving when the signal comes.
    const body = JSON.stringify({
      recipients: Array.from({ length: 50 }, (_, i) => ({ email: `drain${i}@example.com`, name: `D${i}` })),
    });
    // Its headers ask for a 100 Continue, which says the request has reached the server's handler.
    const upload = rawRequest(port);
    await upload.connected;
    await upload.write(
      `POST /v1/campaigns/${campaignId}/invites/bulk HTTP/1.1\r\nHost: 127.0.0.1\r\n` +
        `Authorization: Bearer ${account.adminKey}\r\nContent-Type: application/json\r\n` +
        `Expect: 100-continue\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n`,
    );
    await upload.received('HTTP/1.1 100 Continue');
    await upload.write(body.slice(0, 100));
    // A load balancer's probe on a connection it already holds: its next request has begun. Sent
    // in one write behind the last one, so the server has read it once that one is answered.
    const probe = rawRequest(port);
    await probe.connected;
    await probe.write(
      'GET /readyz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\nGET /readyz HTTP/1.1\r\nHost: 127.0.0.1\r\n',
    );
    await probe.received('"status":"ok"');

    const signalledAt = Date.now();
    api.child.kill('SIGTERM');
    await printed(api.output, 'api: SIGTERM: draining', 10_000);

    expect(await refused(port)).toBe('ECONNREFUSED');
    await probe.write('\r\n');
    const readiness = await probe.response();
    expect(readiness.status).toBe(503);
    expect(JSON.parse(readiness.body)).toEqual({
      status: 'unavailable',
      checks: { process: 'shutting down' },
    });

    // The drain has closed the probe's connection once answered, and not the upload's: still in flight.
    expect(upload.isClosed()).toBe(false);
    await upload.write(body.slice(100));
    const imported = await upload.response();
    expect(imported.status).toBe(201);

    const exit = await exitOf(api.child);
    expect(exit).toMatchObject({ code: 0, signal: null });
    expect(exit.at - signalledAt).toBeLessThan(20_000);
    expect(api.output()).toContain('api: drained');
    // The import the API finished while draining is really there.
    const invites = await allInvites(account.as(account.adminKey), campaignId);
    expect(invites.map((i) => i.email).sort()).toEqual(
      Array.from({ length: 50 }, (_, i) => `drain${i}@example.com`).sort(),
    );
  }, 120_000);

  it('when `npm start` (the API and a worker in one process) runs, then its one METRICS_PORT serves both parts and its public port does not; on SIGTERM both drain and it exits 0', async () => {
    const port = await freePort();
    const metricsPort = await freePort();
    const both = spawnEntry('bin/start.ts', {
      ...processEnv(20),
      PORT: String(port),
      METRICS_PORT: String(metricsPort),
    });
    children.push(both.child);
    await printed(both.output, 'api: listening');
    await printed(both.output, 'worker: polling');
    const scraped = await fetch(`http://127.0.0.1:${metricsPort}/metrics`);
    expect(scraped.status).toBe(200);
    const text = await scraped.text();
    expect(text).toContain('# TYPE herald_campaigns gauge'); // the API's part
    expect(text).toContain('# TYPE herald_emails_total counter'); // the process's shared series
    expect(text.match(/^# TYPE herald_emails_total /gm)).toHaveLength(1);
    expect((await fetch(`http://127.0.0.1:${port}/metrics`)).status).toBe(404);

    both.child.kill('SIGTERM');
    expect(await exitOf(both.child)).toMatchObject({ code: 0, signal: null });
    expect(both.output()).toContain('api: drained');
    expect(both.output()).toContain('worker: drained');
  }, 120_000);

  it('when a worker gets SIGTERM mid-campaign, then it finishes the batch in flight and exits 0 within its grace, and a new worker sends the rest: one email per recipient, none missing', async () => {
    const first = await startWorkerProcess(20);
    const account = await stack.newAccount(1_000_000);
    const api = account.as(account.adminKey);
    const { id, emails } = await draftWithRecipients(api, 300, { batch: { size: 100, gapMinutes: 0 } });
    fake.delayMs(1500); // each batch is accepted at once and answered late: SIGTERM lands in a send

    expect((await api.post(`/v1/campaigns/${id}/launch`)).status).toBe(200);
    await eventually(async () => (invitationsOf(fake, id).length >= 100 ? true : undefined), {
      timeoutMs: 30_000,
    });
    const signalledAt = Date.now();
    first.child.kill('SIGTERM');
    const exit = await exitOf(first.child);
    expect(exit).toMatchObject({ code: 0, signal: null });
    expect(exit.at - signalledAt).toBeLessThan(20_000);
    expect(first.output()).toContain('worker: drained');

    // It finished what it had started: everything Postmark took is recorded, nothing is left pending.
    const atExit = invitationsOf(fake, id).length;
    expect(atExit).toBeGreaterThanOrEqual(100);
    expect(atExit).toBeLessThan(300);
    expect((await allInvites(api, id)).filter((i) => i.sentAt).length).toBe(atExit);

    fake.delayMs(0);
    await startWorkerProcess(20);
    await untilStatus(api, id, 'active', 90_000);
    const counts = perRecipient(invitationsOf(fake, id));
    expect([...counts.keys()].sort()).toEqual([...emails].sort());
    expect([...counts.entries()].filter(([, n]) => n !== 1)).toEqual([]);
    expect((await allInvites(api, id)).every((i) => i.sentAt && i.delivery.status === 'sent')).toBe(true);
  }, 240_000);

  it('when the grace time runs out while Postmark has not answered, then the worker cancels the send and exits 0 without waiting, and the next worker settles the batch with Postmark instead of sending it again', async () => {
    const first = await startWorkerProcess(0.5);
    const account = await stack.newAccount(1_000_000);
    const api = account.as(account.adminKey);
    const { id, emails } = await draftWithRecipients(api, 300, { batch: { size: 100, gapMinutes: 0 } });
    fake.delayMs(8000); // far longer than the grace

    expect((await api.post(`/v1/campaigns/${id}/launch`)).status).toBe(200);
    await eventually(async () => (invitationsOf(fake, id).length >= 100 ? true : undefined), {
      timeoutMs: 30_000,
    });
    const signalledAt = Date.now();
    first.child.kill('SIGTERM');
    const exit = await exitOf(first.child);
    expect(exit).toMatchObject({ code: 0, signal: null });
    expect(exit.at - signalledAt).toBeLessThan(5_000); // did not sit out Postmark's 8 s
    expect(first.output()).toContain('worker: drained');

    // Handed back: Postmark took the batch, the database never heard its answer.
    const atExit = invitationsOf(fake, id).length;
    expect(atExit).toBe(100);
    expect((await allInvites(api, id)).filter((i) => i.sentAt).length).toBe(0);

    fake.delayMs(0);
    const restartedAt = new Date();
    await startWorkerProcess(20);
    await untilStatus(api, id, 'active', 90_000);
    const counts = perRecipient(invitationsOf(fake, id));
    expect([...counts.keys()].sort()).toEqual([...emails].sort());
    expect([...counts.entries()].filter(([, n]) => n !== 1)).toEqual([]);
    // The retry asked Postmark about the handed-back batch before sending anything.
    const searches = fake.calls.filter((c) => c.path.startsWith('/messages/outbound') && c.at >= restartedAt);
    expect(searches.length).toBeGreaterThanOrEqual(1);
  }, 240_000);
});
