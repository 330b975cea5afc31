import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { In } from 'typeorm';
import { entities } from '../entities';
import { WebhookDelivery } from '../entities/WebhookDelivery';
import { WebhookEndpoint } from '../entities/WebhookEndpoint';
import { untilStatus } from './support/campaigns';
import { eventually, useAccount, useStack } from './support/stack';
import { webhookEnv } from './support/webhooks';

/**
 * A customer's receiver that can go down (its port closed: nothing reaches it) and come back
 * on the same port, and that can hold a request open until the test lets it answer.
 */
class Receiver {
  readonly bodies: string[] = [];
  private server?: Server;
  private port = 0;
  private gate?: Promise<void>;
  private open?: () => void;

  get url() {
    return `http://127.0.0.1:${this.port}/herald`;
  }

  async up(): Promise<void> {
    const server = createServer((req, res) => {
      let body = '';
      req.setEncoding('utf8');
      req.on('data', (chunk: string) => (body += chunk));
      req.on('end', async () => {
        this.bodies.push(body);
        await this.gate;
        res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
      });
    });
    await new Promise<void>((resolve) => server.listen(this.port, '127.0.0.1', resolve));
    this.port = (server.address() as AddressInfo).port;
    this.server = server;
  }

  async down(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** Requests from now on wait for `release` before they are answered. */
  hold(): void {
    this.gate = new Promise((resolve) => (this.open = resolve));
  }

  release(): void {
    this.open?.();
    this.gate = undefined;
  }
}

describe('Erasure reaches what Herald will still send', () => {
  const receiver = new Receiver();
  const run = randomUUID().slice(0, 8);
  const ada = { email: `ada-${run}@example.com`, name: `Ada Lovelace ${run}` };
  // Her address is inside this one's: what is not hers must stay as it is.
  const mada = { email: `mada-${run}@example.com`, name: `Mada Hopper ${run}` };
  const order = `PO-${run} for ${ada.email.toUpperCase()}`;
  /** Her address, and not as the end of a longer one (Mada's). */
  const quotesAda = (text: string) => new RegExp(`(?<![\\w.+-])ada-${run}@example\\.com`, 'i').test(text);

  // Up before the stack starts, down before it closes.
  beforeAll(() => receiver.up());
  afterAll(async () => {
    receiver.release();
    await receiver.down();
  });
  const stack = useStack({ env: webhookEnv({ firstSeconds: 0.3, maxSeconds: 1, periodSeconds: 600 }) });
  const account = useAccount(stack, 10_000_000);
  const admin = account.api;

  type Delivery = { id: string; eventType: string; state: string; attempts: number };
  const deliveriesOf = async (endpointId: string) =>
    (await admin.get(`/v1/webhook-endpoints/${endpointId}/deliveries?limit=100`)).body.data as Delivery[];

  /** Every row the account holds (webhook deliveries through its endpoints), as lower-case text. */
  async function everythingStored(): Promise<string> {
    const dump: unknown[] = [];
    for (const entity of entities) {
      const columns = stack.db.dataSource.getMetadata(entity).columns.map((c) => c.propertyName);
      if (columns.includes('accountId'))
        dump.push(await stack.db.manager.find(entity, { where: { accountId: account.accountId } as never }));
    }
    const endpoints = await stack.db.manager.findBy(WebhookEndpoint, { accountId: account.accountId });
    dump.push(await stack.db.manager.findBy(WebhookDelivery, { endpointId: In(endpoints.map((e) => e.id)) }));
    return JSON.stringify(dump).toLowerCase();
  }

  it('when a person is erased while events quoting their address and order wait for a receiver that is down, then no request the receiver gets afterwards (retries included) carries them, their link no longer shows the order, and no row of the account holds the address', async () => {
    const endpoint = (await admin.post('/v1/webhook-endpoints', { url: receiver.url })).body.id;
    // A stored idempotent answer that quotes her address, as typed.
    const keyed = await admin.post(
      '/v1/campaigns',
      { name: 'Keyed', costPerInviteCents: 10, description: `Questions? Ask ${ada.email.toUpperCase()}.` },
      { 'idempotency-key': `keyed-${run}` },
    );
    expect(keyed.status).toBe(201);

    const created = await admin.post('/v1/campaigns', { name: 'Spring', costPerInviteCents: 10 });
    const campaign = created.body.id;
    await admin.post(`/v1/campaigns/${campaign}/invites/bulk`, { recipients: [ada, mada] });
    await admin.post(`/v1/campaigns/${campaign}/launch`);
    await untilStatus(admin, campaign, 'active');
    const invites = (await admin.get(`/v1/campaigns/${campaign}/invites?limit=10`)).body.data as {
      email: string;
      url: string;
    }[];
    const token = new URL(invites.find((i) => i.email === ada.email)!.url).pathname.split('/').pop()!;

    // A pause whose reason names her, delivered while the receiver is up.
    await admin.post(`/v1/campaigns/${campaign}/pause`, {
      reason: `${ada.email.toUpperCase()} asked us to wait (cc ${mada.email})`,
    });
    await untilStatus(admin, campaign, 'paused');
    await eventually(async () =>
      receiver.bodies.some((b) => quotesAda(b) && b.includes('"to":"paused"')) ? true : undefined,
    );

    // The receiver goes down; her completion (with the order) and a second pause queue behind it.
    await receiver.down();
    await admin.post(`/v1/campaigns/${campaign}/resume`);
    await untilStatus(admin, campaign, 'active');
    expect((await admin.post(`/v1/links/${token}/complete`, { order })).status).toBe(200);
    await admin.post(`/v1/campaigns/${campaign}/pause`, { reason: `again for ${ada.email}` });
    await untilStatus(admin, campaign, 'paused');
    await eventually(
      async () => {
        const queued = (await deliveriesOf(endpoint)).filter((d) => d.state === 'pending');
        return queued.some((d) => d.eventType === 'invite.completed') &&
          queued.filter((d) => d.eventType === 'campaign.status_changed').length >= 2 &&
          queued.some((d) => d.attempts > 0)
          ? true
          : undefined;
      },
      { timeoutMs: 30_000 },
    );

    // It comes back and holds the first request open: the erasure commits in the middle of a pass.
    receiver.hold();
    const before = receiver.bodies.length;
    await receiver.up();
    await eventually(async () => (receiver.bodies.length > before ? true : undefined), { timeoutMs: 30_000 });
    const erased = await admin.post('/v1/recipients/erase', { email: ada.email });
    expect(erased.status).toBe(200);
    const reference = erased.body.reference;
    const audit = JSON.stringify((await admin.get(`/v1/campaigns/${campaign}/audit?limit=100`)).body);
    expect(audit).toContain(`${reference} asked us to wait (cc ${mada.email})`);
    const cut = receiver.bodies.length;
    receiver.release();

    const allDelivered = async () => {
      const log = await deliveriesOf(endpoint);
      return log.length && log.every((d) => d.state === 'delivered') ? log : undefined;
    };
    const log = await eventually(allDelivered, { timeoutMs: 30_000 });
    // Every delivery sent again on request, the ones that carried her address before too.
    const resent = receiver.bodies.length;
    for (const d of log) expect((await admin.post(`/v1/webhook-deliveries/${d.id}/retry`)).status).toBe(200);
    await eventually(async () => (receiver.bodies.length >= resent + log.length ? true : undefined), {
      timeoutMs: 30_000,
    });
    await eventually(allDelivered, { timeoutMs: 30_000 });

    const after = receiver.bodies.slice(cut);
    expect(after.length).toBeGreaterThanOrEqual(log.length);
    expect(after.filter(quotesAda)).toEqual([]);
    expect(after.filter((b) => b.toLowerCase().includes(`po-${run}`))).toEqual([]);
    // Scrubbed, not dropped: the receiver still learns of the pause and the completion.
    const events = after.map((b) => JSON.parse(b) as { type: string; data: Record<string, unknown> });
    expect(events).toContainEqual({
      type: 'campaign.status_changed',
      timestamp: expect.any(String),
      data: expect.objectContaining({ to: 'paused', reason: `again for ${reference}` }),
    });
    expect(events).toContainEqual({
      type: 'invite.completed',
      timestamp: expect.any(String),
      data: expect.objectContaining({ order: null }),
    });

    const link = await admin.get(`/v1/links/${token}`);
    expect(JSON.stringify(link.body).toLowerCase()).not.toContain(`po-${run}`);

    const stored = await everythingStored();
    expect(quotesAda(stored)).toBe(false);
    expect(stored).not.toContain(`po-${run}`);
    expect(stored).toContain(reference);
    // What is someone else's stays: Mada's address (which contains Ada's) is intact.
    const madas = (await admin.get(`/v1/campaigns/${campaign}/invites?limit=10`)).body.data.filter(
      (i) => i.email === mada.email,
    );
    expect(madas).toHaveLength(1);
    expect((await admin.get('/v1/outbox?limit=100')).body.data.map((m) => m.to)).toEqual(
      expect.arrayContaining([expect.stringContaining(mada.email)]),
    );
  });
});
