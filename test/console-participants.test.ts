import type { Browser } from 'playwright-core';
import { Invite } from '../entities/Invite';
import { launchBrowser } from './support/browser';
import { openConsole, recordScreenshot, signIn } from './support/console';
import { eventually, useAccount, useStack } from './support/stack';

const CAMPAIGN = 'Spring Tasting';

describe('The console: the participant list', () => {
  const stack = useStack();
  const owner = useAccount(stack, 100_000);
  let browser: Browser;
  let supportKey: string;
  let campaignId: string;

  beforeAll(async () => {
    browser = await launchBrowser();
    supportKey = await stack.newKey(owner.accountId, 'support');
    campaignId = (await owner.api.post('/v1/campaigns', { name: CAMPAIGN, costPerInviteCents: 10 })).body.id;
    const ada = {
      email: 'ada@example.com',
      name: 'Ada Lovelace',
      phone: '+44 20 7946 0958',
      expiresIn: '7d',
      reminderDaysBefore: 2,
    };
    expect((await owner.api.post(`/v1/campaigns/${campaignId}/invites`, ada)).status).toBe(201);
    const grace = { email: 'grace@navy.example', name: 'Grace Hopper' };
    expect((await owner.api.post(`/v1/campaigns/${campaignId}/invites`, grace)).status).toBe(201);
  });
  afterAll(() => browser?.close());

  async function participants(key: string) {
    const tab = await openConsole(browser, stack.baseUrl);
    const { page } = tab;
    await signIn(page, key);
    await page.getByRole('link', { name: CAMPAIGN }).click();
    return { tab, page, list: page.getByRole('region', { name: 'Participant list' }) };
  }

  it("when support changes one invite's expiry in the participant table, then the table (with the phone in E.164) shows the new date and the API stores it with its reminder", async () => {
    const { tab, page, list } = await participants(supportKey);
    try {
      const ada = list.getByRole('row').filter({ hasText: 'Ada Lovelace' });
      const before = await stack.db.manager.findOneByOrFail(Invite, { campaignId, email: 'ada@example.com' });
      await ada.locator('td[data-label="Phone"]').getByText('+442079460958').waitFor();
      const expires = ada.locator('td[data-label="Expires"]');
      await expires.getByText(before.expiresAt!.getFullYear().toString()).waitFor();
      const shown = await expires.textContent();
      await ada.getByRole('button', { name: 'Change expiry of Ada Lovelace' }).click();
      const dialog = page.getByRole('dialog');
      const target = new Date(Date.now() + 3 * 86_400_000);
      target.setSeconds(0, 0);
      const pad = (n: number) => String(n).padStart(2, '0');
      const local = `${target.getFullYear()}-${pad(target.getMonth() + 1)}-${pad(target.getDate())}T${pad(target.getHours())}:${pad(target.getMinutes())}`;
      await dialog.getByLabel('Expires at').fill(local);
      await dialog.getByLabel('Reminder (days before)').fill('1');
      await recordScreenshot(dialog, 'participants-change-expiry');
      await dialog.getByRole('button', { name: 'Save expiry' }).click();
      await page.getByText("Ada Lovelace's invite now expires").waitFor();
      await eventually(async () => ((await expires.textContent()) !== shown ? true : undefined));
      const after = await eventually(async () => {
        const row = await stack.db.manager.findOneByOrFail(Invite, { campaignId, email: 'ada@example.com' });
        return row.expiresAt?.getTime() === target.getTime() ? row : undefined;
      });
      expect(after.reminderAt!.getTime()).toBe(target.getTime() - 86_400_000);
      const audit = (await owner.api.get(`/v1/campaigns/${campaignId}/audit`)).body.data;
      expect(audit.map((e) => e.action)).toContain('invite_expiry_changed');
    } finally {
      await tab.close();
    }
  }, 60_000);

  it('when the owner searches the participant list by name or address, then only the matching rows are listed', async () => {
    const { tab, page, list } = await participants(owner.adminKey);
    try {
      await list.getByRole('row').filter({ hasText: 'Ada Lovelace' }).waitFor();
      const search = page.getByRole('search', { name: 'Search participants' });
      await search.getByLabel('Name or email').fill('HOPPER');
      await search.getByLabel('Name or email').press('Enter');
      await list.getByRole('row').filter({ hasText: 'Ada Lovelace' }).waitFor({ state: 'detached' });
      expect(await list.getByRole('row').filter({ hasText: 'Grace Hopper' }).count()).toBe(1);
      await search.getByLabel('Name or email').fill('navy.example');
      await search.getByRole('button', { name: 'Search' }).click();
      await list.getByRole('row').filter({ hasText: 'grace@navy.example' }).waitFor();
      await search.getByLabel('Name or email').fill('nobody');
      await search.getByRole('button', { name: 'Search' }).click();
      await page.getByText('No participants match “nobody”.').waitFor();
      await search.getByLabel('Name or email').fill('');
      await search.getByRole('button', { name: 'Search' }).click();
      await page
        .getByRole('region', { name: 'Participant list' })
        .getByRole('row')
        .filter({ hasText: 'Ada Lovelace' })
        .waitFor();
    } finally {
      await tab.close();
    }
  }, 60_000);
});
