import type { Browser } from 'playwright-core';
import { Webhook } from 'standardwebhooks';
import { launchBrowser } from './support/browser';
import { horizontalOverflow, openConsole, PHONE, recordScreenshot, signIn } from './support/console';
import { draftWithRecipients } from './support/delivery';
import { eventually, useAccount, usePostmarkStack } from './support/stack';
import { type Receiver, startReceiver, webhookEnv } from './support/webhooks';

const headersOf = (h: Receiver['requests'][number]['headers']) => ({
  'webhook-id': String(h['webhook-id']),
  'webhook-timestamp': String(h['webhook-timestamp']),
  'webhook-signature': String(h['webhook-signature']),
});

describe('The console: Webhooks', () => {
  let browser: Browser;
  afterAll(async () => {
    await browser?.close();
  });
  const { stack } = usePostmarkStack({
    env: webhookEnv({ firstSeconds: 0.3, maxSeconds: 0.6, periodSeconds: 60, timeoutSeconds: 2 }),
  });
  const account = useAccount(stack, 10_000_000, { support: true });
  const { api } = account;
  const receivers: Receiver[] = [];
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await Promise.all(receivers.map((r) => r.close()));
  });

  it('when the owner adds an endpoint, then its secret is shown once and verifies what arrives; the log shows each attempt with its status and latency; retry, disable, enable, change the event types, delete', async () => {
    let calls = 0;
    const receiver = await startReceiver(() => (++calls === 1 ? 503 : 200));
    receivers.push(receiver);
    const tab = await openConsole(browser, stack.baseUrl);
    try {
      const { page } = tab;
      await signIn(page, account.adminKey);
      await page.getByRole('link', { name: 'Settings', exact: true }).click();
      await page
        .getByRole('navigation', { name: 'Settings' })
        .getByRole('link', { name: 'Webhooks' })
        .click();
      const add = page.getByRole('form', { name: 'Add an endpoint' });
      // A refused URL: the API's words, nothing added.
      await add.getByLabel('Endpoint URL').fill('http://192.168.1.10/hooks');
      await add.getByRole('button', { name: 'Add endpoint' }).click();
      await add.getByRole('alert').getByText('http:// is allowed only to loopback').waitFor();
      expect((await api.get('/v1/webhook-endpoints')).body.data).toEqual([]);

      await add.getByLabel('Endpoint URL').fill(receiver.url);
      await add.getByLabel('Only these:').check();
      await add.getByRole('checkbox', { name: /campaign\.status_changed/ }).check();
      await add.getByRole('button', { name: 'Add endpoint' }).click();
      const shown = add.getByRole('status', { name: 'Signing secret' });
      const secret = await shown.locator('code.secret').innerText();
      expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]+=*$/);
      await shown.getByText('How to verify a request').waitFor();
      await shown.getByText("import { Webhook } from 'standardwebhooks';").waitFor();
      const [endpoint] = (await api.get('/v1/webhook-endpoints')).body.data;
      expect(endpoint).toMatchObject({
        url: receiver.url,
        events: ['campaign.status_changed'],
        state: 'enabled',
      });
      const list = page.getByRole('region', { name: 'Webhook endpoints' });
      await list.getByRole('row').filter({ hasText: receiver.url }).getByText('Enabled').waitFor();
      await recordScreenshot(page, 'webhooks-secret-once');

      // Events: the first attempt is refused (503), its retry accepted; the secret shown verifies it.
      const { id: campaignId } = await draftWithRecipients(api, 1, { name: 'Spring mixer' });
      await api.post(`/v1/campaigns/${campaignId}/launch`);
      const delivered = await eventually(
        async () => {
          const log = (await api.get(`/v1/webhook-endpoints/${endpoint.id}/deliveries`)).body.data;
          return log.find((d) => d.attempts === 2 && d.state === 'delivered');
        },
        { timeoutMs: 30_000 },
      );
      const accepted = receiver.requests.find((r) => r.status === 200)!;
      expect(new Webhook(secret).verify(accepted.body, headersOf(accepted.headers))).toMatchObject({
        type: 'campaign.status_changed',
      });

      await list.getByRole('link', { name: receiver.url }).click();
      await page.getByRole('heading', { name: 'Webhook endpoint', level: 1 }).waitFor();
      const log = page.getByRole('region', { name: 'Deliveries' });
      const row = log.getByRole('row').filter({ hasText: delivered.eventId });
      await row.getByText('Delivered').waitFor();
      await row.getByRole('cell', { name: 'HTTP 200' }).waitFor();
      await row.getByRole('button', { name: 'Show attempts' }).click();
      const attempts = log.getByRole('table', { name: 'Attempts of campaign.status_changed' });
      const lines = attempts.locator('tbody tr');
      await eventually(async () => ((await lines.count()) === 2 ? true : undefined));
      expect(await lines.nth(0).innerText()).toMatch(/HTTP 200\s+\d[\d,]* ms\s+None: delivered/);
      expect(await lines.nth(1).innerText()).toMatch(/HTTP 503: down for now\s+\d[\d,]* ms/);
      await recordScreenshot(page, 'webhook-delivery-log');

      // Retry: sent again with the same webhook-id.
      const before = receiver.requests.length;
      await row.getByRole('button', { name: 'Retry' }).click();
      await page.getByText('campaign.status_changed queued to send again.').waitFor();
      const again = await eventually(async () => receiver.requests[before]);
      expect(again.headers['webhook-id']).toBe(delivered.eventId);

      const actions = page.getByRole('group', { name: 'Endpoint actions' });
      await actions.getByRole('button', { name: 'Disable' }).click();
      await page.getByText('Disabled by a person').waitFor();
      expect((await api.get(`/v1/webhook-endpoints/${endpoint.id}`)).body).toMatchObject({
        state: 'disabled',
        disabledReason: 'manual',
      });
      await actions.getByRole('button', { name: 'Enable' }).click();
      await page.getByText('Enabled: waiting events go now.').waitFor();
      expect((await api.get(`/v1/webhook-endpoints/${endpoint.id}`)).body.state).toBe('enabled');

      await actions.getByRole('button', { name: 'Change event types' }).click();
      const types = page.getByRole('form', { name: 'Change event types' });
      await types.getByRole('checkbox', { name: /invite\.sent/ }).check();
      await types.getByRole('button', { name: 'Save event types' }).click();
      await page.getByText('campaign.status_changed, invite.sent').waitFor();
      expect((await api.get(`/v1/webhook-endpoints/${endpoint.id}`)).body.events).toEqual([
        'campaign.status_changed',
        'invite.sent',
      ]);

      // One request at a time: every event in the order it happened.
      const atOnce = page.getByRole('form', { name: 'Requests at once' });
      await atOnce.getByLabel('Requests at once').fill('1');
      await atOnce.getByRole('button', { name: 'Save requests at once' }).click();
      await page.getByText('Saved: 1: every event in the order it happened.').waitFor();
      expect((await api.get(`/v1/webhook-endpoints/${endpoint.id}`)).body.concurrency).toBe(1);

      await page.setViewportSize(PHONE);
      expect(await horizontalOverflow(page)).toBe(0);

      await actions.getByRole('button', { name: 'Delete' }).click();
      await page.getByRole('dialog').getByRole('button', { name: 'Delete endpoint' }).click();
      await page.getByRole('heading', { name: 'Webhooks', level: 1 }).waitFor();
      await page.getByText('No endpoint yet.').waitFor();
      expect((await api.get(`/v1/webhook-endpoints/${endpoint.id}`)).status).toBe(404);
    } finally {
      await tab.close();
    }
  });

  it('when support opens Webhooks, then it sees the endpoints and every attempt, and may add, retry, disable or delete nothing', async () => {
    const receiver = await startReceiver(() => 200);
    receivers.push(receiver);
    const created = await api.post('/v1/webhook-endpoints', { url: receiver.url, events: ['invite.sent'] });
    const { id: campaignId } = await draftWithRecipients(api, 1, { name: 'Support view' });
    await api.post(`/v1/campaigns/${campaignId}/launch`);
    const [delivery] = await eventually(async () => {
      const log = (await api.get(`/v1/webhook-endpoints/${created.body.id}/deliveries`)).body.data;
      return log.length && log[0].state === 'delivered' ? log : undefined;
    });
    const tab = await openConsole(browser, stack.baseUrl);
    try {
      const { page } = tab;
      await signIn(page, account.support.key!);
      await page.setViewportSize(PHONE);
      await page.goto(`${stack.baseUrl}/console/settings/webhooks`);
      const list = page.getByRole('region', { name: 'Webhook endpoints' });
      await list.getByRole('link', { name: receiver.url }).waitFor();
      expect(await horizontalOverflow(page)).toBe(0);
      await recordScreenshot(page, 'webhooks-support-390');
      expect(await page.getByRole('form', { name: 'Add an endpoint' }).count()).toBe(0);
      expect(await page.getByRole('button', { name: 'Add endpoint' }).count()).toBe(0);

      await list.getByRole('link', { name: receiver.url }).click();
      const row = page
        .getByRole('region', { name: 'Deliveries' })
        .getByRole('row')
        .filter({ hasText: delivery.eventId });
      await row.getByText('Delivered').waitFor();
      await row.getByRole('button', { name: 'Show attempts' }).click();
      await page.getByRole('table', { name: 'Attempts of invite.sent' }).getByText('HTTP 200').waitFor();
      for (const name of ['Retry', 'Disable', 'Enable', 'Delete', 'Change event types'])
        expect(await page.getByRole('button', { name, exact: true }).count()).toBe(0);
      expect(await page.getByRole('form', { name: 'Requests at once' }).count()).toBe(0);
    } finally {
      await tab.close();
    }
  });
});
