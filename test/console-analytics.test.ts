import type { Browser, Locator } from 'playwright-core';
import { launchBrowser } from './support/browser';
import { untilStatus } from './support/campaigns';
import { allInvites, draftWithRecipients, emailed, invitationsOf } from './support/delivery';
import { DESKTOP, PHONE, horizontalOverflow, openConsole, recordScreenshot, signIn } from './support/console';
import type { SentMessage } from './support/postmark-server';
import { useAccount, usePostmarkStack } from './support/stack';

const CHROME =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36';

describe('The console: Analytics, a funnel and a timeline with their numbers beside them', () => {
  let browser: Browser;
  afterAll(async () => {
    await browser?.close();
  });
  const { stack, fake } = usePostmarkStack();
  const account = useAccount(stack, 10_000_000, { support: true });
  const { api } = account;
  beforeAll(async () => {
    browser = await launchBrowser();
  });

  const hook = async (body: Record<string, unknown>) => {
    const res = await fetch(`${stack.baseUrl}/v1/webhooks/postmark`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Basic ${Buffer.from('hooks:hook-secret').toString('base64')}`,
      },
      body: JSON.stringify(body),
    });
    expect(res.status).toBe(200);
  };
  const about = (m: SentMessage) => ({ MessageID: m.MessageID, Recipient: m.To, Metadata: m.Metadata });
  const cells = async (rows: Locator) =>
    Promise.all((await rows.all()).map((row) => row.locator('th, td').allInnerTexts()));

  /** A tracked campaign of 4: all delivered, two opened by people and one by Apple's proxy, one clicked. */
  async function campaignWithActivity(name: string): Promise<string> {
    const { id } = await draftWithRecipients(api, 4, {
      name,
      tracking: { opens: true, links: true },
    });
    await api.post(`/v1/campaigns/${id}/launch`);
    await untilStatus(api, id, 'active');
    const messages = invitationsOf(fake, id);
    const invites = (await allInvites(api, id)).map(emailed);
    const message = (k: number) => messages.find((m) => m.Metadata.inviteId === invites[k].id)!;
    for (let k = 0; k < 4; k++) await hook({ RecordType: 'Delivery', ...about(message(k)) });
    await hook({ RecordType: 'Open', UserAgent: CHROME, ...about(message(0)) });
    await hook({ RecordType: 'Open', UserAgent: CHROME, ...about(message(1)) });
    await hook({ RecordType: 'Open', UserAgent: 'Mozilla/5.0', ...about(message(2)) });
    await hook({ RecordType: 'Click', UserAgent: CHROME, ...about(message(0)) });
    return id;
  }

  it("when an owner opens a campaign's Analytics from its page, then the funnel chart and its table read the same numbers, people and machines apart", async () => {
    const id = await campaignWithActivity('Spring launch');
    const tab = await openConsole(browser, stack.baseUrl, { viewport: DESKTOP });
    const { page } = tab;
    try {
      await signIn(page, account.adminKey);
      await page.goto(`${stack.baseUrl}/console/campaigns/${id}`);
      await page.getByRole('link', { name: 'Analytics', exact: true }).click();
      await page.getByRole('heading', { name: 'Analytics: Spring launch', level: 1 }).waitFor();
      const funnel = page.getByRole('table', { name: 'Funnel' });
      await funnel.waitFor();
      expect(await cells(funnel.getByRole('row'))).toEqual([
        ['Stage', 'People', 'Machines', 'From the stage before'],
        ['Sent', '4', '0', '—'],
        ['Delivered', '4', '0', '100%'],
        ['Opened', '2', '1', '50%'],
        ['Clicked', '1', '0', '50%'],
        ['Viewed page', '0', '0', '0%'],
        ['Started checkout', '0', '0', '—'],
        ['Completed order', '0', '0', '—'],
      ]);
      const chart = page.getByRole('img', { name: /Funnel/ });
      expect(await chart.locator('text').allTextContents()).toEqual(
        expect.arrayContaining(['Opened', '2 + 1 machine', 'Clicked', '1']),
      );
      await page.getByRole('img', { name: 'Timeline by hour' }).waitFor();
      expect(await horizontalOverflow(page)).toBe(0);
      await recordScreenshot(page, 'campaign-analytics');
    } finally {
      await tab.close();
    }
  });

  it('when an owner ticks "Track link clicks" on a draft, then the campaign asks for link tracking only, and its Analytics page no longer says tracking is off', async () => {
    const { id } = await draftWithRecipients(api, 1, { name: 'Autumn launch' });
    const tab = await openConsole(browser, stack.baseUrl, { viewport: DESKTOP });
    const { page } = tab;
    try {
      await signIn(page, account.adminKey);
      await page.goto(`${stack.baseUrl}/console/campaigns/${id}/analytics`);
      await page.getByText('Open and link tracking are off for this campaign').waitFor();
      await page.goto(`${stack.baseUrl}/console/campaigns/${id}/edit`);
      const opens = page.getByRole('checkbox', { name: /Track opens/ });
      await opens.waitFor();
      expect(await opens.isChecked()).toBe(false);
      await page.getByRole('checkbox', { name: /Track link clicks/ }).check();
      await page.getByRole('button', { name: 'Save changes' }).click();
      await page.getByRole('heading', { name: 'Autumn launch', exact: true }).waitFor();
      expect((await api.get(`/v1/campaigns/${id}`)).body.tracking).toEqual({ opens: false, links: true });
      await page.getByRole('link', { name: 'Analytics', exact: true }).click();
      await page.getByRole('table', { name: 'Funnel' }).waitFor();
      expect(await page.getByText('Open and link tracking are off for this campaign').count()).toBe(0);
    } finally {
      await tab.close();
    }
  });

  it("when support opens the account's Analytics on a phone, then it reads each campaign's numbers (numbers only: both roles may) without the page scrolling sideways", async () => {
    const id = await campaignWithActivity('Summer launch');
    const tab = await openConsole(browser, stack.baseUrl, { viewport: PHONE });
    const { page } = tab;
    try {
      await signIn(page, account.support.key!);
      await page.getByRole('link', { name: 'Analytics', exact: true }).click();
      await page.getByRole('heading', { name: 'Analytics: the last 30 days', level: 1 }).waitFor();
      const table = page.getByRole('table', { name: 'Per campaign' });
      const row = table.getByRole('row').filter({ has: page.getByRole('link', { name: 'Summer launch' }) });
      await row.first().waitFor();
      const mine = (await cells(row)).find((r) => r[0] === 'Summer launch');
      expect(mine).toBeDefined();
      expect(await page.getByRole('img', { name: 'Timeline by day' }).count()).toBe(1);
      expect(await horizontalOverflow(page)).toBe(0);
      await recordScreenshot(page, 'account-analytics-phone');
      // The campaign's own view is a link away.
      await row.first().getByRole('link', { name: 'Summer launch' }).click();
      await page.getByRole('table', { name: 'Funnel' }).waitFor();
      expect(page.url()).toContain(`/campaigns/${id}/analytics`);
    } finally {
      await tab.close();
    }
  });
});
