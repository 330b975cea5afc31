import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import { PAGE_STATUS, escapeHtml, renderInvitePage, type PageModel } from '../api/pages/templates';
import { launchBrowser, openPage } from './support/browser';

const TOKEN = 'tok_S3cretInviteToken-xyz';
const campaign = {
  campaignName: 'Spring Tasting Menu',
  campaignDescription: 'Join us for a five-course tasting menu.\nBring a friend.',
};

/** Each path serves one page state; POSTs to the form actions behave like the real flow would. */
const pages: Record<string, PageModel> = {
  '/ready': { state: 'ready', ...campaign, recipientName: 'Ada', token: TOKEN, journey: 'invited' },
  '/ready-anonymous': {
    state: 'ready',
    campaignName: 'Spring Tasting Menu',
    recipientName: null,
    token: TOKEN,
  },
  '/started': { state: 'ready', ...campaign, recipientName: 'Ada', token: TOKEN, journey: 'started' },
  '/expired': { state: 'expired', ...campaign },
  '/completed': { state: 'completed', ...campaign },
  '/not-open': { state: 'not_open', ...campaign, startsAt: '2026-12-01T09:00:00.000Z' },
  '/not-open-undated': { state: 'not_open', ...campaign, startsAt: null },
  '/hostile': {
    state: 'ready',
    campaignName: '<script>alert(1)</script>',
    campaignDescription: '<img src="x" onerror="window.__xss = true">',
    recipientName: '<script>window.__xss = true</script>',
    token: TOKEN,
  },
};

let server: http.Server;
let browser: Browser;
let base: string;
const posted: { path: string; body: string }[] = [];
const openPages: Page[] = [];

function send(res: http.ServerResponse, model: PageModel): void {
  res.writeHead(PAGE_STATUS[model.state], { 'content-type': 'text/html; charset=utf-8' });
  res.end(renderInvitePage(model));
}

async function open(path: string) {
  const opened = await openPage(browser, base + path);
  openPages.push(opened.page);
  return opened;
}

beforeAll(async () => {
  server = http.createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (req.method === 'POST') {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        posted.push({ path, body });
        if (path === `/i/${TOKEN}/start`) return send(res, pages['/started']);
        if (path === `/i/${TOKEN}/complete`) return send(res, { state: 'completed', ...campaign });
        send(res, { state: 'not_found' });
      });
      return;
    }
    send(res, pages[path] ?? { state: 'not_found' });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  browser = await launchBrowser();
});

afterEach(async () => {
  await Promise.all(openPages.splice(0).map((page) => page.close()));
});

afterAll(async () => {
  await browser?.close();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
});

describe('Invite pages, as a person sees them in a browser', () => {
  it('when the link is ready, then a person reads the campaign name as the heading, a greeting, the description and can press "Start"', async () => {
    const { status, title, heading, text, page } = await open('/ready');
    expect(status).toBe(200);
    expect(title).toBe('Spring Tasting Menu');
    expect(heading).toBe('Spring Tasting Menu');
    expect(text).toContain('Hi Ada,');
    expect(text).toContain('Join us for a five-course tasting menu.');
    expect(text).toContain('Bring a friend.');
    const start = page.getByRole('button', { name: 'Start' });
    expect(await start.isVisible()).toBe(true);
    expect(await page.getByRole('button', { name: 'Complete' }).count()).toBe(0);
    expect(await page.locator('form').getAttribute('action')).toBe(`/i/${TOKEN}/start`);
    expect(await page.locator('form').getAttribute('method')).toBe('post');
  });

  it('when a person presses "Start", then the form posts without JavaScript and the "Complete" form appears', async () => {
    const { page } = await open('/ready');
    await Promise.all([
      page.waitForURL(`**/i/${TOKEN}/start`),
      page.getByRole('button', { name: 'Start' }).click(),
    ]);
    expect(posted.at(-1)?.path).toBe(`/i/${TOKEN}/start`);
    expect(await page.getByRole('button', { name: 'Complete' }).isVisible()).toBe(true);
  });

  it('when the journey has started, then a person can enter an optional "Order reference" and press "Complete"', async () => {
    const { status, heading, text, page } = await open('/started');
    expect(status).toBe(200);
    expect(heading).toBe('Spring Tasting Menu');
    expect(text).toContain('Hi Ada,');
    expect(await page.getByRole('button', { name: 'Start' }).count()).toBe(0);
    const order = page.getByLabel('Order reference');
    expect(await order.getAttribute('name')).toBe('order');
    expect(await order.getAttribute('required')).toBeNull();
    await order.fill('PO-1234');
    await Promise.all([
      page.waitForURL(`**/i/${TOKEN}/complete`),
      page.getByRole('button', { name: 'Complete' }).click(),
    ]);
    expect(posted.at(-1)).toEqual({ path: `/i/${TOKEN}/complete`, body: 'order=PO-1234' });
    expect(await page.locator('h1').innerText()).toBe('Already Completed');
  });

  it('when the recipient has no name, then a person is greeted with "Hello,"', async () => {
    const { text } = await open('/ready-anonymous');
    expect(text).toContain('Hello,');
    expect(text).not.toContain('Hi ');
  });

  it('when the link has expired, then a person reads "Link Expired" and the page answers 410', async () => {
    const { status, title, heading, text } = await open('/expired');
    expect(status).toBe(410);
    expect(title).toBe('Link Expired · Spring Tasting Menu');
    expect(heading).toBe('Link Expired');
    expect(text).toContain('This invitation link is no longer valid.');
    expect(text).toContain('contact the person who sent you this invitation');
    expect(text).toContain('Spring Tasting Menu');
    expect(text).toContain('Join us for a five-course tasting menu.');
  });

  it('when the invitation is already completed, then a person reads "Already Completed"', async () => {
    const { status, title, heading, text } = await open('/completed');
    expect(status).toBe(200);
    expect(title).toBe('Already Completed · Spring Tasting Menu');
    expect(heading).toBe('Already Completed');
    expect(text).toContain('You have already completed this invitation.');
    expect(text).toContain('Spring Tasting Menu');
  });

  it('when the invitation opens later, then a person reads "Not open yet" and the opening date in UTC', async () => {
    const { status, title, heading, text } = await open('/not-open');
    expect(status).toBe(200);
    expect(title).toBe('Not open yet · Spring Tasting Menu');
    expect(heading).toBe('Not open yet');
    expect(text).toContain('This invitation opens on 1 December 2026, 09:00 UTC');
    expect(text).toContain('Spring Tasting Menu');
  });

  it('when the invitation is not open and has no date, then a person reads "This invitation is not open yet."', async () => {
    const { heading, text } = await open('/not-open-undated');
    expect(heading).toBe('Not open yet');
    expect(text).toContain('This invitation is not open yet.');
    expect(text).not.toContain('opens on');
  });

  it('when the link is unknown, then a person reads "Link not found" and the page answers 404', async () => {
    const { status, title, heading, text } = await open('/no-such-invite');
    expect(status).toBe(404);
    expect(title).toBe('Link not found');
    expect(heading).toBe('Link not found');
    expect(text).toContain("We couldn't find this invitation link. Check that you copied the whole link.");
  });

  it('when the campaign name is hostile HTML, then a person sees it as text and no script runs', async () => {
    const page = await browser.newPage();
    openPages.push(page);
    const dialogs: string[] = [];
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    const response = await page.goto(`${base}/hostile`, { waitUntil: 'load' });
    expect(response?.status()).toBe(200);
    expect(await page.locator('h1').innerText()).toBe('<script>alert(1)</script>');
    expect(await page.title()).toBe('<script>alert(1)</script>');
    expect(await page.locator('main').innerText()).toContain('Hi <script>window.__xss = true</script>,');
    expect(await page.locator('main').innerText()).toContain('<img src="x" onerror="window.__xss = true">');
    expect(await page.locator('main script, main img').count()).toBe(0);
    expect(await page.evaluate(() => (globalThis as any).__xss)).toBeUndefined();
    expect(dialogs).toEqual([]);
  });

  it('every page is a well-formed, private document: one main, one h1, lang, noindex, no-referrer, token only in form actions', async () => {
    for (const path of [...Object.keys(pages), '/no-such-invite']) {
      const { page } = await open(path);
      expect(await page.locator('html').getAttribute('lang')).toBe('en');
      expect(await page.locator('main').count()).toBe(1);
      expect(await page.locator('h1').count()).toBe(1);
      expect(await page.locator('meta[name="robots"]').getAttribute('content')).toBe('noindex');
      expect(await page.locator('meta[name="referrer"]').getAttribute('content')).toBe('no-referrer');
      expect(await page.locator('meta[name="viewport"]').count()).toBe(1);
      expect(await page.locator('script').count()).toBe(0);
      expect(await page.locator('button:not([type="submit"])').count()).toBe(0);
      for (const input of await page.locator('input').all()) {
        const id = await input.getAttribute('id');
        expect(await page.locator(`label[for="${id}"]`).count()).toBe(1);
      }

      const html = renderInvitePage(pages[path] ?? { state: 'not_found' });
      expect(html.startsWith('<!doctype html>')).toBe(true);
      expect(html).toContain('<meta charset="utf-8">');
      const tokenUses = html.split(TOKEN).length - 1;
      const tokenActions = html.match(new RegExp(`action="/i/${TOKEN}/(start|complete)"`, 'g')) ?? [];
      expect(tokenUses).toBe(tokenActions.length);
    }
  });

  it('escapeHtml escapes the five HTML-significant characters and treats null as empty', () => {
    expect(escapeHtml(`<a href="x" title='y'>&</a>`)).toBe(
      '&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;',
    );
    expect(escapeHtml(null)).toBe('');
    expect(escapeHtml(undefined)).toBe('');
  });

  it('PAGE_STATUS answers ready 200, expired 410, erased 410, completed 200, not_open 200, not_found 404', () => {
    expect(PAGE_STATUS).toEqual({
      ready: 200,
      expired: 410,
      erased: 410,
      completed: 200,
      not_open: 200,
      not_found: 404,
    });
  });
});
