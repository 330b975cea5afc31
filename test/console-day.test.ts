import * as fs from 'node:fs';
import type { Browser, Locator, Page } from 'playwright-core';
import { launchBrowser, openPage } from './support/browser';
import { type ConsoleTab, markPage, onServer, openConsole, signIn } from './support/console';
import { untilInstant } from './support/campaigns';
import { invitationsOf } from './support/delivery';
import { eventually, useAccount, usePostmarkStack } from './support/stack';

/**
 * The console as its people use it, in Chromium, on the real stack (API, worker, Temporal,
 * database) with emails really handed to the local Postmark server. One campaign goes
 * through the owner's day, then the support person's; each step starts where the last left it.
 */
describe("The console through an owner's and a support person's day", () => {
  let browser: Browser;
  let owner: ConsoleTab;
  let page: Page;
  let campaignId: string;

  const CAMPAIGN = 'Spring Tasting';

  /** The text of each cell, row by row. */
  const cells = async (rows: Locator) =>
    Promise.all((await rows.all()).map((row) => row.locator('th, td').allInnerTexts()));

  /** Launch asks first (it reserves money); the person confirms. */
  async function launch(p: Page) {
    await p.getByRole('button', { name: 'Launch', exact: true }).click();
    await p.getByRole('dialog').getByRole('button', { name: 'Launch now' }).click();
  }
  const GOOD = ['ada@example.com', 'grace@example.com', 'alan@example.com', 'edsger@example.com'];

  // Declared before the stack's: the browser closes first.
  afterAll(async () => {
    await owner?.close();
    await browser?.close();
  });
  const { stack, fake } = usePostmarkStack();
  // 25 cents: not enough for four invites at the default 10 cents each.
  const account = useAccount(stack, 25);
  const api = account.api;
  beforeAll(async () => {
    browser = await launchBrowser();
    owner = await openConsole(browser, stack.baseUrl, { clipboard: true });
    page = owner.page;
  });

  it('when the owner signs in with an admin key, then the campaign list greets them and the key is kept out of URLs and localStorage', async () => {
    await signIn(page, account.adminKey);
    await page.getByRole('heading', { name: 'Campaigns' }).waitFor();
    expect(await page.evaluate<number>('localStorage.length')).toBe(0);
    expect(owner.requests.filter((r) => r.url.includes(account.adminKey))).toEqual([]);
    expect(page.url()).not.toContain(account.adminKey);
  });

  it('when they create a campaign with batches, then its page opens as a Draft', async () => {
    await page.getByRole('link', { name: 'New campaign' }).click();
    await page.getByRole('heading', { name: 'New campaign' }).waitFor();
    await page.getByLabel('Name').fill(CAMPAIGN);
    await page.getByLabel('Description').fill('Three wines, one evening.');
    await page.getByLabel('Invites per Batch').fill('2');
    await page.getByLabel('Time Gap Between Batches (in minutes)').fill('0.02');
    await page.getByRole('button', { name: 'Create campaign' }).click();
    await page.getByRole('heading', { name: CAMPAIGN }).waitFor();
    await page.getByText('Draft', { exact: true }).first().waitFor();
    campaignId = (await api.get('/v1/campaigns')).body.data.find((c) => c.name === CAMPAIGN)!.id;
    expect((await api.get(`/v1/campaigns/${campaignId}`)).body).toMatchObject({
      status: 'draft',
      batch: { size: 2, gapMinutes: 0.02 },
    });
  });

  it('when they upload a CSV with bad rows, then every rejected row is shown with its row number and reason, and the good ones are added', async () => {
    const csv = [
      'email,name',
      `${GOOD[0]},Ada`,
      'not an address,Bob',
      `${GOOD[1]},Grace`,
      'typo@example.con,Tim',
      `${GOOD[2]},Alan`,
      `${GOOD[3]},Edsger`,
    ].join('\n');
    await page.getByRole('button', { name: 'Upload CSV' }).click();
    await page.getByLabel('CSV file').setInputFiles({
      name: 'guests.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(csv),
    });
    // The form's own button (the mode switch above it has the same words).
    await page
      .locator('form')
      .filter({ has: page.getByLabel('CSV file') })
      .getByRole('button', { name: 'Upload CSV' })
      .click();
    const rejected = page.getByRole('table', { name: /Rejected rows/ });
    await rejected.waitFor();
    // Rows counted as a spreadsheet counts them: the header is row 1.
    expect(await cells(rejected.getByRole('row'))).toEqual([
      ['Row', 'Email', 'Reason'],
      ['3', 'not an address', 'contains spaces'],
      ['5', 'typo@example.con', 'domain typo: .con (did you mean .com?)'],
    ]);
    await page.getByText('Imported 4 invites; 2 rows rejected.').waitFor();
    for (const email of GOOD) await page.getByRole('row').filter({ hasText: email }).waitFor();
  });

  it('when they launch with too little balance, then they read "Your balance doesn\'t cover this campaign" with the amounts and a way to billing', async () => {
    await launch(page);
    const alert = page.getByRole('alert').filter({ hasText: "Your balance doesn't cover this campaign" });
    await alert.waitFor();
    const text = await alert.innerText();
    expect(text).toContain('$0.40'); // four invites at 10 cents
    expect(text).toContain('$0.25'); // what is available
    expect(await alert.getByRole('link', { name: /billing/i }).count()).toBe(1);
    expect((await api.get(`/v1/campaigns/${campaignId}`)).body.status).toBe('draft');
  });

  it('when they add funds on Billing and launch again, then progress moves on screen to Active without a reload, and the invitations go out', async () => {
    await page
      .getByRole('alert')
      .getByRole('link', { name: /billing/i })
      .click();
    await page.getByRole('heading', { name: 'Billing' }).waitFor();
    await page.getByLabel('Amount').fill('1.00');
    await page.getByRole('button', { name: 'Add funds' }).click();
    await page.getByText('Available now: $1.25').waitFor();
    expect((await api.get('/v1/account')).body.balanceCents).toBe(125);

    await page.getByRole('link', { name: 'Campaigns', exact: true }).click();
    await page.getByRole('link', { name: CAMPAIGN }).click();
    await page.getByRole('heading', { name: CAMPAIGN }).waitFor();
    const notReloaded = await markPage(page);
    await launch(page);
    // Launching first (the command's answer), then Active once the batches are out: only polling moves it.
    await page.getByText('Launching', { exact: true }).first().waitFor();
    await page.getByText('Active', { exact: true }).first().waitFor({ timeout: 30_000 });
    expect(await notReloaded()).toBe(true);
    await page
      .getByText(/4 sent/)
      .first()
      .waitFor();
    await eventually(async () => (invitationsOf(fake, campaignId).length >= 4 ? true : undefined));
    expect(new Set(invitationsOf(fake, campaignId).map((m) => m.To))).toEqual(new Set(GOOD));
  });

  let oldLink: string;

  it("when they find a participant and Copy link, then the clipboard holds that participant's link", async () => {
    const row = page.getByRole('row').filter({ hasText: GOOD[1] });
    await row.getByRole('button', { name: 'Copy link' }).click();
    // Copying asks the API for the live link first: wait until the page says it is done.
    await page.getByRole('status').filter({ hasText: 'copied' }).waitFor();
    oldLink = await page.evaluate<string>('navigator.clipboard.readText()');
    const invite = (await api.get(`/v1/campaigns/${campaignId}/invites`)).body.data.find(
      (i) => i.email === GOOD[1],
    )!;
    expect(oldLink).toBe(invite.url);
  });

  it('when they Reset & resend and confirm, then a fresh invitation goes out and the old link shows "Link Expired"', async () => {
    const before = fake.sent.filter((m) => m.To === GOOD[1]).length;
    const row = page.getByRole('row').filter({ hasText: GOOD[1] });
    await row.getByRole('button', { name: 'Reset & resend' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByText('voids the old link and starts the participant over').waitFor();
    await dialog.getByRole('button', { name: 'Reset & resend' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await eventually(async () =>
      fake.sent.filter((m) => m.To === GOOD[1]).length > before ? true : undefined,
    );
    const old = await openPage(browser, onServer(stack.baseUrl, oldLink));
    expect([old.status, old.heading]).toEqual([410, 'Link Expired']);
    await old.page.close();
  });

  it('when they Create Invite for one person with a 7 Days expiration, then it goes out on arrival and Resend notification sends it again', async () => {
    const email = 'barbara@example.com';
    const add = page.getByRole('region', { name: 'Add recipients' });
    await add.getByRole('button', { name: 'Create Invite', exact: true }).click();
    await add.getByLabel('Name').fill('Barbara');
    await add.getByLabel('Email').fill(email);
    await add.getByRole('combobox', { name: 'Expiration' }).selectOption({ label: '7 Days' });
    await add.getByRole('button', { name: 'Create invite', exact: true }).click();
    await add.getByText('Invite created for Barbara.').waitFor();
    const invite = (await api.get(`/v1/campaigns/${campaignId}/invites`)).body.data.find(
      (i) => i.email === email,
    )!;
    const days = (Date.parse(invite.expiresAt!) - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(6.9);
    expect(days).toBeLessThanOrEqual(7);
    // The campaign is Active: an invite added now is sent on arrival, and the table says so.
    await eventually(async () =>
      invitationsOf(fake, campaignId).some((m) => m.To === email) ? true : undefined,
    );
    const row = page.getByRole('row').filter({ hasText: email });
    await row.getByRole('button', { name: 'Resend notification' }).click({ timeout: 10_000 });
    await page
      .getByRole('status')
      .filter({ hasText: `Notification sent to ${email}.` })
      .waitFor();
    await eventually(async () =>
      invitationsOf(fake, campaignId).filter((m) => m.To === email).length === 2 ? true : undefined,
    );
  });

  it('when they select two participants and Export CSV, then the file holds exactly those two with their full links', async () => {
    const invites = (await api.get(`/v1/campaigns/${campaignId}/invites`)).body.data;
    await page.getByRole('checkbox', { name: 'Select Ada', exact: true }).check();
    await page.getByRole('checkbox', { name: 'Select Alan', exact: true }).check();
    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Export CSV' }).click();
    const csv = fs.readFileSync(await (await download).path(), 'utf8');
    for (const email of [GOOD[0], GOOD[2]]) {
      const url = invites.find((i) => i.email === email)!.url;
      expect(csv).toContain(email);
      expect(csv).toContain(url);
    }
    for (const email of [GOOD[1], GOOD[3]]) expect(csv).not.toContain(email);
  });

  it('when a participant completes their session, then filtering the participant list by Used shows just them, with their Order and Journey', async () => {
    const ada = (await api.get(`/v1/campaigns/${campaignId}/invites`)).body.data.find(
      (i) => i.email === GOOD[0],
    )!;
    const visit = await openPage(browser, onServer(stack.baseUrl, ada.url));
    await visit.page.getByRole('button', { name: 'Start' }).click();
    await visit.page.getByLabel('Order reference').fill('PO-77');
    await visit.page.getByRole('button', { name: 'Complete' }).click();
    await visit.page.getByRole('heading', { name: 'Already Completed' }).waitFor();
    await visit.page.close();

    // No reload: the campaign's progress moves (1 used) and the table follows it.
    await page
      .getByText(/\b1 used\b/)
      .first()
      .waitFor();
    const participants = page.getByRole('region', { name: 'Participants' });
    await participants.getByRole('combobox', { name: 'Status' }).selectOption({ label: 'Used' });
    await eventually(async () => ((await participants.getByRole('row').count()) === 2 ? true : undefined));
    const row = participants.getByRole('row').nth(1);
    const text = await row.innerText();
    expect(text).toContain(GOOD[0]);
    expect(text).toContain('Used');
    expect(text).toContain('PO-77');
    expect(text).toContain('completed');
    await participants.getByRole('combobox', { name: 'Status' }).selectOption({ label: 'All' });
  });

  describe('as support', () => {
    let support: ConsoleTab;
    let supportKey: string;
    beforeAll(async () => {
      supportKey = await stack.newKey(account.accountId, 'support');
      support = await openConsole(browser, stack.baseUrl);
      await signIn(support.page, supportKey);
    });
    afterAll(() => support?.close());

    it('when support pauses and resumes the campaign, then its badge reads Paused, then Active', async () => {
      const p = support.page;
      await p.getByRole('link', { name: CAMPAIGN }).click();
      await p.getByRole('heading', { name: CAMPAIGN }).waitFor();
      await p.getByRole('button', { name: 'Pause' }).click();
      await p.getByText('Paused', { exact: true }).first().waitFor();
      expect((await api.get(`/v1/campaigns/${campaignId}`)).body.status).toBe('paused');
      await p.getByRole('button', { name: 'Resume' }).click();
      await p.getByText('Active', { exact: true }).first().waitFor();
      expect((await api.get(`/v1/campaigns/${campaignId}`)).body.status).toBe('active');
    });

    it('when support opens the Audit log, then it lists what the API records, their pause and resume among it', async () => {
      const p = support.page;
      // The campaign's own log (the main navigation's Audit log is the whole account's).
      await p
        .getByRole('group', { name: 'Campaign actions' })
        .getByRole('link', { name: 'Audit log' })
        .click();
      await p.getByRole('heading', { name: 'Audit log' }).waitFor();
      const table = p.getByRole('region', { name: 'Audit log' });
      await table.getByRole('row').nth(1).waitFor();
      const entries = (await api.get(`/v1/campaigns/${campaignId}/audit`)).body.data;
      expect(entries.filter((e) => e.toStatus === 'paused')).toHaveLength(1);
      const shown = await table.getByRole('row').allInnerTexts();
      expect(shown.length - 1).toBe(entries.length);
      for (const e of entries) expect(shown.join('\n')).toContain(e.action);
      expect(shown.some((r) => r.includes('→ paused'))).toBe(true);
    });

    it('when support opens a draft and Billing, then there is no Launch, no New campaign and no Add funds', async () => {
      const draft = await api.post('/v1/campaigns', { name: 'Autumn Draft' });
      expect(draft.status).toBe(201);
      const p = support.page;
      await p.getByRole('link', { name: 'Campaigns', exact: true }).click();
      await p.getByRole('link', { name: 'Autumn Draft' }).click();
      await p.getByRole('heading', { name: 'Autumn Draft' }).waitFor();
      // The actions it may take are drawn (the audit log); the one it may not is absent.
      const actions = p.getByRole('group', { name: 'Campaign actions' });
      await actions.getByRole('link', { name: 'Audit log' }).waitFor();
      expect(await actions.getByRole('button').allInnerTexts()).not.toContain('Launch');
      expect(await p.getByRole('button', { name: 'Launch' }).count()).toBe(0);
      expect(await p.getByRole('link', { name: 'New campaign' }).count()).toBe(0);

      await p.getByRole('link', { name: 'Billing', exact: true }).click();
      await p.getByRole('heading', { name: 'Billing' }).waitFor();
      await p.getByText('Available', { exact: true }).waitFor(); // the balance is shown to support…
      expect(await p.getByRole('button', { name: 'Add funds' }).count()).toBe(0); // …but not the means to add
      expect(await p.getByLabel('Amount').count()).toBe(0);
    });

    it('when the day is over, then every request of both people went to Herald itself and no URL carried a key', async () => {
      const all = [...owner.requests, ...support.requests];
      expect(all.length).toBeGreaterThan(20);
      expect([...new Set(all.map((r) => r.origin))]).toEqual([stack.baseUrl]);
      const keyed = (r: { url: string }) =>
        [account.adminKey, supportKey].some((k) => decodeURIComponent(r.url).includes(k));
      expect(all.filter(keyed)).toEqual([]);
      expect(await support.page.evaluate<number>('localStorage.length')).toBe(0);
    });
  });

  it('when the owner cancels at the end, confirming what cannot be undone, then the badge reads Cancelled, the links expire and the page stops polling', async () => {
    await page.getByRole('link', { name: 'Campaigns', exact: true }).click();
    await page.getByRole('link', { name: CAMPAIGN }).click();
    await page.getByRole('heading', { name: CAMPAIGN }).waitFor();
    await page.getByRole('button', { name: 'Cancel', exact: true }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByText('This cannot be undone').waitFor();
    await dialog.getByRole('button', { name: 'Cancel campaign' }).click();
    await page.getByText('Cancelled', { exact: true }).first().waitFor();
    expect((await api.get(`/v1/campaigns/${campaignId}`)).body.status).toBe('cancelled');

    const alan = (await api.get(`/v1/campaigns/${campaignId}/invites`)).body.data.find(
      (i) => i.email === GOOD[2],
    )!;
    const link = await openPage(browser, onServer(stack.baseUrl, alan.url));
    expect([link.status, link.heading]).toEqual([410, 'Link Expired']);
    await link.page.close();

    // What the cancel itself set off is answered; a page still polling would then ask again
    // within 2 s (console/src/poll.ts): 2.5 s of quiet from there says it stopped.
    const quietFrom = await owner.settled();
    await untilInstant(quietFrom + 2_500);
    expect(owner.apiRequestsSince(quietFrom)).toEqual([]);
  });
});
