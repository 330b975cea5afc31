import type { Browser, Page } from 'playwright-core';
import type { Schemas } from './support/api-types';
import { launchBrowser } from './support/browser';
import { inSeconds, query, untilStatus } from './support/campaigns';
import {
  type ConsoleTab,
  DESKTOP,
  PHONE,
  horizontalOverflow,
  openConsole,
  recordScreenshot,
  signIn,
} from './support/console';
import { eventually, useAccount, useStack } from './support/stack';

type Campaign = Schemas['Campaign'];
const EVENT = { title: 'Harvest Dinner', startsAt: '2030-10-01T18:00:00Z', durationMinutes: 120 };

/**
 * Seed 003, "Send Invite in Batches", on screen: Send Invite next to a draft in the campaign
 * list, Invites per Batch, Time Gap Between Batches (in minutes), Start Batch Sending; "the
 * same steps" for Update Calendar Invites; Change batches on a launched campaign (the
 * token-renewal path's restart); and a campaign page that offers exactly the view's actions.
 */
describe('Sending invites in batches from the console', () => {
  let browser: Browser;
  const stack = useStack();
  const account = useAccount(stack, 1_000_000, { support: true });
  const api = account.api;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });

  const withRecipients = async (name: string, n: number, body: Partial<Schemas['CreateCampaign']> = {}) => {
    const id = (await api.post('/v1/campaigns', { name, ...body })).body.id;
    const recipients = Array.from({ length: n }, (_, k) => ({
      name: `Guest ${k + 1}`,
      email: `guest-${k + 1}-${id}@example.com`,
    }));
    expect((await api.post(`/v1/campaigns/${id}/invites/bulk`, { recipients })).status).toBe(201);
    return id;
  };
  const signedIn = async (key = account.adminKey, viewport = DESKTOP): Promise<ConsoleTab> => {
    const tab = await openConsole(browser, stack.baseUrl, { viewport });
    await signIn(tab.page, key);
    return tab;
  };
  const campaignOf = async (id: string) => (await api.get(`/v1/campaigns/${id}`)).body as Campaign;
  const openCampaign = async (page: Page, name: string) => {
    await page.getByRole('link', { name, exact: true }).click();
    await page.getByRole('heading', { name, exact: true }).waitFor();
  };

  it('when the owner clicks Send Invite next to a draft, chooses Send Invite in Batches and Start Batch Sending, then the batches are set and the first batch goes at once', async () => {
    const id = await withRecipients('Spring Tasting', 3);
    const tab = await signedIn();
    const { page } = tab;
    try {
      await page.getByRole('button', { name: 'Send Invite: Spring Tasting' }).click();
      const dialog = page.getByRole('dialog', { name: 'Send Invite: Spring Tasting' });
      await dialog.getByText('3 invites: $0.30 is reserved').waitFor();
      await dialog.getByRole('button', { name: 'Send Invite in Batches' }).click();
      const batches = page.getByRole('dialog', { name: 'Send Invite in Batches' });
      await batches.getByLabel('Invites per Batch').fill('1');
      await batches.getByLabel('Time Gap Between Batches (in minutes)').fill('0.02');
      await recordScreenshot(batches, 'send-invite-in-batches');
      await batches.getByRole('button', { name: 'Start Batch Sending' }).click();
      await page
        .getByText('Batch sending started for Spring Tasting: the first batch is on its way.')
        .waitFor();
      expect(await page.getByRole('dialog').count()).toBe(0);

      expect((await campaignOf(id)).batch).toEqual({ size: 1, gapMinutes: 0.02 });
      await untilStatus(api, id, 'active');
      const done = await query(stack.temporal, id);
      expect(done.progress.sent).toBe(3);
      expect(done.batches).toBe(3);
      // Launched: no Send Invite on its row any more.
      await page.getByRole('button', { name: 'Send Invite: Spring Tasting' }).waitFor({ state: 'detached' });
    } finally {
      await tab.close();
    }
  });

  it('when the balance does not cover it, then Start Batch Sending says so in words with a way to Billing, and the campaign stays a draft', async () => {
    const poor = await stack.newAccount(5);
    const poorApi = poor.as(poor.adminKey);
    const id = (await poorApi.post('/v1/campaigns', { name: 'Tight Budget' })).body.id;
    await poorApi.post(`/v1/campaigns/${id}/invites/bulk`, {
      recipients: [{ email: 'a@example.com' }, { email: 'b@example.com' }],
    });
    const tab = await signedIn(poor.adminKey, PHONE);
    const { page } = tab;
    try {
      await page.getByRole('button', { name: 'Send Invite: Tight Budget' }).click();
      await page.getByRole('button', { name: 'Send Invite in Batches' }).click();
      const batches = page.getByRole('dialog', { name: 'Send Invite in Batches' });
      await batches.getByLabel('Invites per Batch').fill('1');
      await batches.getByLabel('Time Gap Between Batches (in minutes)').fill('60');
      await batches.getByRole('button', { name: 'Start Batch Sending' }).click();
      const alert = batches.getByRole('alert');
      await alert.getByText("Your balance doesn't cover this campaign").waitFor();
      expect(await alert.innerText()).toContain('It needs $0.20; $0.05 is available.');
      expect(await alert.getByRole('link', { name: 'Go to Billing to add funds' }).count()).toBe(1);
      expect(await horizontalOverflow(page)).toBe(0);
      await recordScreenshot(page, 'send-invite-insufficient-balance-phone');
      expect((await poorApi.get(`/v1/campaigns/${id}`)).body.status).toBe('draft');
    } finally {
      await tab.close();
    }
  });

  it('when the owner changes the batches of a launched campaign waiting out its gap, then the next batches follow the new size and gap', async () => {
    const id = await withRecipients('Autumn Gala', 3, { batch: { size: 1, gapMinutes: 60 } });
    await api.post(`/v1/campaigns/${id}/launch`);
    await eventually(async () => ((await query(stack.temporal, id)).progress.sent === 1 ? true : undefined));
    const tab = await signedIn();
    const { page } = tab;
    try {
      await openCampaign(page, 'Autumn Gala');
      await page.getByRole('button', { name: 'Change batches' }).click();
      const dialog = page.getByRole('dialog', { name: 'Change batches' });
      await dialog.getByText('Now: 1 invite per batch, 60 minutes between batches.').waitFor();
      await dialog.getByLabel('Invites per Batch').fill('2');
      await dialog.getByLabel('Time Gap Between Batches (in minutes)').fill('0.02');
      await recordScreenshot(dialog, 'change-batches');
      await dialog.getByRole('button', { name: 'Save batches' }).click();
      await page.getByText('Batches saved: 2 invites per batch, 0.02 minutes between batches.').waitFor();
      await untilStatus(api, id, 'active');
      expect((await query(stack.temporal, id)).batches).toBe(2);
      await page.getByText('Active', { exact: true }).first().waitFor();
    } finally {
      await tab.close();
    }
  });

  it('when the owner clicks Update Calendar Invites next to a live campaign with an event, then the event changes and everyone invited is sent the update', async () => {
    const id = await withRecipients('Harvest Dinner', 2, { event: EVENT });
    await api.post(`/v1/campaigns/${id}/launch`);
    await untilStatus(api, id, 'active');
    const tab = await signedIn();
    const { page } = tab;
    try {
      await page.getByRole('button', { name: 'Update Calendar Invites: Harvest Dinner' }).click();
      const dialog = page.getByRole('dialog', { name: 'Update Calendar Invites' });
      await dialog.getByLabel('Event title').fill('Harvest Dinner (moved)');
      await dialog.getByLabel('Location').fill('The Old Barn');
      await recordScreenshot(dialog, 'update-calendar-invites');
      await dialog.getByRole('button', { name: 'Update Calendar Invites' }).click();
      await page
        .getByText('Calendar updates for Harvest Dinner are on their way to everyone already invited.')
        .waitFor();
      expect((await campaignOf(id)).event).toMatchObject({
        title: 'Harvest Dinner (moved)',
        location: 'The Old Barn',
      });
      const audit = async () =>
        ((await api.get(`/v1/campaigns/${id}/audit?limit=100`)).body.data as { action: string }[]).map(
          (e) => e.action,
        );
      await eventually(async () => ((await audit()).includes('event_changed') ? true : undefined));
    } finally {
      await tab.close();
    }
  });

  it('when support signs in, then the list offers neither Send Invite nor Update Calendar Invites, and a launched campaign offers no Change batches', async () => {
    await withRecipients('Support Draft', 1);
    const tab = await signedIn(await stack.newKey(account.accountId, 'support'));
    const { page } = tab;
    try {
      await page.getByRole('link', { name: 'Support Draft' }).waitFor();
      expect(await page.getByRole('button', { name: /^Send Invite/ }).count()).toBe(0);
      expect(await page.getByRole('button', { name: /^Update Calendar Invites/ }).count()).toBe(0);
      await openCampaign(page, 'Harvest Dinner');
      const actions = page.getByRole('group', { name: 'Campaign actions' });
      await actions.getByRole('button', { name: 'Pause' }).waitFor();
      expect(await actions.getByRole('button', { name: 'Change batches' }).count()).toBe(0);
      expect(await actions.getByRole('button', { name: 'Update Calendar Invites' }).count()).toBe(0);
    } finally {
      await tab.close();
    }
  });

  /** The buttons and links the campaign page should draw for the view's `actions`, in its words. */
  const expectedControls = (c: Campaign): string[] => {
    const may = (a: Campaign['actions'][number]) => c.actions.includes(a);
    const started = ['launching', 'active', 'paused'].includes(c.status);
    return [
      may('launch') && 'Launch',
      may('pause') && 'Pause',
      may('resume') && 'Resume',
      may('retry_failed') && c.progress.failed > 0 && 'Retry failed',
      may('extend') && c.status === 'expired' && 'Extend expiry',
      may('change_batch') && 'Change batches',
      may('change_event') && started && c.event && 'Update Calendar Invites',
      may('cancel') && 'Cancel',
      // The edit form: the draft's fields, the dates, the event and the settings of any status.
      (
        [
          'edit',
          'reschedule',
          'extend',
          'change_event',
          'change_send_window',
          'change_link_settings',
          'set_max_failure_percent',
        ] as const
      ).some(may) && 'Edit',
      'Audit log',
      'Analytics',
      may('preview') && 'Preview',
      may('test_send') && 'Send a test',
    ].filter((x): x is string => typeof x === 'string');
  };
  const controlsOn = async (page: Page) =>
    page.getByRole('group', { name: 'Campaign actions' }).locator('button, a').allInnerTexts();

  it('when a campaign is open in any status, for admin or support, then its page offers exactly the actions the API lists — Extend expiry on an expired one within its grace included, and it brings it back', async () => {
    // Ten minutes of grace after expiry (the API takes decimal days).
    expect((await api.patch('/v1/account', { expiryGraceDays: 600 / 86_400 })).status).toBe(200);
    const expiring = await withRecipients('Short Notice', 1, { expiresAt: inSeconds(6) });
    await api.post(`/v1/campaigns/${expiring}/launch`);
    await untilStatus(api, expiring, 'expired', 30_000);
    const cancelled = await withRecipients('Called Off', 1);
    await api.post(`/v1/campaigns/${cancelled}/cancel`);
    const paused = await withRecipients('On Hold', 2, { batch: { size: 1, gapMinutes: 60 } });
    await api.post(`/v1/campaigns/${paused}/launch`);
    await api.post(`/v1/campaigns/${paused}/pause`, {});
    const supportKey = await stack.newKey(account.accountId, 'support');

    for (const key of [account.adminKey, supportKey]) {
      const tab = await signedIn(key);
      const { page } = tab;
      try {
        for (const name of ['Support Draft', 'Harvest Dinner', 'On Hold', 'Short Notice', 'Called Off']) {
          await page.getByRole('link', { name: 'Campaigns', exact: true }).click();
          await openCampaign(page, name);
          const id = page.url().split('/').pop()!;
          const view = (await (key === supportKey ? account.support : api).get(`/v1/campaigns/${id}`))
            .body as Campaign;
          await page.getByRole('group', { name: 'Campaign actions' }).getByText('Audit log').waitFor();
          expect({
            name,
            key: key === supportKey ? 'support' : 'admin',
            controls: await controlsOn(page),
          }).toEqual({
            name,
            key: key === supportKey ? 'support' : 'admin',
            controls: expectedControls(view),
          });
          // Recipients are added below the participant list, where the API takes them.
          expect(await page.getByRole('heading', { name: 'Add recipients' }).count()).toBe(
            view.actions.includes('add_invites') ? 1 : 0,
          );
        }
      } finally {
        await tab.close();
      }
    }

    const tab = await signedIn();
    const { page } = tab;
    try {
      await openCampaign(page, 'Short Notice');
      await page.getByText(/Extend expiry brings it back as it was/).waitFor();
      await page.getByRole('button', { name: 'Extend expiry' }).click();
      const dialog = page.getByRole('dialog', { name: 'Extend expiry' });
      await dialog.getByText(/Until .* a new expiration brings it back as it was/).waitFor();
      await recordScreenshot(dialog, 'extend-expiry-in-grace');
      await dialog.getByRole('button', { name: 'Extend expiry' }).click();
      await page.getByText('Expiry extended. The campaign was Active when it answered.').waitFor();
      expect((await campaignOf(expiring)).status).toBe('active');
    } finally {
      await tab.close();
    }
  });
});
