import type { Browser } from 'playwright-core';
import { launchBrowser } from './support/browser';
import { untilStatus } from './support/campaigns';
import { openConsole, signIn } from './support/console';
import { draftWithRecipients, invitationsOf } from './support/delivery';
import { useAccount, usePostmarkStack } from './support/stack';

describe('The console: complaint and bounce guards', () => {
  const { stack, fake } = usePostmarkStack();
  const account = useAccount(stack, 10_000_000);
  const { api } = account;
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('when the owner sets the guards in Settings › Sending limits and hours, then the policy holds them; a campaign that a spam complaint then pauses says why, and what to do', async () => {
    const tab = await openConsole(browser, stack.baseUrl);
    try {
      const { page } = tab;
      await signIn(page, account.adminKey);
      await page.getByRole('link', { name: 'Settings', exact: true }).click();
      await page
        .getByRole('navigation', { name: 'Settings' })
        .getByRole('link', { name: 'Sending limits and hours' })
        .click();
      const card = page.getByRole('region', { name: 'Complaint and bounce guards' });
      const complaints = card.getByLabel('Pause when spam complaints are more than (%)');
      await complaints.waitFor();
      // The defaults, in percent.
      expect(await complaints.inputValue()).toBe('0.1');
      expect(await card.getByLabel('once at least this many were delivered').inputValue()).toBe('1000');
      expect(await card.getByLabel('Pause when hard bounces are more than (%)').inputValue()).toBe('5');
      expect(await card.getByLabel('once at least this many were sent').inputValue()).toBe('100');

      await complaints.fill('10');
      await card.getByLabel('once at least this many were delivered').fill('2');
      await card.getByRole('button', { name: 'Save guards' }).click();
      await card.getByText('Saved: campaigns are held to these').waitFor();
      expect((await api.get('/v1/account/sending-policy')).body).toEqual({
        limits: [],
        window: null,
        guards: { complaintRate: 0.1, complaintMinDelivered: 2, bounceRate: 0.05, bounceMinSent: 100 },
      });

      const { id } = await draftWithRecipients(api, 2, { name: 'Spring mixer' });
      await api.post(`/v1/campaigns/${id}/launch`);
      await untilStatus(api, id, 'active', 30_000);
      const [message] = invitationsOf(fake, id);
      const complained = await fetch(`${stack.baseUrl}/v1/webhooks/postmark`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          authorization: `Basic ${Buffer.from('hooks:hook-secret').toString('base64')}`,
        },
        body: JSON.stringify({
          RecordType: 'SpamComplaint',
          Type: 'SpamComplaint',
          TypeCode: 512,
          MessageID: message.MessageID,
          Email: message.To,
          BouncedAt: new Date().toISOString(),
        }),
      });
      expect(complained.status).toBe(200);
      await untilStatus(api, id, 'paused');

      await page.getByRole('link', { name: 'Campaigns', exact: true }).click();
      await page.getByRole('link', { name: 'Spring mixer' }).click();
      await page.getByRole('heading', { name: 'Spring mixer' }).waitFor();
      await page
        .getByText('Too many recipients marked it as spam: send only to people who asked for it, then Resume')
        .waitFor();
    } finally {
      await tab.close();
    }
  });
});
