import { randomUUID } from 'node:crypto';
import type { Browser, Locator, Page } from 'playwright-core';
import { newId } from '../db/ids';
import { Suppression } from '../entities/Suppression';
import { launchBrowser } from './support/browser';
import { draft } from './support/campaigns';
import {
  type ConsoleTab,
  DESKTOP,
  PHONE,
  horizontalOverflow,
  openConsole,
  recordScreenshot,
  signIn,
} from './support/console';
import { useAccount, useStack } from './support/stack';

describe("The console: the account's Contacts, Privacy and Audit log", () => {
  let browser: Browser;
  // Declared before the stack's: the browser closes first.
  afterAll(async () => {
    await browser?.close();
  });
  // No worker: nothing here is sent, and drafts need none.
  const stack = useStack({ worker: false });
  const account = useAccount(stack, 100_000, { support: true });
  const admin = account.api;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  const run = randomUUID().slice(0, 8);

  const cells = async (rows: Locator) =>
    Promise.all((await rows.all()).map((row) => row.locator('th, td').allInnerTexts()));

  async function signedIn(key: string, viewport = DESKTOP): Promise<ConsoleTab> {
    const tab = await openConsole(browser, stack.baseUrl, { viewport });
    await signIn(tab.page, key);
    return tab;
  }
  /** A console address opened as a person types it: the tab keeps its session. */
  const open = (page: Page, path: string) => page.goto(`${stack.baseUrl}/console${path}`);

  it('when an owner adds a contact, imports a CSV with bad rows and deletes a contact, then the list shows the saved ones, every bad row is listed with its reason, and the deleted one is erased', async () => {
    const tab = await signedIn(account.adminKey);
    const { page } = tab;
    try {
      await page.getByRole('link', { name: 'Contacts', exact: true }).click();
      await page.getByRole('heading', { name: 'Contacts', level: 1 }).waitFor();
      await page.getByText('No saved contacts on this account yet.').waitFor();

      const add = page.locator('form').filter({ has: page.getByRole('heading', { name: 'Add a contact' }) });
      await add.getByLabel('Email').fill(`ada-${run}@example.com`);
      await add.getByLabel('Name').fill('Ada Lovelace');
      await add.getByRole('button', { name: 'Save contact' }).click();
      await page.getByText(`Contact ada-${run}@example.com saved.`).waitFor();

      await page.getByLabel('CSV file').setInputFiles({
        name: 'contacts.csv',
        mimeType: 'text/csv',
        buffer: Buffer.from(
          [
            'email,name',
            `grace-${run}@example.com,Grace Hopper`,
            'not an address,Bob',
            `ada-${run}@example.com,Ada again`,
            `alan-${run}@example.con,Alan`,
            `edsger-${run}@example.com,`,
          ].join('\n'),
        ),
      });
      await page.getByRole('button', { name: 'Upload CSV' }).click();
      await page.getByText('Imported 2 contacts; 3 rows rejected.').waitFor();
      const rejected = page.getByRole('table', { name: /Rejected rows/ });
      expect(await cells(rejected.getByRole('row'))).toEqual([
        ['Row', 'Email', 'Reason'],
        ['3', 'not an address', 'contains spaces'],
        ['4', `ada-${run}@example.com`, 'already a contact'],
        ['5', `alan-${run}@example.con`, expect.stringMatching(/domain typo/)],
      ]);
      const list = page.getByRole('region', { name: 'Contact list' });
      await list
        .getByRole('row')
        .filter({ hasText: `edsger-${run}@example.com` })
        .waitFor();
      expect(await list.getByRole('row').count()).toBe(4); // the header and three contacts
      await recordScreenshot(page, 'contacts-1280');

      // A contact in a campaign: deleting it erases the person, their invite too.
      const saved = (await admin.get('/v1/contacts')).body.data.find(
        (c) => c.email === `grace-${run}@example.com`,
      )!;
      const campaign = await draft(admin, { name: `Gala ${run}` });
      await admin.post(`/v1/campaigns/${campaign}/invites/from-contacts`, { contactIds: [saved.id] });
      await list.getByRole('button', { name: `Delete grace-${run}@example.com` }).click();
      const dialog = page.getByRole('dialog');
      await dialog.getByText(/erases the person from your whole account/).waitFor();
      await dialog.getByRole('button', { name: 'Delete and erase' }).click();
      await page
        .getByText(`grace-${run}@example.com deleted and erased from the account (1 invite voided).`)
        .waitFor();
      await list
        .getByRole('row')
        .filter({ hasText: `grace-${run}@example.com` })
        .waitFor({ state: 'detached' });
      const where = (await admin.get(`/v1/recipients?email=grace-${run}@example.com`)).body;
      expect(where).toMatchObject({ contacts: [], campaigns: [] }); // their invite in the campaign too
    } finally {
      await tab.close();
    }
  });

  it('when an owner finds a recipient by address on Privacy and erases them after the confirmation, then they see where the address was, what erasure does, and the address is gone', async () => {
    const email = `dora-${run}@example.com`;
    await admin.post('/v1/contacts', { email, name: 'Dora Maar' });
    const campaign = await draft(admin, { name: `Vernissage ${run}` });
    await admin.post(`/v1/campaigns/${campaign}/invites`, { email, name: 'Dora Maar' });
    await stack.db.manager.insert(Suppression, {
      id: newId(),
      accountId: account.accountId,
      email,
      reason: 'unsubscribed',
      source: 'page',
      createdAt: new Date(),
    });
    const tab = await signedIn(account.adminKey);
    const { page } = tab;
    try {
      await open(page, '/settings/privacy');
      await page.getByRole('heading', { name: 'What Herald keeps and why' }).waitFor();
      await page.getByLabel("Recipient's email").fill(email.toUpperCase());
      await page.getByRole('button', { name: 'Find' }).click();
      const found = page.getByRole('region', { name: email });
      await found.getByText('Saved contact: Dora Maar').waitFor();
      await found.getByText(`1 invite in Vernissage ${run}`).waitFor();
      await found.getByText(/Not emailed: Unsubscribed/).waitFor();
      await recordScreenshot(page, 'privacy-1280');
      await page.setViewportSize(PHONE);
      expect(await horizontalOverflow(page)).toBe(0);
      await recordScreenshot(page, 'privacy-390');
      await page.setViewportSize(DESKTOP);

      await found.getByRole('button', { name: 'Erase this person' }).click();
      const dialog = page.getByRole('dialog', { name: `Erase ${email}?` });
      await dialog.getByText(/their invites are voided: their links stop working/).waitFor();
      await dialog.getByText(/keep only a reference/).waitFor();
      await recordScreenshot(dialog, 'privacy-erase-confirmation');
      await dialog.getByRole('button', { name: 'Erase', exact: true }).click();
      await page.getByText(/Erased: 1 contact, 1 invite voided/).waitFor();

      await page.getByLabel("Recipient's email").fill(email);
      await page.getByRole('button', { name: 'Find' }).click();
      await page.getByText('This address is nowhere in your account.').waitFor();
      const lookup = (await admin.get(`/v1/recipients?email=${email}`)).body;
      expect(lookup).toMatchObject({ contacts: [], campaigns: [], suppression: null });

      await page.getByLabel("Recipient's email").fill('no-at-sign');
      await page.getByLabel("Recipient's email").evaluate((el) => el.removeAttribute('type')); // past the browser's own check
      await page.getByRole('button', { name: 'Find' }).click();
      await page
        .getByRole('alert')
        .getByText(/missing @/)
        .waitFor(); // the API's words
    } finally {
      await tab.close();
    }
  });

  it("when an owner opens the Audit log, then the account's entries are there with the campaigns', and filtering by campaign, kind and actor (in the address too) narrows them", async () => {
    const campaign = await draft(admin, { name: `Audited ${run}` });
    const desk = await admin.post('/v1/api-keys', { role: 'support', name: `Desk ${run}` });
    await admin.delete(`/v1/api-keys/${desk.body.id}`);
    await admin.put('/v1/account/sending-policy', {
      limits: [{ max: 50, windowSeconds: 3600 }],
      window: null,
    });
    const me = (await admin.get('/v1/me')).body.keyId;

    const tab = await signedIn(account.adminKey);
    const { page } = tab;
    try {
      await page.getByRole('link', { name: 'Audit log', exact: true }).click();
      const log = page.getByRole('region', { name: 'Account audit log' });
      const revoked = log.getByRole('row').filter({ hasText: 'API key revoked' });
      await revoked.waitFor();
      expect((await cells(revoked))[0]).toEqual([
        expect.any(String),
        'Account',
        'API key revoked',
        '—',
        'This key',
        expect.stringContaining(`(Desk ${run})`),
      ]);
      await log.getByRole('row').filter({ hasText: 'Sending limits and hours changed' }).waitFor();
      await log
        .getByRole('link', { name: `Audited ${run}` })
        .first()
        .waitFor();
      await recordScreenshot(page, 'audit-log-1280');

      await page.getByRole('combobox', { name: /^Campaign/ }).selectOption({ label: `Audited ${run}` });
      await page.getByRole('button', { name: 'Filter' }).click();
      await revoked.waitFor({ state: 'detached' });
      const rows = await cells(log.getByRole('row'));
      expect(rows.slice(1).every((r) => r[1] === `Audited ${run}`)).toBe(true);
      expect(page.url()).toContain(`/console/audit?campaign=${campaign}`);

      await page
        .getByRole('combobox', { name: /^Campaign/ })
        .selectOption({ label: 'All campaigns and the account' });
      await page.getByRole('combobox', { name: /^Kind/ }).selectOption({ label: 'API key created' });
      await page.getByLabel('Actor').fill(me);
      await page.getByRole('button', { name: 'Filter' }).click();
      await log
        .getByRole('row')
        .filter({ hasText: `(Desk ${run})` })
        .waitFor();
      const created = await cells(log.getByRole('row'));
      expect(created.slice(1).map((r) => r[2])).toEqual(['API key created']);

      // A filtered log is an address: it opens as it was left.
      await open(page, '/audit?kind=sending_policy_changed');
      await log.getByRole('row').filter({ hasText: 'Sending limits and hours changed' }).waitFor();
      expect(await page.getByRole('combobox', { name: /^Kind/ }).inputValue()).toBe('sending_policy_changed');
      expect(
        (await cells(log.getByRole('row')))
          .slice(1)
          .every((r) => r[2] === 'Sending limits and hours changed'),
      ).toBe(true);
    } finally {
      await tab.close();
    }
  });

  it.each([
    ['1280', DESKTOP],
    ['390', PHONE],
  ])(
    'when support opens Contacts and the Audit log %s px wide, then they read both without scrolling sideways, with nothing to add, import or delete, and Privacy is not theirs',
    async (width, viewport) => {
      await admin.post('/v1/contacts', {
        email: `support-view-${run}-${width}@example.com`,
        name: 'Seen by support',
      });
      const supportKey = await stack.newKey(account.accountId, 'support');
      const tab = await signedIn(supportKey, viewport);
      const { page } = tab;
      try {
        const nav = page.getByRole('navigation', { name: 'Main' });
        expect(await nav.getByRole('link').allInnerTexts()).toEqual([
          'Campaigns',
          'Contacts',
          'Audit log',
          'Billing',
          // The sending policy and webhooks, which support may read (Privacy is not among them).
          'Settings',
        ]);
        await nav.getByRole('link', { name: 'Contacts' }).click();
        const list = page.getByRole('region', { name: 'Contact list' });
        await list
          .getByRole('row')
          .filter({ hasText: `support-view-${run}-${width}@example.com` })
          .waitFor();
        await page.getByText('Adding, importing and deleting contacts needs an admin API key.').waitFor();
        expect(await page.getByRole('button', { name: /Delete|Save contact|Upload CSV/ }).count()).toBe(0);
        expect(await horizontalOverflow(page)).toBe(0);
        await recordScreenshot(page, `contacts-support-${width}`);

        await nav.getByRole('link', { name: 'Audit log' }).click();
        await page.getByRole('region', { name: 'Account audit log' }).getByRole('row').nth(1).waitFor();
        expect(await horizontalOverflow(page)).toBe(0);
        await recordScreenshot(page, `audit-log-${width === '390' ? '390' : 'support-1280'}`);

        await open(page, '/settings/privacy');
        await page.getByRole('heading', { name: 'Not available with this key' }).waitFor();
        expect((await account.support.get(`/v1/recipients?email=x-${run}@example.com`)).status).toBe(403);
      } finally {
        await tab.close();
      }
    },
  );
});
