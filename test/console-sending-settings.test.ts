import type { Browser } from 'playwright-core';
import { launchBrowser } from './support/browser';
import { untilStatus } from './support/campaigns';
import { horizontalOverflow, openConsole, PHONE, recordScreenshot, signIn } from './support/console';
import { draftWithRecipients } from './support/delivery';
import { eventually, useAccount, usePostmarkStack } from './support/stack';

/** HH:00 in UTC, `hours` from now: a send window that is certainly closed now. */
const utcHour = (hours: number) => `${String((new Date().getUTCHours() + hours) % 24).padStart(2, '0')}:00`;

describe('The console: Sending limits and hours', () => {
  let browser: Browser;
  afterAll(async () => {
    await browser?.close();
  });
  const { stack } = usePostmarkStack();
  const account = useAccount(stack, 10_000_000, { support: true });
  const { api } = account;
  beforeAll(async () => {
    browser = await launchBrowser();
  });

  it('when the owner sets a limit and sending hours, then the rules are said in words, the policy holds them, and each live campaign shows what it waits for', async () => {
    const tab = await openConsole(browser, stack.baseUrl);
    try {
      const { page } = tab;
      await signIn(page, account.adminKey);
      await page.getByRole('link', { name: 'Settings', exact: true }).click();
      await page
        .getByRole('navigation', { name: 'Settings' })
        .getByRole('link', { name: 'Sending limits and hours' })
        .click();
      await page.getByRole('heading', { name: 'Sending limits and hours', level: 1 }).waitFor();
      const rules = page.getByRole('region', { name: 'The rules now' });
      await rules
        .getByText('No sending limit: emails go out as fast as your email service takes them.')
        .waitFor();
      await rules.getByText('Campaign email may go out at any hour, any day').waitFor();
      await rules
        .getByText(
          'A campaign pauses itself when more than 0.1% of its delivered emails are marked as spam, once at least 1,000 were delivered.',
        )
        .waitFor();

      const form = page.getByRole('form', { name: 'Limits and hours' });
      await form.getByRole('button', { name: 'Add a limit' }).click();
      const limit = form.getByRole('group', { name: 'Limit 1' });
      await limit.getByLabel('At most (emails)').fill('1');
      await limit.getByLabel('per').fill('1');
      await limit.getByLabel('Unit').selectOption({ label: 'minutes' });
      await form.getByLabel('Send campaign email only in these hours').check();
      // The form starts on Mon–Fri.
      for (const day of ['Mon', 'Tue', 'Wed', 'Thu', 'Fri'])
        expect(await form.getByRole('checkbox', { name: day, exact: true }).isChecked()).toBe(true);
      await form.getByRole('textbox', { name: /^From/ }).fill('09:00');
      await form.getByRole('textbox', { name: /^To/ }).fill('25:00');
      await form.getByLabel('Time zone').fill('Europe/Berlin');
      await form.getByRole('button', { name: 'Save limits and hours' }).click();
      // The API's own words, and nothing changed.
      await form.getByRole('alert').getByText('window.to').waitFor();
      expect((await api.get('/v1/account/sending-policy')).body.limits).toEqual([]);

      await form.getByRole('textbox', { name: /^To/ }).fill('17:00');
      await form.getByRole('button', { name: 'Save limits and hours' }).click();
      await form.getByText('Saved: every campaign follows these').waitFor();
      await rules.getByText('At most 1 email per minute.').waitFor();
      await rules
        .getByText(
          "Campaign email goes out only Mon–Fri 09:00–17:00 in the recipient's time zone (Europe/Berlin for recipients without one); a campaign with hours of its own keeps them.",
        )
        .waitFor();
      expect((await api.get('/v1/account/sending-policy')).body).toMatchObject({
        limits: [{ max: 1, windowSeconds: 60 }],
        window: {
          timeZone: 'Europe/Berlin',
          days: ['mon', 'tue', 'wed', 'thu', 'fri'],
          from: '09:00',
          to: '17:00',
        },
      });

      // Two live campaigns, each with hours of its own: one held by the limit, one by its hours.
      const always = {
        timeZone: 'UTC',
        days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const,
        from: '00:00',
        to: '24:00',
      };
      const limited = await draftWithRecipients(api, 3, {
        name: 'Spring mixer',
        sendWindow: { ...always, days: [...always.days] },
      });
      await api.post(`/v1/campaigns/${limited.id}/launch`);
      const closed = await draftWithRecipients(api, 1, {
        name: 'Night owls',
        sendWindow: { ...always, days: [...always.days], from: utcHour(2), to: utcHour(3) },
      });
      await api.post(`/v1/campaigns/${closed.id}/launch`);
      await eventually(async () => {
        const c = (await api.get(`/v1/campaigns/${limited.id}`)).body;
        return c.waiting?.reason === 'sending_limit' ? c : undefined;
      });
      await untilStatus(api, closed.id, 'launching');

      const waiting = page.getByRole('region', { name: 'Live campaigns' });
      const mixer = waiting.getByRole('row').filter({ hasText: 'Spring mixer' });
      await mixer.getByText('The sending limit, until').waitFor();
      await mixer
        .getByText("Every day 00:00–24:00 in the recipient's time zone (UTC for recipients without one)")
        .waitFor();
      const owls = waiting.getByRole('row').filter({ hasText: 'Night owls' });
      await owls.getByText('The sending hours, until').waitFor();
      await recordScreenshot(page, 'sending-limits-and-hours');

      // The guards live here now, and the rules follow what is saved.
      const guards = page.getByRole('region', { name: 'Complaint and bounce guards' });
      await guards.getByLabel('Pause when hard bounces are more than (%)').fill('100');
      await guards.getByRole('button', { name: 'Save guards' }).click();
      await rules.getByText('Hard bounces never pause a campaign (that guard is off).').waitFor();

      await page.setViewportSize(PHONE);
      expect(await horizontalOverflow(page)).toBe(0);
    } finally {
      await tab.close();
    }
  });

  it('when support opens Sending limits and hours, then it reads the rules and what campaigns wait for, and may change nothing', async () => {
    await api.put('/v1/account/sending-policy', {
      limits: [{ max: 10, windowSeconds: 5 }],
      window: null,
    });
    const tab = await openConsole(browser, stack.baseUrl);
    try {
      const { page } = tab;
      await signIn(page, account.support.key!);
      // Settings in the top nav leads support to the pages it may read.
      await page.getByRole('link', { name: 'Settings', exact: true }).click();
      const rules = page.getByRole('region', { name: 'The rules now' });
      await rules.getByText('At most 10 emails per 5 seconds.').waitFor();
      await page.getByRole('region', { name: 'What campaigns wait for now' }).waitFor();
      const nav = page.getByRole('navigation', { name: 'Settings' });
      expect(await nav.getByRole('link').allInnerTexts()).toEqual(['Sending limits and hours', 'Webhooks']);
      expect(await page.getByRole('main').getByRole('textbox').count()).toBe(0);
      expect(await page.getByRole('main').getByRole('spinbutton').count()).toBe(0);
      expect(await page.getByRole('main').getByRole('button').count()).toBe(0);
    } finally {
      await tab.close();
    }
  });
});
