import type { Browser, Page } from 'playwright-core';
import { launchBrowser } from './support/browser';
import { inSeconds, untilInstant, untilStatus } from './support/campaigns';
import {
  type ConsoleTab,
  DESKTOP,
  PHONE,
  horizontalOverflow,
  openConsole,
  recordScreenshot,
  setTabHidden,
  signIn,
} from './support/console';
import { eventually, useAccount, useStack } from './support/stack';

/**
 * What the console promises besides its features: it polls gently and not at all when
 * hidden, loads nothing from elsewhere, keeps the key out of URLs and storage, runs under
 * a strict Content-Security-Policy, and fits a laptop and a phone without sideways scrolling.
 */
describe('The console, kept safe, light and readable', () => {
  let browser: Browser;
  let liveId: string;

  const people = ['Ada Lovelace', 'Grace Hopper', 'Alan Turing', 'Edsger Dijkstra', 'Barbara Liskov'];

  // Declared before the stack's: the live campaign is cancelled and the browser closed first.
  afterAll(async () => {
    if (liveId) await api.post(`/v1/campaigns/${liveId}/cancel`);
    await browser?.close();
  });
  const stack = useStack();
  const account = useAccount(stack, 100_000);
  const api = account.api;
  beforeAll(async () => {
    // A campaign that stays Launching: one invite per batch, ten minutes apart.
    const live = await api.post('/v1/campaigns', {
      name: 'Spring Tasting',
      description: 'Three wines, one evening.',
      batch: { size: 1, gapMinutes: 10 },
      expiresAt: new Date(Date.now() + 30 * 86_400_000).toISOString(),
    });
    liveId = live.body.id;
    await api.post(`/v1/campaigns/${liveId}/invites/bulk`, {
      recipients: people.map((name) => ({ name, email: `${name.split(' ')[0].toLowerCase()}@example.com` })),
    });
    await api.post(`/v1/campaigns/${liveId}/launch`);
    await untilStatus(api, liveId, 'launching');
    // Something in the other states the list shows: Active, Paused, Draft.
    const launched = async (name: string, emails: string[]) => {
      const id = (await api.post('/v1/campaigns', { name })).body.id;
      await api.post(`/v1/campaigns/${id}/invites/bulk`, { recipients: emails.map((email) => ({ email })) });
      await api.post(`/v1/campaigns/${id}/launch`);
      await untilStatus(api, id, 'active');
      return id;
    };
    await launched('Winter Gala', ['guest1@example.com', 'guest2@example.com']);
    const board = await launched('Board Dinner', ['chair@example.com']);
    await api.post(`/v1/campaigns/${board}/pause`, {});
    await api.post('/v1/campaigns', { name: 'Autumn Harvest Dinner', startAt: '2030-10-01T18:00:00Z' });
    browser = await launchBrowser();
  });

  async function signedIn(viewport = DESKTOP): Promise<ConsoleTab> {
    const tab = await openConsole(browser, stack.baseUrl, { viewport });
    await signIn(tab.page, account.adminKey);
    return tab;
  }

  const openLiveCampaign = async (page: Page) => {
    await page.getByRole('link', { name: 'Spring Tasting' }).click();
    await page.getByRole('heading', { name: 'Spring Tasting' }).waitFor();
  };

  it('when /console is served, then it carries a strict Content-Security-Policy and an inline script does not run', async () => {
    const tab = await openConsole(browser, stack.baseUrl);
    try {
      expect(tab.document.status).toBe(200);
      const csp = tab.document.headers['content-security-policy'] ?? '';
      const directives = new Map(
        csp
          .split(';')
          .map((d) => d.trim().split(/\s+/))
          .filter((d) => d[0])
          .map(([name, ...values]) => [name, values]),
      );
      const scripts = directives.get('script-src') ?? directives.get('default-src');
      expect(scripts).toBeDefined();
      expect(scripts).not.toContain("'unsafe-inline'");
      expect(scripts).not.toContain("'unsafe-eval'");
      // Every source named is this origin, a keyword or a hash (the email preview's inline
      // styles, api/routes/console.ts): no third-party host anywhere.
      for (const values of directives.values())
        for (const v of values) expect(v).toMatch(/^('[a-z-]+'|'sha256-[A-Za-z0-9+/]+=*'|data:|blob:)$/);
      expect(directives.get('style-src')).not.toContain("'unsafe-inline'");
      // The browser enforces it: a script injected inline never runs.
      await tab.page.evaluate(`(() => {
        const s = document.createElement('script');
        s.textContent = 'window.inlineRan = true';
        document.body.appendChild(s);
      })()`);
      expect(await tab.page.evaluate('window.inlineRan === true')).toBe(false);
    } finally {
      await tab.close();
    }
  });

  it('when a launching campaign is open, then the page asks the API at most once every 2 s, and not at all while the tab is hidden', async () => {
    const tab = await signedIn();
    try {
      await openLiveCampaign(tab.page);
      await tab.page.getByText('Launching', { exact: true }).first().waitFor();
      await tab.settled(); // the first load's requests are answered
      const visibleFrom = Date.now();
      // It is live: two polls within 6 s…
      await eventually(async () => (tab.apiRequestsSince(visibleFrom).length >= 2 ? true : undefined), {
        timeoutMs: 6_000,
      });
      // …without a storm: never two requests less than 2 s apart (less the few ms from a tick to
      // its request leaving the browser), for as long as three polls take.
      await eventually(async () => (tab.apiRequestsSince(visibleFrom).length >= 3 ? true : undefined), {
        timeoutMs: 9_000,
      });
      const visible = tab.apiRequestsSince(visibleFrom);
      const gaps = visible.slice(1).map((r, i) => r.at - visible[i].at);
      expect(gaps.filter((gap) => gap < 1_950)).toEqual([]);

      // From the instant the page sees itself hidden, three poll intervals without a request
      // (one sent just before may end later: each request's time is when the browser sent it).
      const hiddenAt = await setTabHidden(tab.page, true);
      await untilInstant(hiddenAt + 6_000);
      await tab.settled();
      expect(tab.apiRequestsSince(hiddenAt)).toEqual([]);

      const shownAt = await setTabHidden(tab.page, false);
      // Showing the tab asks at once (well within the 2.5 s it is given).
      await eventually(async () => (tab.apiRequestsSince(shownAt).length >= 1 ? true : undefined), {
        timeoutMs: 2_500,
      });
    } finally {
      await tab.close();
    }
  });

  it.each([
    ['1280', DESKTOP],
    ['390', PHONE],
  ])(
    'when the main screens are opened %s px wide, then nothing scrolls sideways, nothing comes from another origin, and the key stays out of URLs and storage',
    async (width, viewport) => {
      const tab = await signedIn(viewport);
      const { page } = tab;
      const overflow: Record<string, number> = {};
      try {
        await page.getByRole('heading', { name: 'Campaigns' }).waitFor();
        await page.getByText('Spring Tasting').first().waitFor();
        overflow['campaign list'] = await horizontalOverflow(page);
        await recordScreenshot(page, `campaign-list-${width}`);

        await openLiveCampaign(page);
        overflow['campaign page'] = await horizontalOverflow(page);
        await recordScreenshot(page, `campaign-${width}`);

        // The participant list is the campaign page's invite table.
        const participants = page.getByRole('region', { name: 'Participants' });
        await participants.getByRole('row').filter({ hasText: 'Grace Hopper' }).waitFor();
        await participants.scrollIntoViewIfNeeded();
        overflow['participant list'] = await horizontalOverflow(page);
        await recordScreenshot(participants, `participants-${width}`);

        await page.getByRole('link', { name: 'Billing' }).click();
        await page.getByRole('heading', { name: 'Billing' }).waitFor();
        overflow.billing = await horizontalOverflow(page);
        await recordScreenshot(page, `billing-${width}`);

        expect(overflow).toEqual({
          'campaign list': 0,
          'campaign page': 0,
          'participant list': 0,
          billing: 0,
        });
        const origins = new Set(tab.requests.map((r) => r.origin));
        expect([...origins].filter((o) => o !== stack.baseUrl && o !== 'data' && o !== 'blob')).toEqual([]);
        expect(tab.requests.filter((r) => r.url.includes(account.adminKey))).toEqual([]);
        expect(await page.evaluate<number>('localStorage.length')).toBe(0);
        // The key travels only where it belongs: the Authorization header of API calls.
        expect(tab.requests.some((r) => r.authorization === `Bearer ${account.adminKey}`)).toBe(true);
      } finally {
        await tab.close();
      }
    },
  );

  it('when the owner filters the campaign list by Paused, then only the paused campaign is listed, badge in words', async () => {
    const tab = await signedIn();
    try {
      const list = tab.page.getByRole('region', { name: 'Campaign list' });
      await list.getByRole('link', { name: 'Spring Tasting' }).waitFor();
      await tab.page.getByRole('combobox', { name: 'Status' }).selectOption({ label: 'Paused' });
      await list.getByRole('link', { name: 'Spring Tasting' }).waitFor({ state: 'detached' });
      // The list shows "Loading…" between the two answers: read it once the filtered one is on screen.
      await list.getByRole('link', { name: 'Board Dinner' }).waitFor();
      const rows = await list.getByRole('row').allInnerTexts();
      expect(rows).toHaveLength(2);
      expect(rows[1]).toContain('Board Dinner');
      expect(rows[1]).toContain('Paused');
    } finally {
      await tab.close();
    }
  });

  it("when on a phone, then Copy link still works from a participant's card", async () => {
    const tab = await openConsole(browser, stack.baseUrl, { viewport: PHONE, clipboard: true });
    try {
      await signIn(tab.page, account.adminKey);
      await openLiveCampaign(tab.page);
      const participants = tab.page.getByRole('region', { name: 'Participants' });
      await participants.getByRole('button', { name: 'Copy link for Grace Hopper' }).click();
      await tab.page.getByRole('status').filter({ hasText: 'copied' }).waitFor();
      const url = (await api.get(`/v1/campaigns/${liveId}/invites`)).body.data.find(
        (i) => i.name === 'Grace Hopper',
      )!.url;
      expect(await tab.page.evaluate<string>('navigator.clipboard.readText()')).toBe(url);
    } finally {
      await tab.close();
    }
  });

  it('when the owner adds recipients to a draft in bulk and from saved contacts, then the participant list shows every one', async () => {
    const draft = (await api.post('/v1/campaigns', { name: 'Supper Club' })).body.id;
    await api.post('/v1/contacts', { email: 'margaret@example.com', name: 'Margaret Hamilton' });
    const tab = await signedIn();
    const { page } = tab;
    try {
      await page.getByRole('link', { name: 'Supper Club' }).click();
      await page.getByRole('heading', { name: 'Supper Club' }).waitFor();
      const add = page.getByRole('region', { name: 'Add recipients' });
      await add.getByRole('button', { name: 'Create Bulk Invites', exact: true }).click();
      await add
        .getByRole('textbox', { name: /^Recipients/ })
        .fill('ken@example.com, Ken Thompson\ndennis@example.com, Dennis Ritchie');
      await add.getByRole('button', { name: 'Create bulk invites', exact: true }).click();
      await add.getByRole('status').filter({ hasText: /\S/ }).waitFor();

      await add.getByRole('button', { name: 'Import from contacts', exact: true }).click();
      await add.getByRole('checkbox', { name: /Margaret Hamilton/ }).check();
      await add.getByRole('button', { name: 'Add selected contacts' }).click();
      await add.getByText('1 contacts added.').waitFor();

      const participants = page.getByRole('region', { name: 'Participants' });
      for (const name of ['Ken Thompson', 'Dennis Ritchie', 'Margaret Hamilton'])
        await participants.getByRole('row').filter({ hasText: name }).waitFor();
      const emails = ((await api.get(`/v1/campaigns/${draft}/invites`)).body.data as { email: string }[])
        .map((i) => i.email)
        .sort();
      expect(emails).toEqual(['dennis@example.com', 'ken@example.com', 'margaret@example.com']);
    } finally {
      await tab.close();
    }
  });

  it('when the owner clicks the Expiration field of a launched campaign and moves it later, then the campaign expires then', async () => {
    const tab = await signedIn();
    const { page } = tab;
    try {
      await openLiveCampaign(page);
      await page.getByRole('link', { name: 'Change the expiration' }).click();
      await page.getByRole('heading', { name: 'Edit Spring Tasting' }).waitFor();
      // The browser's datetime-local speaks local time, as the person reads it.
      const later = new Date(Date.now() + 40 * 86_400_000);
      later.setSeconds(0, 0);
      const pad = (n: number) => String(n).padStart(2, '0');
      const local = `${later.getFullYear()}-${pad(later.getMonth() + 1)}-${pad(later.getDate())}T${pad(later.getHours())}:${pad(later.getMinutes())}`;
      await page.getByLabel('Expiration').fill(local);
      await page.getByRole('button', { name: 'Save changes' }).click();
      await page.getByRole('heading', { name: 'Spring Tasting', exact: true }).waitFor();
      expect((await api.get(`/v1/campaigns/${liveId}`)).body.expiresAt).toBe(later.toISOString());
    } finally {
      await tab.close();
    }
  });

  it("when a campaign expired within its account's grace is open, then the page offers to change its expiration, and moving it later brings the campaign back", async () => {
    // Ten minutes of grace after expiry (the API takes decimal days).
    expect((await api.patch('/v1/account', { expiryGraceDays: 600 / 86_400 })).status).toBe(200);
    const id = (await api.post('/v1/campaigns', { name: 'Short Notice', expiresAt: inSeconds(8) })).body.id;
    await api.post(`/v1/campaigns/${id}/invites/bulk`, { recipients: [{ email: 'ada@example.com' }] });
    await api.post(`/v1/campaigns/${id}/launch`);
    await untilStatus(api, id, 'active');
    await untilStatus(api, id, 'expired', 30_000);
    expect((await api.get(`/v1/campaigns/${id}`)).body.actions).toContain('extend');
    const tab = await signedIn();
    const { page } = tab;
    try {
      await page.getByRole('link', { name: 'Short Notice' }).click();
      await page.getByRole('heading', { name: 'Short Notice' }).waitFor();
      await page.getByText('Expired', { exact: true }).first().waitFor();
      await page.getByRole('link', { name: 'Change the expiration' }).click();
      await page.getByRole('heading', { name: 'Edit Short Notice' }).waitFor();
      const later = new Date(Date.now() + 7 * 86_400_000);
      later.setSeconds(0, 0);
      const pad = (n: number) => String(n).padStart(2, '0');
      const local = `${later.getFullYear()}-${pad(later.getMonth() + 1)}-${pad(later.getDate())}T${pad(later.getHours())}:${pad(later.getMinutes())}`;
      await page.getByLabel('Expiration').fill(local);
      await page.getByRole('button', { name: 'Save changes' }).click();
      await page.getByRole('heading', { name: 'Short Notice', exact: true }).waitFor();
      expect((await api.get(`/v1/campaigns/${id}`)).body).toMatchObject({
        status: 'active',
        expiresAt: later.toISOString(),
      });
    } finally {
      await tab.close();
    }
  });

  it('when support opens a launching campaign, then it may pause and resend, and sees none of the admin actions', async () => {
    const supportKey = await stack.newKey(account.accountId, 'support');
    const tab = await openConsole(browser, stack.baseUrl);
    const { page } = tab;
    try {
      await signIn(page, supportKey);
      await openLiveCampaign(page);
      const actions = page.getByRole('group', { name: 'Campaign actions' });
      await actions.getByRole('button', { name: 'Pause' }).waitFor();
      expect(await actions.getByRole('button').allInnerTexts()).toEqual(['Pause', 'Preview']);
      expect(await actions.getByRole('link').allInnerTexts()).toEqual(['Audit log', 'Analytics']);
      expect(await page.getByRole('link', { name: /^Change the/ }).count()).toBe(0);
      expect(await page.getByRole('heading', { name: 'Add recipients' }).count()).toBe(0);
      const participants = page.getByRole('region', { name: 'Participants' });
      await participants
        .getByRole('button', { name: /^Reset & resend/ })
        .first()
        .waitFor();
    } finally {
      await tab.close();
    }
  });

  it('when the owner creates a support key in Settings, then it is shown once and signs support in; once revoked, support is signed out', async () => {
    const owner = await signedIn();
    let support: ConsoleTab | undefined;
    try {
      await owner.page.getByRole('link', { name: 'Settings', exact: true }).click();
      await owner.page.getByRole('heading', { name: 'Settings' }).waitFor();
      const keys = owner.page.getByRole('region', { name: 'API keys' });
      await keys.getByRole('combobox', { name: 'Role' }).selectOption('support');
      await keys.getByLabel('Key name').fill('Support desk');
      await keys.getByRole('button', { name: 'Create key' }).click();
      const shown = keys.getByRole('status').filter({ hasText: 'it is not shown again' });
      const key = (await shown.locator('code').innerText()).trim();

      support = await openConsole(browser, stack.baseUrl);
      await signIn(support.page, key);
      await support.page.getByText('Signed in as support').waitFor();

      await keys
        .getByRole('row')
        .filter({ hasText: 'Support desk' })
        .getByRole('button', { name: /^Revoke/ })
        .click();
      await owner.page.getByRole('dialog').getByRole('button', { name: 'Revoke key' }).click();
      await keys
        .getByRole('row')
        .filter({ hasText: 'Support desk' })
        .getByText(/^Revoked/)
        .waitFor();

      // Support's next request is refused: the tab goes back to the sign-in form.
      await support.page.getByRole('link', { name: 'Billing', exact: true }).click();
      await support.page.getByLabel('API key').waitFor();
    } finally {
      await support?.close();
      await owner.close();
    }
  });

  it('when a person uses only the keyboard, then they sign in, open a campaign and reach Pause, every focused control showing a focus ring', async () => {
    const tab = await openConsole(browser, stack.baseUrl);
    const { page } = tab;
    const noRing: string[] = [];
    /** Tabs until the focused control's name matches; notes every control passed without a visible focus. */
    const tabTo = async (name: RegExp) => {
      for (let i = 0; i < 60; i++) {
        await page.keyboard.press('Tab');
        const focused = await page.evaluate<{ name: string; ring: boolean } | null>(`(() => {
          const el = document.activeElement;
          if (!el || el === document.body) return null;
          const cs = getComputedStyle(el);
          const name = (el.getAttribute('aria-label') || el.innerText || el.textContent || el.getAttribute('name') || el.tagName).trim();
          return { name, ring: (cs.outlineStyle !== 'none' && parseFloat(cs.outlineWidth) > 0) || cs.boxShadow !== 'none' };
        })()`);
        if (!focused) continue;
        if (!focused.ring) noRing.push(focused.name);
        if (name.test(focused.name)) return;
      }
      throw new Error(`${name} not reached by Tab`);
    };
    try {
      await tabTo(/^(apiKey|API key)/);
      await page.keyboard.type(account.adminKey);
      await page.keyboard.press('Enter');
      await page.getByRole('button', { name: 'Sign out' }).waitFor();
      await tabTo(/^Spring Tasting$/);
      await page.keyboard.press('Enter');
      await page.getByRole('heading', { name: 'Spring Tasting' }).waitFor();
      await tabTo(/^Pause$/);
      expect(noRing).toEqual([]);
    } finally {
      await tab.close();
    }
  });

  it('when the owner signs out, then the key is gone from the browser session and the sign-in form is back', async () => {
    const tab = await signedIn();
    try {
      await tab.page.getByRole('button', { name: 'Sign out' }).click();
      await tab.page.getByLabel('API key').waitFor();
      const stored = await tab.page.evaluate<string>('JSON.stringify(Object.values(sessionStorage))');
      expect(stored).not.toContain(account.adminKey);
      await tab.page.reload();
      await tab.page.getByLabel('API key').waitFor();
    } finally {
      await tab.close();
    }
  });
});
