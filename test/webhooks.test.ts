import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { WebhookEndpoint } from '../entities/WebhookEndpoint';
import { WebhookEvent } from '../entities/WebhookEvent';
import { backoffMs } from '../activities/webhooks';
import { loadConfig } from '../config/config';
import { untilStatus } from './support/campaigns';
import { draftWithRecipients, invitationsOf } from './support/delivery';
import { untilEndpointIdle } from './support/idle';
import { eventually, useAccount, usePostmarkStack } from './support/stack';
import { webhookEnv } from './support/webhooks';
import { classifyAddress, checkWebhookUrl, type Lookup } from '../webhooks/target-guard';
import { postWebhook } from '../webhooks/http';

/** A customer's receiver on a port of its own: it answers what `answer` says and keeps every request. */
interface Receiver {
  url: string;
  requests: { headers: IncomingHttpHeaders; body: string; status: number; at: number }[];
  close(): Promise<void>;
}
async function startReceiver(answer: () => number): Promise<Receiver> {
  const requests: Receiver['requests'] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => {
      const status = answer();
      requests.push({ headers: req.headers, body, status, at: Date.now() });
      res.writeHead(status, { 'content-type': 'text/plain' }).end(status === 200 ? 'ok' : 'down for now');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/herald`,
    requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

const headersOf = (h: IncomingHttpHeaders) => ({
  'webhook-id': String(h['webhook-id']),
  'webhook-timestamp': String(h['webhook-timestamp']),
  'webhook-signature': String(h['webhook-signature']),
});

describe('The webhook target guard (no SSRF)', () => {
  it.each([
    ['8.8.8.8', 'public'],
    ['2606:4700:4700::1111', 'public'],
    ['127.0.0.1', 'loopback'],
    ['::1', 'loopback'],
    ['10.1.2.3', 'private'],
    ['172.16.0.1', 'private'],
    ['192.168.10.20', 'private'],
    ['100.64.0.1', 'cgnat'],
    ['169.254.169.254', 'link-local'],
    ['fe80::1', 'link-local'],
    ['fd00:ec2::254', 'unique-local'],
    ['fc00::1', 'unique-local'],
    ['0.0.0.0', 'unspecified'],
    ['::', 'unspecified'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:a9fe:a9fe', 'link-local'],
    ['::ffff:8.8.8.8', 'public'],
    ['64:ff9b::10.0.0.1', 'private'],
    ['224.0.0.1', 'multicast'],
    // Issue 21: IPv4 inside IPv6. Mapped and translated forms are judged by the IPv4 they carry;
    // 6to4, Teredo, IPv4-compatible and local-use NAT64 are refused whatever they carry.
    ['2002:a9fe:a9fe::', 'reserved'],
    ['2002:808:808::1', 'reserved'],
    ['2001:0:4136:e378:8000:63bf:3fff:fdd2', 'reserved'],
    ['::ffff:0:169.254.169.254', 'link-local'],
    ['::ffff:0:a9fe:a9fe', 'link-local'],
    ['::ffff:0:8.8.8.8', 'public'],
    ['64:ff9b::a9fe:a9fe', 'link-local'],
    ['64:ff9b::8.8.8.8', 'public'],
    ['64:ff9b:1::a9fe:a9fe', 'private'],
    ['64:ff9b:1:808:8:800::', 'private'],
    ['::169.254.169.254', 'reserved'],
    ['::a9fe:a9fe', 'reserved'],
    ['::8.8.8.8', 'reserved'],
    ['100::1', 'reserved'],
    ['2001:db8::1', 'reserved'],
    ['fec0::1', 'private'],
    ['ff02::1', 'multicast'],
    ['198.18.0.1', 'reserved'],
    ['255.255.255.255', 'reserved'],
    ['93.184.216.34', 'public'],
    ['2a00:1450:4001:82a::200e', 'public'],
  ])('when the address is %s, then it is classed %s', (address, cls) => {
    expect(classifyAddress(address)).toBe(cls);
  });

  const resolvingTo =
    (...addresses: string[]): Lookup =>
    async () =>
      addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
  const strict = { allowHttp: false };

  it('when a name resolves to a public address among private ones, then it is refused for the private one', async () => {
    await expect(
      checkWebhookUrl('https://hooks.example.com/x', strict, resolvingTo('93.184.216.34')),
    ).resolves.toBeUndefined();
    await expect(
      checkWebhookUrl('https://hooks.example.com/x', strict, resolvingTo('93.184.216.34', '10.0.0.7')),
    ).rejects.toThrow('resolves to 10.0.0.7, a private address');
    await expect(
      checkWebhookUrl('https://metadata.example.com/', strict, resolvingTo('::ffff:169.254.169.254')),
    ).rejects.toThrow('link-local');
  });

  it.each([
    'https://[2002:a9fe:a9fe::]/',
    'https://[2001:0:4136:e378:8000:63bf:3fff:fdd2]/',
    'https://[::ffff:0:a9fe:a9fe]/',
    'https://[64:ff9b:1::a9fe:a9fe]/',
  ])('when the URL is %s (an IPv4 hidden in IPv6), then it is refused', async (url) => {
    await expect(checkWebhookUrl(url, strict)).rejects.toThrow(/, a (reserved|link-local|private) address/);
  });

  it('when ALLOW_HTTP_WEBHOOKS is off, then http:// and loopback are refused; when on, only loopback may be http://', async () => {
    await expect(checkWebhookUrl('http://127.0.0.1:9/x', strict)).rejects.toThrow('must be an https:// URL');
    await expect(checkWebhookUrl('https://localhost/x', strict, resolvingTo('127.0.0.1'))).rejects.toThrow(
      'a loopback address',
    );
    const dev = { allowHttp: true };
    await expect(checkWebhookUrl('http://127.0.0.1:9/x', dev)).resolves.toBeUndefined();
    await expect(checkWebhookUrl('http://[::1]:9/x', dev)).resolves.toBeUndefined();
    await expect(checkWebhookUrl('http://10.0.0.1/x', dev)).rejects.toThrow('only to loopback');
    await expect(checkWebhookUrl('https://192.168.1.1/x', dev)).rejects.toThrow('private');
    await expect(checkWebhookUrl('ftp://example.com/x', dev)).rejects.toThrow('https://');
  });

  it('when a request goes to an IP-literal URL the rules refuse, then it never connects, and its error says why', async () => {
    const receiver = await startReceiver(() => 200);
    try {
      const send = (url: string, allowHttp: boolean) =>
        postWebhook(url, {}, '{}', { rules: { allowHttp }, timeoutMs: 2_000 });
      expect(await send(receiver.url, true)).toMatchObject({ ok: true, status: 200 });
      expect(receiver.requests).toHaveLength(1);

      const refused = await send(receiver.url, false);
      expect(refused).toMatchObject({ ok: false, status: null });
      expect(refused.error).toContain('the URL points at 127.0.0.1, a loopback address');
      expect(refused.error).toContain('ALLOW_HTTP_WEBHOOKS');
      const port = new URL(receiver.url).port;
      expect((await send(`http://[::1]:${port}/herald`, false)).error).toContain(
        'the URL points at ::1, a loopback address',
      );
      expect((await send(`https://169.254.169.254:${port}/`, false)).error).toContain(
        'the URL points at 169.254.169.254, a link-local address',
      );
      expect(receiver.requests).toHaveLength(1);
    } finally {
      await receiver.close();
    }
  });

  it('when ALLOW_HTTP_WEBHOOKS=true meets NODE_ENV=production, then start-up refuses it, naming the variable', () => {
    expect(() => loadConfig({ ALLOW_HTTP_WEBHOOKS: 'true', NODE_ENV: 'production' })).toThrow(
      'Invalid configuration: ALLOW_HTTP_WEBHOOKS: must not be true when NODE_ENV=production',
    );
    expect(loadConfig({}).webhooks).toEqual({
      allowHttp: false,
      timeoutMs: 10_000,
      retryFirstMs: 5_000,
      retryMaxMs: 3_600_000,
      retryPeriodMs: 86_400_000,
      concurrency: 16,
    });
  });

  it('when a receiver keeps failing, then the waits double from the first up to the cap', () => {
    const s = {
      allowHttp: false,
      timeoutMs: 1,
      retryFirstMs: 5_000,
      retryMaxMs: 3_600_000,
      retryPeriodMs: 1,
    };
    expect([1, 2, 3, 10, 40].map((n) => backoffMs(n, s))).toEqual([
      5_000, 10_000, 20_000, 2_560_000, 3_600_000,
    ]);
  });
});

describe('Webhook endpoints in the API', () => {
  const { stack, fake } = usePostmarkStack({
    env: webhookEnv({ firstSeconds: 0.3, maxSeconds: 0.6, periodSeconds: 3, timeoutSeconds: 2 }),
  });
  const account = useAccount(stack, 10_000_000);
  const api = account.api;

  it('when an admin adds an endpoint, then the answer shows a whsec_ secret once, and the list never does', async () => {
    const created = await api.post('/v1/webhook-endpoints', {
      url: 'http://127.0.0.1:9/hooks',
      events: ['invite.sent', 'campaign.finished'],
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      url: 'http://127.0.0.1:9/hooks',
      events: ['invite.sent', 'campaign.finished'],
      state: 'enabled',
    });
    const secret: string = created.body.secret;
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]+=*$/);
    expect(Buffer.from(secret.slice(6), 'base64').length).toBeGreaterThanOrEqual(24);
    const row = await stack.db.manager.findOneByOrFail(WebhookEndpoint, { id: created.body.id });
    expect(row.secretSealed).not.toContain(secret.slice(6));

    const list = await api.get('/v1/webhook-endpoints');
    expect(list.body.data.map((e) => e.id)).toContain(created.body.id);
    expect(JSON.stringify(list.body)).not.toContain(secret.slice(6));
    expect(list.body.data.every((e: object) => !('secret' in e))).toBe(true);
  });

  it.each([
    ['https://10.0.0.1/hooks', 'the URL points at 10.0.0.1, a private address'],
    ['https://169.254.169.254/latest/meta-data', 'a link-local address'],
    ['http://192.168.1.10/hooks', 'http:// is allowed only to loopback'],
    ['ftp://example.com/hooks', 'must be an https:// URL'],
  ])(
    'when the URL is %s, then it is refused (400 naming the url) and nothing is stored',
    async (url, message) => {
      const before = await stack.db.manager.countBy(WebhookEndpoint, { accountId: account.accountId });
      const res = await api.post('/v1/webhook-endpoints', { url });
      expect(res.status).toBe(400);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
      expect(res.body.code).toBe('validation_failed');
      expect(res.body.errors).toEqual([{ field: 'url', message: expect.stringContaining(message) }]);
      expect(await stack.db.manager.countBy(WebhookEndpoint, { accountId: account.accountId })).toBe(before);
    },
  );

  it('when the events name an unknown type, then it is validation_failed on events', async () => {
    const res = await api.request('POST', '/v1/webhook-endpoints', {
      url: 'http://127.0.0.1:9/x',
      events: ['invite.eaten'],
    });
    expect(res.status).toBe(400);
    expect(res.body.errors[0].field).toBe('events.0');
  });

  it("when a support key writes, or another account names this account's endpoint, then it is 403 / 404", async () => {
    const created = await api.post('/v1/webhook-endpoints', { url: 'http://127.0.0.1:9/other' });
    const support = api.as(await stack.newKey(account.accountId, 'support'));
    expect((await support.post('/v1/webhook-endpoints', { url: 'http://127.0.0.1:9/x' })).status).toBe(403);
    expect((await support.get('/v1/webhook-endpoints')).status).toBe(200);
    const other = await stack.newAccount();
    const stranger = other.as(other.adminKey);
    expect((await stranger.get(`/v1/webhook-endpoints/${created.body.id}/deliveries`)).status).toBe(404);
    expect((await stranger.delete(`/v1/webhook-endpoints/${created.body.id}`)).status).toBe(404);
    expect((await stranger.get('/v1/webhook-endpoints')).body.data).toEqual([]);
    expect((await api.delete(`/v1/webhook-endpoints/${created.body.id}`)).status).toBe(204);
    expect((await api.get(`/v1/webhook-endpoints/${created.body.id}/deliveries`)).status).toBe(404);
  });

  it('when a receiver is down for good, then the endpoint is disabled after the retry period and the owner is emailed once; a retry enables it again', async () => {
    const receiver = await startReceiver(() => 503);
    try {
      const created = await api.post('/v1/webhook-endpoints', { url: receiver.url });
      const { id: campaignId } = await draftWithRecipients(api, 2, {});
      expect((await api.post(`/v1/campaigns/${campaignId}/launch`)).status).toBe(200);

      const disabled = await eventually(
        async () => {
          const list = await api.get('/v1/webhook-endpoints');
          const e = list.body.data.find((x) => x.id === created.body.id);
          return e?.state === 'disabled' ? e : undefined;
        },
        { timeoutMs: 30_000 },
      );
      expect(Date.parse(disabled.disabledAt!) - Date.parse(disabled.failingSince!)).toBeGreaterThanOrEqual(
        3_000,
      );
      const ownerMails = () =>
        fake.sent.filter(
          (m) =>
            m.Subject === 'A webhook endpoint was disabled: it kept failing' &&
            m.TextBody?.includes(created.body.id),
        );
      await eventually(async () => (ownerMails().length ? true : undefined));
      // Several attempts, each one logged with its status; no more after the disabling.
      const log = (await api.get(`/v1/webhook-endpoints/${created.body.id}/deliveries`)).body.data;
      expect(log.length).toBeGreaterThan(0);
      expect(log.every((d) => d.state === 'failed')).toBe(true);
      expect(log.some((d) => d.attempts >= 2 && d.lastStatus === 503)).toBe(true);
      const attempts = receiver.requests.length;
      // Its workflow has ended (a disabled endpoint is nudged no more): nothing can POST again.
      expect(await untilEndpointIdle(stack.temporal, created.body.id)).toMatchObject({ closed: true });
      expect(receiver.requests.length).toBe(attempts);
      expect(ownerMails()).toHaveLength(1);
      expect(ownerMails()[0].TextBody).toContain(receiver.url);
      // It leads to the endpoint's delivery log in the console, where Retry enables it again.
      expect(ownerMails()[0].TextBody).toContain(
        `Open the delivery log: ${stack.config.publicBaseUrl}/console/settings/webhooks/${created.body.id}\n`,
      );

      const retried = await api.post(`/v1/webhook-deliveries/${log[0].id}/retry`);
      expect(retried.status).toBe(200);
      expect(retried.body.state).toBe('pending');
      const after = (await api.get('/v1/webhook-endpoints')).body.data.find((x) => x.id === created.body.id)!;
      expect(after.state).toBe('enabled');
      await eventually(async () => (receiver.requests.length > attempts ? true : undefined));
      await api.delete(`/v1/webhook-endpoints/${created.body.id}`);
    } finally {
      await receiver.close();
    }
  });
});

describe('Webhook targets are checked again on every request (issue 21)', () => {
  const { stack } = usePostmarkStack({
    env: webhookEnv({ firstSeconds: 0.3, maxSeconds: 0.6, periodSeconds: 60, timeoutSeconds: 2 }),
  });
  const api = useAccount(stack, 10_000_000).api;

  it('when endpoints were added to loopback while it was allowed and the worker restarts with ALLOW_HTTP_WEBHOOKS off, then the receiver gets nothing, and the log says why, for an IP literal and for localhost', async () => {
    const receiver = await startReceiver(() => 200);
    try {
      const port = new URL(receiver.url).port;
      const literal = await api.post('/v1/webhook-endpoints', { url: receiver.url });
      const named = await api.post('/v1/webhook-endpoints', { url: `http://localhost:${port}/herald` });
      expect([literal.status, named.status]).toEqual([201, 201]);

      await stack.stopWorker();
      Object.assign(stack.config.webhooks, { allowHttp: false }); // what the restarted worker reads
      await stack.startWorker();

      const { id: campaignId } = await draftWithRecipients(api, 1, {});
      expect((await api.post(`/v1/campaigns/${campaignId}/launch`)).status).toBe(200);
      const firstAttempt = (endpointId: string) =>
        eventually(
          async () => {
            const log = (await api.get(`/v1/webhook-endpoints/${endpointId}/deliveries`)).body.data;
            return log.find((d) => d.attempts >= 1);
          },
          { timeoutMs: 30_000 },
        );
      const [toLiteral, toName] = await Promise.all([
        firstAttempt(literal.body.id),
        firstAttempt(named.body.id),
      ]);

      expect(receiver.requests).toHaveLength(0);
      expect(toLiteral).toMatchObject({ state: 'pending', lastStatus: null });
      expect(toLiteral.lastError).toMatch(
        /the URL points at 127\.0\.0\.1, a loopback address.*ALLOW_HTTP_WEBHOOKS=true/,
      );
      expect(toName).toMatchObject({ state: 'pending', lastStatus: null });
      expect(toName.lastError).toMatch(
        /the host localhost resolves to (127\.0\.0\.1|::1), a loopback address.*ALLOW_HTTP_WEBHOOKS=true/,
      );
    } finally {
      await receiver.close();
    }
  }, 60_000);
});

/** The size; the receiver fails for this long first. */
const INVITES = 200;
const RECEIVER_DOWN_MS = 15_000;

describe('Webhook delivery: at least once, signed, and never in the way of email', () => {
  const { stack, fake } = usePostmarkStack({
    env: webhookEnv({ firstSeconds: 0.5, maxSeconds: 2, periodSeconds: 120 }),
  });
  const account = useAccount(stack, 10_000_000);
  const api = account.api;

  it(`when the receiver answers 500 for its first ${RECEIVER_DOWN_MS / 1000} s, then all ${INVITES} invitations go out meanwhile, and afterwards every event arrives, verifies with the Standard Webhooks library, and its retries share its webhook-id`, async () => {
    let recoverAt = Infinity;
    const receiver = await startReceiver(() => (Date.now() < recoverAt ? 500 : 200));
    try {
      const created = await api.post('/v1/webhook-endpoints', { url: receiver.url });
      const verifier = new Webhook(created.body.secret);
      const { id: campaignId } = await draftWithRecipients(api, INVITES, {});
      recoverAt = Date.now() + RECEIVER_DOWN_MS;
      expect((await api.post(`/v1/campaigns/${campaignId}/launch`)).status).toBe(200);

      await untilStatus(api, campaignId, 'active', RECEIVER_DOWN_MS);
      expect(invitationsOf(fake, campaignId)).toHaveLength(INVITES);
      expect(Date.now()).toBeLessThan(recoverAt); // email did not wait for the receiver
      expect(receiver.requests.length).toBeGreaterThan(0); // it was being tried meanwhile, and failing
      expect(receiver.requests.every((r) => r.status === 500)).toBe(true);

      const events = await stack.db.manager.findBy(WebhookEvent, { accountId: account.accountId });
      const types = events.map((e) => e.type);
      expect(types.filter((t) => t === 'invite.sent')).toHaveLength(INVITES);
      expect(types).toContain('campaign.finished');
      expect(types).toContain('campaign.status_changed');

      const delivered = await eventually(
        async () => {
          const ok = new Set(
            receiver.requests.filter((r) => r.status === 200).map((r) => r.headers['webhook-id']),
          );
          return events.every((e) => ok.has(e.id)) ? ok : undefined;
        },
        { timeoutMs: 60_000, intervalMs: 250 },
      );
      expect(delivered.size).toBe(events.length);

      // Every request verifies; all attempts of one event carry its id and the same body.
      const bodies = new Map<string, string>();
      for (const r of receiver.requests) {
        const payload = verifier.verify(r.body, headersOf(r.headers)) as { type: string; data: unknown };
        const id = String(r.headers['webhook-id']);
        expect(bodies.get(id) ?? r.body).toBe(r.body);
        bodies.set(id, r.body);
        expect(payload.type).toBe(events.find((e) => e.id === id)!.type);
      }
      const first = events.sort((a, b) => (a.id < b.id ? -1 : 1))[0];
      const attemptsOfFirst = receiver.requests.filter((r) => r.headers['webhook-id'] === first.id);
      expect(attemptsOfFirst.length).toBeGreaterThan(1);
      expect(attemptsOfFirst.at(-1)!.status).toBe(200);
      const sent = JSON.parse(bodies.get(events.find((e) => e.type === 'invite.sent')!.id)!);
      expect(sent).toMatchObject({ type: 'invite.sent', data: { campaignId, kind: 'invitation' } });
      const finished = JSON.parse(bodies.get(events.find((e) => e.type === 'campaign.finished')!.id)!);
      expect(finished.data.counts).toMatchObject({ sent: INVITES });

      // The delivery log: the first event's retries, its last status and latency.
      const log = await eventually(async () => {
        const page = (await api.get(`/v1/webhook-endpoints/${created.body.id}/deliveries?limit=500`)).body;
        return page.data.every((d) => d.state === 'delivered') ? page.data : undefined;
      });
      expect(log).toHaveLength(events.length);
      const firstLog = log.find((d) => d.eventId === first.id)!;
      expect(firstLog).toMatchObject({ state: 'delivered', lastStatus: 200, nextAttemptAt: null });
      expect(firstLog.attempts).toBe(attemptsOfFirst.length);
      expect(firstLog.lastLatencyMs).toEqual(expect.any(Number));
      await api.delete(`/v1/webhook-endpoints/${created.body.id}`);
    } finally {
      await receiver.close();
    }
  }, 120_000);

  it('when the worker stops while deliveries are pending and starts again, then none is lost', async () => {
    let down = true;
    const receiver = await startReceiver(() => (down ? 500 : 200));
    try {
      const created = await api.post('/v1/webhook-endpoints', { url: receiver.url });
      const { id: campaignId } = await draftWithRecipients(api, 20, {});
      expect((await api.post(`/v1/campaigns/${campaignId}/launch`)).status).toBe(200);
      await untilStatus(api, campaignId, 'active');
      await eventually(async () => (receiver.requests.length ? true : undefined));
      await stack.stopWorker();
      down = false;
      const events = await stack.db.manager.findBy(WebhookEvent, {
        accountId: account.accountId,
        campaignId,
      });
      expect(events.filter((e) => e.type === 'invite.sent')).toHaveLength(20);
      await stack.startWorker();
      await eventually(
        async () => {
          const ok = new Set(
            receiver.requests.filter((r) => r.status === 200).map((r) => r.headers['webhook-id']),
          );
          return events.every((e) => ok.has(e.id)) ? true : undefined;
        },
        { timeoutMs: 30_000, intervalMs: 250 },
      );
      await api.delete(`/v1/webhook-endpoints/${created.body.id}`);
    } finally {
      await receiver.close();
    }
  }, 60_000);
});
