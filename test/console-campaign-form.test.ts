import type { Browser, Locator, Page } from 'playwright-core';
import type { Schemas } from './support/api-types';
import { launchBrowser } from './support/browser';
import { untilStatus } from './support/campaigns';
import { horizontalOverflow, openConsole, PHONE, recordScreenshot, signIn } from './support/console';
import { useAccount, useStack } from './support/stack';

/** What `<input type="datetime-local">` shows for an instant, in the browser's (and this process's) zone. */
const local = (d: Date) => {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
};
/** `days` from now, to the minute (what the form's inputs can say). */
const daysAhead = (days: number) => {
  const d = new Date(Date.now() + days * 86_400_000);
  d.setSeconds(0, 0);
  return d;
};

describe('The console: the campaign form sets every field the API takes', () => {
  let browser: Browser;
  afterAll(() => browser?.close());
  const stack = useStack();
  const owner = useAccount(stack, 100_000, { support: true });
  const api = owner.api;
  beforeAll(async () => {
    browser = await launchBrowser();
  });

  async function signedIn(key: string, viewport?: { width: number; height: number }) {
    const tab = await openConsole(browser, stack.baseUrl, viewport ? { viewport } : {});
    await signIn(tab.page, key);
    return tab;
  }

  /** The form's fields, by what the person reads next to them. */
  const fields = (page: Page) => ({
    name: page.getByLabel('Name', { exact: true }),
    description: page.getByLabel('Description'),
    startAt: page.getByLabel('Start date'),
    expiresAt: page.getByLabel('Expiration'),
    batchSize: page.getByLabel('Invites per Batch'),
    gap: page.getByLabel('Time Gap Between Batches (in minutes)'),
    cost: page.getByLabel('Cost per invite (cents)'),
    sender: page.getByLabel(/^Sender/),
    subject: page.getByLabel(/^Subject/),
    landing: page.getByLabel(/^Landing page/),
    onlyThem: page.getByLabel(/^The link only works for them/),
    inviteExpiry: page.getByRole('combobox', { name: /^Each invite expires/ }),
    reminder: page.getByLabel(/^Reminder \(days before it ends\)/),
    accountHours: page.getByLabel("Use the account's sending hours"),
    ownHours: page.getByLabel('Only in these hours'),
    withEvent: page.getByLabel('Send calendar invites for an event'),
    maxFailure: page.getByLabel(/^Pause when more of a batch fails than/),
  });

  it('when the owner creates a campaign with every field through the form, then the API holds each of them as entered, and a refused value is shown in words first', async () => {
    const tab = await signedIn(owner.adminKey);
    const { page } = tab;
    try {
      await page.getByRole('link', { name: 'New campaign' }).click();
      await page.getByRole('heading', { name: 'New campaign' }).waitFor();
      const f = fields(page);
      const startAt = daysAhead(2);
      const expiresAt = daysAhead(30);
      const eventAt = daysAhead(9);
      await f.name.fill('Harvest Dinner');
      await f.description.fill('Five courses from the autumn garden.');
      await f.startAt.fill(local(startAt));
      await f.expiresAt.fill(local(expiresAt));
      await f.batchSize.fill('50');
      await f.gap.fill('5');
      await f.cost.fill('12');
      await f.sender.fill('Savo Events');
      await f.subject.fill('Your seat at the Harvest Dinner');
      await f.landing.fill('http://shop.example.com/harvest');
      await f.onlyThem.check();
      await f.inviteExpiry.selectOption({ label: '7 Days' });
      await f.reminder.fill('1.5');
      await f.ownHours.check();
      await page.getByLabel(/^Time zone/).fill('Europe/Berlin');
      await page.getByLabel(/^From/).fill('10:00');
      await page.getByLabel(/^To/).fill('18:30');
      const days = page.getByRole('group', { name: 'Days' });
      await days.getByLabel('Fri').uncheck();
      await days.getByLabel('Sat').check();
      await f.withEvent.check();
      await page.getByLabel('Event title').fill('Harvest Dinner');
      await page.getByLabel('Event starts').fill(local(eventAt));
      await page.getByLabel(/^Duration \(minutes\)/).fill('150');
      await page.getByLabel('Location').fill('The Old Mill, Ghent');
      await f.maxFailure.fill('15');

      // The API's refusal, in its words, and nothing created.
      await page.getByRole('button', { name: 'Create campaign' }).click();
      await page.getByRole('alert').getByText('landingUrl').waitFor();
      expect((await api.get('/v1/campaigns')).body.data).toEqual([]);

      await f.landing.fill('https://shop.example.com/harvest');
      await recordScreenshot(page, 'campaign-form-1280');
      await page.getByRole('button', { name: 'Create campaign' }).click();
      await page.getByRole('heading', { name: 'Harvest Dinner', exact: true }).waitFor();
      const [created] = (await api.get('/v1/campaigns')).body.data;
      expect(created).toMatchObject({
        name: 'Harvest Dinner',
        description: 'Five courses from the autumn garden.',
        status: 'draft',
        startAt: startAt.toISOString(),
        expiresAt: expiresAt.toISOString(),
        batch: { size: 50, gapMinutes: 5 },
        costPerInviteCents: 12,
        email: { fromName: 'Savo Events', subject: 'Your seat at the Harvest Dinner' },
        landingUrl: 'https://shop.example.com/harvest',
        requireEmailMatch: true,
        inviteDefaults: { expiresIn: '7d', reminderDaysBefore: 1.5 },
        sendWindow: {
          timeZone: 'Europe/Berlin',
          days: ['mon', 'tue', 'wed', 'thu', 'sat'],
          from: '10:00',
          to: '18:30',
        },
        event: {
          title: 'Harvest Dinner',
          startsAt: eventAt.toISOString(),
          durationMinutes: 150,
          location: 'The Old Mill, Ghent',
        },
        maxFailurePercent: 15,
      } satisfies Partial<Schemas['Campaign']>);

      // Opened again, the draft's form shows every value it holds, each one editable.
      await page.getByRole('link', { name: 'Edit', exact: true }).click();
      await page.getByRole('heading', { name: 'Edit Harvest Dinner' }).waitFor();
      const again = fields(page);
      expect(await again.sender.inputValue()).toBe('Savo Events');
      expect(await again.reminder.inputValue()).toBe('1.5');
      expect(await page.getByLabel(/^Time zone/).inputValue()).toBe('Europe/Berlin');
      expect(await again.maxFailure.inputValue()).toBe('15');
      for (const field of Object.values(again)) expect(await field.isEnabled()).toBe(true);
      await again.subject.fill('');
      await again.inviteExpiry.selectOption({ label: 'Never' });
      await again.reminder.fill('');
      await again.accountHours.check();
      await page.getByRole('button', { name: 'Save changes' }).click();
      await page.getByRole('heading', { name: 'Harvest Dinner', exact: true }).waitFor();
      expect((await api.get(`/v1/campaigns/${created.id}`)).body).toMatchObject({
        email: { fromName: 'Savo Events', subject: null },
        inviteDefaults: { expiresIn: null, reminderDaysBefore: null },
        sendWindow: null,
      });
    } finally {
      await tab.close();
    }
  }, 60_000);

  it('when the form is opened at phone width, then every field fits without scrolling sideways', async () => {
    const tab = await signedIn(owner.adminKey, PHONE);
    const { page } = tab;
    try {
      await page.getByRole('link', { name: 'New campaign' }).click();
      await page.getByRole('heading', { name: 'New campaign' }).waitFor();
      await fields(page).ownHours.check();
      await fields(page).withEvent.check();
      await fields(page).inviteExpiry.selectOption({ label: 'Custom date' });
      await page.getByLabel('Invites expire on').waitFor();
      expect(await horizontalOverflow(page)).toBe(0);
      await recordScreenshot(page, 'campaign-form-390');
    } finally {
      await tab.close();
    }
  });

  it('when the owner edits a launched campaign, then exactly the fields its actions allow are enabled, each other part says why, and what they change is saved', async () => {
    const id = (
      await api.post('/v1/campaigns', { name: 'Cellar Open Day', email: { fromName: 'The Cellar' } })
    ).body.id;
    expect((await api.post(`/v1/campaigns/${id}/invites`, { email: 'ada@example.com' })).status).toBe(201);
    expect((await api.post(`/v1/campaigns/${id}/launch`)).status).toBe(200);
    await untilStatus(api, id, 'active');
    const { actions } = (await api.get(`/v1/campaigns/${id}`)).body;

    const tab = await signedIn(owner.adminKey);
    const { page } = tab;
    try {
      await page.getByRole('link', { name: 'Cellar Open Day' }).click();
      await page.getByRole('heading', { name: 'Cellar Open Day', exact: true }).waitFor();
      await page.getByRole('link', { name: 'Edit', exact: true }).click();
      await page.getByRole('heading', { name: 'Edit Cellar Open Day' }).waitFor();
      const f = fields(page);
      const governedBy: [Locator, Schemas['Campaign']['actions'][number]][] = [
        [f.name, 'edit'],
        [f.description, 'edit'],
        [f.batchSize, 'change_batch'],
        [f.gap, 'change_batch'],
        [f.cost, 'edit'],
        [f.sender, 'edit'],
        [f.subject, 'edit'],
        [f.startAt, 'reschedule'],
        [f.expiresAt, 'extend'],
        [f.withEvent, 'change_event'],
        [f.accountHours, 'change_send_window'],
        [f.ownHours, 'change_send_window'],
        [f.landing, 'change_link_settings'],
        [f.onlyThem, 'change_link_settings'],
        [f.inviteExpiry, 'change_link_settings'],
        [f.reminder, 'change_link_settings'],
        [f.maxFailure, 'set_max_failure_percent'],
      ];
      const enabled = async () =>
        Promise.all(governedBy.map(async ([field, action]) => [action, await field.isEnabled()] as const));
      expect(await enabled()).toEqual(governedBy.map(([, action]) => [action, actions.includes(action)]));
      // An active campaign: its draft fields and start date are fixed, the rest may change.
      expect(actions).not.toContain('edit');
      expect(actions).not.toContain('reschedule');
      await page
        .getByText("Only a draft's name, description, cost and email change; this campaign is Active.")
        .first()
        .waitFor();
      await page
        .getByText(
          'The start date changes only before sending starts, or while paused; this campaign is Active.',
        )
        .waitFor();
      await recordScreenshot(page, 'campaign-form-launched');

      await f.landing.fill('https://cellar.example.com/open-day');
      await f.inviteExpiry.selectOption({ label: '30 Days' });
      await f.ownHours.check();
      await page.getByLabel(/^Time zone/).fill('Europe/Lisbon');
      await f.maxFailure.fill('30');
      // Batches change on a launched campaign too (through its workflow, from the next batch).
      await f.batchSize.fill('5');
      await page.getByRole('button', { name: 'Save changes' }).click();
      await page.getByRole('heading', { name: 'Cellar Open Day', exact: true }).waitFor();
      expect((await api.get(`/v1/campaigns/${id}`)).body).toMatchObject({
        status: 'active',
        name: 'Cellar Open Day',
        email: { fromName: 'The Cellar', subject: null },
        landingUrl: 'https://cellar.example.com/open-day',
        inviteDefaults: { expiresIn: '30d', reminderDaysBefore: null },
        sendWindow: { timeZone: 'Europe/Lisbon', days: ['mon', 'tue', 'wed', 'thu', 'fri'] },
        maxFailurePercent: 30,
        batch: { size: 5 },
      });
    } finally {
      await tab.close();
    }
  }, 60_000);

  it('when support opens a campaign, then there is no Edit, and the form itself answers that it needs an admin key without asking the API to change anything', async () => {
    const id = (await api.post('/v1/campaigns', { name: 'Support Looks' })).body.id;
    const tab = await signedIn(owner.support.key!);
    const { page } = tab;
    try {
      await page.getByRole('link', { name: 'Support Looks' }).click();
      await page.getByRole('heading', { name: 'Support Looks', exact: true }).waitFor();
      await page
        .getByRole('group', { name: 'Campaign actions' })
        .getByRole('link', { name: 'Audit log' })
        .waitFor();
      expect(await page.getByRole('link', { name: 'Edit', exact: true }).count()).toBe(0);
      expect(await page.getByRole('link', { name: 'New campaign' }).count()).toBe(0);
      const since = Date.now();
      for (const path of [`/campaigns/${id}/edit`, '/campaigns/new']) {
        await page.goto(`${stack.baseUrl}/console${path}`);
        await page.getByRole('heading', { name: 'Not available with this key' }).waitFor();
        expect(await page.getByRole('button', { name: /Save changes|Create campaign/ }).count()).toBe(0);
      }
      await tab.settled();
      expect(tab.apiRequestsSince(since).filter((r) => r.method !== 'GET')).toEqual([]);
    } finally {
      await tab.close();
    }
  });
});
