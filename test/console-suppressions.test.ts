import type { Browser } from 'playwright-core';
import { launchBrowser } from './support/browser';
import { openConsole, signIn } from './support/console';
import { useAccount, useStack } from './support/stack';
import { newId } from '../db/ids';
import { Suppression } from '../entities/Suppression';

describe('The console: suppressed addresses in Settings', () => {
  let browser: Browser;
  // Declared before the stack's: the browser closes first.
  afterAll(async () => {
    await browser?.close();
  });
  const stack = useStack();
  const account = useAccount(stack, 100_000);
  beforeAll(async () => {
    browser = await launchBrowser();
  });

  const suppress = (email: string, reason: 'unsubscribed' | 'hard_bounce', source: 'one-click' | null) =>
    stack.db.manager.insert(Suppression, {
      id: newId(),
      accountId: account.accountId,
      email,
      reason,
      source,
      createdAt: new Date(),
    });

  it('when an owner lifts an unsubscribe, then the address leaves the list; a hard bounce offers no Lift', async () => {
    await suppress('left@example.com', 'unsubscribed', 'one-click');
    await suppress('bounced@example.com', 'hard_bounce', null);
    const tab = await openConsole(browser, stack.baseUrl);
    try {
      const { page } = tab;
      await signIn(page, account.adminKey);
      await page.getByRole('link', { name: 'Settings', exact: true }).click();
      const list = page.getByRole('region', { name: 'Suppressed addresses' });
      const left = list.getByRole('row').filter({ hasText: 'left@example.com' });
      await left.getByText("Unsubscribed (their mail app's Unsubscribe button)").waitFor();
      const bounced = list.getByRole('row').filter({ hasText: 'bounced@example.com' });
      await bounced.getByText('Hard bounce').waitFor();
      expect(await bounced.getByRole('button').count()).toBe(0);

      await left.getByRole('button', { name: 'Lift the unsubscribe of left@example.com' }).click();
      await page.getByRole('dialog').getByRole('button', { name: 'Lift unsubscribe' }).click();
      await list.getByText('left@example.com may be emailed again.').waitFor();
      await left.waitFor({ state: 'detached' });
      expect(await stack.db.manager.countBy(Suppression, { accountId: account.accountId })).toBe(1);
    } finally {
      await tab.close();
    }
  });
});
