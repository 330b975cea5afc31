import type { Browser } from 'playwright-core';
import { launchBrowser } from './support/browser';
import { openConsole, recordScreenshot, signIn } from './support/console';
import { allInvites, draftWithRecipients } from './support/delivery';
import { newId } from '../db/ids';
import { Suppression } from '../entities/Suppression';
import { eventually, useAccount, usePostmarkStack } from './support/stack';

describe('The console: Preview, Send a test, and a launch refused for its sender', () => {
  const { stack, fake } = usePostmarkStack();
  const account = useAccount(stack, 1_000_000, { support: true });
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('when an owner previews a draft, sends a test to two addresses, then launches with a token Postmark refuses, then the page shows the email as rendered, the test reaches Postmark, and the refusal says what to fix', async () => {
    const { api } = account;
    const { id } = await draftWithRecipients(api, 1, {
      name: 'Spring party',
      email: { subject: 'Come to our party' },
    });
    const tab = await openConsole(browser, stack.baseUrl);
    const violations: string[] = [];
    tab.page.on('console', (m) => {
      if (/Content Security Policy/i.test(m.text())) violations.push(m.text());
    });
    try {
      const { page } = tab;
      await signIn(page, account.adminKey);
      await page.goto(`${stack.baseUrl}/console/campaigns/${id}`);
      await page.getByRole('heading', { name: 'Spring party' }).waitFor();

      await page.getByRole('button', { name: 'Preview', exact: true }).click();
      const preview = page.getByRole('region', { name: 'Preview' });
      await preview.getByText('Come to our party').waitFor();
      const frame = page.frameLocator('iframe[title="Email preview"]');
      const button = frame.getByRole('link', { name: 'Open your invitation' });
      await button.waitFor();
      // The email's own inline styles apply inside the console's CSP (allowed by hash).
      const colorOf = (a: unknown) =>
        (globalThis as unknown as { getComputedStyle(e: unknown): { color: string } }).getComputedStyle(a)
          .color;
      expect(await button.evaluate(colorOf)).toBe('rgb(255, 255, 255)');
      expect(await button.getAttribute('href')).toBe(`${stack.config.publicBaseUrl}/p/preview`);
      await recordScreenshot(preview, 'email-preview-1280');
      await preview.getByRole('button', { name: 'Text' }).click();
      await preview.getByText(`${stack.config.publicBaseUrl}/p/preview`, { exact: false }).first().waitFor();
      await preview.getByRole('button', { name: 'Close preview' }).click();

      await page.getByRole('button', { name: 'Send a test', exact: true }).click();
      const testSend = page.getByRole('region', { name: 'Send a test' });
      const to = testSend.getByRole('textbox', { name: 'Send to' });
      await eventually(async () => ((await to.inputValue()) === account.ownerEmail ? true : undefined));
      await to.fill('me@example.com, you@example.com');
      await testSend.getByRole('button', { name: 'Send test email' }).click();
      await testSend.getByText('Test email sent to me@example.com, you@example.com.').waitFor();
      const tests = fake.sent.filter((m) => m.Metadata.campaignId === id);
      expect(tests.map((m) => [m.To, m.Subject]).sort()).toEqual([
        ['me@example.com', '[Test] Come to our party'],
        ['you@example.com', '[Test] Come to our party'],
      ]);
      await to.fill(
        'a@example.com, b@example.com, c@example.com, d@example.com, e@example.com, f@example.com',
      );
      await testSend.getByText('At most 5 addresses.').waitFor();
      expect(await testSend.getByRole('button', { name: 'Send test email' }).isDisabled()).toBe(true);

      await api.put('/v1/account/email-provider', {
        postmarkServerToken: 'token-postmark-never-issued',
        fromEmail: 'events@acme.test',
      });
      await page.getByRole('button', { name: 'Launch', exact: true }).click();
      await page.getByRole('dialog').getByRole('button', { name: 'Launch now' }).click();
      const refusal = page.getByRole('alert').filter({ hasText: 'your sender is not ready' });
      await refusal
        .getByText("The email provider refused the account's server token", { exact: false })
        .waitFor();
      await refusal.getByRole('link', { name: 'Go to Settings to fix the sender' }).waitFor();
      expect((await api.get(`/v1/campaigns/${id}`)).body.status).toBe('draft');
      expect(violations).toEqual([]);
    } finally {
      await tab.close();
    }
  });

  it('when support opens a campaign whose recipient unsubscribed, then Preview is there, Send a test is not, and the participant row says the address gets no more emails', async () => {
    const { id, emails } = await draftWithRecipients(account.api, 2, { name: 'Support view' });
    await stack.db.manager.insert(Suppression, {
      id: newId(),
      accountId: account.accountId,
      email: emails[0],
      reason: 'unsubscribed',
      source: 'one-click',
      createdAt: new Date(),
    });
    const invites = await allInvites(account.api, id);
    expect(invites.map((i) => [i.email, i.suppressed]).sort()).toEqual([
      [emails[0], 'unsubscribed'],
      [emails[1], null],
    ]);
    const tab = await openConsole(browser, stack.baseUrl);
    try {
      const { page } = tab;
      await signIn(page, account.support.key!);
      await page.goto(`${stack.baseUrl}/console/campaigns/${id}`);
      await page.getByRole('heading', { name: 'Support view' }).waitFor();
      await page.getByRole('button', { name: 'Preview', exact: true }).waitFor();
      expect(await page.getByRole('button', { name: 'Send a test', exact: true }).count()).toBe(0);
      const rows = page.getByRole('region', { name: 'Participant list' }).getByRole('row');
      await rows.filter({ hasText: emails[0] }).getByText('Unsubscribed: no more emails').waitFor();
      expect(await rows.filter({ hasText: emails[1] }).getByText('no more emails').count()).toBe(0);
    } finally {
      await tab.close();
    }
  });
});
